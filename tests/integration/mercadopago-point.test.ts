// The Mercado Pago Point adapter over real HTTP against a loopback Mercado Pago on 127.0.0.1 that
// speaks the documented Orders API (tests/support/loopback-mercadopago.ts): the test plays the
// customer at the terminal, the provider's failures, and its webhooks to a real endpoint.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardTerminalProvider, WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';
import { type MercadoPagoPointOptions, mercadoPagoPoint } from '#engine/payments/card-terminals/mercadopago.ts';
import { type LoopbackMercadoPago, type MpTerminal, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { chargeRequests, failure, failureOf, portNobodyListensOn } from '../support/card-provider-failures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const SECRET = 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const TERMINAL = 'PAX_A910__SMARTPOS1423';
const TERMINALS: MpTerminal[] = [
  { id: TERMINAL, operating_mode: 'PDV', pos_id: 47792476, store_id: '1235456678', external_pos_id: 'CAJA1' },
  { id: 'NEWLAND_N950__N950NCB801293324', operating_mode: 'PDV', pos_id: 47792477, store_id: '1235456678', external_pos_id: 'CAJA2' },
  { id: 'PAX_A910__SMARTPOS9981', operating_mode: 'STANDALONE', pos_id: 47792478, store_id: '1235456678', external_pos_id: 'BODEGA' },
];

let mp: LoopbackMercadoPago;
let receiver: WebhookReceiver;
let provider: CardTerminalProvider;

const pointAdapter = (overrides: Partial<MercadoPagoPointOptions> = {}) =>
  mercadoPagoPoint({
    accessToken: TOKEN,
    webhookSecret: SECRET,
    baseUrl: mp.baseUrl,
    timeoutMs: 600,
    currency: 'MXN',
    now: () => mp.now(),
    ...overrides,
  });

const chargeRequest = chargeRequests(TERMINAL);

/** A charge the customer has paid: its reference and payment id. */
async function paidCharge(amount = '125.50') {
  const started = await provider.startCharge(chargeRequest({ amount }));
  mp.terminal(started.reference).pays();
  const paid = await provider.charge(started.reference);
  return { reference: started.reference, paymentId: paid.payment!.id };
}

beforeEach(async () => {
  mp = await startLoopbackMercadoPago({ accessToken: TOKEN, webhookSecret: SECRET, terminals: TERMINALS });
  receiver = await startWebhookReceiver();
  provider = pointAdapter();
});
afterEach(async () => {
  await mp.close();
  await receiver.close();
});

describe('a charge on a Point terminal', () => {
  it('is put on the terminal as a point order and followed to APPROVED with the card the customer paid with', async () => {
    const request = chargeRequest();
    const started = await provider.startCharge(request);
    expect(started).toMatchObject({
      provider: 'mercadopago',
      externalReference: request.externalReference,
      status: 'CREATED',
      amount: '125.50',
      terminalId: TERMINAL,
      payment: null,
      refunded: '0.00',
    });
    expect(started.reference).toMatch(/^ORD[0-9A-Z]{26}$/);
    const sent = mp.order(started.reference);
    expect(sent).toMatchObject({
      type: 'point',
      description: request.description,
      expiration_time: 'PT10M',
      config: { point: { terminal_id: TERMINAL } },
    });
    expect(sent.transactions.payments[0].amount).toBe('125.50');

    mp.terminal(started.reference).takes();
    expect((await provider.charge(started.reference)).status).toBe('AT_TERMINAL');

    mp.terminal(started.reference).pays({ brand: 'master', type: 'debit_card', last4: '0004' });
    const paid = await provider.charge(started.reference);
    expect(paid).toMatchObject({ status: 'APPROVED', detail: 'accredited', amount: '125.50', refunded: '0.00' });
    expect(paid.payment).toEqual({ id: sent.transactions.payments[0].id, approvalCode: null, cardLast4: '0004', cardBrand: 'master' });
    expect(paid.data).toMatchObject({ id: started.reference, status: 'processed' });
    expect(JSON.stringify(paid)).not.toContain(TOKEN);
  });

  it('makes one order per idempotency key however often, and however concurrently, the request is sent', async () => {
    const request = chargeRequest();
    mp.script({ status: 500, json: { errors: [{ code: 'internal_error', message: 'Internal server error.' }] } });
    const first = await failure(provider.startCharge(request));
    expect(first.failure).toBe('UNAVAILABLE');
    expect(first.uncertain).toBe(true);

    const answers = await Promise.all([provider.startCharge(request), provider.startCharge(request), provider.startCharge(request)]);
    const again = await provider.startCharge(request);
    const references = new Set([...answers, again].map((a) => a.reference));
    expect(references.size).toBe(1);
    expect(mp.orders).toHaveLength(1);
    expect(mp.orders[0]!.id).toBe(again.reference);
  });

  it('asked again after a timeout that Mercado Pago had acted on answers the order it made, not a second one', async () => {
    const request = chargeRequest();
    mp.script('act-then-hang');
    const timedOut = await failure(provider.startCharge(request));
    expect(timedOut.failure).toBe('TIMEOUT');
    expect(timedOut.uncertain).toBe(true);
    expect(timedOut.message).toContain('misma clave');
    expect(mp.orders).toHaveLength(1);

    const retried = await provider.startCharge(request);
    expect(retried.reference).toBe(mp.orders[0]!.id);
    expect(mp.orders).toHaveLength(1);
  });

  it('asked again after the connection dropped, before or during the answer, answers the same order', async () => {
    for (const drop of ['act-then-drop', 'answer-then-drop'] as const) {
      const request = chargeRequest({ terminalId: drop === 'act-then-drop' ? TERMINAL : TERMINALS[1]!.id });
      mp.script(drop);
      const dropped = await failure(provider.startCharge(request));
      expect(dropped.failure).toBe('UNAVAILABLE');
      const retried = await provider.startCharge(request);
      expect(mp.orders.filter((o) => o.external_reference === request.externalReference).map((o) => o.id)).toEqual([retried.reference]);
    }
    expect(mp.orders).toHaveLength(2);
  });

  it('with a used key and another amount is refused in Mercado Pago’s words and makes nothing', async () => {
    const request = chargeRequest();
    await provider.startCharge(request);
    const refused = await failure(provider.startCharge({ ...request, amount: '99.00' }));
    expect(refused.failure).toBe('REFUSED');
    expect(refused.details).toMatchObject({ provider: 'mercadopago', status: 409, code: 'idempotency_key_already_used' });
    expect(refused.message).toContain('clave de idempotencia');
    expect(mp.orders).toHaveLength(1);
  });

  it('that the card’s bank declines ends DECLINED with the bank’s reason as its detail', async () => {
    const started = await provider.startCharge(chargeRequest());
    mp.terminal(started.reference).declines('insufficient_amount');
    const declined = await provider.charge(started.reference);
    expect(declined).toMatchObject({ status: 'DECLINED', detail: 'insufficient_amount', payment: null });
  });

  it('that nobody pays expires when its expiration_time runs out, not before', async () => {
    provider = pointAdapter({ expiresAfterSeconds: 60 });
    const started = await provider.startCharge(chargeRequest());
    expect(mp.order(started.reference).expiration_time).toBe('PT1M');
    mp.terminal(started.reference).takes();
    mp.advance(59_000);
    expect((await provider.charge(started.reference)).status).toBe('AT_TERMINAL');
    mp.advance(2_000);
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'EXPIRED', payment: null });
  });

  it('whose terminal asks for a check reads as PROCESSING: it may still have been taken', async () => {
    const started = await provider.startCharge(chargeRequest());
    mp.terminal(started.reference).leavesPending();
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'PROCESSING', detail: 'check_on_terminal' });
  });
});

