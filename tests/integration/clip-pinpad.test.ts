// The Clip PinPad adapter over real HTTP against a loopback Clip on 127.0.0.1 that speaks the
// documented PinPad and refunds APIs (tests/support/loopback-clip.ts): the test plays the customer
// at the terminal, Clip's failures, and its webhooks to a real endpoint.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardTerminalProvider, WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';
import { type ClipPinpadOptions, clipPinpad } from '#engine/payments/card-terminals/clip.ts';
import { clipWebhookUrl } from '#engine/payments/card-terminals/clip-webhook.ts';
import { type ClipDevice, type LoopbackClip, startLoopbackClip } from '../support/loopback-clip.ts';
import { chargeRequests, failure, failureOf, portNobodyListensOn } from '../support/card-provider-failures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const API_KEY = '16c62840-9903-4f59-a810-818b265e2e94';
const SECRET_KEY = 'b7d4e1f09a3c4d2e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c';
const WEBHOOK_SECRET = 'clip-webhooks-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const TERMINAL = 'P8220724000042';
const DEVICES: ClipDevice[] = [
  { serial_number: TERMINAL, status: 'active' },
  { serial_number: 'P8C1231120001152', status: 'active', timeoutSeg: 20 },
  { serial_number: 'PP35542235000287', status: 'inactive' },
  { serial_number: 'PP35542235000290', status: 'unknown' },
];
const OTHER = DEVICES[1]!.serial_number;

let clip: LoopbackClip;
let receiver: WebhookReceiver;
let provider: CardTerminalProvider;

const clipAdapter = (overrides: Partial<ClipPinpadOptions> = {}) =>
  clipPinpad({
    apiKey: API_KEY,
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: receiver.url,
    baseUrl: clip.baseUrl,
    timeoutMs: 600,
    ...overrides,
  });

const chargeRequest = chargeRequests(TERMINAL);

/** The intents of one sale, leaving out those withdrawn before any terminal showed them. */
const liveIntents = (externalReference: string) => clip.intents.filter((i) => i.reference === externalReference && i.cancelledBy !== 'api');

/** A charge the customer has paid: its reference and payment id. */
async function paidCharge(amount = '125.50', terminalId = TERMINAL) {
  const started = await provider.startCharge(chargeRequest({ amount, terminalId }));
  clip.terminal(started.reference).pays();
  const paid = await provider.charge(started.reference);
  return { reference: started.reference, paymentId: paid.payment!.id };
}

beforeEach(async () => {
  clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: DEVICES });
  receiver = await startWebhookReceiver();
  provider = clipAdapter();
});
afterEach(async () => {
  await clip.close();
  await receiver.close();
});

