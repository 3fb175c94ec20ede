import { describe, expect, it } from 'vitest';
import { CardProviderError, type WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';
import { clipCredentials } from '#engine/payments/card-terminals/clip.ts';
import {
  chargeFromCreated,
  chargeFromIntent,
  chargeStatusOf,
  clipErrorOf,
  exactAmount,
  parseCreated,
  parseIntent,
  parsePaymentsPage,
  paymentFromListed,
  terminalsFromDevices,
} from '#engine/payments/card-terminals/clip-intents.ts';
import { clipNotice, clipWebhookUrl, WEBHOOK_TOKEN_PARAM, webhookToken } from '#engine/payments/card-terminals/clip-webhook.ts';
import { JsonDecimal, jsonWithDecimals } from '#engine/payments/card-terminals/provider-http.ts';

const INTENT_ID = 'pinpad-0d08e174-d7ca-4773-8ead-894bf7067bd0';
const TRANSACTION_ID = 'f473b6eb-a71e-480b-82a3-2e851188c46f';

/** An approved card transaction as get_payment's example shows one, changed by `over`. */
const result = (over: Record<string, unknown> = {}) => ({
  id: '7bd5f8a2-f230-410e-b4f5-1006f285b755',
  transaction_id: TRANSACTION_ID,
  type: 'pos',
  entry_mode: 'qps',
  amount: 24,
  tip_amount: 0,
  amount_refunded: 0,
  installments: 1,
  paid_amount: 24,
  status: 'approved',
  approved_at: '2025-02-20T15:33:22Z',
  currency: 'MXN',
  payment_method: {
    id: 'master',
    type: 'credit_card',
    card: { bin: '549949', issuer: 'CITIBANAMEX', last_digits: '8356', exp_year: '26', exp_month: '08' },
  },
  device: { id: 'P8C1231120001152', type: 'Si', manufacturer: 'KOZEN' },
  ...over,
});

const intent = (over: Record<string, unknown> = {}, results: unknown[] = [result()]) =>
  parseIntent({
    pinpad_request_id: INTENT_ID,
    reference: 'A-CAJA-1-17',
    amount: '24.00',
    amount_paid: '24.00',
    tip_amount: '0.00',
    create_date: '2025-02-20T15:32:26.432',
    status: 'COMPLETED',
    detail: { pages: { size: 50, number: 1, total: 1, total_results: results.length }, results },
    ...over,
  });

const failure = (fn: () => unknown): CardProviderError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CardProviderError) return error;
    throw error;
  }
  throw new Error('expected a CardProviderError');
};

describe('a Clip payment intent’s status', () => {
  it('is read into the interface’s words for every state Clip documents', () => {
    expect(chargeStatusOf('PENDING', false)).toBe('CREATED');
    expect(chargeStatusOf('IN_PROCESS', false)).toBe('AT_TERMINAL');
    expect(chargeStatusOf('COMPLETED', false)).toBe('APPROVED');
    expect(chargeStatusOf('APPROVED', false)).toBe('APPROVED');
    expect(chargeStatusOf('REJECTED', false)).toBe('DECLINED');
    expect(chargeStatusOf('FAILED', false)).toBe('DECLINED');
    expect(chargeStatusOf('CANCELED', false)).toBe('CANCELLED');
  });

  it('is REFUNDED once what was paid has all been given back, and only if it was paid', () => {
    expect(chargeStatusOf('COMPLETED', true)).toBe('REFUNDED');
    expect(chargeStatusOf('CANCELED', true)).toBe('CANCELLED');
  });

  it('is no state at all for a word Clip does not document', () => {
    expect(chargeStatusOf('EXPIRED', false)).toBeNull();
    expect(chargeStatusOf('completed', false)).toBeNull();
  });
});

describe('an amount Clip sends', () => {
  it('is read exactly, as decimal text with two places, whether Clip wrote it as a number or as text', () => {
    expect(exactAmount(0.5)).toBe('0.50');
    expect(exactAmount(125.5)).toBe('125.50');
    expect(exactAmount(0.1)).toBe('0.10');
    expect(exactAmount('200.50')).toBe('200.50');
    expect(exactAmount(1000)).toBe('1000.00');
  });

  it('is not an amount with more than two decimals, in exponent form, negative, or not a number', () => {
    for (const bad of [0.125, '125.505', 1e21, -1, '-1.00', 'abc', Number.NaN, null, {}]) expect(exactAmount(bad)).toBeNull();
  });
});

