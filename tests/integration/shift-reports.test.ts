// The shift's reports and what feeds them, through the engine's calls on the demo store with
// cash limits set and no printer: the X on request (kept unsent, said so), the Z at close with
// the count by denomination, receipt numbers and the sales still on hold, limits on pay-ins,
// pay-outs and the float that a manager's PIN lifts, and parked sales carried into the next shift.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;
const ARROZ = '7505599000026'; // 31.50, IVA 0
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16

describe('shift reports, parked sales and cash limits', () => {
  let demo: Demo;
  let cashier: string;
  let managerToken: string;
  let cash: string;
  let seq = 0;
  const key = () => `reports-test-${++seq}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  const manager = () => ({ employeeId: demo.people.manager.id, pin: demo.people.manager.pin });
  const sql = (text: string, params: unknown[] = []) => demo.engine.services.sql.query<Record<string, unknown>>(text, params);
  const setting = (name: string, value: unknown) =>
    sql(`INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, $2, $3)`, [
      demo.demo.store.business.id,
      name,
      JSON.stringify(value),
    ]);

  beforeAll(async () => {
    demo = await openDemoEngine('shift-reports');
    await setting('shift.maxPayIn', '2000');
    await setting('shift.maxPayOut', '1000');
    await setting('shift.maxOpeningFloat', '1500');
    forgetStoreSettings(demo.engine.services.sql);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    cash = (await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }))).find((m) => m.code === 'CASH')!.id;
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
  });

  const sell = async (codes: string[], tendered: string) => {
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of codes) await call(demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    return call(demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered }] }, { token: cashier }));
  };

  it('asks a manager for a float over the store limit, and names the manager on the opening', async () => {
    const refused = await demo.engine.call('shifts.open', { idempotencyKey: 'reports-open', openingFloat: '2000' }, { token: cashier });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REQUIRED', params: { reason: 'FLOAT_LIMIT', limit: '1500.0000' } },
    });
    expect(await sql(`SELECT id FROM sales.shifts`)).toEqual([]);
    await call(
      demo.engine.call('shifts.open', { idempotencyKey: 'reports-open', openingFloat: '2000' }, { token: cashier, override: manager() }),
    );
    expect(
      await sql(
        `SELECT outcome, approver_employee_id AS approver, details->>'reason' AS reason FROM auth.audit_logs WHERE action = 'shifts.open' ORDER BY created_at`,
      ),
    ).toEqual([
      { outcome: 'DENIED', approver: null, reason: 'FLOAT_LIMIT' },
      { outcome: 'SUCCESS', approver: demo.people.manager.id, reason: null },
    ]);
  });

  it('records pay-ins and pay-outs within the limits alone, and over them only with a manager', async () => {
    await call(
      demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_IN', amount: '2000.00', reason: 'Cambio del banco', idempotencyKey: key() },
        { token: cashier },
      ),
    );
    const payOut = { kind: 'PAY_OUT' as const, amount: '1000.01', reason: 'Proveedor de refrescos', idempotencyKey: key() };
    expect(await demo.engine.call('shifts.cashMovement', payOut, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REQUIRED', params: { reason: 'PAY_OUT_LIMIT', limit: '1000.0000' } },
    });
    expect(
      await demo.engine.call(
        'shifts.cashMovement',
        { ...payOut, kind: 'PAY_IN', amount: '2000.01', idempotencyKey: key() },
        { token: cashier },
      ),
    ).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED', params: { reason: 'PAY_IN_LIMIT' } } });
    await call(demo.engine.call('shifts.cashMovement', payOut, { token: cashier, override: manager() }));
    // A manager recording it themselves is the authority: no second PIN.
    await call(
      demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_OUT', amount: '1200.00', reason: 'Renta del local', idempotencyKey: key() },
        { token: managerToken },
      ),
    );
    expect(await sql(`SELECT kind, amount::text, approved_by FROM sales.cash_movements ORDER BY created_at`)).toEqual([
      { kind: 'PAY_IN', amount: '2000.0000', approved_by: null },
      { kind: 'PAY_OUT', amount: '1000.0100', approved_by: demo.people.manager.id },
      { kind: 'PAY_OUT', amount: '1200.0000', approved_by: null },
    ]);
    expect(
      await sql(
        `SELECT outcome, details->>'reason' AS reason FROM auth.audit_logs WHERE action = 'shifts.cash_movement' AND outcome = 'DENIED' ORDER BY created_at`,
      ),
    ).toEqual([
      { outcome: 'DENIED', reason: 'PAY_OUT_LIMIT' },
      { outcome: 'DENIED', reason: 'PAY_IN_LIMIT' },
    ]);
  });

  it('lists a parked sale with who parked it, what is in it and when', async () => {
    await sell([ARROZ], '50'); // receipt 1
    await sell([AGUA_PINA, ARROZ], '100'); // receipt 2
    const held = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: held.id, code: ARROZ }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: held.id, code: AGUA_PINA }, { token: cashier }));
    await call(demo.engine.call('sales.park', { saleId: held.id }, { token: cashier }));
    const [parked, ...more] = await call(demo.engine.call('sales.parked', {}, { token: cashier }));
    expect(more).toEqual([]);
    expect(parked).toMatchObject({
      id: held.id,
      total: '40.0000',
      employeeName: 'Ángela Ibáñez',
      lines: 2,
      earlierShift: false,
      names: ['Arroz súper extra 900 g', 'Polvo para preparar agua sabor piña 15 g'],
    });
    expect(Date.parse(parked!.parkedAt)).not.toBeNaN();
  });

  it('prints the X report nowhere without a printer, says so, and answers the report to show', async () => {
    const x = await call(demo.engine.call('shifts.printXReport', {}, { token: cashier }));
    expect(x).toMatchObject({ printed: false, reason: 'NO_PRINTER' });
    // Blind close: the cashier's copy has counts, receipt numbers and the parked sales, but no cash figure.
    expect(x.report).toMatchObject({
      openingFloat: null,
      receipts: { first: 1, last: 2 },
      parked: { count: 1, total: '40.0000' },
      sales: { count: 2, total: null },
      cash: { expected: null, payIns: null, payInCount: 1, payOutCount: 2, dropCount: 0 },
    });
    expect(await sql(`SELECT kind, status, printer_uri FROM sales.receipts WHERE kind = 'X_REPORT'`)).toEqual([
      { kind: 'X_REPORT', status: 'UNSENT', printer_uri: null },
    ]);
    const full = await call(demo.engine.call('shifts.xReport', {}, { token: managerToken }));
    // 2000 + 31.50 + 40.00 + 2000 − 1000.01 − 1200
    expect(full.cash).toMatchObject({ sales: '71.5000', payIns: '2000.0000', payOuts: '2200.0100', expected: '1871.4900' });
  });

  it('closes with a Z that keeps the count by denomination, the receipt range and the sales still on hold', async () => {
    const closed = await call(
      demo.engine.call(
        'shifts.close',
        {
          idempotencyKey: 'reports-close',
          count: { '1000': 1, '500': 1, '200': 1, '100': 1, '50': 1, '20': 1, '1': 1, '0.50': 1 },
        },
        { token: cashier, override: manager() },
      ),
    );
    expect(closed).toMatchObject({ zNumber: 1, countedCash: '1871.5000', variance: '0.0100', printed: false });
    expect(closed.report).toMatchObject({ zNumber: 1, receipts: { first: 1, last: 2 }, parked: { count: 1, total: '40.0000' } });
    expect(closed.report.countedBy).toEqual([
      { denomination: '1000', pieces: 1, amount: '1000.0000' },
      { denomination: '500', pieces: 1, amount: '500.0000' },
      { denomination: '200', pieces: 1, amount: '200.0000' },
      { denomination: '100', pieces: 1, amount: '100.0000' },
      { denomination: '50', pieces: 1, amount: '50.0000' },
      { denomination: '20', pieces: 1, amount: '20.0000' },
      { denomination: '1', pieces: 1, amount: '1.0000' },
      { denomination: '0.50', pieces: 1, amount: '0.5000' },
    ]);
    expect(
      await call(
        demo.engine.call(
          'shifts.close',
          { idempotencyKey: 'reports-close', count: { '1000': 1, '500': 1, '200': 1, '100': 1, '50': 1, '20': 1, '1': 1, '0.50': 1 } },
          { token: cashier },
        ),
      ),
    ).toEqual(closed);
  });

  it('keeps the parked sale for the next shift, marked as left over, and finishes it there', async () => {
    await call(demo.engine.call('shifts.open', { idempotencyKey: 'reports-open-2', openingFloat: '500' }, { token: cashier }));
    const [left] = await call(demo.engine.call('sales.parked', {}, { token: cashier }));
    expect(left).toMatchObject({ earlierShift: true, lines: 2 });
    const recalled = await call(demo.engine.call('sales.recall', { saleId: left!.id }, { token: cashier }));
    const done = await call(
      demo.engine.call('sales.complete', { saleId: recalled.id, tenders: [{ methodId: cash, tendered: '40' }] }, { token: cashier }),
    );
    expect(done.receiptCode).toMatch(/-0*3$/);
    const x = await call(demo.engine.call('shifts.xReport', {}, { token: managerToken }));
    expect(x).toMatchObject({
      receipts: { first: 3, last: 3 },
      parked: { count: 0, total: '0.0000', oldestAt: null },
      sales: { count: 1 },
    });
  });
});
