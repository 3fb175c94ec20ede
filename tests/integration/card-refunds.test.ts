// Money given back through the register's integrated card terminal, on a real demo engine against
// a loopback Mercado Pago (and a loopback Clip) on 127.0.0.1: a return gives back only its share
// of the card tender, never more than the card has left, and once however the request is retried;
// a cart whose charge holds the customer's money does not change under it, and voiding the sale
// gives the charge back whole before the sale is cancelled.
import { announceUnrecordedRefunds } from '#engine/services/payments/unrecorded-refunds.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { returnRefundIntentKey } from '#engine/services/payments/card-refund-facts.ts';
import { voidFactKey } from '#engine/services/sales/fact-keys.ts';
import { ok, openDemoEngine, pairCardTerminal, signIn } from '../support/demo-engine.ts';
import { type LoopbackClip, startLoopbackClip } from '../support/loopback-clip.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const TERMINAL = 'PAX_A910__SMARTPOS1423';
const ARROZ = '7505599000026'; // 31.50
const AGUA_PINA = '7505641000219'; // 8.50

/** A register of the demo store with its terminal paired, the cashier signed in with her shift open. */
async function register(label: string, cardTerminal: { provider: 'mercadopago' | 'clip'; terminalId: string; baseUrl: string }) {
  const demo = await openDemoEngine(label, { start: new Date(), cardProviderTimeoutMs: 1_000 });
  await pairCardTerminal(demo, cardTerminal);
  const cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: `${label}-shift` }, { token: cashier }));
  const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
  let seq = 0;
  return {
    demo,
    cashier,
    override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin },
    terminalMethod: methods.find((m) => m.integrated)!.id,
    cash: methods.find((m) => m.kind === 'CASH')!.id,
    key: () => `${label}-${++seq}`,
  };
}
type Register = Awaited<ReturnType<typeof register>>;

async function openSale(r: Register, codes: string[]) {
  const sale = ok(await r.demo.engine.call('sales.open', { idempotencyKey: r.key() }, { token: r.cashier }));
  for (const code of codes) ok(await r.demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: r.cashier }));
  return sale.id;
}

const startCharge = async (r: Register, saleId: string, amount: string) =>
  ok(
    await r.demo.engine.call(
      'payments.startCharge',
      { saleId, methodId: r.terminalMethod, amount, idempotencyKey: r.key() },
      { token: r.cashier },
    ),
  );

/** Completes the sale with the approved charge and the rest in cash; answers the lines to return by name. */
async function complete(r: Register, saleId: string, chargeId: string, cashTendered: string) {
  const paid = ok(
    await r.demo.engine.call(
      'sales.complete',
      {
        saleId,
        tenders: [
          { methodId: r.terminalMethod, chargeId },
          { methodId: r.cash, tendered: cashTendered },
        ],
      },
      { token: r.cashier },
    ),
  );
  const found = ok(await r.demo.engine.call('returns.lookup', { code: paid.receiptCode }, { token: r.cashier }));
  return (name: RegExp) => found.lines.find((l) => name.test(l.name))!.saleItemId;
}

const returnRequest = (r: Register, saleId: string, saleItemId: string, idempotencyKey = r.key()) => ({
  saleId,
  lines: [{ saleItemId, quantity: '1' }],
  refundMethodId: r.terminalMethod,
  reason: 'No le gustó',
  idempotencyKey,
});

const refundsOf = async (r: Register, saleId: string) =>
  r.demo.engine.services.sql.query<{
    amount: string;
    transaction_id: string | null;
    card_charge_id: string | null;
    return_id: string | null;
    provider: string | null;
    provider_reference: string | null;
    provider_data: Record<string, unknown>;
  }>(
    `SELECT amount::text, transaction_id, card_charge_id, return_id, provider, provider_reference, provider_data
     FROM payments.refunds WHERE sale_id = $1 ORDER BY created_at`,
    [saleId],
  );

const cardTenderOf = async (r: Register, saleId: string) =>
  (
    await r.demo.engine.services.sql.query<{ id: string }>(
      'SELECT id FROM payments.transactions WHERE sale_id = $1 AND card_charge_id IS NOT NULL',
      [saleId],
    )
  )[0]!.id;