describe('a charge on a Clip terminal', () => {
  it('is sent as a PinPad payment intent for the terminal’s serial and followed to APPROVED with the card the customer paid with', async () => {
    const request = chargeRequest();
    const started = await provider.startCharge(request);
    expect(started).toMatchObject({
      provider: 'clip',
      externalReference: request.externalReference,
      status: 'CREATED',
      amount: '125.50',
      terminalId: TERMINAL,
      payment: null,
      refunded: '0.00',
    });
    expect(started.reference).toMatch(/^pinpad-[0-9a-f-]{36}$/);
    const sent = clip.intent(started.reference);
    expect(sent).toMatchObject({ reference: request.externalReference, amount: '125.50', serial_number_pos: TERMINAL, status: 'PENDING' });
    expect(sent.webhook_url).toBe(clipWebhookUrl(receiver.url, WEBHOOK_SECRET));
    expect(sent.preferences).toMatchObject({ is_tip_enabled: false, is_split_payment_enabled: false, is_msi_enabled: false });

    clip.terminal(started.reference).takes();
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'AT_TERMINAL', detail: 'IN_PROCESS' });

    clip.terminal(started.reference).pays({ brand: 'visa', type: 'debit_card', last4: '0004' });
    const paid = await provider.charge(started.reference);
    expect(paid).toMatchObject({ status: 'APPROVED', detail: 'COMPLETED', amount: '125.50', refunded: '0.00', terminalId: TERMINAL });
    const transaction = clip.intent(started.reference).results[0]!;
    expect(paid.payment).toEqual({ id: transaction.transaction_id, approvalCode: null, cardLast4: '0004', cardBrand: 'visa' });
    const kept = JSON.stringify(paid);
    for (const secret of [API_KEY, SECRET_KEY, WEBHOOK_SECRET]) expect(kept).not.toContain(secret);
    expect(kept).not.toContain('exp_year');
  });

  it('makes one intent per reference however often, and however concurrently, the request is sent', async () => {
    const request = chargeRequest();
    clip.script({ status: 500, json: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error occurred' } });
    const first = await failure(provider.startCharge(request));
    expect(first.failure).toBe('UNAVAILABLE');
    expect(first.uncertain).toBe(true);

    const answers = await Promise.all([provider.startCharge(request), provider.startCharge(request), provider.startCharge(request)]);
    const again = await provider.startCharge(request);
    expect(new Set([...answers, again].map((a) => a.reference))).toEqual(new Set([again.reference]));
    expect(liveIntents(request.externalReference).map((i) => i.pinpad_request_id)).toEqual([again.reference]);
    // The duplicates Clip queued behind it were withdrawn before the terminal could show them.
    clip.terminal(again.reference).pays();
    expect(clip.intents.filter((i) => i.status === 'PENDING' || i.status === 'IN_PROCESS')).toEqual([]);
  });

  it('asked again after a timeout Clip had acted on answers the intent it made, before and after the terminal took it', async () => {
    const request = chargeRequest();
    clip.script('act-then-hang');
    const timedOut = await failure(provider.startCharge(request));
    expect(timedOut.failure).toBe('TIMEOUT');
    expect(timedOut.uncertain).toBe(true);
    expect(timedOut.message).toContain('misma referencia');
    const made = clip.intents[0]!;

    expect((await provider.startCharge(request)).reference).toBe(made.pinpad_request_id);
    clip.terminal(made.pinpad_request_id).takes();
    const onTerminal = await provider.startCharge(request);
    expect(onTerminal).toMatchObject({ reference: made.pinpad_request_id, status: 'AT_TERMINAL' });
    expect(liveIntents(request.externalReference)).toHaveLength(1);
  });

  it('asked again after the connection dropped, before or during the answer, answers the same intent', async () => {
    for (const [drop, terminalId] of [
      ['act-then-drop', TERMINAL],
      ['answer-then-drop', OTHER],
    ] as const) {
      const request = chargeRequest({ terminalId });
      clip.script(drop);
      expect((await failure(provider.startCharge(request))).failure).toBe('UNAVAILABLE');
      const retried = await provider.startCharge(request);
      expect(liveIntents(request.externalReference).map((i) => i.pinpad_request_id)).toEqual([retried.reference]);
    }
  });

  it('with a reference already on the terminal for another amount is refused, and nothing new stays queued', async () => {
    const request = chargeRequest();
    const first = await provider.startCharge(request);
    const refused = await failure(provider.startCharge({ ...request, amount: '99.00' }));
    expect(refused.failure).toBe('REFUSED');
    expect(refused.message).toContain('una referencia es un solo cobro');
    expect(clip.intents.filter((i) => i.status === 'PENDING').map((i) => i.pinpad_request_id)).toEqual([first.reference]);
  });

  it('on a terminal busy with another sale is refused, with nothing of it left waiting there, even what a lost answer left', async () => {
    const other = await provider.startCharge(chargeRequest());
    const busy = await failure(provider.startCharge(chargeRequest()));
    expect(busy.failure).toBe('REFUSED');
    expect(busy.message).toContain('ya tiene otro cobro en curso');
    expect(busy.message).toContain(other.reference);

    const lost = chargeRequest();
    clip.script('act-then-hang');
    expect((await failure(provider.startCharge(lost))).failure).toBe('TIMEOUT');
    expect(clip.intents.filter((i) => i.reference === lost.externalReference && i.status === 'PENDING')).toHaveLength(1);
    const stillBusy = await failure(provider.startCharge(lost));
    expect(stillBusy.message).toContain('ya tiene otro cobro en curso');
    expect(clip.intents.filter((i) => i.status === 'PENDING').map((i) => i.pinpad_request_id)).toEqual([other.reference]);
  });

  it('whose card is declined and given up at the terminal ends DECLINED, in Clip’s word', async () => {
    const started = await provider.startCharge(chargeRequest());
    clip.terminal(started.reference).declines();
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'DECLINED', detail: 'REJECTED', payment: null });
  });

  it('that nobody touches on a terminal with an inactivity timeout is cancelled by Clip after its minute plus the timeout, not before', async () => {
    const started = await provider.startCharge(chargeRequest({ terminalId: OTHER }));
    clip.terminal(started.reference).takes();
    clip.advance(79_000);
    expect((await provider.charge(started.reference)).status).toBe('AT_TERMINAL');
    clip.advance(2_000);
    expect(await provider.charge(started.reference)).toMatchObject({ status: 'CANCELLED', detail: 'CANCELED', payment: null });
  });
});

