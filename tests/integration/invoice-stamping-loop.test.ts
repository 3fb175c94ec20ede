// A register without central, its fiscal secrets installed with `pos fiscal`: the engine stamps
// the invoices asked for by itself, never holding a sale, stops cleanly with a pass under way, and
// `pos fiscal stamp-pending` runs one pass by hand. The PAC is a loopback Finkok on 127.0.0.1.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '#engine/engine.ts';
import { fiscalKeysDir } from '#engine/security/fiscal-secrets.ts';
import { ok, openDemoEngine } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { runPos } from '../support/run-cli.ts';
import { waitFor } from '../support/sync-fixture.ts';
import { makeTestCsd, type TestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026';
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';

describe('stamping at a register without central', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-stamping-loop-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let files: TestCsd;
  let seq = 0;
  const key = () => `stamping-loop-${++seq}`;

  const open = () =>
    openEngine(demo.dir, {
      purpose: 'test stamping loop',
      devices: false,
      // The real clock: the CSD made after the engine's test clock started is valid only from then.
      stampingTuning: { pacTimeoutMs: 1_000, idleMs: 60_000, backoff: { baseMs: 50, maxMs: 200 } },
    });

  async function counter(engine: Engine) {
    const cashier = demo.people.cashier;
    const token = ok(await engine.call('auth.signInWithPin', { employeeId: cashier.id, pin: cashier.pin })).token;
    if (!ok(await engine.call('shifts.current', {}, { token })))
      ok(await engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token }));
    const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.kind === 'CASH')!.id;
    return {
      async invoice() {
        const sale = ok(await engine.call('sales.open', { idempotencyKey: key() }, { token }));
        ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
        ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token }));
        return ok(await engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token }));
      },
    };
  }

  const statusOf = async (engine: Engine, invoiceId: string) =>
    (await engine.services.sql.query<{ status: string }>('SELECT status FROM billing.invoices WHERE id = $1', [invoiceId]))[0]!.status;

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    // The loopback PAC holds Fecha to 72 hours around the real clock.
    demo = await openDemoEngine('stamping-loop', { start: new Date() });
    const [{ tax_id }] = (await demo.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    files = makeTestCsd(dir, { rfc: tax_id, password: 'clave-del-csd-1' });
    await demo.engine.close();
  }, 60_000);
  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs the CSD and the PAC account with pos fiscal as files only their owner reads, refusing a wrong password', async () => {
    const wrong = join(dir, 'wrong.txt');
    const right = join(dir, 'right.txt');
    const pacPassword = join(dir, 'pac.txt');
    writeFileSync(wrong, 'otra-clave\n');
    writeFileSync(right, `${files.password}\n`);
    writeFileSync(pacPassword, `${PASSWORD}\n`);
    const csdArgs = ['fiscal', 'set-csd', '--data-dir', demo.dir, '--cer', files.cerPath, '--key', files.keyPath, '--password-file'];

    const refused = await runPos([...csdArgs, wrong]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain('La contraseña de la llave privada (.key) no es correcta.');
    expect(existsSync(join(fiscalKeysDir(demo.dir), 'csd.key'))).toBe(false);

    const installed = await runPos([...csdArgs, right]);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    expect(installed.stdout).toContain(`CSD ${files.serial} of `);
    const pacInstalled = await runPos([
      'fiscal',
      'set-pac',
      '--data-dir',
      demo.dir,
      '--url',
      pac.baseUrl,
      '--user',
      USER,
      '--password-file',
      pacPassword,
    ]);
    expect(pacInstalled).toMatchObject({ code: 0, stderr: '' });
    expect(pacInstalled.stdout).not.toContain(PASSWORD);
    for (const file of ['csd.cer', 'csd.key', 'csd.password', 'pac.json']) {
      expect(statSync(join(fiscalKeysDir(demo.dir), file)).mode & 0o777, file).toBe(0o600);
    }
  }, 120_000);

  it('stamps an invoice as soon as it is asked for, and closes cleanly with a pass waiting on the PAC', async () => {
    let engine = await open();
    try {
      const first = await (await counter(engine)).invoice();
      await waitFor(async () => (await statusOf(engine, first.id)) === 'ISSUED', 20_000, 'the first invoice stamped');

      pac.script('hang');
      const requests = pac.requests;
      const second = await (await counter(engine)).invoice();
      await waitFor(() => pac.requests > requests, 20_000, 'the stamp request to reach the PAC');
      await engine.close();

      // The next start takes it up.
      engine = await open();
      await waitFor(async () => (await statusOf(engine, second.id)) === 'ISSUED', 20_000, 'the second invoice stamped after the restart');
      expect(pac.stamped.filter((s) => s.rfcReceptor === CUSTOMER.rfc)).toHaveLength(2);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('runs one pass by hand with pos fiscal stamp-pending', async () => {
    const engine = await open();
    let pending: string;
    try {
      // An account the PAC refuses leaves the invoice PENDING.
      pac.refuseCredentials(true);
      const requests = pac.requests;
      pending = (await (await counter(engine)).invoice()).id;
      await waitFor(() => pac.requests > requests, 20_000, 'the refused pass');
      // Those who manage the settings are told under the bell, once.
      const alarms = () =>
        engine.services.sql.query<{ title: string; body: string }>(
          `SELECT title, body FROM communication.in_app_notifications WHERE data->>'code' = 'fiscal.auth'`,
        );
      await waitFor(async () => (await alarms()).length > 0, 20_000, 'the alarm under the bell');
      expect((await alarms())[0]).toMatchObject({ title: 'Las facturas no se están timbrando', body: expect.stringContaining('Finkok') });
      expect((await alarms())[0]!.body).not.toContain(PASSWORD);
      expect(await statusOf(engine, pending)).toBe('PENDING');
    } finally {
      await engine.close();
    }
    const refused = await runPos(['fiscal', 'stamp-pending', '--data-dir', demo.dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/usuario o la contraseña/);
    expect(refused.stderr).not.toContain(PASSWORD);
    pac.refuseCredentials(false);
    const r = await runPos(['fiscal', 'stamp-pending', '--data-dir', demo.dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^A-CAJA-1-\d+ {2}ISSUED +[0-9A-F-]{36}\n$/);
  }, 120_000);
});
