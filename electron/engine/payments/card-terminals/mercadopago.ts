// Mercado Pago Point through its Orders API for in-person payments (Mexico, Argentina), as the
// reference documents it (https://www.mercadopago.com.mx/developers/en/reference/in-person-payments/point/):
//   POST /v1/orders                  create: X-Idempotency-Key; { type: "point", external_reference,
//                                    description, expiration_time (PT30S…PT3H), transactions: {
//                                    payments: [{ amount }] }, config: { point: { terminal_id } } };
//                                    201 with the order (status created). A key already used
//                                    answers the order it made; with another body, 409
//                                    idempotency_key_already_used.
//   GET  /v1/orders/{id}             the order as it is now (orders of the last 3 months).
//   POST /v1/orders/{id}/cancel      X-Idempotency-Key; 200 canceled from created. With
//                                    x-allow-cancelable-status: at_terminal, 202 for an order on
//                                    the terminal: accepted, confirmed by a later notice (the
//                                    customer may still pay first). 409 cannot_cancel_order /
//                                    order_already_canceled otherwise.
//   POST /v1/orders/{id}/refund      X-Idempotency-Key; no body refunds the whole, or
//                                    { transactions: [{ id: PAY…, amount }] } a part; the order back
//                                    with transactions.refunds[].
//   GET  /v1/orders                  search: begin_date, end_date (RFC 3339, ≤ 30 days apart) on
//                                    the creation, type, page (from 1), page_size (≤ 100),
//                                    sort_by created_date, sort_order: data[] of orders, paging.
//   GET  /terminals/v1/list          ?limit (≤ 50)&offset: data.terminals[], paging.
// Authorization: Bearer <access token>. Errors: { errors: [{ code, message }] }, or for a refused
// token the flat { code, message }. 401 unauthorized; 403 forbidden_checking_terminal_owner
// (the terminal is another account's); 404 order_not_found / transaction_not_found; 400/409/422
// refusals of the request as asked; 5xx and idempotency_validation_failed: try again.
//
// The access token and the webhook secret never reach a message, a log or provider_data.
import { Decimal } from 'decimal.js';
import {
  CardProviderError,
  type CardProviderFailure,
  type CardTerminalProvider,
  type ChargeRequest,
  type PaymentsQuery,
  type ProviderCharge,
  type ProviderPayment,
  type RefundRequest,
  type TerminalInfo,
} from './card-terminal.ts';
import {
  badAnswer,
  chargeFromOrder,
  type MpOrder,
  PROVIDER,
  parseOrder,
  parseOrdersPage,
  parseTerminalsPage,
  paymentFromOrder,
  refundFromOrder,
  terminalsFromPage,
} from './mercadopago-orders.ts';
import { mercadoPagoNotice } from './mercadopago-webhook.ts';
import { callProvider, jsonOf, type ProviderLine, secretScrubber } from './provider-http.ts';

export const MERCADOPAGO_API = 'https://api.mercadopago.com';

export type MercadoPagoPointOptions = {
  /** The account's access token (APP_USR-…, or one obtained by OAuth for a seller). */
  accessToken: string;
  /** The application's webhook secret; without it every webhook is INVALID_SIGNATURE. */
  webhookSecret?: string;
  /** MERCADOPAGO_API, or a loopback in tests. */
  baseUrl?: string;
  /** Per request, the answer's body included. */
  timeoutMs?: number;
  /** The account's currency (MXN, ARS): a charge in another is refused before it is sent. */
  currency?: string;
  /** How long the terminal offers a charge before it expires: 30 s to 3 h. */
  expiresAfterSeconds?: number;
  /** Whether the terminal prints its slip; Mercado Pago's default (seller_ticket) when not given. */
  printOnTerminal?: 'seller_ticket' | 'no_ticket';
  /** How far a webhook's signed time may be from now before it is taken for a replay. */
  webhookToleranceMs?: number;
  /** The clock webhooks are judged by (ms since the epoch). */
  now?: () => number;
};

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_EXPIRY_S = 600;
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 10 * 60_000;
const TERMINALS_PAGE = 50;
/** 50 terminals a page: more pages than this is a paging that does not move. */
const MAX_TERMINAL_PAGES = 200;

const ORDERS_PAGE = 100;
/** The search takes at most 30 days between begin_date and end_date: a longer span is asked in parts. */
const SEARCH_SPAN_MS = 30 * 24 * 3600_000;
/** 100 orders a page: more pages than this for one span is a paging that does not move. */
const MAX_ORDER_PAGES = 500;

const EXTERNAL_REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** Refusals that mean "not now": the same request, with the same key, later. */
const TRANSIENT_CODES = new Set(['idempotency_validation_failed', 'refund_in_progress', 'movement_operations_pending']);
/** 403s about the request, not the token. */
const REFUSED_403 = new Set([
  'forbidden_checking_terminal_owner',
  'partial_refund_forbidden_with_tips',
  'terminal_not_allowed_action',
  'store_pos_not_found',
]);