describe('cancelling a charge', () => {
  it('before the terminal took it withdraws it at once, and asking again with either key answers it cancelled', async () => {
    const started = await provider.startCharge(chargeRequest());
    const key = randomUUID();
    expect(await provider.cancelCharge(started.reference, key)).toMatchObject({ status: 'CANCELLED', detail: 'CANCELED' });
    expect((await provider.cancelCharge(started.reference, key)).status).toBe('CANCELLED');
    expect((await provider.cancelCharge(started.reference, randomUUID())).status).toBe('CANCELLED');
  });

  it('once on the terminal is answered as it stands, for Clip cancels it only there; cancelled there it is CANCELLED', async () => {
    const started = await provider.startCharge(chargeRequest());
    clip.terminal(started.reference).takes();
    expect(await provider.cancelCharge(started.reference, randomUUID())).toMatchObject({ status: 'AT_TERMINAL', detail: 'IN_PROCESS' });
    clip.terminal(started.reference).cancels();
    expect((await provider.charge(started.reference)).status).toBe('CANCELLED');
  });

  it('that the customer paid first is answered as it is, APPROVED with its payment', async () => {
    const { reference, paymentId } = await paidCharge();
    expect(await provider.cancelCharge(reference, randomUUID())).toMatchObject({ status: 'APPROVED', payment: { id: paymentId } });
  });
});

describe('refunding a charge', () => {
  it('in part names the transaction and the amount under its key; the whole refund then gives back what is left', async () => {
    const { reference, paymentId } = await paidCharge();
    const key = randomUUID();
    const part = await provider.refund({ idempotencyKey: key, reference, paymentId, amount: '40' });
    expect(part).toMatchObject({ reference, amount: '40.00', status: 'APPROVED' });
    expect(await provider.charge(reference)).toMatchObject({ status: 'APPROVED', refunded: '40.00' });
    // Within Clip's minute the same key is the same refund.
    expect((await provider.refund({ idempotencyKey: key, reference, paymentId, amount: '40' })).id).toBe(part.id);
    expect(clip.refunds).toHaveLength(1);
    expect(clip.refunds[0]).toMatchObject({ transactionId: paymentId, amount: '40.00', key });

    const rest = await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null });
    expect(rest).toMatchObject({ amount: '85.50', status: 'APPROVED' });
    expect(rest.id).not.toBe(part.id);
    expect(await provider.charge(reference)).toMatchObject({ status: 'REFUNDED', refunded: '125.50' });

    const again = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null }));
    expect(again.failure).toBe('REFUSED');
    expect(again.message).toContain('ya se devolvió completo');
    expect(clip.refunds).toHaveLength(2);
  });

  it('whole, repeated after Clip forgot its key, finds nothing left rather than refunding twice', async () => {
    const { reference, paymentId } = await paidCharge('80.00');
    const request = { idempotencyKey: randomUUID(), reference, paymentId, amount: null };
    // The intent is read first; the refund itself is what Clip makes and never answers.
    clip.script('pass', 'act-then-hang');
    expect((await failure(provider.refund(request))).failure).toBe('TIMEOUT');
    clip.advance(5 * 60_000);
    const repeated = await failure(provider.refund(request));
    expect(repeated.message).toContain('ya se devolvió completo');
    expect(clip.refunds.map((r) => r.amount)).toEqual(['80.00']);
  });

  it('for more than is left to give back is refused in Clip’s words', async () => {
    const { reference, paymentId } = await paidCharge('100.00');
    await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: '70.00' });
    const over = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: '30.01' }));
    expect(over.failure).toBe('REFUSED');
    expect(over.details).toMatchObject({ status: 409, code: 'AI1802' });
    expect(over.message).toContain('sumado a lo ya devuelto');
    expect(over.message).toContain('plus previous refunds');
  });

  it('of a charge never paid, or of a payment not in it, is NOT_FOUND and sends no refund', async () => {
    const started = await provider.startCharge(chargeRequest({ terminalId: OTHER }));
    const unpaid = await failure(
      provider.refund({ idempotencyKey: randomUUID(), reference: started.reference, paymentId: randomUUID(), amount: null }),
    );
    expect(unpaid.failure).toBe('NOT_FOUND');
    const { reference } = await paidCharge();
    const stranger = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId: randomUUID(), amount: '10.00' }));
    expect(stranger.failure).toBe('NOT_FOUND');
    expect(clip.refunds).toEqual([]);
  });
});