describe('refunds through the register’s Mercado Pago terminal', () => {
  let mp: LoopbackMercadoPago;
  let r: Register;

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d',
      terminals: [{ id: TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
      countryCode: 'MEX',
    });
    r = await register('card-refunds', { provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl });
    installProviderSecrets(r.demo.dir, { provider: 'mercadopago', accessToken: TOKEN });
  }, 60_000);
  afterAll(async () => {
    await r?.demo.dispose();
    await mp?.close();
  });
  afterEach(() => mp.script());

  /** A sale of rice and pineapple water (40.00): 30.00 on the terminal, 10.00 in cash. */
  async function cardAndCashSale() {
    const saleId = await openSale(r, [ARROZ, AGUA_PINA]);
    const charge = await startCharge(r, saleId, '30.00');
    const order = mp.orders.at(-1)!;
    mp.terminal(order.id).takes();
    mp.terminal(order.id).pays({ last4: '4242' });
    expect(ok(await r.demo.engine.call('payments.charge', { chargeId: charge.id }, { token: r.cashier })).status).toBe('APPROVED');
    const lineOf = await complete(r, saleId, charge.id, '10');
    return { saleId, orderId: order.id, lineOf };
  }

  it('gives back on the card only the return’s share of a $30 card and $10 cash sale, and refuses more than the card has left', async () => {
    const { saleId, orderId, lineOf } = await cardAndCashSale();
    const ret = ok(
      await r.demo.engine.call('returns.create', returnRequest(r, saleId, lineOf(/agua/i)), { token: r.cashier, override: r.override }),
    );
    expect(ret.total).toBe('8.5000');
    const made = mp.order(orderId).transactions.refunds!;
    expect(made.map((f) => f.amount)).toEqual(['8.50']);
    const [refund] = await refundsOf(r, saleId);
    expect(refund).toMatchObject({
      amount: '8.5000',
      transaction_id: await cardTenderOf(r, saleId),
      card_charge_id: null,
      return_id: ret.returnId,
      provider: 'mercadopago',
      provider_reference: made[0]!.id,
    });
    expect(JSON.stringify(refund!.provider_data)).not.toContain(TOKEN);

    // The rice (31.50) is more than the 21.50 the card has left: refused in words, nothing written, nothing asked.
    const before = mp.attempts;
    const key = r.key();
    const tooMuch = await r.demo.engine.call('returns.create', returnRequest(r, saleId, lineOf(/arroz/i), key), {
      token: r.cashier,
      override: r.override,
    });
    expect(tooMuch).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { reason: 'CARD_REFUND_TOO_LARGE', refundable: '21.5000' } },
    });
    expect(tooMuch.ok ? '' : tooMuch.error.message).toContain('21.50');
    expect(mp.attempts).toBe(before);
    expect(mp.order(orderId).transactions.refunds).toHaveLength(1);
    expect(await refundsOf(r, saleId)).toHaveLength(1);
    expect(r.demo.engine.services.journal.find(returnRefundIntentKey(key))).toBeUndefined();
    const [{ n }] = (await r.demo.engine.services.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sales.returns WHERE sale_id = $1',
      [saleId],
    )) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('makes one refund when the same return is retried after the provider acted and never answered', async () => {
    const { saleId, orderId, lineOf } = await cardAndCashSale();
    const request = returnRequest(r, saleId, lineOf(/agua/i));
    // The charge is read (answered), then the refund is made and its answer never comes.
    mp.script('pass', 'act-then-hang');
    const lost = await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override });
    expect(lost).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'PROVIDER_UNREACHABLE' } } });
    expect(mp.order(orderId).transactions.refunds).toHaveLength(1);
    expect(await refundsOf(r, saleId)).toEqual([]);
    // Were nobody to try again, the next start tells the managers, once, what to repeat.
    const services = r.demo.engine.services;
    expect(await announceUnrecordedRefunds(services)).toBe(1);
    const [note] = await services.sql.query<{ title: string; body: string; data: { amount: string } }>(
      `SELECT title, body, data FROM communication.in_app_notifications WHERE data->>'code' = 'payments.refund_unrecorded'`,
    );
    expect(note).toMatchObject({ title: 'Reembolso a tarjeta sin registrar', data: { amount: '8.50' } });
    expect(note!.body).toContain('Repita la misma devolución');
    expect(await announceUnrecordedRefunds(services)).toBe(0);

    // The cashier tries again: the refund the first try made is learnt, not made again.
    const ret = ok(await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override }));
    expect(mp.order(orderId).transactions.refunds!.map((f) => f.amount)).toEqual(['8.50']);
    expect(await refundsOf(r, saleId)).toEqual([
      expect.objectContaining({ amount: '8.5000', return_id: ret.returnId, transaction_id: await cardTenderOf(r, saleId) }),
    ]);
    // And once more: the return as recorded.
    expect(ok(await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override })).returnId).toBe(ret.returnId);
    expect(mp.order(orderId).transactions.refunds).toHaveLength(1);
  });

  it('tells nobody of a refund that was never given at the provider, nor of one whose return is recorded', async () => {
    const { saleId, lineOf } = await cardAndCashSale();
    const request = returnRequest(r, saleId, lineOf(/agua/i));
    // The charge is read, then the refund request itself fails before the provider acts.
    mp.script('pass', { status: 502, json: { errors: [{ code: 'internal_error', message: 'Bad gateway.' }] } });
    const lost = await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override });
    expect(lost.ok).toBe(false);
    expect(await announceUnrecordedRefunds(r.demo.engine.services)).toBe(0);
    ok(await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override }));
    expect(await announceUnrecordedRefunds(r.demo.engine.services)).toBe(0);
  });

  it('refuses in words a refund the provider refuses, writing nothing', async () => {
    const { saleId, lineOf } = await cardAndCashSale();
    mp.refuseToken(true);
    try {
      const refused = await r.demo.engine.call('returns.create', returnRequest(r, saleId, lineOf(/agua/i)), {
        token: r.cashier,
        override: r.override,
      });
      expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'PROVIDER_AUTH' } } });
    } finally {
      mp.refuseToken(false);
    }
    expect(await refundsOf(r, saleId)).toEqual([]);
  });

  it('holds the cart while its charge is open or approved, and voiding the sale gives the charge back whole first', async () => {
    const { engine } = r.demo;
    const saleId = await openSale(r, [ARROZ, AGUA_PINA]);
    const cart = ok(await engine.call('sales.get', { saleId }, { token: r.cashier }));
    const line = cart.lines[1]!.id;
    const charge = await startCharge(r, saleId, '40.00');
    const order = mp.orders.at(-1)!;
    const removeLine = () => engine.call('sales.removeLine', { saleId, lineId: line }, { token: r.cashier });
    expect(await removeLine()).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'CHARGE_HOLDS_CART' } } });

    mp.terminal(order.id).takes();
    mp.terminal(order.id).pays();
    expect(ok(await engine.call('payments.charge', { chargeId: charge.id }, { token: r.cashier })).status).toBe('APPROVED');
    expect(await removeLine()).toMatchObject({
      ok: false,
      error: { params: { reason: 'CHARGE_HOLDS_CART', chargeId: charge.id, status: 'APPROVED' } },
    });
    expect(await engine.call('sales.addItem', { saleId, code: ARROZ }, { token: r.cashier })).toMatchObject({
      ok: false,
      error: { params: { reason: 'CHARGE_HOLDS_CART' } },
    });
    expect(await engine.call('sales.park', { saleId }, { token: r.cashier })).toMatchObject({
      ok: false,
      error: { params: { reason: 'CHARGE_HOLDS_CART' } },
    });

    const voidIt = () =>
      engine.call('sales.void', { saleId, reason: 'El cliente se arrepintió' }, { token: r.cashier, override: r.override });
    expect(ok(await voidIt()).status).toBe('VOIDED');
    expect(mp.order(order.id).status).toBe('refunded');
    expect(mp.order(order.id).transactions.refunds!.map((f) => f.amount)).toEqual(['40.00']);
    expect(await refundsOf(r, saleId)).toEqual([
      expect.objectContaining({
        amount: '40.0000',
        card_charge_id: charge.id,
        transaction_id: null,
        return_id: null,
        provider: 'mercadopago',
        provider_reference: mp.order(order.id).transactions.refunds![0]!.id,
      }),
    ]);
    // The charge stays as it ended (approved); the refund is its own record. Voiding again changes nothing.
    expect(ok(await engine.call('payments.charge', { chargeId: charge.id }, { token: r.cashier })).status).toBe('APPROVED');
    expect(ok(await voidIt()).status).toBe('VOIDED');
    expect(mp.order(order.id).transactions.refunds).toHaveLength(1);
    const fact = engine.services.journal.find(voidFactKey(saleId));
    expect(fact?.payload).toMatchObject({ charges: [expect.objectContaining({ id: charge.id })], refunds: [expect.any(Object)] });
  });
});

