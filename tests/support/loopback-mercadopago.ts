// Mercado Pago's Orders API for Point, and its order webhooks, on 127.0.0.1, as the reference
// documents them (https://www.mercadopago.com.mx/developers/en/reference/in-person-payments/point/
// and /docs/mp-point/: payment processing, order and transaction statuses, notifications):
//   POST /v1/orders, GET /v1/orders/{id}, POST /v1/orders/{id}/cancel, POST /v1/orders/{id}/refund,
//   GET /v1/orders (search: begin_date, end_date, type, page, page_size, sort_order), GET /terminals/v1/list; Bearer token; X-Idempotency-Key on every POST; errors as
//   { errors: [{ code, message }] }, a refused token as the flat { code, message }.
// One account: its token, its terminals, its orders. The person at the terminal is the test's
// to play (terminal(id).pays(), .declines(), .cancels(), .leavesPending()…), and the clock is
// the loopback's own (advance(ms) lets an order pass its expiration_time).
// Where the documentation is silent, the reading taken:
//  - a used X-Idempotency-Key with the same method, path, body and headers that matter answers
//    the first answer again, status and body as first given, whatever the order became since;
//    with another request it is 409 idempotency_key_already_used; a refused request is not kept;
//  - a terminal the account does not have, known or not, is 403 forbidden_checking_terminal_owner;
//  - an order on the terminal whose cancellation was asked (202) stays at_terminal, its payment's
//    status_detail cancellation_requested, until the terminal confirms (confirmsCancellation())
//    or the customer pays first;
//  - a whole refund's refund stays processing; a partial one is processed at once;
//  - the search answers the account's orders as GET would answer each now, created within
//    [begin_date, end_date] both included, { data, paging: { total, page, page_size } }; dates
//    that are not RFC 3339, a span over 30 days, a page under 1 or a page_size over 100 are 400
//    invalid_parameter;
//  - a 401 echoes the token it refused, as some services do: the adapter must not pass it on;
//  - a webhook goes out for each documented action (order.processed, order.failed,
//    order.canceled, order.expired, order.action_required, order.refunded), data.version raised
//    by every change of the order, signed with the account's webhook secret at the moment it goes.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Decimal } from 'decimal.js';
import { type Answer, type HttpLoopback, header, type Scripted, startHttpLoopback, type Verdict } from './loopback-http.ts';

export type MpTerminal = {
  id: string;
  operating_mode: 'PDV' | 'STANDALONE' | 'UNDEFINED';
  pos_id: number;
  store_id: string;
  external_pos_id: string;
};

export type MpCard = { brand: string; type: 'credit_card' | 'debit_card'; first6: string; last4: string; installments: number };

type MpPayment = {
  id: string;
  amount: string;
  status: string;
  status_detail: string;
  reference_id?: string;
  paid_amount?: string;
  refunded_amount?: string;
  payment_method?: { id: string; type: string; installments: number };
  card?: { first_digits: string; last_digits: string };
};
type MpRefund = { id: string; transaction_id: string; reference_id: string; amount: string; status: string };
export type MpOrderJson = {
  id: string;
  user_id: string;
  type: 'point';
  external_reference: string;
  description?: string;
  expiration_time: string;
  processing_mode: 'automatic';
  country_code: string;
  integration_data: { application_id: string };
  status: string;
  status_detail: string;
  created_date: string;
  last_updated_date: string;
  config: { point: { terminal_id: string; print_on_terminal: string } };
  transactions: { payments: [MpPayment]; refunds?: MpRefund[] };
};

/** A webhook as it went out: replay() sends these very bytes and headers again. */
export type MpNotice = { dataId: string; action: string; version: number; body: string; requestId: string; ts: string; signature: string };

export type AtTerminal = {
  /** The terminal takes the order off the queue and shows it (created → at_terminal). */
  takes(): void;
  /** The customer pays with a card and the bank approves (→ processed). */
  pays(card?: Partial<MpCard>): void;
  /** The bank or the terminal refuses (→ failed, with this status_detail on the payment). */
  declines(detail?: string): void;
  /** The cashier or the customer cancels on the terminal (→ canceled, canceled_on_terminal). */
  cancels(): void;
  /** The terminal confirms a cancellation the API asked for (→ canceled, canceled_by_api). */
  confirmsCancellation(): void;
  /** Processing took too long: the terminal asks for a check (→ action_required, check_on_terminal). */
  leavesPending(): void;
};