describe('the account’s terminals', () => {
  it('are listed by serial, integrated unless the account lacks Clip’s PinPad feature for them', async () => {
    expect(await provider.terminals()).toEqual([
      { id: TERMINAL, label: TERMINAL, integrated: true },
      { id: OTHER, label: OTHER, integrated: true },
      { id: 'PP35542235000287', label: 'PP35542235000287', integrated: true },
      { id: 'PP35542235000290', label: 'PP35542235000290', integrated: false },
    ]);
  });
});

describe('when Clip refuses or fails', () => {
  it('refused credentials are AUTH for every call, and no message or detail carries them', async () => {
    const { reference, paymentId } = await paidCharge();
    clip.refuseCredentials(true);
    const calls: (() => Promise<unknown>)[] = [
      () => provider.startCharge(chargeRequest({ terminalId: OTHER })),
      () => provider.charge(reference),
      () => provider.cancelCharge(reference, randomUUID()),
      () => provider.terminals(),
    ];
    const basic = Buffer.from(`${API_KEY}:${SECRET_KEY}`).toString('base64');
    for (const call of calls) {
      const refused = await failure(call());
      expect(refused.failure).toBe('AUTH');
      expect(refused.details.status).toBe(401);
      expect(refused.message).toContain('credenciales');
      for (const secret of [API_KEY, SECRET_KEY, basic])
        expect(`${refused.message} ${JSON.stringify(refused.details)}`).not.toContain(secret);
    }
    // The refunds API says it with 403 CL1500.
    clip.refuseCredentials(true, 'refunds');
    const refundRefused = await failure(provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: '1.00' }));
    expect(refundRefused.failure).toBe('AUTH');
    expect(refundRefused.details).toMatchObject({ status: 403, code: 'CL1500' });
  });

  it('a terminal that is not the account’s, or is off line, is REFUSED saying so in Spanish and in Clip’s words', async () => {
    for (const terminalId of ['P8ZZ0000000001', 'PP35542235000287']) {
      const refused = await failure(provider.startCharge(chargeRequest({ terminalId })));
      expect(refused.failure).toBe('REFUSED');
      expect(refused.details).toMatchObject({ status: 400, code: 'ERR10_04' });
      expect(refused.message).toContain('la terminal Clip no está disponible');
      expect(refused.message).toContain('Pinpad application is closed');
    }
    expect(clip.intents).toEqual([]);
  });

  it('an intent it does not have is NOT_FOUND', async () => {
    expect((await failure(provider.charge(`pinpad-${randomUUID()}`))).failure).toBe('NOT_FOUND');
  });

  it('a 5xx, a refused connection and a request nobody answers are UNAVAILABLE or TIMEOUT, never a refusal', async () => {
    clip.script({ status: 503, json: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error occurred' } });
    expect((await failure(provider.terminals())).failure).toBe('UNAVAILABLE');

    clip.script('hang');
    const hung = await failure(provider.terminals());
    expect(hung.failure).toBe('TIMEOUT');
    expect(hung.message).toContain('600 ms');

    const closedPort = clipAdapter({ baseUrl: `http://127.0.0.1:${await portNobodyListensOn()}` });
    const refused = await failure(closedPort.startCharge(chargeRequest()));
    expect(refused.failure).toBe('UNAVAILABLE');
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('an answer that is not JSON, not an intent, or in a state Clip does not document is BAD_ANSWER', async () => {
    clip.script({ status: 200, raw: '<html><body>Bad gateway</body></html>' });
    const notJson = await failure(provider.startCharge(chargeRequest()));
    expect(notJson.failure).toBe('BAD_ANSWER');
    expect(notJson.details.status).toBe(200);

    const started = await provider.startCharge(chargeRequest({ terminalId: OTHER }));
    const shown = clip.intent(started.reference);
    for (const malformed of [
      { pinpad_request_id: started.reference, reference: shown.reference, amount: '125.50' },
      { pinpad_request_id: started.reference, reference: shown.reference, amount: '125.505', status: 'PENDING' },
      { pinpad_request_id: started.reference, reference: shown.reference, amount: '125.50', status: 'ON_HOLD' },
    ]) {
      clip.script({ status: 200, json: malformed });
      expect((await failure(provider.charge(started.reference))).failure).toBe('BAD_ANSWER');
    }
  });

  it('a request Clip would refuse is refused before anything is sent', async () => {
    const before = clip.requests;
    for (const bad of [
      chargeRequest({ amount: '12.345' }),
      chargeRequest({ amount: '0.00' }),
      chargeRequest({ currency: 'USD' }),
      chargeRequest({ externalReference: 'venta 12 con espacios' }),
      chargeRequest({ idempotencyKey: '' }),
      chargeRequest({ terminalId: 'P8-22 07' }),
    ]) {
      expect((await failure(provider.startCharge(bad))).failure).toBe('REFUSED');
    }
    expect((await failure(provider.charge('ORD01JQ4S4KY8HWQ6NA5PXB65B3D3'))).failure).toBe('REFUSED');
    expect(clip.requests).toBe(before);
  });
});

describe('a webhook', () => {
  const delivered = async () => {
    await clip.flush();
    return receiver.received.at(-1)!;
  };

  it('that came through the URL the adapter gave Clip names the intent; the same notice again is the same notice', async () => {
    const { reference } = await paidCharge();
    const first = await delivered();
    expect(JSON.parse(first.body)).toEqual({ id: reference, origin: 'pinpad-payments-api', event_type: 'PINPAD_INTENT_STATUS_CHANGED' });
    const notice = provider.webhook(first);
    expect(notice).toEqual({ id: reference, reference });

    await clip.send(clip.notices[0]!);
    expect(provider.webhook(await delivered())).toEqual(notice);
  });

  it('without the URL’s token, with another, or checked without the secret, is INVALID_SIGNATURE', async () => {
    await paidCharge();
    const good = await delivered();
    const forged: WebhookRequest[] = [
      { ...good, query: {} },
      { ...good, query: { clip_token: 'ab'.repeat(32) } },
      { ...good, query: { clip_token: good.query.clip_token!.slice(0, 10) } },
    ];
    for (const request of forged) expect(failureOf(() => provider.webhook(request)).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => clipAdapter({ webhookSecret: 'otro-secreto' }).webhook(good)).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => clipAdapter({ webhookSecret: undefined }).webhook(good)).failure).toBe('INVALID_SIGNATURE');
  });

  it('sent to the dashboard’s URL is accepted only when that URL carries the token too', async () => {
    await clip.close();
    const dashboard = clipWebhookUrl(receiver.url, WEBHOOK_SECRET);
    clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: DEVICES, dashboardWebhookUrl: dashboard });
    provider = clipAdapter({ webhookUrl: undefined });
    const started = await provider.startCharge(chargeRequest());
    expect(clip.intent(started.reference).webhook_url).toBeNull();
    expect(provider.webhook(await delivered()).reference).toBe(started.reference);

    await clip.close();
    clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: DEVICES, dashboardWebhookUrl: receiver.url });
    provider = clipAdapter({ webhookUrl: undefined });
    await provider.startCharge(chargeRequest());
    const bare = await delivered();
    expect(bare.query).toEqual({});
    expect(failureOf(() => provider.webhook(bare)).failure).toBe('INVALID_SIGNATURE');
  });

  it('with the token but a body that is not a PinPad notice is BAD_ANSWER', async () => {
    await paidCharge();
    const good = await delivered();
    for (const body of [
      'not json',
      '{"id":"ORD01","event_type":"PINPAD_INTENT_STATUS_CHANGED"}',
      '{"id":"pinpad-1","event_type":"CHECKOUT"}',
    ]) {
      expect(failureOf(() => provider.webhook({ ...good, body })).failure).toBe('BAD_ANSWER');
    }
  });

  it('notices duplicated and out of order each name the intent, and the charge read after them is where it stands now', async () => {
    const { reference, paymentId } = await paidCharge();
    await provider.refund({ idempotencyKey: randomUUID(), reference, paymentId, amount: null });
    await clip.flush();
    expect(clip.notices.map((n) => n.status)).toEqual(['PENDING', 'IN_PROCESS', 'COMPLETED']);
    const before = receiver.received.length;
    for (const notice of [...clip.notices].reverse()) await clip.send(notice);
    await clip.send(clip.notices[1]!);
    const again = receiver.received.slice(before).map((r) => provider.webhook(r));
    expect(again).toHaveLength(4);
    for (const notice of again) expect(notice).toEqual({ id: reference, reference });
    expect((await provider.charge(reference)).status).toBe('REFUNDED');
  });
});