describe('cancelling a charge', () => {
  it('before the terminal took it cancels it at once, and asking again with either key answers it cancelled', async () => {
    const started = await provider.startCharge(chargeRequest());
    const key = randomUUID();
    const cancelled = await provider.cancelCharge(started.reference, key);
    expect(cancelled).toMatchObject({ reference: started.reference, status: 'CANCELLED', detail: 'canceled_by_api' });
    expect((await provider.cancelCharge(started.reference, key)).status).toBe('CANCELLED');
    expect((await provider.cancelCharge(started.reference, randomUUID())).status).toBe('CANCELLED');
    expect(mp.order(started.reference).status).toBe('canceled');
  });

  it('on the terminal is asked of it, and is CANCELLED once the terminal confirms', async () => {
    const started = await provider.startCharge(chargeRequest());
    mp.terminal(started.reference).takes();
    const asked = await provider.cancelCharge(started.reference, randomUUID());
    expect(asked).toMatchObject({ status: 'AT_TERMINAL', detail: 'cancellation_requested' });
    mp.terminal(started.reference).confirmsCancellation();
    expect((await provider.charge(started.reference)).status).toBe('CANCELLED');
  });

  it('that the customer paid first is answered as it is, APPROVED with its payment', async () => {
    const { reference, paymentId } = await paidCharge();
    const answered = await provider.cancelCharge(reference, randomUUID());
    expect(answered).toMatchObject({ status: 'APPROVED', payment: { id: paymentId } });

    // Asked while on the terminal, and the customer's card went through before the terminal gave in.
    const racing = await provider.startCharge(chargeRequest({ terminalId: TERMINALS[1]!.id }));
    mp.terminal(racing.reference).takes();
    expect((await provider.cancelCharge(racing.reference, randomUUID())).detail).toBe('cancellation_requested');
    mp.terminal(racing.reference).pays();
    expect((await provider.cancelCharge(racing.reference, randomUUID())).status).toBe('APPROVED');
  });

  it('cancelled on the terminal itself reads CANCELLED with the terminal named as why', async () => {
    const started = await provider.startCharge(chargeRequest());
    mp.terminal(started.reference).cancels();
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'CANCELLED', detail: 'canceled_on_terminal' });
  });
});

