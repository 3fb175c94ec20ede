import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CardProviderError, type WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';
import { isoDuration } from '#engine/payments/card-terminals/mercadopago.ts';
import {
  chargeFromOrder,
  chargeStatusOf,
  type MpOrder,
  parseOrder,
  parseOrdersPage,
  paymentFromOrder,
  refundFromOrder,
  serialOf,
} from '#engine/payments/card-terminals/mercadopago-orders.ts';
import { mercadoPagoNotice, signatureManifest, signatureParts } from '#engine/payments/card-terminals/mercadopago-webhook.ts';
import { withoutSecrets } from '#engine/payments/card-terminals/provider-http.ts';

const ORDER_ID = 'ORD01JQ4S4KY8HWQ6NA5PXB65B3D3';
const PAYMENT_ID = 'PAY01JQ4S4KY8HWQ6NA5PXB7QSWZA';

/** A Point order as the reference's examples show one, changed by `over`. */
function order(over: Record<string, unknown> = {}, payment: Record<string, unknown> = {}, refunds?: unknown[]): MpOrder {
  return parseOrder({
    id: ORDER_ID,
    type: 'point',
    user_id: '5238400195',
    external_reference: 'A-CAJA-1-17',
    status: 'processed',
    status_detail: 'processed',
    config: { point: { terminal_id: 'NEWLAND_N950__N950NCB801293324', print_on_terminal: 'no_ticket' } },
    transactions: {
      payments: [
        {
          id: PAYMENT_ID,
          amount: '24.00',
          status: 'processed',
          status_detail: 'accredited',
          paid_amount: '24.00',
          reference_id: '12345678901',
          payment_method: { id: 'debvisa', type: 'debit_card', installments: 1 },
          card: { first_digits: '450995', last_digits: '3704' },
          ...payment,
        },
      ],
      ...(refunds ? { refunds } : {}),
    },
    ...over,
  });
}

const failureOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CardProviderError) return error;
    throw error;
  }
  throw new Error('expected a CardProviderError');
};

describe('a Mercado Pago order’s status', () => {
  it('maps each documented state onto the interface’s words', () => {
    const cases: [string, string, string][] = [
      ['created', 'created', 'CREATED'],
      ['at_terminal', 'at_terminal', 'AT_TERMINAL'],
      ['processing', 'in_process', 'PROCESSING'],
      ['action_required', 'action_required', 'PROCESSING'],
      ['processed', 'processed', 'APPROVED'],
      ['processed', 'partially_refunded', 'APPROVED'],
      ['processed', 'refunded', 'REFUNDED'],
      ['refunded', 'refunded', 'REFUNDED'],
      ['failed', 'failed', 'DECLINED'],
      ['canceled', 'canceled', 'CANCELLED'],
      ['cancelled', 'canceled_transaction', 'CANCELLED'],
      ['expired', 'expired', 'EXPIRED'],
    ];
    for (const [status, detail, expected] of cases) expect(chargeStatusOf(status, detail, false), `${status}/${detail}`).toBe(expected);
  });

  it('is REFUNDED once what was given back covers what was paid, and unknown otherwise when undocumented', () => {
    expect(chargeStatusOf('processed', 'processed', true)).toBe('REFUNDED');
    expect(chargeStatusOf('on_hold', 'on_hold', false)).toBeNull();
    const err = failureOf(() => chargeFromOrder(order({ status: 'on_hold' }), []));
    expect(err.failure).toBe('BAD_ANSWER');
    expect(err.message).toContain('on_hold');
  });
});