describe('the payments the account took', () => {
  const span = () => ({ from: new Date(clip.now() - 3600_000), to: new Date(clip.now() + 60_000) });

  it('are the approved card transactions of the terminals, with their terminal, amount and refunds; a declined card is none', async () => {
    const first = await paidCharge('125.50');
    const second = await paidCharge('40.00', OTHER);
    await provider.refund({ idempotencyKey: randomUUID(), reference: second.reference, paymentId: second.paymentId, amount: '15.00' });
    const declined = await provider.startCharge(chargeRequest({ amount: '9.00' }));
    clip.terminal(declined.reference).declines();

    expect(await provider.payments(span())).toEqual([
      expect.objectContaining({ id: first.paymentId, terminalId: TERMINAL, amount: '125.50', refunded: '0.00' }),
      expect.objectContaining({ id: second.paymentId, terminalId: OTHER, amount: '40.00', refunded: '15.00' }),
    ]);
    expect((await provider.payments({ ...span(), terminalId: OTHER })).map((p) => p.id)).toEqual([second.paymentId]);
  });

  it('are all read when Clip answers them in pages', async () => {
    await clip.close();
    clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: DEVICES, paymentsPageSize: 2 });
    provider = clipAdapter();
    const paid = [];
    for (const amount of ['1.00', '2.00', '3.00', '4.00', '5.00']) paid.push((await paidCharge(amount)).paymentId);
    const before = clip.attempts;
    expect((await provider.payments(span())).map((p) => p.id)).toEqual(paid);
    expect(clip.attempts - before).toBe(3);

    clip.script('pass', { status: 503, json: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error occurred' } });
    expect((await failure(provider.payments(span()))).failure).toBe('UNAVAILABLE');
    clip.script('pass', 'pass', 'hang');
    expect((await failure(provider.payments(span()))).failure).toBe('TIMEOUT');
  });

  it('an answer that is not a list of payments, or in a state Clip does not document, is BAD_ANSWER', async () => {
    await paidCharge();
    clip.script({ status: 200, json: { items: [] } });
    expect((await failure(provider.payments(span()))).failure).toBe('BAD_ANSWER');
    clip.script({
      status: 200,
      json: { results: [{ id: randomUUID(), status: 'on_hold', amount: 10, amount_refunded: 0, created_at: new Date().toISOString() }] },
    });
    expect((await failure(provider.payments(span()))).failure).toBe('BAD_ANSWER');
    clip.script({
      status: 200,
      json: { results: [{ id: randomUUID(), status: 'approved', amount: 10.005, created_at: new Date().toISOString() }] },
    });
    expect((await failure(provider.payments(span()))).failure).toBe('BAD_ANSWER');
  });

  it('refused credentials are AUTH, and the message does not carry them', async () => {
    clip.refuseCredentials(true);
    const refused = await failure(provider.payments(span()));
    expect(refused.failure).toBe('AUTH');
    expect(refused.message).not.toContain(SECRET_KEY);
  });
});