describe('refunding a charge', () => {
  it('in part names the payment and the amount with its own key; the whole refund then gives back what is left', async () => {
    const { reference, paymentId } = await paidCharge();
    const key = randomUUID();
    const part = await provider.refund({ idempotencyKey: key, reference, paymentId, amount: '40' });
    expect(part).toMatchObject({ reference, amount: '40.00', status: 'APPROVED' });
    expect(await provider.charge(reference)).toMatchObject({ status: 'APPROVED', detail: 'partially_refunded', refunded: '40.00' });
    // The same key is the same refund.
    expect((await provider.refund({ idempotencyKey: key, reference, paymentId, amount: '40' })).id).toBe(part.id);
    expect(mp.order(reference).transactions.refunds).toHaveLength(1);

    const rest = await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null });
    expect(rest).toMatchObject({ amount: '85.50', status: 'PENDING' });
    expect(rest.id).not.toBe(part.id);
    expect(await provider.charge(reference)).toMatchObject({ status: 'REFUNDED', refunded: '125.50' });

    const again = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null }));
    expect(again.details).toMatchObject({ status: 409, code: 'order_already_refunded' });
    expect(again.message).toContain('ya se devolvió completa');
  });

  it('for more than is left to give back is refused in Mercado Pago’s words', async () => {
    const { reference, paymentId } = await paidCharge('100.00');
    await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: '70.00' });
    const over = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: '30.01' }));
    expect(over.failure).toBe('REFUSED');
    expect(over.details.code).toBe('refund_amount_exceeds');
    expect(over.message).toContain('Refund amount exceeds the available amount');
  });

  it('of a charge never paid, or of a payment not in it, is refused', async () => {
    const started = await provider.startCharge(chargeRequest({ terminalId: TERMINALS[1]!.id }));
    const unpaid = await failure(
      provider.refund({
        idempotencyKey: randomUUID(),
        reference: started.reference,
        paymentId: 'PAY01J67CQQH5904WDBVZEM4JMEP3',
        amount: null,
      }),
    );
    expect(unpaid.details).toMatchObject({ status: 409, code: 'cannot_refund_order' });

    const { reference } = await paidCharge();
    const stranger = await failure(
      provider.refund({ idempotencyKey: randomUUID(), reference, paymentId: 'PAY01J67CQQH5904WDBVZEM4JMEP3', amount: '10.00' }),
    );
    expect(stranger.failure).toBe('NOT_FOUND');
    expect(stranger.details.code).toBe('transaction_not_found');
  });
});

