// Selling through the engine's calls, as the register screen makes them, on a real PGlite on
// disk with the demo store: the cart, payment, the journal and the database's own guards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { makeEan13 } from '#contract/gtin.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50, IVA 0
const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50, IVA 16
const PERIODICO = '7504209000012'; // Periódico dominical, 17.90, exento
const limones = (grams: number) => makeEan13(`2000101${String(grams).padStart(5, '0')}`); // Limón, 34.00/kg

describe('selling at the demo register', () => {
  let demo: Demo;
  let cashier: string;
  let cash: string;
  let card: string;
  let seq = 0;
  const key = () => `test-key-${++seq}-${Date.now()}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);

  beforeAll(async () => {
    demo = await openDemoEngine('selling');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
    card = methods.find((m) => m.code === 'CARD')!.id;
    await call(demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  const open = () => call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
  const add = (saleId: string, code: string, quantity?: string) =>
    demo.engine.call('sales.addItem', quantity ? { saleId, code, quantity } : { saleId, code }, { token: cashier });

  it('rings up scanned items, a weighed label and a repeat scan, with tax per line', async () => {
    const sale = await open();
    await call(add(sale.id, ARROZ));
    await call(add(sale.id, AGUA_PINA));
    await call(add(sale.id, AGUA_PINA));
    await call(add(sale.id, PERIODICO));
    const cart = await call(add(sale.id, limones(1250)));
    expect(cart.lines.map((l) => [l.name, l.quantity, l.total])).toEqual([
      ['Arroz súper extra 900 g', '1.0000', '31.5000'],
      ['Polvo para preparar agua sabor piña 15 g', '2.0000', '17.0000'],
      ['Periódico diario edición dominical', '1.0000', '17.9000'],
      ['Limón', '1.2500', '42.5000'],
    ]);
    expect(cart.totals).toMatchObject({ total: '108.9000', taxTotal: '2.3400' });
    expect(cart.totals.taxes.map((t) => t.taxCode)).toEqual(['EXENTO', 'IVA0', 'IVA16']);

    const receipt = await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '200' }] }, { token: cashier }),
    );
    expect(receipt).toMatchObject({ receiptNumber: 1, receiptCode: 'RCAJA-1-000001', total: '108.9000', change: '91.1000' });

    const fact = demo.engine.services.journal.find(`sale:${sale.id}`)!;
    expect(fact.kind).toBe('sale.completed');
    expect((fact.payload as { sale: { receipt_number: number } }).sale.receipt_number).toBe(1);
    const [row] = await demo.engine.services.sql.query<{ status: string; total: string; receipt_number: number }>(
      'SELECT status, total::text, receipt_number FROM sales.sales WHERE id = $1',
      [sale.id],
    );
    expect(row).toEqual({ status: 'COMPLETED', total: '108.9000', receipt_number: 1 });
    const moves = await demo.engine.services.sql.query<{ q: string }>(
      `SELECT quantity::text AS q FROM inventory.stock_movements WHERE reference_id = $1 ORDER BY quantity`,
      [sale.id],
    );
    expect(moves.map((m) => m.q)).toEqual(['-2.0000', '-1.2500', '-1.0000', '-1.0000']);
  });

  it('finds Jalapeños whatever accents or slips the cashier types, and adds the pick to the cart', async () => {
    for (const text of ['jalapeno', 'JALAPEÑOS', 'jalpeno', 'jala']) {
      const hits = await call(demo.engine.call('sales.search', { text }, { token: cashier }));
      expect(hits[0]!.name, text).toMatch(/jalapeño/i);
      expect(
        hits.some((h) => h.name.startsWith('Jalapeños en escabeche')),
        text,
      ).toBe(true);
    }
    const hit = (await call(demo.engine.call('sales.search', { text: 'jalapeno' }, { token: cashier }))).find((h) => h.soldBy === 'UNIT');
    const sale = await open();
    const cart = await call(demo.engine.call('sales.addItem', { saleId: sale.id, variantId: hit!.variantId }, { token: cashier }));
    expect(cart.lines[0]).toMatchObject({ name: hit!.name, unitPrice: hit!.price });
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: sale.id, reason: 'prueba' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
  });

  it('answers the same payment twice with the one sale, and the next sale takes the next number', async () => {
    const sale = await open();
    await call(add(sale.id, ARROZ, '3'));
    const pay = { saleId: sale.id, tenders: [{ methodId: card, amount: '94.50', cardLast4: '4242', approvalCode: 'A1B2C3' }] };
    const [first, second] = await Promise.all([
      demo.engine.call('sales.complete', pay, { token: cashier }),
      demo.engine.call('sales.complete', pay, { token: cashier }),
    ]);
    expect(ok(first)).toEqual(ok(second));
    expect(ok(first).receiptNumber).toBe(2);
    const [count] = await demo.engine.services.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM payments.transactions WHERE sale_id = $1',
      [sale.id],
    );
    expect(count!.n).toBe(1);
  });

  it('journals a sale whose journal append failed when the cashier retries', async () => {
    const sale = await open();
    await call(add(sale.id, ARROZ));
    const journal = demo.engine.services.journal;
    const append = journal.append;
    journal.append = () => {
      throw new Error('disk full');
    };
    const appendAll = journal.appendAll;
    journal.appendAll = () => {
      throw new Error('disk full');
    };
    const pay = { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] };
    const failed = await demo.engine.call('sales.complete', pay, { token: cashier });
    journal.append = append;
    journal.appendAll = appendAll;
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(journal.find(`sale:${sale.id}`)).toBeUndefined();
    const retried = await call(demo.engine.call('sales.complete', pay, { token: cashier }));
    expect(retried).toMatchObject({ saleId: sale.id, change: '18.5000' });
    expect(journal.find(`sale:${sale.id}`)!.payload).toMatchObject({ sale: { receipt_number: retried.receiptNumber } });
  });

  it('refunds a return as store credit and takes that credit as a tender, never below zero', async () => {
    const manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    const credit = methods.find((m) => m.code === 'STORE_CREDIT')!.id;
    const sale = await open();
    await call(add(sale.id, ARROZ, '2'));
    const receipt = await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '63' }] }, { token: cashier }),
    );
    const found = await call(demo.engine.call('returns.lookup', { code: receipt.receiptCode }, { token: cashier }));
    const ret = await call(
      demo.engine.call(
        'returns.create',
        {
          saleId: sale.id,
          lines: [{ saleItemId: found.lines[0]!.saleItemId, quantity: '1' }],
          refundMethodId: credit,
          reason: 'Cambio de opinión',
          idempotencyKey: key(),
        },
        { token: cashier, override: manager },
      ),
    );
    expect(ret.storeCredit).toMatchObject({ amount: '31.5000' });
    const code = ret.storeCredit!.code;

    const next = await open();
    await call(add(next.id, ARROZ, '2'));
    const tooMuch = await demo.engine.call(
      'sales.complete',
      { saleId: next.id, tenders: [{ methodId: credit, amount: '63.00', balanceCode: code }] },
      { token: cashier },
    );
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'BALANCE_TOO_LOW' } } });
    const paid = await call(
      demo.engine.call(
        'sales.complete',
        {
          saleId: next.id,
          tenders: [
            { methodId: credit, amount: '31.50', balanceCode: code },
            { methodId: cash, tendered: '40' },
          ],
        },
        { token: cashier },
      ),
    );
    expect(paid).toMatchObject({ total: '63.0000', change: '8.5000' });
    const [balance] = await demo.engine.services.sql.query<{ amount: string }>(
      'SELECT amount::text FROM payments.balances WHERE code = $1',
      [code],
    );
    expect(balance!.amount).toBe('0.0000');
  });

  it('spreads a sale discount over the lines and lets only a manager change a price', async () => {
    const manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const sale = await open();
    await call(add(sale.id, ARROZ, '2'));
    const cart = await call(add(sale.id, AGUA_PINA, '4'));
    const discounted = await call(
      demo.engine.call('sales.setSaleDiscount', { saleId: sale.id, discount: { kind: 'amount', value: '4.00' } }, { token: cashier }),
    );
    expect(discounted.totals).toMatchObject({ total: '93.0000', discountTotal: '4.0000' });
    expect(discounted.lines.map((l) => l.discountAmount)).toEqual(['2.6000', '1.4000']);
    expect(
      await demo.engine.call('sales.setSaleDiscount', { saleId: sale.id, discount: { kind: 'rate', value: '0.1' } }, { token: cashier }),
    ).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });

    const lineId = cart.lines[1]!.id;
    expect(
      await demo.engine.call(
        'sales.overridePrice',
        { saleId: sale.id, lineId, unitPrice: '7.00', reason: 'Precio de anaquel' },
        { token: cashier },
      ),
    ).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    const overridden = await call(
      demo.engine.call(
        'sales.overridePrice',
        { saleId: sale.id, lineId, unitPrice: '7.00', reason: 'Precio de anaquel' },
        { token: cashier, override: manager },
      ),
    );
    expect(overridden.lines[1]).toMatchObject({ unitPrice: '7.0000', listPrice: '8.5000' });
    expect(overridden.totals.total).toBe('87.0000');
    const [audit] = await demo.engine.services.sql.query<{ approver_employee_id: string }>(
      `SELECT approver_employee_id FROM auth.audit_logs WHERE action = 'sales.price_override' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(audit!.approver_employee_id).toBe(demo.people.manager.id);
    await call(demo.engine.call('sales.void', { saleId: sale.id, reason: 'prueba' }, { token: cashier, override: manager }));
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const sale = await open();
    const before = demo.engine.services.journal.head().seq;
    const errors = [
      await add(sale.id, '7505599000027'), // wrong check digit
      await add(sale.id, makeEan13('750000000000')), // valid but unknown
      await add(sale.id, ARROZ, '-1'),
      await add(sale.id, ARROZ, '1.5'),
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '10' }] }, { token: cashier }),
    ].map((r) => (r.ok ? 'ok' : `${r.error.code}:${(r.error as { params?: { reason?: string } }).params?.reason ?? ''}`));
    expect(errors).toEqual([
      'INVALID_INPUT:BAD_CHECK_DIGIT',
      'NOT_FOUND:',
      'INVALID_INPUT:',
      'INVALID_INPUT:WHOLE_PIECES',
      'CONFLICT:EMPTY_SALE',
    ]);
    await call(add(sale.id, ARROZ));
    const short = await demo.engine.call(
      'sales.complete',
      { saleId: sale.id, tenders: [{ methodId: cash, tendered: '10' }] },
      { token: cashier },
    );
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'TENDER_SHORT', remaining: '21.5000' } } });
    expect(demo.engine.services.journal.head().seq).toBe(before);
    const cart = await call(demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier }));
    expect(cart.status).toBe('OPEN');
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: sale.id, reason: 'prueba' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
  });

  it('asks a manager again when a fixed discount grows past the limit because the quantity dropped', async () => {
    const sale = await open();
    const cart = await call(add(sale.id, ARROZ, '20'));
    const lineId = cart.lines[0]!.id;
    await call(
      demo.engine.call(
        'sales.setLineDiscount',
        { saleId: sale.id, lineId, discount: { kind: 'amount', value: '31.50' } },
        { token: cashier },
      ),
    );
    // 31.50 off twenty bags is 5 %; off one bag it would be all of it.
    expect(await demo.engine.call('sales.setQuantity', { saleId: sale.id, lineId, quantity: '1' }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REQUIRED' },
    });
    expect((await call(demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier }))).lines[0]!.quantity).toBe('20.0000');
    await call(demo.engine.call('sales.setQuantity', { saleId: sale.id, lineId, quantity: '21' }, { token: cashier }));
    await call(
      demo.engine.call(
        'sales.void',
        { saleId: sale.id, reason: 'prueba' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
  });

  it('keeps a cashier discount within the role limit and takes a manager for more', async () => {
    const sale = await open();
    const cart = await call(add(sale.id, ARROZ, '2'));
    const lineId = cart.lines[0]!.id;
    const small = await call(
      demo.engine.call('sales.setLineDiscount', { saleId: sale.id, lineId, discount: { kind: 'rate', value: '0.05' } }, { token: cashier }),
    );
    expect(small.totals.total).toBe('59.8500');
    const big = await demo.engine.call(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId, discount: { kind: 'rate', value: '0.2' } },
      { token: cashier },
    );
    expect(big).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    const approved = await call(
      demo.engine.call(
        'sales.setLineDiscount',
        { saleId: sale.id, lineId, discount: { kind: 'rate', value: '0.2' } },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    expect(approved.totals.total).toBe('50.4000');
    const tooMuch = await demo.engine.call(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId, discount: { kind: 'rate', value: '0.5' } },
      { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
    );
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REFUSED' } });
    await call(demo.engine.call('sales.park', { saleId: sale.id, label: 'Señora del rebozo' }, { token: cashier }));
    const parked = await call(demo.engine.call('sales.parked', {}, { token: cashier }));
    expect(parked.map((p) => p.parkLabel)).toContain('Señora del rebozo');
    const next = await open();
    await call(add(next.id, PERIODICO));
    expect(await demo.engine.call('sales.recall', { saleId: sale.id }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await call(demo.engine.call('sales.complete', { saleId: next.id, tenders: [{ methodId: cash, tendered: '20' }] }, { token: cashier }));
    const recalled = await call(demo.engine.call('sales.recall', { saleId: sale.id }, { token: cashier }));
    expect(recalled).toMatchObject({ status: 'OPEN', totals: { total: '50.4000' } });
  });
});
