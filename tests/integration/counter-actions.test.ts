// The counter's actions through the engine's calls on the demo store: an open-price item rung up
// at a chosen tax rate and paid, a store-credit slip's balance read before it is taken, and a
// whole sale cancelled by a manager's authorisation, audited under both names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50, IVA 0

describe('the counter actions beside scanning', () => {
  let demo: Demo;
  let cashier: string;
  let cash: string;
  let credit: string;
  let seq = 0;
  const key = () => `counter-key-${++seq}-${Date.now()}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  const open = () => call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
  const addOpen = (saleId: string, input: { description: string; unitPrice: string; taxCode: string; quantity?: string }) =>
    demo.engine.call('sales.addOpenItem', { saleId, ...input } as never, { token: cashier });

  beforeAll(async () => {
    demo = await openDemoEngine('counter-actions');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const methods = await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.kind === 'CASH')!.id;
    credit = methods.find((m) => m.kind === 'STORE_CREDIT')!.id;
    await call(demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  it('offers the Mexican shop open-price items at IVA 16 %, 0 % and exempt', async () => {
    const rates = await call(demo.engine.call('sales.openPriceRates', {}, { token: cashier }));
    expect(rates.map((r) => [r.taxCode, r.taxRate, r.name])).toEqual([
      ['IVA16', '0.160000', 'Varios IVA 16 %'],
      ['IVA0', '0.000000', 'Varios IVA 0 %'],
      ['EXENTO', '0.000000', 'Varios exento'],
    ]);
  });

  it('rings up an open-price item with the description, price and tax rate the cashier gave, and sells it', async () => {
    const sale = await open();
    const cart = await call(addOpen(sale.id, { description: 'Bolsa de hielo 5 kg', unitPrice: '58.00', taxCode: 'IVA16', quantity: '2' }));
    const line = cart.lines[0]!;
    expect([line.name, line.sku, line.quantity, line.unitPrice, line.taxCode, line.total]).toEqual([
      'Bolsa de hielo 5 kg',
      'VARIOS-IVA16',
      '2.0000',
      '58.0000',
      'IVA16',
      '116.0000',
    ]);
    // Prices include tax in this store: 116.00 holds 16.00 of IVA.
    expect(cart.totals).toMatchObject({ total: '116.0000', taxTotal: '16.0000' });
    await call(addOpen(sale.id, { description: 'Recarga de garrafón', unitPrice: '20', taxCode: 'EXENTO' }));
    const receipt = await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '200' }] }, { token: cashier }),
    );
    expect(receipt).toMatchObject({ total: '136.0000', change: '64.0000' });
    const fact = demo.engine.services.journal.find(`sale:${sale.id}`)!.payload as {
      items: { name: string; tax_code: string; tax_amount: string }[];
    };
    expect(fact.items.map((i) => [i.name, i.tax_code, i.tax_amount])).toEqual([
      ['Bolsa de hielo 5 kg', 'IVA16', '16.0000'],
      ['Recarga de garrafón', 'EXENTO', '0.0000'],
    ]);
  });

  it('refuses an open-price item without a price, at a rate the store does not sell, or scanned by its SKU', async () => {
    const sale = await open();
    expect(await addOpen(sale.id, { description: 'Algo', unitPrice: '0', taxCode: 'IVA16' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { field: 'unitPrice', reason: 'NOT_POSITIVE' } },
    });
    expect(await addOpen(sale.id, { description: 'Algo', unitPrice: '10', taxCode: 'IVA8' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', params: { what: 'openPrice' } },
    });
    expect(await addOpen(sale.id, { description: 'Algo', unitPrice: '10', taxCode: 'IVA16', quantity: '1.5' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { reason: 'WHOLE_PIECES' } },
    });
    expect(await addOpen(sale.id, { description: '', unitPrice: '10', taxCode: 'IVA16' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await demo.engine.call('sales.addItem', { saleId: sale.id, code: 'VARIOS-IVA16' }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { reason: 'OPEN_PRICE' } },
    });
    expect((await call(demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier }))).lines).toEqual([]);
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '31.50' }] }, { token: cashier }),
    );
  });

  it("reads a store-credit slip's balance by its code, and says when there is no such slip", async () => {
    const manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const sale = await open();
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '2' }, { token: cashier }));
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
          reason: 'Cambio',
          idempotencyKey: key(),
        },
        { token: cashier, override: manager },
      ),
    );
    const code = ret.storeCredit!.code;
    expect(await call(demo.engine.call('sales.storeCredit', { code: ` ${code} ` }, { token: cashier }))).toMatchObject({
      code,
      amount: '31.5000',
      currency: 'MXN',
      status: 'ACTIVE',
    });
    expect(await demo.engine.call('sales.storeCredit', { code: 'SF-000000000000' }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', params: { what: 'balance' } },
    });
    expect(await demo.engine.call('sales.storeCredit', { code: code }, {})).toMatchObject({ ok: false });
  });

  it("cancels a whole sale only with a manager's PIN for a cashier, and audits it under both names", async () => {
    const sale = await open();
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const refused = await demo.engine.call('sales.void', { saleId: sale.id, reason: 'El cliente no trajo dinero' }, { token: cashier });
    expect(refused).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    const manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    expect(
      await call(
        demo.engine.call('sales.void', { saleId: sale.id, reason: 'El cliente no trajo dinero' }, { token: cashier, override: manager }),
      ),
    ).toEqual({ saleId: sale.id, status: 'VOIDED' });
    expect(await call(demo.engine.call('sales.current', {}, { token: cashier }))).toBeNull();
    const audit = await demo.engine.services.sql.query<{ actor: string; approver: string; details: { reason: string; total: string } }>(
      `SELECT actor_employee_id AS actor, approver_employee_id AS approver, details FROM auth.audit_logs WHERE action = 'sales.void' AND entity_id = $1`,
      [sale.id],
    );
    expect(audit).toEqual([
      {
        actor: demo.people.cashier.id,
        approver: demo.people.manager.id,
        details: expect.objectContaining({ reason: 'El cliente no trajo dinero', total: '31.5000' }),
      },
    ]);
  });
});