describe('an amount the adapter sends where Clip documents a JSON number', () => {
  it('is written as its own digits, never through a JavaScript number', () => {
    const text = jsonWithDecimals({
      reference: { type: 'transaction', id: TRANSACTION_ID },
      amount: new JsonDecimal('40.10'),
      reason: 'x',
    });
    expect(text).toBe(`{"reference":{"type":"transaction","id":"${TRANSACTION_ID}"},"amount":40.10,"reason":"x"}`);
    expect(jsonWithDecimals({ a: new JsonDecimal('0.01'), b: 'amount: 0.01' })).toBe('{"a":0.01,"b":"amount: 0.01"}');
  });

  it('is refused when it is not a decimal', () => {
    expect(() => new JsonDecimal('1e3')).toThrow();
    expect(() => new JsonDecimal('12,50')).toThrow();
  });
});

describe('an intent read as a charge', () => {
  it('paid: APPROVED with its transaction, the card’s brand and last digits, and the terminal that took it', () => {
    const charge = chargeFromIntent(intent(), []);
    expect(charge).toMatchObject({
      provider: 'clip',
      reference: INTENT_ID,
      externalReference: 'A-CAJA-1-17',
      status: 'APPROVED',
      detail: 'COMPLETED',
      amount: '24.00',
      terminalId: 'P8C1231120001152',
      refunded: '0.00',
      payment: { id: TRANSACTION_ID, approvalCode: null, cardLast4: '8356', cardBrand: 'master' },
    });
  });

  it('keeps what Clip answered without the card’s expiry or the account’s secrets', () => {
    const charge = chargeFromIntent(intent({ reference: 'A-CAJA-1-17-secreto-abc' }), ['secreto-abc']);
    const kept = JSON.stringify(charge.data);
    expect(kept).not.toContain('exp_year');
    expect(kept).not.toContain('exp_month');
    expect(kept).not.toContain('secreto-abc');
    expect(kept).toContain('8356');
  });

  it('refunded in part stays APPROVED with what was given back; refunded whole is REFUNDED', () => {
    expect(chargeFromIntent(intent({}, [result({ amount_refunded: 10.5 })]), [])).toMatchObject({ status: 'APPROVED', refunded: '10.50' });
    expect(chargeFromIntent(intent({}, [result({ amount_refunded: 24 })]), [])).toMatchObject({ status: 'REFUNDED', refunded: '24.00' });
  });

  it('paid after a declined card names the approved transaction, not the declined one', () => {
    const declined = result({ transaction_id: 'c4e4294d-3cfb-4c6d-bff1-a66edd15d1c8', status: 'declined', paid_amount: 0 });
    expect(chargeFromIntent(intent({}, [declined, result()]), []).payment?.id).toBe(TRANSACTION_ID);
  });

  it('not paid has no payment', () => {
    for (const status of ['PENDING', 'IN_PROCESS', 'REJECTED', 'CANCELED']) {
      expect(chargeFromIntent(intent({ status }, []), []).payment).toBeNull();
    }
  });

  it('paid without an approved transaction, paid with two cards, or in an undocumented state is BAD_ANSWER', () => {
    expect(failure(() => chargeFromIntent(intent({}, []), [])).failure).toBe('BAD_ANSWER');
    expect(failure(() => chargeFromIntent(intent({}, [result(), result({ transaction_id: 'x' })]), [])).failure).toBe('BAD_ANSWER');
    expect(failure(() => chargeFromIntent(intent({ status: 'ON_HOLD' }), [])).message).toContain('ON_HOLD');
  });

  it('whose answer lacks its status, has an amount of three decimals, or an id that is not pinpad-… is BAD_ANSWER', () => {
    expect(failure(() => intent({ status: undefined })).failure).toBe('BAD_ANSWER');
    expect(failure(() => intent({ amount: '24.005' })).failure).toBe('BAD_ANSWER');
    expect(failure(() => intent({ pinpad_request_id: 'ORD01JQ4S4KY8HWQ6NA5PXB65B3D3' })).failure).toBe('BAD_ANSWER');
    expect(failure(() => intent({}, [result({ amount: '24.001' })])).failure).toBe('BAD_ANSWER');
  });
});

