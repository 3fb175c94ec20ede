// Clip's PinPad API, its refunds API and its PinPad webhooks on 127.0.0.1, as developer.clip.mx
// documents them (post_payment-1, get_payment, delete_payment-pinpad-request-id-1,
// get_f2f-pinpad-v1-devices-status, health-check, timeout-de-inactividad-1, webhook,
// introduccion-api-de-reembolsos, post_refunds, token-de-autenticacion):
//   POST /f2f/pinpad/v1/payment, GET /f2f/pinpad/v1/payment?pinpadRequestId=,
//   DELETE /f2f/pinpad/v1/payment/{id}, GET /f2f/pinpad/v1/devices/status, POST /refunds,
//   GET /payments?from=&to= (obtenertransacciones);
//   Authorization: Basic base64(api_key:secret) on all of them.
// One account: its credentials, its PinPad terminals and their intents. The person at the
// terminal is the test's to play (terminal(id).takes(), .pays(), .declines(), .cancels()), and the
// clock is the loopback's own (advance(ms) runs the terminals' inactivity timeout).
// Where the documentation is silent or says two things, the reading taken:
//  - a terminal holds two intents at most, the one it is on (PENDING until it takes it) and one
//    waiting (the create and delete pages); the health check's "busy in a payment" refusal is
//    taken as ERR10_04 for a terminal that is off line only;
//  - a serial the account does not have is not an active terminal of it: ERR10_04;
//  - an unknown pinpadRequestId is 404 with a message; a deleted intent stays, CANCELED;
//  - the intent is COMPLETED once paid (the GET example), REJECTED once a declined card is given
//    up (the terminal's result then says "declined"), CANCELED however cancelled;
//  - the inactivity timeout cancels an intent the terminal took and nobody touched for Clip's
//    minute plus the terminal's timeout_seg;
//  - a refund's idempotency-key answers the first answer for one minute of the loopback's clock,
//    whatever the body; a whole refund within 24 h of the payment is a cancellation and keeps the
//    transaction's id, any other refund gets its own;
//  - the payments list answers every card transaction the terminals made (approved and declined)
//    created within [from, to), oldest first, as results[] with id the transaction's id and the
//    amounts as numbers; by pages of paymentsPageSize (50), saying pages: { number, total } only
//    when there is more than one, and taking page=N;
//  - a refused credential's 401 quotes the Authorization header it refused, as some services do:
//    the adapter must not pass it on;
//  - a webhook goes out on every change of an intent's state, unsigned, to the intent's
//    webhook_url (or the dashboard's), its body the documented three fields.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Decimal } from 'decimal.js';
import { JsonDecimal, jsonWithDecimals } from '#engine/payments/card-terminals/provider-http.ts';
import { type Answer, type HttpLoopback, header, type Scripted, startHttpLoopback, type Verdict } from './loopback-http.ts';

export type ClipDevice = {
  serial_number: string;
  status: 'active' | 'inactive' | 'expired' | 'unknown';
  /** The terminal's inactivity timeout preference (POST /devices), in seconds; null when off. */
  timeoutSeg?: number | null;
};

export type ClipCard = { brand: string; type: 'credit_card' | 'debit_card'; bin: string; last4: string; issuer: string };

type ClipResultJson = {
  id: string;
  transaction_id: string;
  type: 'pos';
  entry_mode: string;
  amount: string;
  tip_amount: string;
  amount_refunded: string;
  installment_amount: string;
  installments: number;
  capture_method: 'automatic';
  net_amount: string;
  paid_amount: string;
  status: 'approved' | 'declined';
  approved_at: string | null;
  currency: 'MXN';
  merchant_id: string;
  payment_method: {
    id: string;
    type: string;
    card: { bin: string; issuer: string; last_digits: string; exp_year: string; exp_month: string };
  };
  device: { id: string; type: string; manufacturer: string };
};

