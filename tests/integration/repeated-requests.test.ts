// An idempotency key names one request. Sent again with the same body it gets the first answer
// and has no second effect; sent with another body it is a conflict, not the first answer to a
// question that was never asked twice (a pay-out of 50 "repeated" as the earlier pay-out of 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50

describe('an idempotency key used again', () => {
  let demo: Demo;
  let cashier: string;
  let manager: { employeeId: string; pin: string };
  let cash: string;
  let card: string;
  const sql = <R>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<R>(text, params);
  const reused = (result: CallResult<unknown>) =>
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'IDEMPOTENCY_KEY_REUSED' } } });

  beforeAll(async () => {
    demo = await openDemoEngine('repeated-requests');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
    card = methods.find((m) => m.code === 'CARD')!.id;
  }, 120_000);
  afterAll(() => demo?.dispose());

  it('opens a shift once, and refuses the key for another float', async () => {
    const open = { idempotencyKey: 'repeat-shift-open', openingFloat: '500.00' };
    const first = ok(await demo.engine.call('shifts.open', open, { token: cashier }));
    expect(ok(await demo.engine.call('shifts.open', open, { token: cashier }))).toEqual({ id: first.id, repeated: true });
    reused(await demo.engine.call('shifts.open', { ...open, openingFloat: '900.00' }, { token: cashier }));
    expect(await sql(`SELECT opening_float::text AS f FROM sales.shifts`)).toEqual([{ f: '500.0000' }]);
  });

  it('moves cash once, and refuses the key for another amount, kind or reason', async () => {
    const payIn = { kind: 'PAY_IN' as const, amount: '5.00', reason: 'Cambio del banco', idempotencyKey: 'repeat-pay-in' };
    const first = ok(await demo.engine.call('shifts.cashMovement', payIn, { token: cashier }));
    expect(ok(await demo.engine.call('shifts.cashMovement', payIn, { token: cashier }))).toEqual({ id: first.id, repeated: true });
    reused(await demo.engine.call('shifts.cashMovement', { ...payIn, amount: '50.00' }, { token: cashier }));
    reused(await demo.engine.call('shifts.cashMovement', { ...payIn, kind: 'PAY_OUT' }, { token: cashier }));
    reused(await demo.engine.call('shifts.cashMovement', { ...payIn, reason: 'Otra cosa' }, { token: cashier }));
    const noSale = { reason: 'Cambio para el cliente', idempotencyKey: 'repeat-no-sale' };
    ok(await demo.engine.call('drawer.noSale', noSale, { token: cashier, override: manager }));
    expect(ok(await demo.engine.call('drawer.noSale', noSale, { token: cashier, override: manager })).repeated).toBe(true);
    reused(await demo.engine.call('drawer.noSale', { ...noSale, reason: 'Otra' }, { token: cashier, override: manager }));
    expect(await sql(`SELECT kind, amount::text FROM sales.cash_movements ORDER BY occurred_at, kind`)).toEqual([
      { kind: 'NO_SALE', amount: '0.0000' },
      { kind: 'PAY_IN', amount: '5.0000' },
    ]);
  });

  it('takes a payment once, and refuses other tenders for a sale already paid', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: 'repeat-sale-1' }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const pay = { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] };
    const first = ok(await demo.engine.call('sales.complete', pay, { token: cashier }));
    expect(ok(await demo.engine.call('sales.complete', pay, { token: cashier }))).toEqual(first);
    reused(
      await demo.engine.call(
        'sales.complete',
        { saleId: sale.id, tenders: [{ methodId: card, amount: '31.50', cardLast4: '4242' }] },
        { token: cashier },
      ),
    );
    expect(await sql(`SELECT count(*)::int AS n FROM payments.transactions WHERE sale_id = $1`, [sale.id])).toEqual([{ n: 1 }]);
  });

  it('makes a return once, and refuses the key for other lines or another refund', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: 'repeat-sale-2' }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '3' }, { token: cashier }));
    const receipt = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }),
    );
    const line = ok(await demo.engine.call('returns.lookup', { code: receipt.receiptCode }, { token: cashier })).lines[0]!;
    const ret = {
      saleId: sale.id,
      lines: [{ saleItemId: line.saleItemId, quantity: '1' }],
      refundMethodId: cash,
      reason: 'Empaque roto',
      idempotencyKey: 'repeat-return',
    };
    const first = ok(await demo.engine.call('returns.create', ret, { token: cashier, override: manager }));
    expect(ok(await demo.engine.call('returns.create', ret, { token: cashier, override: manager }))).toEqual(first);
    reused(
      await demo.engine.call(
        'returns.create',
        { ...ret, lines: [{ saleItemId: line.saleItemId, quantity: '2' }] },
        { token: cashier, override: manager },
      ),
    );
    expect(await sql(`SELECT total::text FROM sales.returns`)).toEqual([{ total: '31.5000' }]);
  });

  it('receives stock once, and refuses the key for another quantity', async () => {
    const managerToken = await signInToBackOffice(demo, demo.people.manager);
    const [arroz] = await sql<{ id: string }>(`SELECT id FROM inventory.product_variants WHERE barcode = $1`, [ARROZ]);
    const delivery = { variantId: arroz!.id, quantity: '24', supplierReference: 'F-1029', idempotencyKey: 'repeat-receive' };
    const first = ok(await demo.engine.call('inventory.receive', delivery, { token: managerToken }));
    expect(ok(await demo.engine.call('inventory.receive', delivery, { token: managerToken }))).toMatchObject({
      movementId: first.movementId,
      repeated: true,
    });
    reused(await demo.engine.call('inventory.receive', { ...delivery, quantity: '240' }, { token: managerToken }));
    expect(await sql(`SELECT quantity::text AS q FROM inventory.stock_movements WHERE idempotency_key LIKE '%repeat-receive'`)).toEqual([
      { q: '24.0000' },
    ]);
  });

  it('closes a shift once, and refuses the key for another count', async () => {
    const managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    const expected = ok(await demo.engine.call('shifts.xReport', {}, { token: managerToken })).cash.expected!;
    const close = { idempotencyKey: 'repeat-shift-close', countedCash: expected };
    const first = ok(await demo.engine.call('shifts.close', close, { token: cashier }));
    expect(ok(await demo.engine.call('shifts.close', close, { token: cashier }))).toEqual(first);
    reused(await demo.engine.call('shifts.close', { ...close, countedCash: '1.00' }, { token: cashier }));
    expect(await sql(`SELECT counted_cash::text AS c, z_number FROM sales.shifts`)).toEqual([
      { c: first.countedCash, z_number: first.zNumber },
    ]);
  });
});