/** What the provider's codes mean, said to the cashier or the manager who reads the error. */
const WORDS: Readonly<Record<string, string>> = {
  forbidden_checking_terminal_owner:
    'la terminal no pertenece a esta cuenta de Mercado Pago; revise el identificador de la terminal o su vinculación',
  already_queued_order_for_terminal: 'la terminal ya tiene un cobro en espera: termínelo o cancélelo en la terminal antes de enviar otro',
  idempotency_key_already_used: 'esa clave de idempotencia ya se usó con otra solicitud',
  cannot_cancel_order: 'la orden ya no se puede cancelar desde la caja',
  order_already_canceled: 'la orden ya estaba cancelada',
  cannot_refund_order: 'el estado de la orden no permite devolverla',
  order_already_refunded: 'la orden ya se devolvió completa',
  refund_amount_exceeds: 'el monto a devolver es mayor que lo que queda por devolver',
  refund_period_exceeded: 'pasó el plazo para devolver este pago (90 días)',
  partial_refund_forbidden_with_tips: 'un pago con propina solo se puede devolver completo',
  unsupported_partially_refunds: 'esta orden no admite devoluciones parciales',
  payment_not_refundable: 'este pago no se puede devolver',
  amount_not_refundable: 'ese monto no se puede devolver',
  max_refunds_exceeded: 'la orden ya tiene el máximo de devoluciones',
  insufficient_money_for_refund: 'la cuenta de Mercado Pago no tiene saldo suficiente para la devolución',
  transaction_not_found: 'el pago indicado no pertenece a esta orden',
  order_not_found: 'la cuenta no tiene esa orden',
  invalid_path_param: 'el identificador de la orden no tiene la forma de Mercado Pago (ORD…)',
  property_value: 'Mercado Pago no acepta el valor de un dato de la solicitud',
  required_properties: 'a la solicitud le falta un dato que Mercado Pago exige',
  unsupported_properties: 'la solicitud lleva un dato que Mercado Pago no admite',
  property_type: 'un dato de la solicitud no es del tipo que Mercado Pago espera',
};

type ProviderError = { code: string | null; message: string | null };

/** Both documented envelopes: { errors: [{ code, message }] } and the flat { code, message }. */
function providerErrorOf(json: unknown): ProviderError {
  if (!json || typeof json !== 'object') return { code: null, message: null };
  const o = json as Record<string, unknown>;
  const first = Array.isArray(o.errors) && o.errors[0] && typeof o.errors[0] === 'object' ? (o.errors[0] as Record<string, unknown>) : o;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);
  return { code: text(first.code) ?? text(o.error), message: text(first.message) ?? text(o.message) };
}

type Call = {
  /** In Spanish, what was being asked: "crear el cobro". */
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  idempotencyKey?: string;
  body?: unknown;
  headers?: Record<string, string>;
};

type Answered = { status: number; json: unknown };

/** What the caller does after an answer that may or may not have been acted on. */
const again = (call: Call) =>
  call.idempotencyKey === undefined
    ? 'se puede volver a consultar.'
    : 'puede haberlo hecho: hay que volver a pedirlo con la misma clave, nunca con otra.';