describe('refunds through the register’s Clip terminal', () => {
  const API_KEY = 'a3c1b5d7-2e4f-4a6b-8c0d-1e2f3a4b5c6d';
  const SECRET_KEY = 'cl1p-s3cr3t-7f8e9d0c1b2a3f4e5d6c7b8a';
  const SERIAL = 'P8220724000042';
  let clip: LoopbackClip;
  let r: Register;

  beforeAll(async () => {
    clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: [{ serial_number: SERIAL, status: 'active' }] });
    r = await register('card-refunds-clip', { provider: 'clip', terminalId: SERIAL, baseUrl: clip.baseUrl });
    installProviderSecrets(r.demo.dir, { provider: 'clip', accessToken: `${API_KEY}:${SECRET_KEY}` });
  }, 60_000);
  afterAll(async () => {
    await r?.demo.dispose();
    await clip?.close();
  });

  it('gives back on a Clip card only the return’s share', async () => {
    const saleId = await openSale(r, [ARROZ, AGUA_PINA]);
    const charge = await startCharge(r, saleId, '30.00');
    const intent = clip.intents.at(-1)!.pinpad_request_id;
    clip.terminal(intent).takes();
    clip.terminal(intent).pays({ last4: '1881' });
    expect(ok(await r.demo.engine.call('payments.charge', { chargeId: charge.id }, { token: r.cashier })).status).toBe('APPROVED');
    const lineOf = await complete(r, saleId, charge.id, '10');

    const request = returnRequest(r, saleId, lineOf(/agua/i));
    const ret = ok(await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override }));
    expect(clip.refunds.map((f) => f.amount)).toEqual(['8.50']);
    expect(await refundsOf(r, saleId)).toEqual([
      expect.objectContaining({ amount: '8.5000', provider: 'clip', provider_reference: clip.refunds[0]!.id, return_id: ret.returnId }),
    ]);
    // A minute on (Clip forgets the key), the same request answers the return and gives nothing more back.
    clip.advance(120_000);
    expect(ok(await r.demo.engine.call('returns.create', request, { token: r.cashier, override: r.override })).returnId).toBe(ret.returnId);
    expect(clip.refunds).toHaveLength(1);
  });
});
