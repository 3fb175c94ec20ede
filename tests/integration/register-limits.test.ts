// Amounts a register refuses before they reach the database: cash out of a drawer that should
// not hold it, cash in past what a record can hold, a line priced past numeric(19,4), and one
// credit slip offered twice in a payment. Each is a clear 400 or 409 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50

describe('limits at the register', () => {
  let demo: Demo;
  let cashier: string;
  let managerToken: string;
  let manager: { employeeId: string; pin: string };
  let cash: string;
  let credit: string;
  let seq = 0;
  const key = () => `limits-${++seq}-key`;
  const sql = <R>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<R>(text, params);

  beforeAll(async () => {
    demo = await openDemoEngine('register-limits');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
    credit = methods.find((m) => m.code === 'STORE_CREDIT')!.id;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
  }, 120_000);
  afterAll(() => demo?.dispose());

  it('refuses a pay-out or a drop of more than the drawer should hold, naming the amount only to who may see it', async () => {
    const blind = await demo.engine.call(
      'shifts.cashMovement',
      { kind: 'PAY_OUT', amount: '500.01', reason: 'Proveedor de pan', idempotencyKey: key() },
      { token: cashier },
    );
    expect(blind).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'NOT_ENOUGH_CASH' } } });
    // The blind count's cashier learns no figure from the refusal.
    expect(JSON.stringify(blind)).not.toContain('500.00');
    const seen = await demo.engine.call(
      'shifts.cashMovement',
      { kind: 'DROP', amount: '9999999999999', reason: 'Depósito', idempotencyKey: key() },
      { token: managerToken },
    );
    expect(seen).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'NOT_ENOUGH_CASH', expected: '500.0000' } } });
    expect(await sql(`SELECT id FROM sales.cash_movements`)).toEqual([]);
    expect(
      await sql(`SELECT outcome, details->>'kind' AS kind FROM auth.audit_logs WHERE action = 'shifts.cash_movement' ORDER BY created_at`),
    ).toEqual([
      { outcome: 'DENIED', kind: 'PAY_OUT' },
      { outcome: 'DENIED', kind: 'DROP' },
    ]);
    ok(
      await demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_OUT', amount: '500.00', reason: 'Proveedor de pan', idempotencyKey: key() },
        { token: cashier },
      ),
    );
  });

  it('refuses a pay-in that takes the drawer past the largest amount a register records', async () => {
    ok(
      await demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_IN', amount: '1000.00', reason: 'Fondo', idempotencyKey: key() },
        { token: cashier },
      ),
    );
    const result = await demo.engine.call(
      'shifts.cashMovement',
      { kind: 'PAY_IN', amount: '9999999999999.9999', reason: 'Fondo', idempotencyKey: key() },
      { token: cashier },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'DRAWER_LIMIT' } } });
    expect(await sql(`SELECT amount::text FROM sales.cash_movements WHERE kind = 'PAY_IN'`)).toEqual([{ amount: '1000.0000' }]);
  });

  it('refuses a price that makes a line larger than a register records with 400, and the line keeps its price', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    const line = ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '9999' }, { token: cashier }))
      .lines[0]!;
    const result = await demo.engine.call(
      'sales.overridePrice',
      { saleId: sale.id, lineId: line.id, unitPrice: '9999999999999', reason: 'Precio de anaquel' },
      { token: cashier, override: manager },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'TOO_LARGE' } } });
    expect(ok(await demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier })).lines[0]!.unitPrice).toBe('31.5000');
    ok(await demo.engine.call('sales.void', { saleId: sale.id, reason: 'prueba' }, { token: cashier, override: manager }));
  });

  it('refuses one credit slip given twice in a payment with 400 naming the second, and the credit stays whole', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '2' }, { token: cashier }));
    const receipt = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '63' }] }, { token: cashier }),
    );
    const line = ok(await demo.engine.call('returns.lookup', { code: receipt.receiptCode }, { token: cashier })).lines[0]!;
    const slip = ok(
      await demo.engine.call(
        'returns.create',
        {
          saleId: sale.id,
          lines: [{ saleItemId: line.saleItemId, quantity: '2' }],
          refundMethodId: credit,
          reason: 'Cambio de opinión',
          idempotencyKey: key(),
        },
        { token: cashier, override: manager },
      ),
    ).storeCredit!;
    expect(slip.amount).toBe('63.0000');

    const next = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: next.id, code: ARROZ, quantity: '3' }, { token: cashier }));
    // Each tender alone fits the 63.00 on the slip; together they would spend 80.00 of it.
    const twice = await demo.engine.call(
      'sales.complete',
      {
        saleId: next.id,
        tenders: [
          { methodId: credit, amount: '40.00', balanceCode: slip.code },
          { methodId: credit, amount: '40.00', balanceCode: slip.code },
          { methodId: cash, tendered: '20' },
        ],
      },
      { token: cashier },
    );
    expect(twice).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'tenders.1.balanceCode' } } });
    expect(await sql(`SELECT amount::text FROM payments.balances WHERE code = $1`, [slip.code])).toEqual([{ amount: '63.0000' }]);
    expect(ok(await demo.engine.call('sales.get', { saleId: next.id }, { token: cashier })).status).toBe('OPEN');
  });
});
