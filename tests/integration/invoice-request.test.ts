// A CFDI asked for at the counter, on a real demo engine: written at once as PENDING in the
// register's own series, journaled, and never two for one sale; refused, with the reason and
// the field, for what the SAT would refuse later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallArgs } from '#engine/dispatch.ts';
import { INVOICE_REQUESTED, type InvoiceRequestedFact, replayInvoiceRequested } from '#engine/services/invoicing/invoice-facts.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16 %

/** A persona física under régimen 612 (actividades empresariales), a valid RFC with its check digit. */
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe('an invoice asked for at the counter', () => {
  let demo: Demo;
  let token: string;
  let seq = 0;
  const key = () => `invoice-test-${++seq}`;

  async function paidSale(codes: string[]): Promise<{ id: string; total: string }> {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token }));
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token }));
    const cash = methods.find((m) => m.kind === 'CASH')!.id;
    const paid = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '500' }] }, { token }),
    );
    return { id: sale.id, total: paid.total };
  }

  const request = (input: Partial<CallArgs<'invoices.request'>> & { saleId: string }) =>
    demo.engine.call('invoices.request', { receiver: CUSTOMER, idempotencyKey: key(), ...input }, { token });

  beforeAll(async () => {
    demo = await openDemoEngine('invoice-request');
    token = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  it('is written at once as PENDING, in the register’s own series, for the sale’s total, and journaled whole', async () => {
    const sale = await paidSale([ARROZ, AGUA_PINA]);
    const idempotencyKey = key();
    const invoice = ok(await request({ saleId: sale.id, idempotencyKey }));
    expect(invoice).toMatchObject({
      kind: 'INVOICE',
      series: 'A-CAJA-1',
      folio: 1,
      status: 'PENDING',
      receiverRfc: CUSTOMER.rfc,
      receiverName: CUSTOMER.name,
      fiscalId: null,
    });
    expect(Number(invoice.total)).toBe(Number(sale.total));

    const [fact] = demo.engine.services.journal.after(0, 100_000).filter((f) => f.kind === INVOICE_REQUESTED);
    const payload = fact!.payload as InvoiceRequestedFact;
    expect(payload.invoice).toMatchObject({ id: invoice.id, status: 'PENDING', sale_id: sale.id, series: 'A-CAJA-1' });
    expect(payload.items.map((i) => [i.sku, i.fiscal_unit_code])).toHaveLength(2);
    expect(payload.links).toEqual([expect.objectContaining({ invoice_id: invoice.id, sale_id: sale.id, deleted_at: null })]);
    // Replaying what PGlite already holds changes nothing.
    expect(await replayInvoiceRequested(demo.engine.services.sql, payload)).toBe(false);

    // The same request again is the same invoice; the sale's invoices say so too.
    expect(ok(await request({ saleId: sale.id, idempotencyKey }))).toEqual(invoice);
    expect(ok(await demo.engine.call('invoices.ofSale', { saleId: sale.id }, { token }))).toEqual([invoice]);
  });

  it('is never a second one for a sale, asked for twice at once or one after the other', async () => {
    const sale = await paidSale([ARROZ]);
    const [a, b] = await Promise.all([request({ saleId: sale.id }), request({ saleId: sale.id })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const refusal = a.ok ? b : a;
    expect(refusal.ok ? null : refusal.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'ALREADY_INVOICED', series: 'A-CAJA-1' },
    });
    expect(ok(await demo.engine.call('invoices.ofSale', { saleId: sale.id }, { token }))).toHaveLength(1);
    // Folios follow one another in the register's series.
    expect((a.ok ? a.value : b.ok ? b.value : null)?.folio).toBe(2);
  });

  it('refuses a receiver the SAT would refuse, naming the rule, and writes nothing', async () => {
    const sale = await paidSale([ARROZ]);
    const refusals = [
      [{ ...CUSTOMER, rfc: 'GODE561231GR9' }, 'RFC_CHECK_DIGIT'],
      [{ ...CUSTOMER, cfdiUse: 'S01', taxRegime: '601' }, 'REGIMEN_NOT_FOR_PERSON_TYPE'],
      [{ ...CUSTOMER, cfdiUse: 'CN01' }, 'USO_NOT_FOR_REGIMEN'],
      [{ ...CUSTOMER, rfc: 'XAXX010101000', taxRegime: '616', cfdiUse: 'S01' }, 'GENERIC_RFC'],
    ] as const;
    for (const [receiver, reason] of refusals) {
      const result = await request({ saleId: sale.id, receiver });
      expect(result.ok ? null : result.error, reason).toMatchObject({ code: 'INVALID_INPUT', params: { reason } });
    }
    const wrongShape = await request({ saleId: sale.id, receiver: { ...CUSTOMER, postalCode: '6000' } });
    expect(wrongShape.ok ? null : wrongShape.error.code).toBe('INVALID_INPUT');
    expect(ok(await demo.engine.call('invoices.ofSale', { saleId: sale.id }, { token }))).toEqual([]);
  });

  it('refuses a sale not yet paid, and a sale of an earlier month, which its factura global covers', async () => {
    const open = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token }));
    ok(await demo.engine.call('sales.addItem', { saleId: open.id, code: ARROZ }, { token }));
    const unpaid = await request({ saleId: open.id });
    expect(unpaid.ok ? null : unpaid.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'SALE_NOT_PAID' } });
    ok(
      await demo.engine.call(
        'sales.void',
        { saleId: open.id, reason: 'Prueba' },
        { token, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );

    const sale = await paidSale([AGUA_PINA]);
    // The test clock starts on 25 November, Mexico City time; a week later it is December there.
    demo.clock.advance(7 * 24 * 3600 * 1000);
    token = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const late = await request({ saleId: sale.id });
    expect(late.ok ? null : late.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'OTHER_MONTH', saleMonth: '2026-11' } });
  });
});