describe('an order read as a charge', () => {
  it('carries the payment taken, its card and brand, the payment’s own detail, and amounts with two places', () => {
    const charge = chargeFromOrder(order({}, { amount: '24', paid_amount: '24' }), []);
    expect(charge).toMatchObject({
      provider: 'mercadopago',
      reference: ORDER_ID,
      externalReference: 'A-CAJA-1-17',
      status: 'APPROVED',
      detail: 'accredited',
      amount: '24.00',
      terminalId: 'NEWLAND_N950__N950NCB801293324',
      refunded: '0.00',
      payment: { id: PAYMENT_ID, approvalCode: null, cardLast4: '3704', cardBrand: 'debvisa' },
    });
  });

  it('has no payment while not taken, and the decline’s reason as its detail', () => {
    const declined = chargeFromOrder(
      order({ status: 'failed', status_detail: 'failed' }, { status: 'failed', status_detail: 'rejected_by_issuer' }),
      [],
    );
    expect(declined).toMatchObject({ status: 'DECLINED', detail: 'rejected_by_issuer', payment: null });
  });

  it('counts what its refunds gave back when the payment does not say, leaving out refunds that failed', () => {
    const refunds = [
      { id: 'REF1', transaction_id: PAYMENT_ID, amount: '10.00', status: 'processed' },
      { id: 'REF2', transaction_id: PAYMENT_ID, amount: '5.00', status: 'failed' },
      { id: 'REF3', transaction_id: PAYMENT_ID, amount: '14.00', status: 'processing' },
    ];
    expect(chargeFromOrder(order({}, {}, refunds), [])).toMatchObject({ status: 'REFUNDED', refunded: '24.00' });
    expect(chargeFromOrder(order({}, {}, refunds.slice(0, 2)), [])).toMatchObject({ status: 'APPROVED', refunded: '10.00' });
  });

  it('keeps the answer as provider data without credentials, the payer, or the account’s secrets in any text', () => {
    const token = 'APP_USR-1234567890123456-031410-abcdef';
    const data = withoutSecrets(
      {
        id: ORDER_ID,
        client_token: 'ct-1',
        payer: { email: 'ana@example.com' },
        description: `venta ${token}`,
        nested: [{ access_token: token, kept: 'sí' }],
      },
      [token],
    );
    expect(data).toEqual({ id: ORDER_ID, description: 'venta [redacted]', nested: [{ kept: 'sí' }] });
  });

  it('that is not as documented is BAD_ANSWER naming where', () => {
    const base = { id: ORDER_ID, type: 'point', external_reference: 'x', status: 'created' };
    const pay = { id: PAYMENT_ID, amount: '24.00' };
    const bad: [unknown, string][] = [
      [{ ...base, transactions: { payments: [{ ...pay, amount: 24 }] } }, 'transactions.payments.0.amount'],
      [{ ...base, transactions: { payments: [{ ...pay, amount: '24.001' }] } }, 'transactions.payments.0.amount'],
      [{ ...base, transactions: { payments: [pay, pay] } }, 'transactions.payments'],
      [{ ...base, type: 'qr', transactions: { payments: [pay] } }, 'type'],
      [{ ...base, id: undefined, transactions: { payments: [pay] } }, 'id'],
      ['<html>', 'la orden'],
    ];
    for (const [json, where] of bad) {
      const err = failureOf(() => parseOrder(json));
      expect(err.failure).toBe('BAD_ANSWER');
      expect(err.message).toContain(where);
    }
  });
});

describe('a refund read from the order the refund endpoint answers', () => {
  const refunds = [
    { id: 'REF1', transaction_id: PAYMENT_ID, amount: '10.00', status: 'processed' },
    { id: 'REF2', transaction_id: PAYMENT_ID, amount: '14.00', status: 'processing' },
  ];

  it('is the latest refund of the payment, of the amount asked for a partial one', () => {
    const o = order({ status: 'refunded', status_detail: 'refunded' }, {}, refunds);
    expect(refundFromOrder(o, { idempotencyKey: 'k', reference: ORDER_ID, paymentId: PAYMENT_ID, amount: '10.00' }, [])).toMatchObject({
      id: 'REF1',
      amount: '10.00',
      status: 'APPROVED',
    });
    expect(refundFromOrder(o, { idempotencyKey: 'k', reference: ORDER_ID, paymentId: PAYMENT_ID, amount: null }, [])).toMatchObject({
      id: 'REF2',
      amount: '14.00',
      status: 'PENDING',
    });
  });

  it('that is missing, of another payment, or in an undocumented state is BAD_ANSWER', () => {
    const o = order({}, {}, refunds);
    const ask = (paymentId: string, amount: string | null) => ({ idempotencyKey: 'k', reference: ORDER_ID, paymentId, amount });
    expect(failureOf(() => refundFromOrder(o, ask(PAYMENT_ID, '3.00'), [])).failure).toBe('BAD_ANSWER');
    expect(failureOf(() => refundFromOrder(o, ask('PAY0000', null), [])).failure).toBe('BAD_ANSWER');
    const odd = order({}, {}, [{ id: 'REF9', transaction_id: PAYMENT_ID, amount: '1.00', status: 'teleported' }]);
    expect(failureOf(() => refundFromOrder(odd, ask(PAYMENT_ID, null), [])).message).toContain('teleported');
  });
});

describe('the values the adapter sends and shows', () => {
  it('writes expiration_time as the ISO 8601 duration Mercado Pago reads', () => {
    expect([30, 600, 3725, 10_800].map(isoDuration)).toEqual(['PT30S', 'PT10M', 'PT1H2M5S', 'PT3H']);
  });

  it('labels a terminal by the serial after TYPE__', () => {
    expect(serialOf('NEWLAND_N950__N950NCB801293324')).toBe('N950NCB801293324');
    expect(serialOf('SERIALONLY')).toBe('SERIALONLY');
  });
});