describe('the account’s terminals', () => {
  it('are listed with their serial and whether they take charges from the POS (PDV mode)', async () => {
    expect(await provider.terminals()).toEqual([
      { id: TERMINAL, label: 'SMARTPOS1423', integrated: true },
      { id: 'NEWLAND_N950__N950NCB801293324', label: 'N950NCB801293324', integrated: true },
      { id: 'PAX_A910__SMARTPOS9981', label: 'SMARTPOS9981', integrated: false },
    ]);
  });

  it('are all listed when they take more than one page', async () => {
    await mp.close();
    const many: MpTerminal[] = Array.from({ length: 57 }, (_, i) => ({
      id: `NEWLAND_N950__N950NCB80${String(i).padStart(6, '0')}`,
      operating_mode: 'PDV',
      pos_id: 1000 + i,
      store_id: '77',
      external_pos_id: `CAJA${i}`,
    }));
    mp = await startLoopbackMercadoPago({ accessToken: TOKEN, webhookSecret: SECRET, terminals: many });
    provider = pointAdapter();
    const listed = await provider.terminals();
    expect(listed.map((t) => t.id)).toEqual(many.map((t) => t.id));
    expect(mp.requests).toBe(2);
  });
});

describe('when Mercado Pago refuses or fails', () => {
  it('a refused token is AUTH for every call, and no message or detail carries the token', async () => {
    const started = await provider.startCharge(chargeRequest());
    mp.refuseToken(true);
    const calls: (() => Promise<unknown>)[] = [
      () => provider.startCharge(chargeRequest()),
      () => provider.charge(started.reference),
      () => provider.cancelCharge(started.reference, randomUUID()),
      () => provider.terminals(),
    ];
    for (const call of calls) {
      const refused = await failure(call());
      expect(refused.failure).toBe('AUTH');
      expect(refused.details.status).toBe(401);
      expect(refused.message).toContain('token de acceso');
      expect(`${refused.message} ${JSON.stringify(refused.details)} ${refused.stack}`).not.toContain(TOKEN);
    }

    // A token of another account: Mercado Pago's answer quotes it back; the error does not.
    mp.refuseToken(false);
    const wrong = 'APP_USR-0000000000000000-000000-00000000000000000000000-0000000000';
    const echoed = await failure(pointAdapter({ accessToken: wrong }).terminals());
    expect(echoed.failure).toBe('AUTH');
    expect(echoed.message).not.toContain(wrong);
  });

  it('a terminal that is not the account’s is REFUSED, saying so in Spanish and in Mercado Pago’s words', async () => {
    const refused = await failure(provider.startCharge(chargeRequest({ terminalId: 'PAX_A910__OTRACUENTA77' })));
    expect(refused.failure).toBe('REFUSED');
    expect(refused.details).toMatchObject({ status: 403, code: 'forbidden_checking_terminal_owner' });
    expect(refused.message).toContain('la terminal no pertenece a esta cuenta de Mercado Pago');
    expect(refused.message).toContain('does not belong to the user');
    expect(mp.orders).toHaveLength(0);
  });

  it('a terminal with a charge already waiting refuses another', async () => {
    await provider.startCharge(chargeRequest());
    const busy = await failure(provider.startCharge(chargeRequest()));
    expect(busy.details).toMatchObject({ status: 409, code: 'already_queued_order_for_terminal' });
    expect(busy.message).toContain('ya tiene un cobro en espera');
  });

  it('an order it does not have is NOT_FOUND', async () => {
    const missing = await failure(provider.charge('ORD00000000000000000000000000'));
    expect(missing.failure).toBe('NOT_FOUND');
    expect(missing.details.code).toBe('order_not_found');
  });

  it('a 5xx, a refused connection and a request nobody answers are UNAVAILABLE or TIMEOUT, never a refusal', async () => {
    mp.script({ status: 503, json: { errors: [{ code: 'internal_error', message: 'Service unavailable.' }] } });
    expect((await failure(provider.terminals())).failure).toBe('UNAVAILABLE');

    mp.script('hang');
    const hung = await failure(provider.terminals());
    expect(hung.failure).toBe('TIMEOUT');
    expect(hung.message).toContain('600 ms');

    const closedPort = pointAdapter({ baseUrl: `http://127.0.0.1:${await portNobodyListensOn()}` });
    const refused = await failure(closedPort.startCharge(chargeRequest()));
    expect(refused.failure).toBe('UNAVAILABLE');
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('an answer that is not JSON, or not an order, is BAD_ANSWER', async () => {
    mp.script({ status: 201, raw: '<html><body>Bad gateway</body></html>' });
    const notJson = await failure(provider.startCharge(chargeRequest()));
    expect(notJson.failure).toBe('BAD_ANSWER');
    expect(notJson.details.status).toBe(201);

    const started = await provider.startCharge(chargeRequest({ terminalId: TERMINALS[1]!.id }));
    mp.script({ status: 200, json: { id: started.reference, status: 'processed' } });
    expect((await failure(provider.charge(started.reference))).failure).toBe('BAD_ANSWER');

    const order = mp.order(started.reference);
    mp.script({ status: 200, json: { ...order, transactions: { payments: [{ ...order.transactions.payments[0], amount: 125.5 }] } } });
    expect((await failure(provider.charge(started.reference))).failure).toBe('BAD_ANSWER');
  });

  it('a request the API would refuse is refused before anything is sent', async () => {
    const before = mp.requests;
    for (const bad of [
      chargeRequest({ amount: '12.345' }),
      chargeRequest({ amount: '0.00' }),
      chargeRequest({ currency: 'ARS' }),
      chargeRequest({ externalReference: 'venta 12 con espacios' }),
      chargeRequest({ idempotencyKey: '' }),
      chargeRequest({ description: 'x'.repeat(151) }),
    ]) {
      expect((await failure(provider.startCharge(bad))).failure).toBe('REFUSED');
    }
    expect(mp.requests).toBe(before);
  });
});

describe('a webhook', () => {
  const delivered = async () => {
    await mp.flush();
    return receiver.received.at(-1)!;
  };

  it('signed with the account’s secret names the order it is about; the same notice twice is one notice', async () => {
    mp.deliverTo(receiver.url);
    const { reference } = await paidCharge();
    const first = await delivered();
    expect(first.query).toMatchObject({ 'data.id': reference, type: 'order' });
    const notice = provider.webhook(first);
    expect(notice.reference).toBe(reference);

    await mp.send(mp.notices[0]!, 'replay');
    expect(provider.webhook(await delivered())).toEqual(notice);
    await mp.send(mp.notices[0]!, 'retry');
    const retried = await delivered();
    expect(retried.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(provider.webhook(retried)).toEqual(notice);
  });

  it('with a bad or missing signature, or naming another order than the one signed, is INVALID_SIGNATURE', async () => {
    mp.deliverTo(receiver.url);
    const { reference } = await paidCharge();
    const good = await delivered();
    const other = await provider.startCharge(chargeRequest({ terminalId: TERMINALS[1]!.id }));
    const [ts] = good.headers['x-signature']!.split(',');
    const forged: WebhookRequest[] = [
      { ...good, headers: { ...good.headers, 'x-signature': `${ts},v1=${'ab'.repeat(32)}` } },
      { ...good, headers: { ...good.headers, 'x-signature': undefined } },
      { ...good, headers: { ...good.headers, 'x-signature': 'v1=abc' } },
      { ...good, headers: { ...good.headers, 'x-request-id': randomUUID() } },
      { ...good, query: { ...good.query, 'data.id': other.reference } },
      { ...good, body: good.body.replace(reference, other.reference) },
    ];
    for (const request of forged) expect(failureOf(() => provider.webhook(request)).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => pointAdapter({ webhookSecret: 'otro-secreto' }).webhook(good)).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => pointAdapter({ webhookSecret: undefined }).webhook(good)).failure).toBe('INVALID_SIGNATURE');
    expect(provider.webhook(good).reference).toBe(reference);
  });

  it('replayed as first signed after the accepted margin is INVALID_SIGNATURE; Mercado Pago’s own retry, signed anew, is not', async () => {
    mp.deliverTo(receiver.url);
    const { reference } = await paidCharge();
    const original = provider.webhook(await delivered());
    mp.advance(11 * 60_000);

    await mp.send(mp.notices[0]!, 'replay');
    const replayed = failureOf(() => provider.webhook(receiver.received.at(-1)!));
    expect(replayed.failure).toBe('INVALID_SIGNATURE');
    expect(replayed.message).toContain('repetición');

    await mp.send(mp.notices[0]!, 'retry');
    expect(provider.webhook(await delivered())).toEqual({ id: original.id, reference });
  });

  it('notices that arrive out of order are each their own notice, and the order read after them is where it stands now', async () => {
    const { reference, paymentId } = await paidCharge();
    await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null });
    expect(mp.notices.map((n) => n.action)).toEqual(['order.processed', 'order.refunded']);

    mp.deliverTo(receiver.url);
    for (const notice of [...mp.notices].reverse()) await mp.send(notice, 'retry');
    const [refundedNotice, processedNotice] = receiver.received.map((r) => provider.webhook(r));
    expect(refundedNotice!.reference).toBe(reference);
    expect(processedNotice!.reference).toBe(reference);
    expect(refundedNotice!.id).not.toBe(processedNotice!.id);
    expect((await provider.charge(reference)).status).toBe('REFUNDED');
  });
});