describe('a created intent read as a charge', () => {
  it('is CREATED on the terminal Clip names, with nothing paid', () => {
    const created = parseCreated({
      pinpad_request_id: INTENT_ID,
      reference: 'A-CAJA-1-17',
      amount: '200.50',
      serial_number_pos: 'P8220724000042',
      current_payment_on_transaction: null,
    });
    expect(chargeFromCreated(created, [])).toMatchObject({
      status: 'CREATED',
      amount: '200.50',
      terminalId: 'P8220724000042',
      payment: null,
      refunded: '0.00',
    });
  });

  it('takes the amount as a number too, as Clip’s older pages show it', () => {
    expect(parseCreated({ pinpad_request_id: INTENT_ID, reference: 'r', amount: 1000, serial_number_pos: 'P8' }).amount).toBe('1000.00');
  });
});

describe('the account’s PinPad devices', () => {
  it('are terminals by serial, integrated unless Clip says the account lacks the feature (unknown)', () => {
    const listed = terminalsFromDevices([
      { merchant_id: 'uuid', serial_number: 'PP35542235000286', status: 'active', version: 5 },
      { merchant_id: 'uuid', serial_number: 'PP35542235000287', status: 'expired', version: 3 },
      { merchant_id: 'uuid', serial_number: 'PP35542235000288', status: 'unknown', version: 1 },
    ]);
    expect(listed).toEqual([
      { id: 'PP35542235000286', label: 'PP35542235000286', integrated: true },
      { id: 'PP35542235000287', label: 'PP35542235000287', integrated: true },
      { id: 'PP35542235000288', label: 'PP35542235000288', integrated: false },
    ]);
    expect(terminalsFromDevices([])).toEqual([]);
  });

  it('answered as anything but an array of serials is BAD_ANSWER', () => {
    expect(failure(() => terminalsFromDevices({ devices: [] })).failure).toBe('BAD_ANSWER');
    expect(failure(() => terminalsFromDevices([{ status: 'active' }])).failure).toBe('BAD_ANSWER');
  });
});

describe('Clip’s error envelopes', () => {
  it('are read from the PinPad API’s code and message, with the intents a busy terminal holds', () => {
    expect(
      clipErrorOf({
        code: 'PAYMENT_PENDING',
        message: 'El dispositivo tiene un pago pendiente en curso',
        data: { current_payment_on_transaction: 'pinpad-a', payment_enqueued: 'pinpad-b' },
      }),
    ).toEqual({ code: 'PAYMENT_PENDING', message: 'El dispositivo tiene un pago pendiente en curso', pending: ['pinpad-a', 'pinpad-b'] });
  });

  it('are read from the refunds API’s error_code, message and detail, and from a bare message', () => {
    expect(clipErrorOf({ error_code: 'AI1801', message: 'Conflict', detail: ['The refund amount is greater that the original'] })).toEqual({
      code: 'AI1801',
      message: 'Conflict: The refund amount is greater that the original',
      pending: [],
    });
    expect(clipErrorOf({ message: 'Unauthorized' })).toEqual({ code: null, message: 'Unauthorized', pending: [] });
    expect(clipErrorOf('<html>')).toEqual({ code: null, message: null, pending: [] });
  });
});

describe('the register’s one-string Clip credentials', () => {
  it('are "api_key:clave_secreta", or Clip’s base64 token of them, with or without its Basic prefix', () => {
    const token = Buffer.from('16c62840-9903:s3cr3t:with-colon').toString('base64');
    const expected = { apiKey: '16c62840-9903', secretKey: 's3cr3t:with-colon' };
    expect(clipCredentials('16c62840-9903:s3cr3t:with-colon')).toEqual(expected);
    expect(clipCredentials(token)).toEqual(expected);
    expect(clipCredentials(`Basic ${token}`)).toEqual(expected);
  });

  it('are refused when either half is missing', () => {
    for (const bad of ['', 'solo-la-llave', ':secreto', 'llave:', Buffer.from('sin-dos-puntos').toString('base64')]) {
      expect(() => clipCredentials(bad)).toThrow();
    }
  });
});

