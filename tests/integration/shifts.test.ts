// A register's shift from float to Z report, through the engine's calls on the demo store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;
const ARROZ = '7505599000026'; // 31.50, IVA 0
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16

describe('a shift at the demo register', () => {
  let demo: Demo;
  let cashier: string;
  let methods: { id: string; code: string }[];
  let seq = 0;
  const key = () => `shift-test-${++seq}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  const method = (code: string) => methods.find((m) => m.code === code)!.id;
  const manager = () => ({ employeeId: demo.people.manager.id, pin: demo.people.manager.pin });

  beforeAll(async () => {
    demo = await openDemoEngine('shifts');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  const sell = async (codes: string[], tenders: { methodId: string; amount?: string; tendered?: string }[]) => {
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of codes) await call(demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    return call(demo.engine.call('sales.complete', { saleId: sale.id, tenders }, { token: cashier }));
  };

  it('refuses to sell before a shift is open', async () => {
    expect(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', params: { reason: 'NO_OPEN_SHIFT' } },
    });
  });

  it('opens with a float counted by denomination, once, on the branch business day', async () => {
    const open = { idempotencyKey: 'shift-open-1', count: { '200': 2, '50': 4, '0.50': 10 } };
    const shift = await call(demo.engine.call('shifts.open', open, { token: cashier }));
    expect(await call(demo.engine.call('shifts.open', open, { token: cashier }))).toEqual({ ...shift, repeated: true });
    expect(await demo.engine.call('shifts.open', { idempotencyKey: 'shift-open-2', openingFloat: '10' }, { token: cashier })).toMatchObject(
      { ok: false, error: { code: 'CONFLICT', params: { reason: 'SHIFT_ALREADY_OPEN' } } },
    );
    // A blind count: the cashier does not see the float again; a manager does.
    expect(await call(demo.engine.call('shifts.current', {}, { token: cashier }))).toMatchObject({
      openingFloat: null,
      businessDate: businessDate(demo.clock.now(), 'America/Mexico_City'),
    });
    const managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    expect(await call(demo.engine.call('shifts.current', {}, { token: managerToken }))).toMatchObject({ openingFloat: '605.0000' });
    expect(await demo.engine.call('shifts.open', { idempotencyKey: 'shift-open-3', count: { '3': 1 } }, { token: cashier })).toMatchObject({
      ok: false,
    });
  });

  it('adds cash sales, card sales, pay-ins, pay-outs, voids, returns and no-sale opens into the X report', async () => {
    await sell([ARROZ, ARROZ], [{ methodId: method('CASH'), tendered: '100' }]); // 63.00 cash
    const card = await sell([AGUA_PINA], [{ methodId: method('CARD'), amount: '8.50' }]);
    await sell(
      [ARROZ, AGUA_PINA],
      [
        { methodId: method('CARD'), amount: '20.00' },
        { methodId: method('CASH'), tendered: '50' },
      ],
    ); // 20.00 cash
    await call(
      demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_IN', amount: '100.00', reason: 'Cambio del banco', idempotencyKey: key() },
        { token: cashier },
      ),
    );
    const payout = { kind: 'PAY_OUT' as const, amount: '45.50', reason: 'Garrafones de agua', idempotencyKey: key() };
    await call(demo.engine.call('shifts.cashMovement', payout, { token: cashier }));
    expect(await call(demo.engine.call('shifts.cashMovement', payout, { token: cashier }))).toMatchObject({ repeated: true });
    expect(
      await demo.engine.call('drawer.noSale', { reason: 'Cambio para cliente', idempotencyKey: key() }, { token: cashier }),
    ).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    await call(
      demo.engine.call('drawer.noSale', { reason: 'Cambio para cliente', idempotencyKey: key() }, { token: cashier, override: manager() }),
    );
    const voided = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: voided.id, code: ARROZ }, { token: cashier }));
    await call(
      demo.engine.call('sales.void', { saleId: voided.id, reason: 'Cliente se arrepintió' }, { token: cashier, override: manager() }),
    );
    const receipt = await call(demo.engine.call('returns.lookup', { code: card.receiptCode }, { token: cashier }));
    expect(receipt.lines.map((l) => l.returnable)).toEqual(['1.0000']);
    const ret = await call(
      demo.engine.call(
        'returns.create',
        {
          saleId: card.saleId,
          lines: [{ saleItemId: receipt.lines[0]!.saleItemId, quantity: '1' }],
          refundMethodId: method('CASH'),
          reason: 'Sobre roto',
          idempotencyKey: key(),
        },
        { token: cashier, override: manager() },
      ),
    );
    expect(ret).toMatchObject({ returnNumber: 1, total: '8.5000', taxTotal: '1.1700' });
    const again = await demo.engine.call(
      'returns.create',
      {
        saleId: card.saleId,
        lines: [{ saleItemId: receipt.lines[0]!.saleItemId, quantity: '1' }],
        refundMethodId: method('CASH'),
        reason: 'Otra vez',
        idempotencyKey: key(),
      },
      { token: cashier, override: manager() },
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'TOO_MANY' } } });

    const x = await call(demo.engine.call('shifts.xReport', {}, { token: cashier }));
    // Blind close: the cashier sees no cash figure to work the expected amount out from.
    expect(x.cash).toEqual({
      sales: null,
      refunds: null,
      payIns: null,
      payOuts: null,
      drops: null,
      noSaleOpens: 1,
      expected: null,
      payInCount: 1,
      payOutCount: 1,
      dropCount: 0,
    });
    expect(x.openingFloat).toBeNull();
    // Nor any total it could be worked out from (sales less card tenders is the cash); counts stay.
    expect(x.sales).toEqual({ count: 3, subtotal: null, discounts: null, tax: null, total: null, rounding: null });
    expect(x.voids).toEqual({ count: 1, total: '31.5000' });
    expect(x.returns).toEqual({ count: 1, total: null });
    expect(x.tenders.map((t) => [t.kind, t.count, t.amount, t.refunded])).toEqual([
      ['CASH', 2, null, null],
      ['CARD', 2, null, null],
    ]);
    expect(x.taxes.map((t) => [t.taxCode, t.base, t.amount])).toEqual([
      ['IVA0', '94.5000', '0.0000'],
      ['IVA16', '14.6600', '2.3400'],
    ]);
    const managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    const full = await call(demo.engine.call('shifts.xReport', {}, { token: managerToken }));
    expect(full.sales).toMatchObject({ count: 3, total: '111.5000' });
    expect(full.tenders.map((t) => [t.kind, t.amount])).toEqual([
      ['CASH', '83.0000'],
      ['CARD', '28.5000'],
    ]);
    // expected = 605 + 83 − 8.50 + 100 − 45.50
    expect((await call(demo.engine.call('shifts.xReport', {}, { token: managerToken }))).cash).toEqual({
      sales: '83.0000',
      refunds: '8.5000',
      payIns: '100.0000',
      payOuts: '45.5000',
      drops: '0.0000',
      noSaleOpens: 1,
      expected: '734.0000',
      payInCount: 1,
      payOutCount: 1,
      dropCount: 0,
    });
  });

  it('will not close over a sale in progress, and needs a manager for a variance over tolerance', async () => {
    const open = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: open.id, code: ARROZ }, { token: cashier }));
    expect(
      await demo.engine.call('shifts.close', { idempotencyKey: 'shift-close-1', countedCash: '734.00' }, { token: cashier }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'SALE_IN_PROGRESS' } } });
    await call(demo.engine.call('sales.park', { saleId: open.id }, { token: cashier }));

    const short = { idempotencyKey: 'shift-close-2', count: { '500': 1, '200': 1 } }; // 700: 34 short, tolerance 20
    const refused = await demo.engine.call('shifts.close', short, { token: cashier });
    expect(refused).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    expect(JSON.stringify(refused)).not.toMatch(/34/);
    const closed = await call(demo.engine.call('shifts.close', short, { token: cashier, override: manager() }));
    expect(closed).toMatchObject({
      zNumber: 1,
      expectedCash: '734.0000',
      countedCash: '700.0000',
      variance: '-34.0000',
      approvedBy: demo.people.manager.id,
    });
    expect(closed.report).toMatchObject({ zNumber: 1, sales: { count: 3 }, cash: { noSaleOpens: 1 } });
    expect(await call(demo.engine.call('shifts.close', short, { token: cashier }))).toEqual(closed);
    expect(await call(demo.engine.call('shifts.current', {}, { token: cashier }))).toBeNull();
    const fact = demo.engine.services.journal.find(`shift:${closed.id}:closed`)!;
    expect(fact.kind).toBe('shift.closed');

    await call(demo.engine.call('shifts.open', { idempotencyKey: 'shift-open-next', openingFloat: '500.00' }, { token: cashier }));
    const empty = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    expect(empty.lines).toEqual([]);
    const next = await call(
      demo.engine.call('shifts.close', { idempotencyKey: 'shift-close-next', countedCash: '510.00' }, { token: cashier }),
    );
    // The empty cart left at the close was set aside and does not block the next shift's sales.
    await call(demo.engine.call('shifts.open', { idempotencyKey: 'shift-open-third', openingFloat: '100.00' }, { token: cashier }));
    expect(await call(demo.engine.call('sales.current', {}, { token: cashier }))).toBeNull();
    await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    expect(next).toMatchObject({ zNumber: 2, variance: '10.0000', approvedBy: null });
  });
});
