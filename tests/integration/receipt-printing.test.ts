// A cash sale's receipt reaches a real TCP printer on 127.0.0.1 and reads right; a printer
// that goes away keeps its jobs and prints each of them once, in order, when it comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { decodeEscPos, isDrawerKick } from '../support/escpos-decoder.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';

const ARROZ = '7505599000026';
const AGUA_PINA = '7505641000219';

describe('receipts on a network printer', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let printer: LoopbackPrinter;
  let cashier: string;
  let cash: string;
  let card: string;
  let n = 0;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  const until = async (what: string, check: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  beforeAll(async () => {
    printer = await startLoopbackPrinter();
    demo = await openDemoEngine('receipt-printing');
    await demo.engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'devices.registers', $2)`,
      [demo.demo.store.business.id, JSON.stringify({ 'CAJA-1': { printer: { uri: printer.uri } } })],
    );
    forgetStoreSettings(demo.engine.services.sql);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
    card = methods.find((m) => m.code === 'CARD')!.id;
    await call(demo.engine.call('shifts.open', { idempotencyKey: 'printing-shift', openingFloat: '500' }, { token: cashier }));
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await printer?.close();
  });

  const sell = async (codes: string[], tender: { methodId: string; tendered?: string; amount?: string }) => {
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: `printing-sale-${++n}` }, { token: cashier }));
    for (const code of codes) await call(demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    return call(demo.engine.call('sales.complete', { saleId: sale.id, tenders: [tender] }, { token: cashier }));
  };

  it('opens the drawer for a cash sale, then prints a receipt that reads right in Spanish with one cut', async () => {
    const receipt = await sell([ARROZ, AGUA_PINA], { methodId: cash, tendered: '50' });
    const [kick, job] = await printer.waitForJobs(2);
    expect(decodeEscPos(kick!).events).toEqual([{ type: 'pulse', pin: 0 }]);
    const { lines, events } = decodeEscPos(job!);
    const text = lines.map((l) => l.trim());
    expect(text).toContain('Abarrotes La Esperanza S.A. de C.V.');
    expect(text).toContain('Sucursal Coyoacán');
    expect(text).toContain(`Ticket CAJA-1-${receipt.receiptNumber}`);
    expect(text).toContain('Le atendió: Ángela Ibáñez');
    expect(text).toContain('Polvo para preparar agua sabor piña 15 g');
    expect(text.find((l) => l.startsWith('TOTAL'))).toMatch(/\$40\.00$/);
    expect(text.find((l) => l.startsWith('IVA 16%'))).toMatch(/\$1\.17$/);
    expect(text.find((l) => l.startsWith('Efectivo'))).toMatch(/\$50\.00$/);
    expect(text.find((l) => l.startsWith('Cambio'))).toMatch(/\$10\.00$/);
    expect(text).toContain('¡Gracias por su compra! Vuelva pronto.');
    expect(events).toEqual([{ type: 'barcode', symbology: 73, data: receipt.receiptCode }, { type: 'cut' }]);
  });

  it('opens the drawer of the next cash sale on time while the last receipt is stuck in the printer', async () => {
    const before = printer.jobs.length;
    const partials = printer.partials.length;
    const kicks = printer.drawerKicks.length;
    // The next receipt gets 40 bytes in and stops there; the printer still takes other connections.
    printer.stallAfter(40);
    const first = await sell([ARROZ], { methodId: card, amount: '31.50' });
    await until('the receipt to stick', () => printer.partials.length > partials);
    await sell([ARROZ], { methodId: cash, tendered: '50' });
    await until('the drawer to open', () => printer.drawerKicks.length > kicks);
    const stuck = await call(demo.engine.call('sales.receipts', { saleId: first.saleId }, { token: cashier }));
    // Opened while the stuck receipt was still being waited on: not behind it.
    expect(stuck.find((r) => r.kind === 'SALE' && r.copyNumber === 0)?.status).toBe('SENDING');
    printer.recover();
    await printer.waitForJobs(before + 3);
  });

  it('keeps the receipts of an unplugged printer and prints each once, in order, when it is back, never opening the drawer late', async () => {
    const before = printer.jobs.length;
    await printer.unplug();
    const first = await sell([ARROZ], { methodId: card, amount: '31.50' });
    const second = await sell([AGUA_PINA], { methodId: cash, tendered: '10' });
    await new Promise((r) => setTimeout(r, 700));
    const waiting = await demo.engine.services.spool.status();
    expect(waiting).toEqual([
      expect.objectContaining({ printerUri: printer.uri, pending: 2, lastError: expect.stringMatching(/cannot be reached/) }),
    ]);
    await printer.plugIn();
    demo.engine.services.spool.retry(printer.uri);
    const jobs = await printer.waitForJobs(before + 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.jobs).toHaveLength(before + 2);
    const tickets = jobs.slice(before).map((j) => decodeEscPos(j));
    expect(tickets.map((t) => t.events)).toEqual([
      [{ type: 'barcode', symbology: 73, data: first.receiptCode }, { type: 'cut' }],
      [{ type: 'barcode', symbology: 73, data: second.receiptCode }, { type: 'cut' }],
    ]);
    expect(await demo.engine.services.spool.status()).toEqual([expect.objectContaining({ pending: 0, lastError: null })]);
  });

  it('prints a return with the lines given back, opening the drawer only for a cash refund', async () => {
    const manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const credit = (await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }))).find(
      (m) => m.kind === 'STORE_CREDIT',
    )!.id;
    const receipt = await sell([ARROZ, AGUA_PINA], { methodId: cash, tendered: '50' });
    const before = (await printer.waitForJobs(printer.jobs.length + 2)).length;
    const found = await call(demo.engine.call('returns.lookup', { code: receipt.receiptCode }, { token: cashier }));
    const line = (name: RegExp) => found.lines.find((l) => name.test(l.name))!.saleItemId;
    const inCash = await call(
      demo.engine.call(
        'returns.create',
        {
          saleId: receipt.saleId,
          lines: [{ saleItemId: line(/piña/), quantity: '1' }],
          refundMethodId: cash,
          reason: 'Caducado',
          idempotencyKey: 'printing-return-1',
        },
        { token: cashier, override: manager },
      ),
    );
    const asCredit = await call(
      demo.engine.call(
        'returns.create',
        {
          saleId: receipt.saleId,
          lines: [{ saleItemId: line(/Arroz/), quantity: '1' }],
          refundMethodId: credit,
          reason: 'Cambio de opinión',
          idempotencyKey: 'printing-return-2',
        },
        { token: cashier, override: manager },
      ),
    );
    const [kick, cashJob, creditJob] = (await printer.waitForJobs(before + 3)).slice(before);
    expect(isDrawerKick(kick!)).toBe(true);

    const cashText = decodeEscPos(cashJob!);
    const lines = cashText.lines.map((l) => l.trim());
    expect(lines).toContain(`DEVOLUCIÓN CAJA-1-${inCash.returnNumber}`);
    expect(lines).toContain(`Ticket original: ${receipt.receiptCode}`);
    expect(lines).toContain('Motivo: Caducado');
    expect(lines).toContain('Polvo para preparar agua sabor piña 15 g');
    expect(lines.find((l) => l.startsWith('TOTAL DEVUELTO'))).toMatch(/\$8\.50$/);
    expect(cashText.events).toEqual([{ type: 'cut' }]);

    const creditText = decodeEscPos(creditJob!);
    expect(creditText.lines.map((l) => l.trim())).toContain('Saldo a favor');
    expect(creditText.events).toEqual([{ type: 'barcode', symbology: 73, data: asCredit.storeCredit!.code }, { type: 'cut' }]);
  });
});