export function mercadoPagoPoint(options: MercadoPagoPointOptions): CardTerminalProvider {
  if (!options.accessToken) throw new Error('mercadopago: an access token is required');
  const base = (options.baseUrl ?? MERCADOPAGO_API).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const expiresAfter = options.expiresAfterSeconds ?? DEFAULT_EXPIRY_S;
  if (!Number.isInteger(expiresAfter) || expiresAfter < 30 || expiresAfter > 3 * 3600) {
    throw new Error('mercadopago: expiresAfterSeconds is between 30 and 10800');
  }
  const secrets = [options.accessToken, options.webhookSecret ?? ''].filter((s) => s.length > 0);
  const now = options.now ?? Date.now;

  const fail = (failure: CardProviderFailure, message: string, status?: number, code?: string | null) =>
    new CardProviderError(failure, message, {
      provider: PROVIDER,
      ...(status === undefined ? {} : { status }),
      ...(code ? { code } : {}),
    });

  const clean = secretScrubber(secrets);
  const line: ProviderLine = { provider: PROVIDER, label: 'Mercado Pago', timeoutMs, clean };

  /** A request refused before it is sent: it would have been refused anyway. */
  const refuse = (message: string) => fail('REFUSED', message);

  function failureOf(call: Call, status: number, json: unknown): CardProviderError {
    const { code, message } = providerErrorOf(json);
    const theirs = [code, message ? clean(message) : null].filter(Boolean).join(': ');
    const said = theirs ? ` (${theirs})` : '';
    if (status >= 500 || status === 429 || status === 425 || (code !== null && TRANSIENT_CODES.has(code))) {
      return fail('UNAVAILABLE', `Mercado Pago no pudo ${call.operation} por ahora (HTTP ${status})${said}; ${again(call)}`, status, code);
    }
    if (status === 401 || (status === 403 && !(code !== null && REFUSED_403.has(code)))) {
      return fail(
        'AUTH',
        `Mercado Pago no aceptó el token de acceso de la cuenta (HTTP ${status})${said}. Un gerente debe revisar las credenciales de Mercado Pago.`,
        status,
        code,
      );
    }
    const words = code ? WORDS[code] : undefined;
    if (status === 404) {
      return fail('NOT_FOUND', `Mercado Pago no encontró lo pedido al ${call.operation}${words ? `: ${words}` : ''}${said}.`, status, code);
    }
    if (status >= 400) {
      return fail('REFUSED', `Mercado Pago no aceptó ${call.operation}${words ? `: ${words}` : ''}${said}.`, status, code);
    }
    return badAnswer(`HTTP ${status} al ${call.operation}.`, status);
  }

  async function send(call: Call): Promise<Answered> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.accessToken}`,
      accept: 'application/json',
      ...call.headers,
    };
    if (call.idempotencyKey !== undefined) headers['x-idempotency-key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const { status, text } = await callProvider(line, {
      operation: call.operation,
      method: call.method,
      url: `${base}${call.path}`,
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      again: again(call),
    });
    const { json, isJson } = jsonOf(text);
    if (!isJson && status >= 200 && status < 300) {
      throw badAnswer(`al ${call.operation} respondió HTTP ${status} con un cuerpo que no es JSON.`, status);
    }
    if (status < 200 || status >= 300) throw failureOf(call, status, json);
    return { status, json };
  }

  const orderPath = (reference: string) => {
    if (!reference) throw refuse('Falta la referencia (id de la orden) del cobro en Mercado Pago.');
    return `/v1/orders/${encodeURIComponent(reference)}`;
  };

  const checkKey = (key: string) => {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw refuse('La clave de idempotencia para Mercado Pago debe tener de 1 a 64 caracteres visibles, sin espacios.');
    }
  };

  const checkAmount = (amount: string, what: string) => {
    if (!AMOUNT.test(amount) || new Decimal(amount).lte(0)) {
      throw refuse(`El monto ${what} («${amount}») debe ser mayor que cero y tener a lo más dos decimales.`);
    }
    return new Decimal(amount).toFixed(2);
  };

  async function order(reference: string, operation = 'consultar el cobro'): Promise<MpOrder> {
    const { status, json } = await send({ operation, method: 'GET', path: orderPath(reference) });
    const found = parseOrder(json, status);
    if (found.id !== reference) throw badAnswer(`se pidió la orden ${reference} y respondió la ${found.id}.`, status);
    return found;
  }

  const charge = async (reference: string): Promise<ProviderCharge> => chargeFromOrder(await order(reference), secrets);

  /**
   * The orders created in [begin, end) that took a payment, every page read, into `found` by
   * order (an order that moves from one page to the next while they are read is kept once).
   */
  async function ordersBetween(begin: Date, end: Date, found: Map<string, ProviderPayment>) {
    let seen = 0;
    for (let page = 1; page <= MAX_ORDER_PAGES; page++) {
      const params = new URLSearchParams({
        begin_date: begin.toISOString(),
        // The search's end is inclusive; ours is not: the last millisecond before it.
        end_date: new Date(end.getTime() - 1).toISOString(),
        type: 'point',
        sort_by: 'created_date',
        sort_order: 'asc',
        page: String(page),
        page_size: String(ORDERS_PAGE),
      });
      const { status, json } = await send({ operation: 'listar los cobros', method: 'GET', path: `/v1/orders?${params}` });
      const { orders, total } = parseOrdersPage(json, status);
      seen += orders.length;
      for (const o of orders) {
        const taken = paymentFromOrder(o);
        if (taken) found.set(o.id, taken);
      }
      if (orders.length < ORDERS_PAGE || (total !== null && seen >= total)) return;
    }
    throw badAnswer(`la búsqueda de órdenes sigue después de ${MAX_ORDER_PAGES} páginas.`);
  }

  return {
    name: PROVIDER,

    async startCharge(request: ChargeRequest) {
      checkKey(request.idempotencyKey);
      if (!EXTERNAL_REFERENCE.test(request.externalReference)) {
        throw refuse('La referencia externa del cobro debe tener de 1 a 64 letras, números, guiones o guiones bajos.');
      }
      if (!request.terminalId) throw refuse('Falta la terminal a la que se envía el cobro.');
      if (!request.description || [...request.description].length > 150) {
        throw refuse('La descripción del cobro debe tener de 1 a 150 caracteres.');
      }
      if (options.currency && request.currency !== options.currency) {
        throw refuse(`La cuenta de Mercado Pago cobra en ${options.currency}; no puede cobrar en ${request.currency}.`);
      }
      const amount = checkAmount(request.amount, 'del cobro');
      const body = {
        type: 'point',
        external_reference: request.externalReference,
        description: request.description,
        expiration_time: isoDuration(expiresAfter),
        transactions: { payments: [{ amount }] },
        config: {
          point: { terminal_id: request.terminalId, ...(options.printOnTerminal ? { print_on_terminal: options.printOnTerminal } : {}) },
        },
      };
      const { status, json } = await send({
        operation: 'crear el cobro',
        method: 'POST',
        path: '/v1/orders',
        idempotencyKey: request.idempotencyKey,
        body,
      });
      const made = parseOrder(json, status);
      // The key is the request: an order for another reference or amount is not this request's answer.
      const madeAmount = made.transactions.payments[0]!.amount;
      if (made.external_reference !== request.externalReference || !new Decimal(madeAmount).eq(amount)) {
        throw badAnswer(
          `se pidió un cobro de ${amount} con referencia ${request.externalReference} y respondió la orden ${made.id} de ${madeAmount} con referencia ${made.external_reference}.`,
          status,
        );
      }
      return chargeFromOrder(made, secrets);
    },

    charge,

    async cancelCharge(reference: string, idempotencyKey: string) {
      checkKey(idempotencyKey);
      try {
        const { status, json } = await send({
          operation: 'cancelar el cobro',
          method: 'POST',
          path: `${orderPath(reference)}/cancel`,
          idempotencyKey,
          // An order already on the terminal is taken off it too (202: confirmed by a later notice).
          headers: { 'x-allow-cancelable-status': 'at_terminal' },
        });
        if (json === undefined) return await charge(reference);
        return chargeFromOrder(parseOrder(json, status), secrets);
      } catch (error) {
        // Paid, failed, expired or cancelled already: the charge is answered as it is.
        if (
          error instanceof CardProviderError &&
          error.failure === 'REFUSED' &&
          (error.details.code === 'cannot_cancel_order' || error.details.code === 'order_already_canceled')
        ) {
          return await charge(reference);
        }
        throw error;
      }
    },

    async refund(request: RefundRequest) {
      checkKey(request.idempotencyKey);
      if (!request.paymentId) throw refuse('Falta el pago (id PAY…) que se devuelve.');
      const amount = request.amount === null ? null : checkAmount(request.amount, 'a devolver');
      const { status, json } = await send({
        operation: amount === null ? 'devolver el cobro' : 'devolver parte del cobro',
        method: 'POST',
        path: `${orderPath(request.reference)}/refund`,
        idempotencyKey: request.idempotencyKey,
        // "To make a total refund, send the request without a body."
        ...(amount === null ? {} : { body: { transactions: [{ id: request.paymentId, amount }] } }),
      });
      return refundFromOrder(parseOrder(json, status), { ...request, amount }, secrets);
    },

    async terminals() {
      const all: TerminalInfo[] = [];
      for (let pageNo = 0; pageNo < MAX_TERMINAL_PAGES; pageNo++) {
        const { json } = await send({
          operation: 'listar las terminales',
          method: 'GET',
          path: `/terminals/v1/list?limit=${TERMINALS_PAGE}&offset=${all.length}`,
        });
        const page = parseTerminalsPage(json);
        all.push(...terminalsFromPage(page));
        if (page.data.terminals.length === 0 || all.length >= page.paging.total) return all;
      }
      throw badAnswer(`la lista de terminales sigue después de ${MAX_TERMINAL_PAGES} páginas.`);
    },

    async payments(query: PaymentsQuery) {
      const from = query.from.getTime();
      const to = query.to.getTime();
      if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
        throw refuse('Para listar los pagos de Mercado Pago, el inicio debe ser anterior al fin.');
      }
      const found = new Map<string, ProviderPayment>();
      for (let start = from; start < to; start += SEARCH_SPAN_MS) {
        const end = Math.min(start + SEARCH_SPAN_MS, to);
        await ordersBetween(new Date(start), new Date(end), found);
      }
      return [...found.values()]
        .filter((p) => query.terminalId === undefined || p.terminalId === query.terminalId)
        .filter((p) => Date.parse(p.createdAt) >= from && Date.parse(p.createdAt) < to)
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    },

    webhook(request) {
      return mercadoPagoNotice(request, {
        secret: options.webhookSecret ?? '',
        now: now(),
        toleranceMs: options.webhookToleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS,
      });
    },
  };
}

/** Seconds as the ISO 8601 duration expiration_time takes: 600 → "PT10M". */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}