describe('the payments the account took', () => {
  const span = () => ({ from: new Date(mp.now() - 3600_000), to: new Date(mp.now() + 60_000) });

  it('are the orders the terminals were paid for, with their payment, terminal, amount and refunds; nothing for orders never paid', async () => {
    const first = await paidCharge('125.50');
    const second = await paidCharge('40.00');
    await provider.refund({ idempotencyKey: randomUUID(), reference: second.reference, paymentId: second.paymentId, amount: '15.00' });
    const declined = await provider.startCharge(chargeRequest({ amount: '9.00' }));
    mp.terminal(declined.reference).declines();
    await provider.startCharge(chargeRequest({ amount: '12.00', terminalId: TERMINALS[1]!.id }));

    const listed = await provider.payments(span());
    expect(listed).toEqual([
      expect.objectContaining({
        id: first.paymentId,
        reference: first.reference,
        terminalId: TERMINAL,
        amount: '125.50',
        refunded: '0.00',
      }),
      expect.objectContaining({
        id: second.paymentId,
        reference: second.reference,
        terminalId: TERMINAL,
        amount: '40.00',
        refunded: '15.00',
      }),
    ]);
    expect(Date.parse(listed[0]!.createdAt)).toBeLessThanOrEqual(Date.parse(listed[1]!.createdAt));
    expect(await provider.payments({ ...span(), terminalId: TERMINALS[1]!.id })).toEqual([]);
  });

  it('are all read when they take more than one page of the search', async () => {
    for (let i = 0; i < 101; i++) await paidCharge(`${i + 1}.00`);
    const before = mp.attempts;
    const listed = await provider.payments(span());
    expect(listed).toHaveLength(101);
    expect(new Set(listed.map((p) => p.id)).size).toBe(101);
    expect(mp.attempts - before).toBe(2);
  });

  it('over more than the search’s 30 days are asked in spans it takes', async () => {
    const paid = await paidCharge();
    const before = mp.attempts;
    const listed = await provider.payments({ from: new Date(mp.now() - 45 * 24 * 3600_000), to: new Date(mp.now() + 60_000) });
    expect(listed.map((p) => p.id)).toEqual([paid.paymentId]);
    expect(mp.attempts - before).toBe(2);
  });

  it('fail whole when a page fails: a 5xx or no answer on the second page is UNAVAILABLE or TIMEOUT, never the first page alone', async () => {
    for (let i = 0; i < 101; i++) await paidCharge(`${i + 1}.00`);
    mp.script('pass', { status: 502, json: { errors: [{ code: 'internal_error', message: 'Bad gateway.' }] } });
    const failed = await failure(provider.payments(span()));
    expect(failed.failure).toBe('UNAVAILABLE');
    expect(failed.message).toContain('listar los cobros');

    mp.script('pass', 'hang');
    expect((await failure(provider.payments(span()))).failure).toBe('TIMEOUT');
    expect(await provider.payments(span())).toHaveLength(101);
  });

  it('an answer that is not a page of orders is BAD_ANSWER, and a span that ends before it starts is refused unsent', async () => {
    mp.script({ status: 200, json: { results: [] } });
    expect((await failure(provider.payments(span()))).failure).toBe('BAD_ANSWER');
    mp.script({ status: 200, json: { data: [{ id: 'ORD01', status: 'processed' }], paging: { total: 1 } } });
    expect((await failure(provider.payments(span()))).failure).toBe('BAD_ANSWER');
    const before = mp.requests;
    const { from, to } = span();
    expect((await failure(provider.payments({ from: to, to: from }))).failure).toBe('REFUSED');
    expect(mp.requests).toBe(before);
  });

  it('a refused token is AUTH, and the message does not carry it', async () => {
    mp.refuseToken(true);
    const refused = await failure(provider.payments(span()));
    expect(refused.failure).toBe('AUTH');
    expect(refused.message).not.toContain(TOKEN);
  });
});
