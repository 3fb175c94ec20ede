// An e-mailed receipt asked for at the counter: the terminal journals the request (it never talks
// to a mail server), once per sale and address, for completed sales only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { RECEIPT_EMAIL_REQUESTED, type ReceiptEmailFact } from '#engine/services/sales/receipt-email.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026';

describe('e-mailed receipts at the counter', () => {
  let demo: Demo;
  let cashier: string;
  let cash: string;
  let seq = 0;
  const key = () => `email-key-${++seq}-${Date.now()}`;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  const requests = () =>
    demo.engine.services.journal
      .after(0, 10_000)
      .filter((f) => f.kind === RECEIPT_EMAIL_REQUESTED)
      .map((f) => f.payload as ReceiptEmailFact);

  beforeAll(async () => {
    demo = await openDemoEngine('receipt-email');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    cash = (await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }))).find((m) => m.code === 'CASH')!.id;
    await call(demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  const openSale = async () => {
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    return sale.id;
  };
  const pay = (saleId: string, email?: string) =>
    demo.engine.call(
      'sales.complete',
      { saleId, tenders: [{ methodId: cash, tendered: '50' }], ...(email ? { email } : {}) },
      { token: cashier },
    );

  it('journals the address typed on the pay screen with the sale, in lower case and the store country’s locale', async () => {
    const saleId = await openSale();
    await call(pay(saleId, ' Maria.Lopez@Ejemplo.MX '));
    const [request] = requests().filter((r) => r.saleId === saleId);
    expect(request).toMatchObject({
      saleId,
      businessId: demo.engine.services.terminal!.businessId,
      email: 'maria.lopez@ejemplo.mx',
      locale: 'es-MX',
      by: demo.people.cashier.id,
    });
  });

  it('takes an address after payment once per sale and address, and a second address as a second request', async () => {
    const saleId = await openSale();
    await call(pay(saleId));
    const first = await call(demo.engine.call('sales.emailReceipt', { saleId, email: 'ana@ejemplo.mx' }, { token: cashier }));
    const again = await call(demo.engine.call('sales.emailReceipt', { saleId, email: 'ANA@ejemplo.mx' }, { token: cashier }));
    const other = await call(demo.engine.call('sales.emailReceipt', { saleId, email: 'luis@ejemplo.mx' }, { token: cashier }));
    expect(first.queued).toBe(true);
    expect(again).toEqual({ requestId: first.requestId, queued: false });
    expect(other.queued).toBe(true);
    expect(
      requests()
        .filter((r) => r.saleId === saleId)
        .map((r) => r.email),
    ).toEqual(['ana@ejemplo.mx', 'luis@ejemplo.mx']);
  });

  it('journals the address of a payment retried after it went through, without calling it another payment', async () => {
    const saleId = await openSale();
    await call(pay(saleId));
    await call(pay(saleId, 'retry@ejemplo.mx'));
    expect(
      requests()
        .filter((r) => r.saleId === saleId)
        .map((r) => r.email),
    ).toEqual(['retry@ejemplo.mx']);
  });

  it('refuses an address that is not one, and a sale not yet paid, journaling nothing', async () => {
    const before = requests().length;
    const saleId = await openSale();
    const bad = await demo.engine.call('sales.emailReceipt', { saleId, email: 'maria@' }, { token: cashier });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const open = await demo.engine.call('sales.emailReceipt', { saleId, email: 'maria@ejemplo.mx' }, { token: cashier });
    expect(open).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const badPay = await pay(saleId, 'no es correo');
    expect(badPay).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(requests()).toHaveLength(before);
  });
});