export type ClipIntentState = {
  pinpad_request_id: string;
  reference: string;
  amount: string;
  amount_paid: string;
  tip_amount: string;
  create_date: string;
  status: 'PENDING' | 'IN_PROCESS' | 'COMPLETED' | 'REJECTED' | 'CANCELED';
  serial_number_pos: string;
  webhook_url: string | null;
  preferences: Record<string, unknown>;
  results: ClipResultJson[];
  /** The loopback's own note, never sent: who cancelled it (api: withdrawn by DELETE before any terminal showed it). */
  cancelledBy: 'api' | 'terminal' | 'timeout' | null;
};

export type ClipRefundState = { id: string; transactionId: string; amount: string; receipt_no: string; key: string | null };

/** A webhook as it went out: send() posts these very bytes to the same URL again. */
export type ClipNotice = { intentId: string; status: string; url: string; body: string };

export type AtTerminal = {
  /** The terminal wakes and shows the intent (PENDING → IN_PROCESS). */
  takes(): void;
  /** The customer's card is approved (→ COMPLETED). */
  pays(card?: Partial<ClipCard>): void;
  /** The card is declined and the operator gives up (→ REJECTED). */
  declines(): void;
  /** The operator cancels on the terminal (→ CANCELED). */
  cancels(): void;
};

export type LoopbackClip = {
  baseUrl: string;
  readonly intents: ClipIntentState[];
  intent(id: string): ClipIntentState;
  readonly refunds: ClipRefundState[];
  readonly requests: number;
  readonly attempts: number;
  script(...answers: Scripted[]): void;
  /** The credentials are refused from now on (revoked), by both APIs or by the refunds API alone; or accepted again. */
  refuseCredentials(refuse: boolean, api?: 'all' | 'refunds'): void;
  terminal(intentId: string): AtTerminal;
  now(): number;
  advance(ms: number): void;
  /** Every webhook made so far, in the order the changes happened. */
  readonly notices: ClipNotice[];
  send(notice: ClipNotice): Promise<number>;
  flush(): Promise<void>;
  close(): Promise<void>;
};

const clone = <T>(v: T): T => structuredClone(v);
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const CLIP_MINUTE_MS = 60_000;
const REFUND_KEY_MS = 60_000;
const DAY_MS = 24 * 3600_000;
const OPEN = new Set(['PENDING', 'IN_PROCESS']);

/** Clip's PinPad envelope for a refusal. */
const problem = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  json: { code, message, ...extra },
});
/** The refunds API's envelope. */
const refundProblem = (status: number, code: string, message: string, detail: string): Answer => ({
  status,
  json: { error_code: code, message, detail: [detail] },
});

/** An amount as Clip's wire has it where a number is documented. */
const wireNumber = (digits: string) => new JsonDecimal(digits);

/** A JSON body in which the results' amounts are number literals, as get_payment shows them. */
function intentJson(intent: ClipIntentState, withDetail: boolean): Answer {
  const { serial_number_pos: _serial, webhook_url: _url, preferences: _prefs, cancelledBy: _by, results, ...shown } = intent;
  const numbers = (r: ClipResultJson) => ({
    ...r,
    amount: wireNumber(r.amount),
    tip_amount: wireNumber(r.tip_amount),
    amount_refunded: wireNumber(r.amount_refunded),
    installment_amount: wireNumber(r.installment_amount),
    net_amount: wireNumber(r.net_amount),
    paid_amount: wireNumber(r.paid_amount),
  });
  const body = withDetail
    ? {
        ...shown,
        detail: {
          pages: { size: 50, number: 1, total: 1, total_results: results.length },
          results: results.map(numbers),
        },
      }
    : shown;
  return { status: 200, raw: jsonWithDecimals(body), headers: { 'content-type': 'application/json' } };
}

/** An amount Clip takes as a number or as text; null when it is not one of at most two decimals. */
function amountOf(v: unknown): string | null {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
  return text !== null && AMOUNT.test(text) && new Decimal(text).gt(0) ? new Decimal(text).toFixed(2) : null;
}