describe('a webhook’s signature', () => {
  const secret = 'clave-secreta-de-webhooks';
  const ts = '1742505638683';
  const sign = (manifest: string) => createHmac('sha256', secret).update(manifest).digest('hex');
  const request = (over: Partial<WebhookRequest> = {}, v1?: string): WebhookRequest => ({
    headers: {
      'x-signature': `ts=${ts},v1=${v1 ?? sign(`id:${ORDER_ID.toLowerCase()};request-id:req-1;ts:${ts};`)}`,
      'x-request-id': 'req-1',
    },
    query: { 'data.id': ORDER_ID, type: 'order' },
    body: JSON.stringify({ action: 'order.processed', type: 'order', data: { id: ORDER_ID, version: 3 } }),
    ...over,
  });
  const check = { secret, now: Number(ts) + 1000, toleranceMs: 600_000 };

  it('is over the documented manifest, data.id in lower case, a part the notice lacks left out', () => {
    expect(signatureManifest(ORDER_ID, 'req-1', ts)).toBe(`id:ord01jq4s4ky8hwq6na5pxb65b3d3;request-id:req-1;ts:${ts};`);
    expect(signatureManifest('123456', undefined, ts)).toBe(`id:123456;ts:${ts};`);
    expect(signatureManifest(undefined, 'req-1', ts)).toBe(`request-id:req-1;ts:${ts};`);
    expect(signatureParts(` v1=abc , ts=${ts}`)).toEqual({ ts, v1: 'abc' });
  });

  it('that checks gives the order and a notice id of the order’s version', () => {
    expect(mercadoPagoNotice(request(), check)).toEqual({ id: `${ORDER_ID}@3`, reference: ORDER_ID });
  });

  it('is checked without the request id when the notice has none, and with ts in seconds', () => {
    const seconds = '1742505638';
    const noRequestId = request({
      headers: { 'x-signature': `ts=${seconds},v1=${sign(`id:${ORDER_ID.toLowerCase()};ts:${seconds};`)}` },
    });
    expect(mercadoPagoNotice(noRequestId, check).reference).toBe(ORDER_ID);
  });

  it('that does not check, is missing, or is too old is INVALID_SIGNATURE', () => {
    expect(failureOf(() => mercadoPagoNotice(request({}, sign('id:otra;request-id:req-1;ts:1;')), check)).failure).toBe(
      'INVALID_SIGNATURE',
    );
    expect(failureOf(() => mercadoPagoNotice(request({ headers: {} }), check)).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => mercadoPagoNotice(request(), { ...check, now: Number(ts) + 600_001 })).failure).toBe('INVALID_SIGNATURE');
    expect(failureOf(() => mercadoPagoNotice(request(), { ...check, secret: '' })).failure).toBe('INVALID_SIGNATURE');
  });

  it('on a body that is not an order notice is BAD_ANSWER', () => {
    expect(failureOf(() => mercadoPagoNotice(request({ body: 'no es json' }), check)).failure).toBe('BAD_ANSWER');
    const payment = JSON.stringify({ action: 'payment.updated', type: 'payment', data: { id: ORDER_ID } });
    expect(failureOf(() => mercadoPagoNotice(request({ body: payment }), check)).failure).toBe('BAD_ANSWER');
  });
});

describe('an order read as a payment the account took', () => {
  const created = { created_date: '2026-11-25T15:04:05.123-06:00' };
  it('names its payment, order, terminal and the time in UTC, with what was refunded of it', () => {
    expect(paymentFromOrder(order({ ...created, status_detail: 'partially_refunded' }, { refunded_amount: '4.00' }))).toEqual({
      id: PAYMENT_ID,
      reference: ORDER_ID,
      externalReference: 'A-CAJA-1-17',
      terminalId: 'NEWLAND_N950__N950NCB801293324',
      amount: '24.00',
      refunded: '4.00',
      createdAt: '2026-11-25T21:04:05.123Z',
    });
    expect(
      paymentFromOrder(order({ ...created, status: 'refunded', status_detail: 'refunded' }, { refunded_amount: '24.00' }))?.refunded,
    ).toBe('24.00');
  });
  it('is none for an order that took no money, and BAD_ANSWER for one without its creation time', () => {
    for (const status of ['created', 'at_terminal', 'failed', 'canceled', 'expired', 'action_required']) {
      expect(paymentFromOrder(order({ ...created, status }))).toBeNull();
    }
    expect(() => paymentFromOrder(order())).toThrow(CardProviderError);
  });
  it('reads a search page as orders with its total, and refuses a page whose data is not a list', () => {
    expect(parseOrdersPage({ data: [order(created)], paging: { total: 1, page: 1, page_size: 100 } }).total).toBe(1);
    expect(parseOrdersPage({ data: [] }).orders).toEqual([]);
    expect(() => parseOrdersPage({ data: { id: ORDER_ID } })).toThrow(CardProviderError);
  });
});