export type LoopbackMercadoPago = {
  baseUrl: string;
  userId: string;
  /** Every order the account has, as GET would answer it now. */
  readonly orders: MpOrderJson[];
  order(id: string): MpOrderJson;
  readonly requests: number;
  /** Requests that passed the checks (scripted answers included). */
  readonly attempts: number;
  script(...answers: Scripted[]): void;
  /** The token is refused from now on (revoked), or accepted again. */
  refuseToken(refuse: boolean): void;
  terminal(orderId: string): AtTerminal;
  /** The loopback's clock, ms since the epoch; advance() moves it on (orders past their time expire). */
  now(): number;
  advance(ms: number): void;
  /** Webhooks go to this URL as they happen (none while null). */
  deliverTo(url: string | null): void;
  /** Every webhook made so far, in the order the changes happened. */
  readonly notices: MpNotice[];
  /** Sends a notice to the URL: as first sent ('replay'), or as Mercado Pago's retry, signed anew ('retry'). */
  send(notice: MpNotice, as: 'replay' | 'retry'): Promise<number>;
  /** Waits for the webhooks under way. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulidLike = (prefix: string) => prefix + [...randomBytes(26)].map((b) => CROCKFORD[b % 32]).join('');
const digits = (n: number) => [...randomBytes(n)].map((b) => String(b % 10)).join('');
const clone = <T>(v: T): T => structuredClone(v);

const ORDER_ID = /^ORD[0-9A-Z]{26}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const EXTERNAL_REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;
const CREATE_FIELDS = new Set([
  'type',
  'external_reference',
  'expiration_time',
  'transactions',
  'config',
  'description',
  'integration_data',
]);
const OPEN = new Set(['created', 'at_terminal']);

const problem = (status: number, code: string, message: string): Answer => ({
  status,
  json: { errors: [{ code, message, details: [] }] },
});
const refuse = (status: number, code: string, message: string): Verdict => ({ refuse: problem(status, code, message) });

/** PT30S…PT3H, in seconds; null when not an ISO 8601 duration of hours, minutes and seconds. */
function durationSeconds(text: string): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m || text === 'PT') return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** What Mercado Pago signs: id:<data.id, lower case>;request-id:<x-request-id>;ts:<ts>; */
export function mercadoPagoSignature(secret: string, dataId: string, requestId: string, ts: string): string {
  const manifest = `id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`;
  return `ts=${ts},v1=${createHmac('sha256', secret).update(manifest).digest('hex')}`;
}