export async function startLoopbackClip(opts: {
  apiKey: string;
  secretKey: string;
  devices: ClipDevice[];
  /** The webhook URL set in Clip's developer dashboard: used for intents sent without webhook_url. */
  dashboardWebhookUrl?: string | null;
  /** How many payments a page of GET /payments holds. */
  paymentsPageSize?: number;
}): Promise<LoopbackClip> {
  const merchantId = randomUUID();
  const intents = new Map<string, ClipIntentState>();
  /** Per terminal: the intent it is on (or about to take), and the one waiting behind it. */
  const queues = new Map<string, { current: string | null; enqueued: string | null }>();
  const takenAt = new Map<string, number>();
  const paidAt = new Map<string, number>();
  const refunds: ClipRefundState[] = [];
  const refundKeys = new Map<string, { at: number; answer: Answer }>();
  const notices: ClipNotice[] = [];
  const pending = new Set<Promise<unknown>>();
  let offset = 0;
  let refusing: 'all' | 'refunds' | null = null;

  const now = () => Date.now() + offset;
  const iso = () => new Date(now()).toISOString();
  const basic = `Basic ${Buffer.from(`${opts.apiKey}:${opts.secretKey}`).toString('base64')}`;
  const queueOf = (serial: string) => {
    let q = queues.get(serial);
    if (!q) queues.set(serial, (q = { current: null, enqueued: null }));
    return q;
  };

  function post(notice: ClipNotice): Promise<number> {
    const sent = fetch(notice.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: notice.body }).then(
      (res) => res.status,
      () => 0,
    );
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
    return sent;
  }

  /** The intent's state changed: the terminal's queue moves on once it is over, and the webhook goes. */
  function changed(intent: ClipIntentState) {
    if (!OPEN.has(intent.status)) {
      const q = queueOf(intent.serial_number_pos);
      if (q.current === intent.pinpad_request_id) {
        q.current = q.enqueued;
        q.enqueued = null;
      } else if (q.enqueued === intent.pinpad_request_id) {
        q.enqueued = null;
      }
    }
    const url = intent.webhook_url ?? opts.dashboardWebhookUrl ?? null;
    if (!url) return;
    const body = JSON.stringify({
      id: intent.pinpad_request_id,
      origin: 'pinpad-payments-api',
      event_type: 'PINPAD_INTENT_STATUS_CHANGED',
    });
    const notice = { intentId: intent.pinpad_request_id, status: intent.status, url, body };
    notices.push(notice);
    void post(notice);
  }

  /** Clip's minute plus the terminal's timeout_seg without activity cancels what the terminal shows. */
  function timeOutIdle() {
    for (const intent of intents.values()) {
      if (intent.status !== 'IN_PROCESS' || intent.results.length > 0) continue;
      const device = opts.devices.find((d) => d.serial_number === intent.serial_number_pos);
      if (device?.timeoutSeg == null) continue;
      if (now() - takenAt.get(intent.pinpad_request_id)! >= CLIP_MINUTE_MS + device.timeoutSeg * 1000) {
        intent.status = 'CANCELED';
        intent.cancelledBy = 'timeout';
        changed(intent);
      }
    }
  }

  function create(raw: string): Verdict {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'Malformed JSON request') };
    }
    const amount = amountOf(body.amount);
    if (amount === null) return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'Amount must be a number') };
    if (typeof body.reference !== 'string' || !body.reference)
      return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'reference is required') };
    const serial = body.serial_number_pos;
    if (typeof serial !== 'string' || !serial) return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'serial_number_pos is required') };
    if (body.webhook_url !== undefined && (typeof body.webhook_url !== 'string' || !URL.canParse(body.webhook_url))) {
      return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'webhook_url must be a valid URL') };
    }
    const device = opts.devices.find((d) => d.serial_number === serial);
    if (device?.status !== 'active') {
      return {
        refuse: problem(400, 'ERR10_04', 'The Clip terminal is either offline, powered off, or the Pinpad application is closed', {
          name: 'STORING PAYMENT - DEVICE UNAVAILABLE',
        }),
      };
    }
    const q = queueOf(serial);
    if (q.current && q.enqueued) {
      return {
        refuse: problem(400, 'PAYMENT_PENDING', 'El dispositivo tiene un pago pendiente en curso', {
          data: { current_payment_on_transaction: q.current, payment_enqueued: q.enqueued },
        }),
      };
    }
    const reference = body.reference;
    const webhookUrl = typeof body.webhook_url === 'string' ? body.webhook_url : null;
    const preferences = body.preferences && typeof body.preferences === 'object' ? (body.preferences as Record<string, unknown>) : {};
    return {
      accept: () => {
        const intent: ClipIntentState = {
          pinpad_request_id: `pinpad-${randomUUID()}`,
          reference,
          amount,
          amount_paid: '0.00',
          tip_amount: '0.00',
          create_date: iso().replace('Z', ''),
          status: 'PENDING',
          serial_number_pos: serial,
          webhook_url: webhookUrl,
          preferences,
          results: [],
          cancelledBy: null,
        };
        intents.set(intent.pinpad_request_id, intent);
        const ahead = q.current;
        if (ahead) q.enqueued = intent.pinpad_request_id;
        else q.current = intent.pinpad_request_id;
        changed(intent);
        return {
          status: 200,
          json: {
            pinpad_request_id: intent.pinpad_request_id,
            reference,
            amount,
            serial_number_pos: serial,
            current_payment_on_transaction: ahead,
          },
        };
      },
    };
  }

  function withdraw(id: string): Verdict {
    const intent = intents.get(id);
    if (!intent) return { refuse: { status: 404, json: { message: 'Payment request not found' } } };
    if (intent.status !== 'PENDING') {
      return {
        refuse: problem(400, 'PAYMENT_REQUEST_ISSUE', 'The payment requested was removed or was taken successfully by CLIP POS'),
      };
    }
    return {
      accept: () => {
        intent.status = 'CANCELED';
        intent.cancelledBy = 'api';
        changed(intent);
        return {
          status: 200,
          json: {
            pinpad_request_id: id,
            reference: intent.reference,
            amount: intent.amount,
            serial_number_pos: intent.serial_number_pos,
          },
        };
      },
    };
  }

  function refund(req: IncomingMessage, raw: string): Verdict {
    const missing = refundProblem(400, 'CL2200', 'Bad Request', 'Unable to process the request. Required fields are missing.');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { refuse: missing };
    }
    const reference = body.reference as { type?: unknown; id?: unknown } | undefined;
    // The refunds API documents amount as a number only.
    const amount = typeof body.amount === 'number' ? amountOf(body.amount) : null;
    if (!reference || (reference.type !== 'transaction' && reference.type !== 'receipt') || typeof reference.id !== 'string') {
      return { refuse: missing };
    }
    if (amount === null || typeof body.reason !== 'string' || !body.reason) return { refuse: missing };
    const key = header(req, 'idempotency-key') || null;
    if (key) {
      const seen = refundKeys.get(key);
      if (seen && now() - seen.at < REFUND_KEY_MS) return { accept: () => clone(seen.answer) };
    }
    const transactionId = reference.id;
    const owner = [...intents.values()].find((i) => i.results.some((r) => r.transaction_id === transactionId));
    const result = owner?.results.find((r) => r.transaction_id === transactionId);
    if (!owner || !result) return { refuse: refundProblem(404, 'AI1300', 'Not Found', 'Transaction ID not found.') };
    if (result.status !== 'approved') return { refuse: refundProblem(404, 'AI1800', 'Not Found', 'The payment is not approved.') };
    const paid = new Decimal(result.paid_amount);
    const before = new Decimal(result.amount_refunded);
    if (new Decimal(amount).gt(paid)) {
      return { refuse: refundProblem(409, 'AI1801', 'Conflict', 'The refund amount is greater than the original.') };
    }
    if (before.plus(amount).gt(paid)) {
      return {
        refuse: refundProblem(409, 'AI1802', 'Conflict', 'The refund amount, plus previous refunds, is greater than the original amount.'),
      };
    }
    return {
      accept: () => {
        const cancellation = before.eq(0) && paid.eq(amount) && now() - paidAt.get(owner.pinpad_request_id)! < DAY_MS;
        const made: ClipRefundState = {
          id: cancellation ? transactionId : randomUUID(),
          transactionId,
          amount,
          receipt_no: randomBytes(6).toString('base64url').slice(0, 7),
          key,
        };
        refunds.push(made);
        result.amount_refunded = before.plus(amount).toFixed(2);
        const answer: Answer = {
          status: 200,
          raw: jsonWithDecimals({
            id: made.id,
            status: 'approved',
            status_message: 'Refunded. Merchant initiated.',
            amount: wireNumber(amount),
            receipt_no: made.receipt_no,
            created_at: iso().replace(/\.\d{3}Z$/, 'Z'),
            currency: 'MXN',
            reference: { type: 'payment', id: transactionId },
            reason: body.reason,
          }),
          headers: { 'content-type': 'application/json' },
        };
        if (key) refundKeys.set(key, { at: now(), answer });
        return clone(answer);
      },
    };
  }

  function listPayments(url: URL): Verdict {
    const from = Date.parse(url.searchParams.get('from') ?? '');
    const to = Date.parse(url.searchParams.get('to') ?? '');
    if (Number.isNaN(from) || Number.isNaN(to)) {
      return { refuse: refundProblem(400, 'CL2200', 'Bad Request', 'from and to are required ISO 8601 dates.') };
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(page) || page < 1) return { refuse: refundProblem(400, 'CL2200', 'Bad Request', 'page must be 1 or more.') };
    const size = opts.paymentsPageSize ?? 50;
    const listed = [...intents.values()]
      .flatMap((intent) => intent.results.map((r) => ({ r, at: r.approved_at ?? `${intent.create_date}Z` })))
      .filter(({ at }) => Date.parse(at) >= from && Date.parse(at) < to)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const pages = Math.max(1, Math.ceil(listed.length / size));
    const results = listed.slice((page - 1) * size, page * size).map(({ r, at }) => ({
      id: r.transaction_id,
      receipt_no: r.id.slice(0, 7),
      status: r.status,
      amount: wireNumber(r.amount),
      tip_amount: wireNumber(r.tip_amount),
      amount_refunded: wireNumber(r.amount_refunded),
      paid_amount: wireNumber(r.paid_amount),
      currency: r.currency,
      created_at: at,
      payment_method: r.payment_method,
      device: r.device,
    }));
    const body = { results, ...(pages > 1 ? { pages: { number: page, total: pages } } : {}) };
    return { accept: () => ({ status: 200, raw: jsonWithDecimals(body), headers: { 'content-type': 'application/json' } }) };
  }

  const loop: HttpLoopback = await startHttpLoopback((req, rawBody, origin) => {
    timeOutIdle();
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const authorization = header(req, 'authorization');
    if (authorization !== basic || refusing === 'all' || (refusing === 'refunds' && path === '/refunds')) {
      return path === '/refunds'
        ? { refuse: refundProblem(403, 'CL1500', 'Forbidden', 'Unauthorized') }
        : { refuse: problem(401, 'UNAUTHORIZED', `Authorization header is missing or invalid: ${authorization}`) };
    }
    const raw = rawBody.toString('utf8');
    if (req.method === 'POST' && path === '/refunds') return refund(req, raw);
    if (req.method === 'GET' && path === '/payments') return listPayments(url);
    if (req.method === 'GET' && path === '/f2f/pinpad/v1/devices/status') {
      return { accept: () => ({ status: 200, json: opts.devices.map((d, i) => deviceJson(d, i)) }) };
    }
    if (path === '/f2f/pinpad/v1/payment' && req.method === 'POST') return create(raw);
    if (path === '/f2f/pinpad/v1/payment' && req.method === 'GET') {
      const id = url.searchParams.get('pinpadRequestId');
      if (!id) return { refuse: problem(400, 'ERROR_BODY_STRUCTURE', 'pinpadRequestId is required') };
      const intent = intents.get(id);
      if (!intent) return { refuse: { status: 404, json: { message: 'Payment request not found' } } };
      const withDetail = header(req, 'pinpad-include-detail') === 'true';
      return { accept: () => intentJson(intent, withDetail) };
    }
    const m = /^\/f2f\/pinpad\/v1\/payment\/([^/]+)$/.exec(path);
    if (m && req.method === 'DELETE') return withdraw(decodeURIComponent(m[1]!));
    return { refuse: { status: 404, json: { message: `Resource ${path} not found` } } };
  });

  function deviceJson(d: ClipDevice, i: number) {
    const at = new Date(now());
    return {
      merchant_id: merchantId,
      serial_number: d.serial_number,
      status: d.status,
      expires_at: new Date(at.getTime() + 20_000).toISOString(),
      created_at: '2025-01-15T10:00:00Z',
      updated_at: at.toISOString(),
      version: i + 1,
    };
  }

  const entryOf = (id: string) => {
    const intent = intents.get(id);
    if (!intent) throw new Error(`loopback Clip: no intent ${id}`);
    return intent;
  };

  function atTerminal(id: string): AtTerminal {
    /** The terminal has it on screen, waking up for it first if need be. */
    const onScreen = () => {
      timeOutIdle();
      const intent = entryOf(id);
      if (intent.status === 'PENDING') {
        if (queueOf(intent.serial_number_pos).current !== id) throw new Error(`loopback Clip: ${id} waits behind another intent`);
        intent.status = 'IN_PROCESS';
        takenAt.set(id, now());
        changed(intent);
      }
      if (intent.status !== 'IN_PROCESS') throw new Error(`loopback Clip: ${id} is ${intent.status}, not on the terminal`);
      return intent;
    };
    const result = (intent: ClipIntentState, status: 'approved' | 'declined', card: ClipCard): ClipResultJson => ({
      id: randomUUID(),
      transaction_id: randomUUID(),
      type: 'pos',
      entry_mode: 'qps',
      amount: intent.amount,
      tip_amount: '0.00',
      amount_refunded: '0.00',
      installment_amount: intent.amount,
      installments: 1,
      capture_method: 'automatic',
      net_amount: status === 'approved' ? new Decimal(intent.amount).times('0.964').toFixed(2) : '0.00',
      paid_amount: status === 'approved' ? intent.amount : '0.00',
      status,
      approved_at: status === 'approved' ? iso().replace(/\.\d{3}Z$/, 'Z') : null,
      currency: 'MXN',
      merchant_id: merchantId,
      payment_method: {
        id: card.brand,
        type: card.type,
        card: { bin: card.bin, issuer: card.issuer, last_digits: card.last4, exp_year: '28', exp_month: '08' },
      },
      device: { id: intent.serial_number_pos, type: 'Si', manufacturer: 'KOZEN' },
    });
    const card = (over: Partial<ClipCard> = {}): ClipCard => ({
      brand: 'master',
      type: 'credit_card',
      bin: '549949',
      last4: '8356',
      issuer: 'CITIBANAMEX',
      ...over,
    });
    return {
      takes: () => void onScreen(),
      pays(over) {
        const intent = onScreen();
        intent.results.push(result(intent, 'approved', card(over)));
        intent.amount_paid = intent.amount;
        intent.status = 'COMPLETED';
        paidAt.set(id, now());
        changed(intent);
      },
      declines() {
        const intent = onScreen();
        intent.results.push(result(intent, 'declined', card({ brand: 'visa', type: 'debit_card', bin: '450995', last4: '3704' })));
        intent.status = 'REJECTED';
        changed(intent);
      },
      cancels() {
        const intent = onScreen();
        intent.status = 'CANCELED';
        intent.cancelledBy = 'terminal';
        changed(intent);
      },
    };
  }

  return {
    baseUrl: loop.origin,
    get intents() {
      timeOutIdle();
      return [...intents.values()].map(clone);
    },
    intent: (id) => {
      timeOutIdle();
      return clone(entryOf(id));
    },
    get refunds() {
      return refunds.map(clone);
    },
    get requests() {
      return loop.requests;
    },
    get attempts() {
      return loop.attempts;
    },
    script: loop.script,
    refuseCredentials: (refuse, api = 'all') => {
      refusing = refuse ? api : null;
    },
    terminal: atTerminal,
    now,
    advance: (ms) => {
      offset += ms;
      timeOutIdle();
    },
    notices,
    send: (notice) => post(notice),
    flush: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      await Promise.all([...pending]);
      await loop.close();
    },
  };
}
