// The printer's "retry" button wakes a printer this terminal prints to: the register's own, or
// one its receipts went to. Any other address is refused, so the call cannot be used to make the
// till reach for an address nobody configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../../renderer/i18n/index.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { allowPrinterPorts } from '../support/printer-ports.ts';

const ARROZ = '7505599000026';
const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');

describe('retrying a printer', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let first: LoopbackPrinter;
  let second: LoopbackPrinter;
  let owner: string;
  let cashier: string;

  const retry = (printerUri: string) => demo.engine.call('devices.retryPrinter', { printerUri }, { token: cashier });
  const configure = (uri: string) =>
    demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { printer: { uri } } }, { token: owner });

  beforeAll(async () => {
    first = await startLoopbackPrinter();
    second = await startLoopbackPrinter();
    demo = await openDemoEngine('printer-retry');
    await allowPrinterPorts(demo.engine, first.port, second.port);
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  }, 120_000);
  afterAll(async () => {
    await demo?.dispose();
    await first?.close();
    await second?.close();
  });

  it('refuses a printer this terminal does not know as NOT_FOUND, in the cashier’s words', async () => {
    ok(await configure(first.uri));
    const refused = await retry(second.uri);
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', params: { what: 'printer', printerUri: second.uri } } });
    if (refused.ok) return;
    expect(es.error(refused.error)).toBe(`Esta caja no conoce la impresora ${second.uri}.`);
    // PostgreSQL's port, which a printer address may well name: still no printer of ours.
    expect(await retry('tcp://127.0.0.1:5432')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses what is not a printer address as INVALID_INPUT', async () => {
    for (const uri of ['lpt1', 'hello', 'serial:/dev/../etc/passwd', 'usb:dev/usb/lp0', 'tcp://127.0.0.1:70000']) {
      expect(await retry(uri), uri).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'BAD_ADDRESS' } } });
    }
  });

  it('retries the register’s own printer', async () => {
    expect(ok(await retry(first.uri))).toEqual({ printerUri: first.uri });
  });

  it('retries a printer the terminal’s receipts went to after the register moved to another', async () => {
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.code === 'CASH')!.id;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: 'retry-shift-1', openingFloat: '500' }, { token: cashier }));
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: 'retry-sale-1' }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }));
    // Printed, so moving the register to another printer leaves the receipt with this one.
    const pending = () =>
      demo.engine.services.sql.query(`SELECT 1 FROM sales.receipts WHERE printer_uri = $1 AND status <> 'PRINTED'`, [first.uri]);
    await first.waitForJobs(1);
    for (let i = 0; (await pending()).length > 0; i++) {
      if (i > 250) throw new Error('the receipt was not printed');
      await new Promise((r) => setTimeout(r, 20));
    }
    ok(await configure(second.uri));
    expect(ok(await retry(first.uri))).toEqual({ printerUri: first.uri });
    expect(ok(await retry(second.uri))).toEqual({ printerUri: second.uri });
  });
});