export async function startLoopbackMercadoPago(opts: {
  accessToken: string;
  webhookSecret: string;
  terminals: MpTerminal[];
  countryCode?: string;
}): Promise<LoopbackMercadoPago> {
  const userId = digits(10);
  const applicationId = digits(16);
  const held = new Map<string, { order: MpOrderJson; expiresAt: number; version: number }>();
  const keys = new Map<string, { fingerprint: string; answer: Answer }>();
  const notices: MpNotice[] = [];
  const pending = new Set<Promise<unknown>>();
  let offset = 0;
  let refusing = false;
  let webhookUrl: string | null = null;

  const now = () => Date.now() + offset;
  const iso = () => new Date(now()).toISOString();

  function post(notice: MpNotice, requestId: string, signature: string): Promise<number> {
    if (!webhookUrl) return Promise.resolve(0);
    const url = `${webhookUrl}?data.id=${encodeURIComponent(notice.dataId)}&type=order`;
    const sent = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signature, 'x-request-id': requestId },
      body: notice.body,
    }).then(
      (res) => res.status,
      () => 0,
    );
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
    return sent;
  }

  /** A change of the order: its version goes up, and a documented action sends a webhook. */
  function changed(entry: { order: MpOrderJson; version: number }, action: string | null) {
    entry.version++;
    entry.order.last_updated_date = iso();
    if (!action) return;
    const o = entry.order;
    const payment = o.transactions.payments[0];
    const body = JSON.stringify({
      action,
      api_version: 'v1',
      application_id: applicationId,
      data: {
        external_reference: o.external_reference,
        id: o.id,
        status: o.status,
        status_detail: o.status_detail,
        ...(payment.paid_amount ? { total_paid_amount: payment.paid_amount } : {}),
        transactions: clone(o.transactions),
        type: 'point',
        version: entry.version,
      },
      date_created: iso(),
      live_mode: false,
      type: 'order',
      user_id: userId,
    });
    const ts = String(now());
    const requestId = randomUUID();
    const notice: MpNotice = {
      dataId: o.id,
      action,
      version: entry.version,
      body,
      requestId,
      ts,
      signature: mercadoPagoSignature(opts.webhookSecret, o.id, requestId, ts),
    };
    notices.push(notice);
    void post(notice, requestId, notice.signature);
  }

  /** Orders past their expiration_time while nobody paid them expire (looked at on every request). */
  function expireDue() {
    for (const entry of held.values()) {
      if (OPEN.has(entry.order.status) && now() >= entry.expiresAt) {
        entry.order.status = 'expired';
        entry.order.status_detail = 'expired';
        entry.order.transactions.payments[0].status = 'expired';
        entry.order.transactions.payments[0].status_detail = 'expired';
        changed(entry, 'order.expired');
      }
    }
  }

  const entryOf = (id: string) => {
    const entry = held.get(id);
    if (!entry) throw new Error(`loopback Mercado Pago: no order ${id}`);
    return entry;
  };

  /** The idempotency key's verdict: the first answer again, a conflict, or this request's own (kept). */
  function idempotent(req: IncomingMessage, fingerprint: string, act: () => Verdict): Verdict {
    const key = header(req, 'x-idempotency-key');
    const seen = keys.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return refuse(
          409,
          'idempotency_key_already_used',
          'The value sent as the idempotency header has already been used with a different request within the last 24 hours.',
        );
      }
      return { accept: () => clone(seen.answer) };
    }
    const verdict = act();
    if ('refuse' in verdict) return verdict;
    return {
      accept: () => {
        const answer = verdict.accept();
        keys.set(key, { fingerprint, answer: clone(answer) });
        return answer;
      },
    };
  }

  function create(req: IncomingMessage, raw: string): Verdict {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return refuse(400, 'json_syntax_error', 'Invalid JSON in request body.');
    }
    const extra = Object.keys(body).filter((k) => !CREATE_FIELDS.has(k));
    if (extra.length) return refuse(400, 'unsupported_properties', `Unsupported properties: ${extra.join(', ')}.`);
    if (body.type === undefined) return refuse(400, 'required_properties', 'The property type is required.');
    if (body.type !== 'point') return refuse(400, 'property_value', 'type must be point.');
    const ref = body.external_reference;
    if (typeof ref !== 'string' || !EXTERNAL_REFERENCE.test(ref)) {
      return refuse(400, 'property_value', 'external_reference must have 1 to 64 letters, numbers, - or _.');
    }
    if (body.description !== undefined && (typeof body.description !== 'string' || [...body.description].length > 150)) {
      return refuse(400, 'property_value', 'description must have at most 150 characters.');
    }
    const expiration = body.expiration_time === undefined ? 'PT15M' : body.expiration_time;
    const seconds = typeof expiration === 'string' ? durationSeconds(expiration) : null;
    if (seconds === null || seconds < 30 || seconds > 3 * 3600) {
      return refuse(400, 'property_value', 'expiration_time must be between PT30S and PT3H.');
    }
    const payments = (body.transactions as { payments?: unknown } | undefined)?.payments;
    if (!Array.isArray(payments) || payments.length === 0) return refuse(400, 'minimum_items', 'transactions.payments needs 1 item.');
    if (payments.length > 1) return refuse(400, 'maximum_items', 'A point order takes only 1 payment.');
    const amount = (payments[0] as { amount?: unknown }).amount;
    if (typeof amount !== 'string') return refuse(400, 'property_type', 'transactions.payments[0].amount expected string.');
    if (!AMOUNT.test(amount) || new Decimal(amount).lte(0)) {
      return refuse(400, 'property_value', 'transactions.payments[0].amount must be a positive amount with two decimals or none.');
    }
    const point = (body.config as { point?: Record<string, unknown> } | undefined)?.point;
    const terminalId = point?.terminal_id;
    if (typeof terminalId !== 'string' || !terminalId) return refuse(400, 'required_properties', 'config.point.terminal_id is required.');
    const print = point?.print_on_terminal ?? 'seller_ticket';
    if (print !== 'seller_ticket' && print !== 'no_ticket') return refuse(400, 'property_value', 'print_on_terminal is invalid.');

    return idempotent(req, `POST /v1/orders ${raw}`, () => {
      if (!opts.terminals.some((t) => t.id === terminalId)) {
        return refuse(
          403,
          'forbidden_checking_terminal_owner',
          'The Point terminal does not belong to the user who submitted the request.',
        );
      }
      const busy = [...held.values()].some((e) => e.order.config.point.terminal_id === terminalId && OPEN.has(e.order.status));
      if (busy) {
        return refuse(
          409,
          'already_queued_order_for_terminal',
          'The terminal already has an order waiting. It is necessary to finalize or cancel it to send new orders.',
        );
      }
      return {
        accept: () => {
          const at = iso();
          const order: MpOrderJson = {
            id: ulidLike('ORD'),
            user_id: userId,
            type: 'point',
            external_reference: ref,
            ...(typeof body.description === 'string' ? { description: body.description } : {}),
            expiration_time: expiration as string,
            processing_mode: 'automatic',
            country_code: opts.countryCode ?? 'MX',
            integration_data: { application_id: applicationId },
            status: 'created',
            status_detail: 'created',
            created_date: at,
            last_updated_date: at,
            config: { point: { terminal_id: terminalId, print_on_terminal: print as string } },
            transactions: { payments: [{ id: ulidLike('PAY'), amount, status: 'created', status_detail: 'created' }] },
          };
          held.set(order.id, { order, expiresAt: now() + seconds * 1000, version: 1 });
          return { status: 201, json: clone(order) };
        },
      };
    });
  }

  function cancel(req: IncomingMessage, id: string): Verdict {
    const entry = held.get(id)!;
    const allowAtTerminal = header(req, 'x-allow-cancelable-status') === 'at_terminal';
    return idempotent(req, `POST /v1/orders/${id}/cancel ${allowAtTerminal}`, () => {
      const o = entry.order;
      const payment = o.transactions.payments[0];
      if (o.status === 'canceled') return refuse(409, 'order_already_canceled', 'The order has already been canceled.');
      if (o.status === 'created') {
        return {
          accept: () => {
            o.status = 'canceled';
            o.status_detail = 'canceled';
            payment.status = 'canceled';
            payment.status_detail = 'canceled_by_api';
            changed(entry, 'order.canceled');
            return { status: 200, json: clone(o) };
          },
        };
      }
      if (o.status === 'at_terminal' && allowAtTerminal) {
        return {
          accept: () => {
            payment.status_detail = 'cancellation_requested';
            changed(entry, null);
            return { status: 202, json: clone(o) };
          },
        };
      }
      return refuse(
        409,
        'cannot_cancel_order',
        'There is a conflict trying to cancel the order due to its current status. Orders can only be cancelled via API when "status=created".',
      );
    });
  }

  function refund(req: IncomingMessage, id: string, raw: string): Verdict {
    const entry = held.get(id)!;
    const o = entry.order;
    const payment = o.transactions.payments[0];
    let partial: { id: string; amount: string } | null = null;
    if (raw.trim() !== '') {
      let body: { transactions?: unknown };
      try {
        body = JSON.parse(raw) as { transactions?: unknown };
      } catch {
        return refuse(400, 'json_syntax_error', 'Invalid JSON in request body.');
      }
      const list = body.transactions;
      if (!Array.isArray(list) || list.length !== 1) return refuse(400, 'property_value', 'transactions must have one item.');
      const t = list[0] as { id?: unknown; amount?: unknown };
      if (typeof t.id !== 'string' || typeof t.amount !== 'string') return refuse(400, 'property_type', 'id and amount are strings.');
      if (!AMOUNT.test(t.amount) || new Decimal(t.amount).lte(0)) return refuse(400, 'property_value', 'amount is not a valid amount.');
      partial = { id: t.id, amount: t.amount };
    }
    return idempotent(req, `POST /v1/orders/${id}/refund ${raw}`, () => {
      if (partial && partial.id !== payment.id) return refuse(404, 'transaction_not_found', 'Transaction not found.');
      if (o.status === 'refunded') return refuse(409, 'order_already_refunded', 'The order was already refunded.');
      if (o.status !== 'processed') return refuse(409, 'cannot_refund_order', 'The order status does not allow refund.');
      const paid = new Decimal(payment.paid_amount!);
      const remaining = paid.minus(payment.refunded_amount ?? '0');
      if (partial) {
        if (new Decimal(partial.amount).gte(payment.amount)) {
          return refuse(400, 'property_value', 'amount must be less than the original transaction value.');
        }
        if (new Decimal(partial.amount).gt(remaining)) {
          return refuse(400, 'refund_amount_exceeds', 'Refund amount exceeds the available amount.');
        }
      }
      return {
        accept: () => {
          const amount = partial ? new Decimal(partial.amount) : remaining;
          const refunded = new Decimal(payment.refunded_amount ?? '0').plus(amount);
          o.transactions.refunds = [
            ...(o.transactions.refunds ?? []),
            {
              id: ulidLike('REF'),
              transaction_id: payment.id,
              reference_id: digits(11),
              amount: amount.toFixed(2),
              status: partial ? 'processed' : 'processing',
            },
          ];
          payment.refunded_amount = refunded.toFixed(2);
          const whole = refunded.gte(paid);
          o.status = whole ? 'refunded' : 'processed';
          o.status_detail = whole ? 'refunded' : 'partially_refunded';
          payment.status = whole ? 'refunded' : 'processed';
          payment.status_detail = whole ? 'refunded' : 'partially_refunded';
          changed(entry, whole ? 'order.refunded' : null);
          return { status: 200, json: clone(o) };
        },
      };
    });
  }

  function list(url: URL): Verdict {
    const limitParam = url.searchParams.get('limit');
    const offsetParam = url.searchParams.get('offset');
    const limit = limitParam === null ? 50 : Number(limitParam);
    const start = offsetParam === null ? 0 : Number(offsetParam);
    if (!Number.isInteger(limit) || limit < 1) return refuse(400, 'property_value', 'limit must be between 1 and 50.');
    if (!Number.isInteger(start) || start < 0) return refuse(400, 'property_value', 'offset must be 0 or more.');
    const storeId = url.searchParams.get('store_id');
    const posId = url.searchParams.get('pos_id');
    const matching = opts.terminals.filter((t) => (!storeId || t.store_id === storeId) && (!posId || String(t.pos_id) === posId));
    // Observed: a limit over 50 is answered as 50, not refused.
    const clamped = Math.min(limit, 50);
    return {
      accept: () => ({
        status: 200,
        json: {
          data: { terminals: clone(matching.slice(start, start + clamped)) },
          paging: { total: matching.length, offset: start, limit: clamped },
        },
      }),
    };
  }

  function search(url: URL): Verdict {
    const q = (name: string) => url.searchParams.get(name);
    const begin = q('begin_date');
    const end = q('end_date');
    if (!begin || !end) {
      return refuse(400, 'missing_required_params', 'The "begin_date" and "end_date" parameters are missing.');
    }
    const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
    const from = Date.parse(begin);
    const to = Date.parse(end);
    if (!RFC3339.test(begin) || !RFC3339.test(end) || Number.isNaN(from) || Number.isNaN(to) || from > to) {
      return refuse(400, 'invalid_parameter', 'begin_date and end_date must be RFC 3339 dates, begin_date first.');
    }
    if (to - from > 720 * 3600_000)
      return refuse(400, 'invalid_parameter', 'The interval between begin_date and end_date must be 30 days at most.');
    const page = q('page') === null ? 1 : Number(q('page'));
    const size = q('page_size') === null ? 20 : Number(q('page_size'));
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 100) {
      return refuse(400, 'invalid_parameter', 'page must be 1 or more and page_size between 1 and 100.');
    }
    const type = q('type');
    const descending = (q('sort_order') ?? 'desc') === 'desc';
    const matching = [...held.values()]
      .map((e) => e.order)
      .filter((o) => (!type || o.type === type) && Date.parse(o.created_date) >= from && Date.parse(o.created_date) <= to)
      .sort((a, b) => (Date.parse(a.created_date) - Date.parse(b.created_date)) * (descending ? -1 : 1));
    return {
      accept: () => ({
        status: 200,
        json: { data: clone(matching.slice((page - 1) * size, page * size)), paging: { total: matching.length, page, page_size: size } },
      }),
    };
  }

  const loop: HttpLoopback = await startHttpLoopback((req, rawBody, origin) => {
    expireDue();
    const bearer = header(req, 'authorization');
    if (refusing || bearer !== `Bearer ${opts.accessToken}`) {
      return {
        refuse: {
          status: 401,
          json: { code: 'unauthorized', message: bearer ? `invalid access token ${bearer.slice(7)}` : 'authorization value not present' },
        },
      };
    }
    const url = new URL(req.url ?? '/', origin);
    const raw = rawBody.toString('utf8');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/terminals/v1/list') return list(url);
    if (req.method === 'GET' && path === '/v1/orders') return search(url);
    if (req.method === 'POST' && path === '/v1/orders') {
      if (!header(req, 'x-idempotency-key'))
        return refuse(400, 'empty_required_header', "The 'X-Idempotency-Key' header is required and was not sent.");
      return create(req, raw);
    }
    const m = /^\/v1\/orders\/([^/]+)(?:\/(cancel|refund))?$/.exec(path);
    if (!m) return refuse(404, 'not_found', `Resource ${path} not found.`);
    const id = decodeURIComponent(m[1]!);
    const action = m[2];
    if ((action && req.method !== 'POST') || (!action && req.method !== 'GET'))
      return refuse(405, 'method_not_allowed', 'Method not allowed.');
    if (action && !header(req, 'x-idempotency-key')) {
      return refuse(400, 'empty_required_header', "The 'X-Idempotency-Key' header is required and was not sent.");
    }
    if (!ORDER_ID.test(id)) return refuse(400, 'invalid_path_param', 'path param order id is invalid');
    const entry = held.get(id);
    if (!entry) return refuse(404, 'order_not_found', 'Order not found.');
    if (action === 'cancel') return cancel(req, id);
    if (action === 'refund') return refund(req, id, raw);
    return { accept: () => ({ status: 200, json: clone(entry.order) }) };
  });

  function atTerminal(orderId: string): AtTerminal {
    const entry = () => {
      expireDue();
      return entryOf(orderId);
    };
    const settle = (status: string, detail: string, paymentStatus: string, paymentDetail: string, action: string | null) => {
      const e = entry();
      e.order.status = status;
      e.order.status_detail = detail;
      e.order.transactions.payments[0].status = paymentStatus;
      e.order.transactions.payments[0].status_detail = paymentDetail;
      changed(e, action);
    };
    /** The terminal has it on screen, taking it from the queue first if need be. */
    const onScreen = () => {
      const e = entry();
      if (e.order.status === 'created') settle('at_terminal', 'at_terminal', 'at_terminal', 'at_terminal', null);
      if (e.order.status !== 'at_terminal')
        throw new Error(`loopback Mercado Pago: order ${orderId} is ${e.order.status}, not on the terminal`);
      return e;
    };
    return {
      takes: () => void onScreen(),
      pays(card = {}) {
        const e = onScreen();
        const p = e.order.transactions.payments[0];
        const used: MpCard = { brand: 'visa', type: 'credit_card', first6: '450995', last4: '3704', installments: 1, ...card };
        p.reference_id = digits(11);
        p.paid_amount = p.amount;
        p.refunded_amount = '0.00';
        p.payment_method = { id: used.brand, type: used.type, installments: used.installments };
        p.card = { first_digits: used.first6, last_digits: used.last4 };
        settle('processed', 'processed', 'processed', 'accredited', 'order.processed');
      },
      declines(detail = 'rejected_by_issuer') {
        onScreen();
        settle('failed', 'failed', 'failed', detail, 'order.failed');
      },
      cancels() {
        onScreen();
        settle('canceled', 'canceled', 'canceled', 'canceled_on_terminal', 'order.canceled');
      },
      confirmsCancellation() {
        const e = onScreen();
        if (e.order.transactions.payments[0].status_detail !== 'cancellation_requested') {
          throw new Error(`loopback Mercado Pago: nobody asked to cancel order ${orderId}`);
        }
        settle('canceled', 'canceled', 'canceled', 'canceled_by_api', 'order.canceled');
      },
      leavesPending() {
        onScreen();
        settle('action_required', 'action_required', 'action_required', 'check_on_terminal', 'order.action_required');
      },
    };
  }

  return {
    baseUrl: loop.origin,
    userId,
    get orders() {
      expireDue();
      return [...held.values()].map((e) => clone(e.order));
    },
    order: (id) => {
      expireDue();
      return clone(entryOf(id).order);
    },
    get requests() {
      return loop.requests;
    },
    get attempts() {
      return loop.attempts;
    },
    script: loop.script,
    refuseToken: (refuse) => {
      refusing = refuse;
    },
    terminal: atTerminal,
    now,
    advance: (ms) => {
      offset += ms;
      expireDue();
    },
    deliverTo: (url) => {
      webhookUrl = url;
    },
    notices,
    send(notice, as) {
      if (as === 'replay') return post(notice, notice.requestId, notice.signature);
      const ts = String(now());
      const requestId = randomUUID();
      return post(notice, requestId, mercadoPagoSignature(opts.webhookSecret, notice.dataId, requestId, ts));
    },
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      await Promise.all([...pending]);
      await loop.close();
    },
  };
}
