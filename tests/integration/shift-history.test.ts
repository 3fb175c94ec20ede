// The shift's sales history and the register's language, through the engine's calls on a fresh
// demo store: newest first, a page at a time, found by receipt number or barcode, each sale's
// cashier, items, tenders and where it stands; only one's own sales without reports.shift; a
// reprint without a printer that still answers with the paper it would have printed; and a
// language chosen on the register that terminal.info gives back, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50

describe('the shift history at the demo register', () => {
  let demo: Demo;
  let cashier: string;
  let helper: string;
  let cash: string;
  let card: string;
  let seq = 0;
  const key = () => `history-key-${++seq}-${Date.now()}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);

  async function sell(token: string, codes: string[], tenders: (total: string) => object[]) {
    demo.clock.advance(60_000);
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token }));
    let total = '0';
    for (const code of codes) total = (await call(demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token }))).totals.total;
    return call(demo.engine.call('sales.complete', { saleId: sale.id, tenders: tenders(total) as never }, { token }));
  }

  beforeAll(async () => {
    demo = await openDemoEngine('shift-history');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const owner = await signInToBackOffice(demo, demo.people.owner);
    const [branch] = await demo.engine.services.sql.query<{ id: string }>('SELECT id FROM business.branches LIMIT 1');
    const role = await call(
      demo.engine.call('roles.save', { name: 'Ayudante', maxDiscountRate: '0', permissions: ['sales.sell'] }, { token: owner }),
    );
    const hired = await call(
      demo.engine.call(
        'staff.save',
        { code: '090', displayName: 'Memo Ayala', roleId: role.roleId, branchIds: [branch!.id] },
        { token: owner },
      ),
    );
    await call(demo.engine.call('staff.setPin', { employeeId: hired.employeeId, pin: '9090' }, { token: owner }));
    helper = await signIn(demo.engine, hired.employeeId, '9090');
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
    card = methods.find((m) => m.code === 'CARD')!.id;
    await call(demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  it('lists the shift newest first with cashier, items, tenders and status, and finds a sale by number or barcode', async () => {
    const first = await sell(cashier, [ARROZ, AGUA_PINA, AGUA_PINA], () => [{ methodId: cash, tendered: '100' }]);
    const second = await sell(cashier, [ARROZ], (total) => [{ methodId: card, amount: total, cardLast4: '4242', approvalCode: 'A1B2' }]);
    const third = await sell(helper, [AGUA_PINA], () => [{ methodId: cash, tendered: '10' }]);
    // A sale given up before payment is in the history as voided, without a receipt number.
    demo.clock.advance(60_000);
    const dropped = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: dropped.id, code: ARROZ }, { token: cashier }));
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: dropped.id, reason: 'Cliente se fue' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    // The first sale comes back whole, the second not at all.
    const found = await call(demo.engine.call('returns.lookup', { code: first.receiptCode }, { token: cashier }));
    await call(
      demo.engine.call(
        'returns.create',
        {
          saleId: first.saleId,
          lines: found.lines.map((l) => ({ saleItemId: l.saleItemId, quantity: l.quantity.replace(/\.?0+$/, '') })),
          refundMethodId: cash,
          reason: 'No le gustó',
          idempotencyKey: key(),
        },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );

    const page = await call(demo.engine.call('sales.history', {}, { token: cashier }));
    expect(page).toMatchObject({ page: 1, total: 4, pageCount: 1 });
    expect(page.sales.map((s) => [s.receiptCode, s.cashier, s.items, s.total, s.status])).toEqual([
      [null, 'Ángela Ibáñez', 1, '31.5000', 'VOIDED'],
      [third.receiptCode, 'Memo Ayala', 1, '8.5000', 'COMPLETED'],
      [second.receiptCode, 'Ángela Ibáñez', 1, '31.5000', 'COMPLETED'],
      [first.receiptCode, 'Ángela Ibáñez', 3, '48.5000', 'RETURNED'],
    ]);
    expect(page.sales[2]!.tenders).toEqual([
      { kind: 'CARD', method: expect.any(String), amount: '31.5000', change: null, cardLast4: '4242' },
    ]);
    expect(page.sales[3]!.tenders).toEqual([
      { kind: 'CASH', method: expect.any(String), amount: '48.5000', change: '51.5000', cardLast4: null },
    ]);
    expect(new Date(page.sales[1]!.at).getTime()).toBeGreaterThan(new Date(page.sales[2]!.at).getTime());

    const paged = await call(demo.engine.call('sales.history', { page: 2, pageSize: 3 }, { token: cashier }));
    expect(paged).toMatchObject({ page: 2, pageSize: 3, total: 4, pageCount: 2 });
    expect(paged.sales.map((s) => s.receiptCode)).toEqual([first.receiptCode]);

    for (const code of [String(second.receiptNumber), second.receiptCode, `  ${second.receiptCode}\r`]) {
      const hit = await call(demo.engine.call('sales.history', { code }, { token: cashier }));
      expect(
        hit.sales.map((s) => s.saleId),
        code,
      ).toEqual([second.saleId]);
    }
    expect((await call(demo.engine.call('sales.history', { code: '999' }, { token: cashier }))).sales).toEqual([]);
    expect((await call(demo.engine.call('sales.history', { code: 'RCAJA-2-000001' }, { token: cashier }))).sales).toEqual([]);
    expect(await demo.engine.call('sales.history', { code: 'arroz' }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { reason: 'NOT_A_RECEIPT' } },
    });
    expect(await demo.engine.call('sales.history', { pageSize: 51 }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await demo.engine.call('sales.history', {}, {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });

    const detail = await call(demo.engine.call('sales.historySale', { saleId: first.saleId }, { token: cashier }));
    expect(detail).toMatchObject({ receiptCode: first.receiptCode, status: 'RETURNED', total: '48.5000', change: '51.5000' });
    expect(detail.lines.map((l) => [l.name, l.quantity, l.total, l.returned])).toEqual([
      ['Arroz súper extra 900 g', '1.0000', '31.5000', '1.0000'],
      ['Polvo para preparar agua sabor piña 15 g', '2.0000', '17.0000', '2.0000'],
    ]);
    expect(detail.returns).toMatchObject([{ returnNumber: 1, total: '48.5000', reason: 'No le gustó' }]);
  });

  it('shows an employee without reports.shift only the sales they rang up, and no other sale by id', async () => {
    const mine = await call(demo.engine.call('sales.history', {}, { token: helper }));
    expect(mine.sales.map((s) => s.cashier)).toEqual(['Memo Ayala']);
    const others = await call(demo.engine.call('sales.history', {}, { token: cashier }));
    const notMine = others.sales.find((s) => s.cashier !== 'Memo Ayala')!;
    expect(await demo.engine.call('sales.historySale', { saleId: notMine.saleId }, { token: helper })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call(demo.engine.call('sales.historySale', { saleId: mine.sales[0]!.saleId }, { token: helper }))).toMatchObject({
      cashier: 'Memo Ayala',
    });
  });

  it('reprints a copy and a gift receipt with no printer set, answering with the paper it would have printed', async () => {
    const sale = (await call(demo.engine.call('sales.history', { code: '2' }, { token: cashier }))).sales[0]!;
    const copy = await call(demo.engine.call('sales.reprint', { saleId: sale.saleId, variant: 'copy' }, { token: cashier }));
    expect(copy).toMatchObject({ printed: false, copyNumber: 1 });
    expect(JSON.stringify(copy.document)).toContain('COPIA');
    const gift = await call(demo.engine.call('sales.reprint', { saleId: sale.saleId, variant: 'gift' }, { token: cashier }));
    expect(gift).toMatchObject({ printed: false, copyNumber: 2 });
    expect(JSON.stringify(gift.document)).not.toContain('31.50');
  });

  it('keeps the language chosen on the register, after the country default, and audits each change', async () => {
    expect(await call(demo.engine.call('terminal.info', {}))).toMatchObject({ locale: 'es-MX', countryLocale: 'es-MX' });
    expect(await call(demo.engine.call('terminal.setLocale', { locale: 'es-AR', idempotencyKey: key() }))).toMatchObject({
      locale: 'es-AR',
      changed: true,
    });
    expect(await call(demo.engine.call('terminal.info', {}))).toMatchObject({ locale: 'es-AR', countryLocale: 'es-MX' });
    // The same choice again writes nothing; a signed-in employee's choice names them.
    expect(await call(demo.engine.call('terminal.setLocale', { locale: 'es-AR', idempotencyKey: key() }))).toMatchObject({
      changed: false,
    });
    await call(demo.engine.call('terminal.setLocale', { locale: 'en', idempotencyKey: key() }, { token: cashier }));
    expect(await call(demo.engine.call('terminal.info', {}))).toMatchObject({ locale: 'en' });
    const audit = await demo.engine.services.sql.query<{ actor: string | null; details: { from: string | null; to: string } }>(
      `SELECT actor_employee_id AS actor, details FROM auth.audit_logs WHERE action = 'terminal.set_locale' ORDER BY created_at, id`,
    );
    expect(audit.map((a) => [a.actor, a.details.from, a.details.to])).toEqual([
      [null, null, 'es-AR'],
      [demo.people.cashier.id, 'es-AR', 'en'],
    ]);
    expect(await demo.engine.call('terminal.setLocale', { locale: 'es-ES' as never, idempotencyKey: key() })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