describe('a webhook’s token', () => {
  const request = (
    query: Record<string, string>,
    body = `{"id":"${INTENT_ID}","origin":"pinpad-payments-api","event_type":"PINPAD_INTENT_STATUS_CHANGED"}`,
  ) => ({ headers: { 'content-type': 'application/json' }, query, body }) satisfies WebhookRequest;

  it('is derived from the secret, never the secret itself, and differs from one secret to another', () => {
    expect(webhookToken('uno')).toMatch(/^[0-9a-f]{64}$/);
    expect(webhookToken('uno')).toBe(webhookToken('uno'));
    expect(webhookToken('uno')).not.toBe(webhookToken('dos'));
    expect(webhookToken('uno')).not.toContain('uno');
  });

  it('rides in the endpoint’s query beside what it already has', () => {
    const url = new URL(clipWebhookUrl('https://pos.example.mx/webhooks/clip?tienda=7', 'uno'));
    expect(url.searchParams.get('tienda')).toBe('7');
    expect(url.searchParams.get(WEBHOOK_TOKEN_PARAM)).toBe(webhookToken('uno'));
  });

  it('present and right lets the notice name its intent; both of Clip’s event_type values are read', () => {
    expect(clipNotice(request({ [WEBHOOK_TOKEN_PARAM]: webhookToken('uno') }), 'uno')).toEqual({ id: INTENT_ID, reference: INTENT_ID });
    const update = request(
      { [WEBHOOK_TOKEN_PARAM]: webhookToken('uno') },
      `{"id":"${INTENT_ID}","origin":"pinpad-api","event_type":"UPDATE"}`,
    );
    expect(clipNotice(update, 'uno').reference).toBe(INTENT_ID);
  });

  it('missing, wrong, or checked without a secret is INVALID_SIGNATURE', () => {
    expect(failure(() => clipNotice(request({}), 'uno')).failure).toBe('INVALID_SIGNATURE');
    expect(failure(() => clipNotice(request({ [WEBHOOK_TOKEN_PARAM]: webhookToken('dos') }), 'uno')).failure).toBe('INVALID_SIGNATURE');
    expect(failure(() => clipNotice(request({ [WEBHOOK_TOKEN_PARAM]: 'uno' }), 'uno')).failure).toBe('INVALID_SIGNATURE');
    expect(failure(() => clipNotice(request({ [WEBHOOK_TOKEN_PARAM]: webhookToken('uno') }), '')).failure).toBe('INVALID_SIGNATURE');
  });
});

describe('a listed Clip payment', () => {
  const listed = (over: Record<string, unknown> = {}) =>
    parsePaymentsPage({
      results: [
        {
          id: TRANSACTION_ID,
          status: 'approved',
          amount: 120.5,
          tip_amount: 0,
          amount_refunded: 20,
          created_at: '2026-11-25T15:04:05Z',
          device: { id: 'P8220724000042' },
          ...over,
        },
      ],
    }).results[0]!;
  it('is the transaction taken, its terminal, amount and refunds as exact decimals', () => {
    expect(paymentFromListed(listed())).toEqual({
      id: TRANSACTION_ID,
      reference: null,
      externalReference: null,
      terminalId: 'P8220724000042',
      amount: '120.50',
      refunded: '20.00',
      createdAt: '2026-11-25T15:04:05.000Z',
    });
  });
  it('is none for a card declined or a payment cancelled, and BAD_ANSWER for a state Clip does not document', () => {
    expect(paymentFromListed(listed({ status: 'declined' }))).toBeNull();
    expect(paymentFromListed(listed({ status: 'CANCELED' }))).toBeNull();
    expect(() => paymentFromListed(listed({ status: 'on_hold' }))).toThrow(CardProviderError);
    expect(() => paymentFromListed(listed({ created_at: 'ayer' }))).toThrow(CardProviderError);
  });
});
