// Clip (Mexico) through its PinPad API: the POS creates a payment intent for a terminal by its
// serial, the terminal wakes, takes the card, and the POS reads how it went. As developer.clip.mx
// documents it («API de PinPad», «API de Reembolsos», «Token de autenticación»):
//   POST   https://api.payclip.io/f2f/pinpad/v1/payment            { amount: "200.50", reference,
//          serial_number_pos, webhook_url?, preferences? } → 200 { pinpad_request_id, reference,
//          amount, serial_number_pos, current_payment_on_transaction }. A terminal holds at most
//          two intents, the one it is on and one waiting: when this one waits,
//          current_payment_on_transaction names the other; with both taken, 400 PAYMENT_PENDING
//          with data { current_payment_on_transaction, payment_enqueued }. A terminal that is off,
//          without internet, with the PinPad app closed (or not the account's) is 400 ERR10_04.
//   GET    …/f2f/pinpad/v1/payment?pinpadRequestId=…  (Pinpad-Include-Detail: true) the intent.
//   DELETE …/f2f/pinpad/v1/payment/{pinpad_request_id}  only while no terminal has taken it; then
//          400 PAYMENT_REQUEST_ISSUE ("removed or taken by the terminal"): it is cancelled there.
//   GET    …/f2f/pinpad/v1/devices/status                 the account's PinPad terminals.
//   GET    https://api.payclip.com/payments?from=&to=  the account's payments in a span (results[]).
//   POST   https://api.payclip.com/refunds  { reference: { type: "transaction", id }, amount (a
//          JSON number), reason }, header idempotency-key (kept by Clip for one minute) → { id,
//          status: approved | declined, amount, receipt_no, … }. Errors { error_code, message,
//          detail[] }: AI1801/AI1802 more than was paid, AI1807 a refund under way (try later)…
// Authorization: Basic base64(api_key:clave_secreta) on every call; 401 (PinPad) or 403 CL1500
// (refunds) when refused. Amounts go as decimal text (the PinPad table's type, and its example),
// and as a number literal written from that text where only a number is documented (refunds).
//
// No idempotency key for intents. Clip documents none, and no search by our reference either. So
// the charge's external reference is Clip's reference, and a repeated request finds its earlier
// intent through what Clip does document: a create while the terminal still holds an intent
// answers which (current_payment_on_transaction, or PAYMENT_PENDING's data). An intent of this
// reference held there is the earlier attempt whose answer was lost: the adapter answers it and
// withdraws (DELETE) the duplicate Clip just queued behind it, before any terminal shows it. A
// terminal holding another sale's intent is refused, with nothing of ours left queued behind it.
// What this cannot see: an earlier attempt that the customer already finished paying before the
// repeat arrived (the terminal no longer holds it). Clip's webhook names that intent, and charge()
// of it carries the external reference, so the caller can still tie it to its sale.
//
// The API key, the secret, the Basic token and the webhook secret never reach a message, a log or
// provider_data.
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
} from './card-terminal.ts';
import {
  approvedResults,
  badAnswer,
  type ClipIntent,
  chargeFromCreated,
  chargeFromIntent,
  chargeStatusOf,
  clipErrorOf,
  isIntentId,
  PROVIDER,
  paidAndRefunded,
  parseCreated,
  parseIntent,
  parsePaymentsPage,
  parseRefund,
  paymentFromListed,
  terminalsFromDevices,
} from './clip-intents.ts';
import { clipNotice, clipWebhookUrl, webhookToken } from './clip-webhook.ts';
import { callProvider, JsonDecimal, jsonOf, jsonWithDecimals, type ProviderLine, secretScrubber, withoutSecrets } from './provider-http.ts';

export const CLIP_PINPAD_API = 'https://api.payclip.io';
export const CLIP_REFUNDS_API = 'https://api.payclip.com';

export type ClipPinpadOptions = {
  /** The API key of a credential made in Clip's developer dashboard. */
  apiKey: string;
  /** Its clave secreta. */
  secretKey: string;
  /** Makes the token our webhook URLs carry; without it every webhook is INVALID_SIGNATURE. */
  webhookSecret?: string;
  /** Our endpoint for Clip's notices, sent with each intent (with the token); without it Clip uses the dashboard's. */
  webhookUrl?: string;
  /** CLIP_PINPAD_API, or a loopback in tests. */
  baseUrl?: string;
  /** CLIP_REFUNDS_API; when only baseUrl is given (a loopback, a proxy), baseUrl serves both. */
  refundsBaseUrl?: string;
  /** Per request, the answer's body included. */
  timeoutMs?: number;
  /** Whether the terminal prints its slip by itself when the payment goes through. */
  printReceipt?: boolean;
};

/**
 * The credentials as the register's file keeps them, one string: "api_key:clave_secreta", or the
 * "token de autenticación" Clip's dashboard makes of them (base64 of the same, with or without
 * its "Basic " prefix).
 */
export function clipCredentials(accessToken: string): { apiKey: string; secretKey: string } {
  const text = accessToken.trim().replace(/^basic\s+/i, '');
  const plain = text.includes(':') ? text : Buffer.from(text, 'base64').toString('utf8');
  const at = plain.indexOf(':');
  if (at <= 0 || at === plain.length - 1) {
    throw new Error('clip: the credentials are "api_key:clave_secreta" or Clip\'s base64 token of them');
  }
  return { apiKey: plain.slice(0, at), secretKey: plain.slice(at + 1) };
}

const DEFAULT_TIMEOUT_MS = 15_000;
const EXTERNAL_REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const SERIAL = /^[A-Za-z0-9]{4,40}$/;
/** More pages than this for one list is a paging that does not move. */
const MAX_PAYMENT_PAGES = 200;
const REFUND_REASON = 'Devolución solicitada en el punto de venta';

/** Refusals that mean "not now": the same request, later. */
const TRANSIENT_CODES = new Set(['AI1807']);

/** What Clip's codes mean, said to the cashier or the manager who reads the error. */
const WORDS: Readonly<Record<string, string>> = {
  ERR10_04:
    'la terminal Clip no está disponible: está apagada o bloqueada, sin internet, con la app PinPad cerrada, ocupada en otro cobro, o no es de esta cuenta; revise la terminal y su número de serie',
  PINPAD_TERMINAL_TIMEOUT_EXCEPTION: 'no se pudo conectar con la terminal Clip: revise su internet o el número de serie',
  PAYMENT_PENDING: 'la terminal Clip ya tiene un cobro en curso y otro en espera',
  PAYMENT_REQUEST_ISSUE: 'el cobro ya se eliminó o la terminal ya lo tomó',
  ERROR_BODY_STRUCTURE: 'Clip no acepta la forma de la solicitud',
  CL2200: 'a la solicitud le faltan datos que Clip exige',
  AI1300: 'Clip no encuentra esa transacción',
  CL301: 'Clip no encuentra ese pago',
  AI1800: 'el pago no está aprobado',
  AI1801: 'el monto a devolver es mayor que el del pago',
  AI1802: 'el monto a devolver, sumado a lo ya devuelto, es mayor que el del pago',
  AI1803: 'pasó el plazo para devolver este pago (180 días)',
  AI1804: 'el pago está en disputa: no se puede devolver',
  AI1805: 'las devoluciones están desactivadas en la cuenta de Clip',
  AI1806: 'los pagos a meses no se pueden devolver por la API',
  AI1400: 'la cuenta de Clip no tiene saldo del día suficiente para la devolución',
  AI1807: 'ya hay una devolución en proceso para este pago',
};

type Call = {
  /** In Spanish, what was being asked: "crear el cobro". */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /** Whether repeating it is safe as is (a read, a DELETE, a refund under its key): what a failure tells the caller. */
  repeat: 'read' | 'same-key';
  headers?: Record<string, string>;
  body?: string;
};

type Answered = { status: number; json: unknown };

const again = (call: Call) =>
  call.repeat === 'read'
    ? 'se puede volver a consultar.'
    : 'puede haberlo hecho: hay que volver a pedirlo con la misma clave y la misma referencia, nunca con otras.';

export function clipPinpad(options: ClipPinpadOptions): CardTerminalProvider {
  if (!options.apiKey || !options.secretKey) throw new Error('clip: an API key and its secret are required');
  if (options.apiKey.includes(':')) throw new Error('clip: an API key has no ":"');
  const pinpadBase = `${(options.baseUrl ?? CLIP_PINPAD_API).replace(/\/+$/, '')}/f2f/pinpad/v1`;
  const refundsBase = (options.refundsBaseUrl ?? options.baseUrl ?? CLIP_REFUNDS_API).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const basic = Buffer.from(`${options.apiKey}:${options.secretKey}`, 'utf8').toString('base64');
  const webhookSecret = options.webhookSecret ?? '';
  const webhookUrl = options.webhookUrl && webhookSecret ? clipWebhookUrl(options.webhookUrl, webhookSecret) : options.webhookUrl;
  const secrets = [options.apiKey, options.secretKey, basic, webhookSecret, webhookSecret ? webhookToken(webhookSecret) : ''].filter(
    (s) => s.length > 0,
  );
  const clean = secretScrubber(secrets);
  const line: ProviderLine = { provider: PROVIDER, label: 'Clip', timeoutMs, clean };

  const fail = (failure: CardProviderFailure, message: string, status?: number, code?: string | null) =>
    new CardProviderError(failure, message, {
      provider: PROVIDER,
      ...(status === undefined ? {} : { status }),
      ...(code ? { code } : {}),
    });

  /** A request refused before it is sent: it would have been refused anyway. */
  const refuse = (message: string) => fail('REFUSED', message);

  function failureOf(call: Call, status: number, json: unknown): CardProviderError {
    const { code, message } = clipErrorOf(json);
    const theirs = [code, message ? clean(message) : null].filter(Boolean).join(': ');
    const said = theirs ? ` (${theirs})` : '';
    if (status >= 500 || status === 429 || (code !== null && TRANSIENT_CODES.has(code))) {
      return fail('UNAVAILABLE', `Clip no pudo ${call.operation} por ahora (HTTP ${status})${said}; ${again(call)}`, status, code);
    }
    if (status === 401 || status === 403) {
      return fail(
        'AUTH',
        `Clip no aceptó las credenciales de la cuenta (HTTP ${status})${said}. Un gerente debe revisar la API key y la clave secreta de Clip.`,
        status,
        code,
      );
    }
    const words = code ? WORDS[code] : undefined;
    if (status === 404) {
      return fail('NOT_FOUND', `Clip no encontró lo pedido al ${call.operation}${words ? `: ${words}` : ''}${said}.`, status, code);
    }
    if (status >= 400) {
      return fail('REFUSED', `Clip no aceptó ${call.operation}${words ? `: ${words}` : ''}${said}.`, status, code);
    }
    return badAnswer(`HTTP ${status} al ${call.operation}.`, status);
  }

  /** The answer, whatever its status; TIMEOUT / UNAVAILABLE when none came, BAD_ANSWER for a 2xx that is not JSON. */
  async function exchange(call: Call): Promise<Answered> {
    const headers: Record<string, string> = { authorization: `Basic ${basic}`, accept: 'application/json', ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const { status, text } = await callProvider(line, {
      operation: call.operation,
      method: call.method,
      url: call.url,
      headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      again: again(call),
    });
    const { json, isJson } = jsonOf(text);
    if (!isJson && status >= 200 && status < 300) {
      throw badAnswer(`al ${call.operation} respondió HTTP ${status} con un cuerpo que no es JSON.`, status);
    }
    return { status, json };
  }

  async function send(call: Call): Promise<Answered> {
    const answered = await exchange(call);
    if (answered.status < 200 || answered.status >= 300) throw failureOf(call, answered.status, answered.json);
    return answered;
  }

  const intentId = (reference: string) => {
    if (!isIntentId(reference)) throw refuse('La referencia del cobro en Clip debe ser el id del intento de pago (pinpad-…).');
    return reference;
  };

  const checkKey = (key: string) => {
    if (!IDEMPOTENCY_KEY.test(key)) throw refuse('La clave de idempotencia debe tener de 1 a 64 caracteres visibles, sin espacios.');
  };

  const checkAmount = (amount: string, what: string) => {
    if (!AMOUNT.test(amount) || new Decimal(amount).lte(0)) {
      throw refuse(`El monto ${what} («${amount}») debe ser mayor que cero y tener a lo más dos decimales.`);
    }
    return new Decimal(amount).toFixed(2);
  };

  async function intent(reference: string, operation = 'consultar el cobro'): Promise<ClipIntent> {
    const id = intentId(reference);
    const { status, json } = await send({
      operation,
      method: 'GET',
      url: `${pinpadBase}/payment?pinpadRequestId=${encodeURIComponent(id)}`,
      repeat: 'read',
      headers: { 'pinpad-include-detail': 'true' },
    });
    const found = parseIntent(json, status);
    if (found.pinpad_request_id !== id) throw badAnswer(`se pidió el intento ${id} y respondió el ${found.pinpad_request_id}.`, status);
    return found;
  }

  /**
   * Takes an intent no terminal has taken off Clip. False when Clip says it is already gone or
   * taken (PAYMENT_REQUEST_ISSUE): then only the terminal can end it.
   */
  async function withdraw(id: string): Promise<boolean> {
    const call: Call = {
      operation: 'retirar el cobro de la terminal',
      method: 'DELETE',
      url: `${pinpadBase}/payment/${encodeURIComponent(id)}`,
      repeat: 'same-key',
    };
    const { status, json } = await exchange(call);
    if (status >= 200 && status < 300) return true;
    if (status === 400 && clipErrorOf(json).code === 'PAYMENT_REQUEST_ISSUE') return false;
    throw failureOf(call, status, json);
  }

  const busy = (held: string) =>
    refuse(
      `La terminal Clip ya tiene otro cobro en curso (${held}): termínelo o cancélelo en la terminal antes de enviar otro. No se dejó nada en espera.`,
    );

  /** An intent of this charge's reference is this charge only for the same amount. */
  const sameCharge = (found: ClipIntent, request: ChargeRequest, amount: string) => {
    if (found.reference !== request.externalReference) return false;
    if (new Decimal(found.amount).eq(amount)) return true;
    throw refuse(
      `Ya hay en la terminal un cobro con la referencia ${request.externalReference} por ${found.amount}, no por ${amount}: una referencia es un solo cobro.`,
    );
  };

  /**
   * Withdraws an intent still waiting for a terminal: null once it is gone (now, or already), or
   * the intent as it stands when a terminal took it first.
   */
  async function withdrawWaiting(id: string): Promise<ClipIntent | null> {
    if (await withdraw(id)) return null;
    const found = await intent(id, 'leer el cobro que no se pudo retirar');
    return chargeStatusOf(found.status, false) === 'CANCELLED' ? null : found;
  }

  /**
   * The intents Clip says the terminal holds (the one it is on first), read. When the terminal is
   * on one of this reference, that one is the charge, and this reference's duplicates waiting
   * behind it are withdrawn before the terminal shows them. When it is on another sale's, every
   * intent of this reference is withdrawn and the terminal is busy: nothing of ours waits there.
   */
  async function settleHeld(held: string[], request: ChargeRequest, amount: string, justMade: string | null): Promise<ProviderCharge> {
    const read: ClipIntent[] = [];
    for (const id of held) read.push(await intent(id, 'buscar el cobro que la terminal ya tiene'));
    const onTerminal = read[0]!;
    const keep = onTerminal.reference === request.externalReference ? onTerminal : null;
    const waiting = [
      ...read
        .slice(1)
        .filter((i) => i.reference === request.externalReference)
        .map((i) => i.pinpad_request_id),
      ...(justMade ? [justMade] : []),
    ];
    for (const id of waiting) {
      const taken = await withdrawWaiting(id);
      if (!taken) continue;
      // A terminal took it, so the intent ahead of it is over. If that one was this charge and
      // was paid, it stays the charge (the terminal now shows a second one, to cancel there);
      // otherwise the one just taken is.
      if (keep) {
        const ended = await intent(keep.pinpad_request_id);
        if (chargeStatusOf(ended.status, false) === 'APPROVED') return chargeFromIntent(ended, secrets, request.terminalId);
      }
      return chargeFromIntent(taken, secrets, request.terminalId);
    }
    if (!keep) throw busy(onTerminal.pinpad_request_id);
    sameCharge(keep, request, amount);
    return chargeFromIntent(keep, secrets, request.terminalId);
  }

  const charge = async (reference: string): Promise<ProviderCharge> => chargeFromIntent(await intent(reference), secrets);

  return {
    name: PROVIDER,

    async startCharge(request: ChargeRequest) {
      checkKey(request.idempotencyKey);
      if (!EXTERNAL_REFERENCE.test(request.externalReference)) {
        throw refuse('La referencia externa del cobro debe tener de 1 a 64 letras, números, guiones o guiones bajos.');
      }
      if (!SERIAL.test(request.terminalId)) {
        throw refuse('La terminal Clip se indica por su número de serie (letras y números, como P8220724000042).');
      }
      if (request.currency !== 'MXN') throw refuse(`Clip cobra solo en pesos mexicanos (MXN); no puede cobrar en ${request.currency}.`);
      const amount = checkAmount(request.amount, 'del cobro');
      // The PinPad API takes no description: the external reference is what Clip's activity shows.
      const body = {
        amount,
        reference: request.externalReference,
        serial_number_pos: request.terminalId,
        ...(webhookUrl ? { webhook_url: webhookUrl } : {}),
        preferences: {
          is_auto_return_enabled: false,
          // The sale's total is the charge: a tip or installments chosen at the terminal would change it.
          is_tip_enabled: false,
          is_msi_enabled: false,
          is_mci_enabled: false,
          is_dcc_enabled: false,
          // One charge is one card: the interface has one payment per charge.
          is_split_payment_enabled: false,
          // A declined card may be tried again, or another, on the same intent.
          is_retry_enabled: true,
          is_share_enabled: false,
          is_auto_print_receipt_enabled: options.printReceipt ?? false,
        },
      };
      const call: Call = {
        operation: 'crear el cobro',
        method: 'POST',
        url: `${pinpadBase}/payment`,
        repeat: 'same-key',
        body: JSON.stringify(body),
      };
      const answered = await exchange(call);
      if (answered.status === 400) {
        const error = clipErrorOf(answered.json);
        if (error.code === 'PAYMENT_PENDING' && error.pending.length > 0) return settleHeld(error.pending, request, amount, null);
      }
      if (answered.status < 200 || answered.status >= 300) throw failureOf(call, answered.status, answered.json);
      const made = parseCreated(answered.json, answered.status);
      // The answer is to this request only if it is for this reference and amount.
      if (made.reference !== request.externalReference || !new Decimal(made.amount).eq(amount)) {
        throw badAnswer(
          `se pidió un cobro de ${amount} con referencia ${request.externalReference} y respondió el intento ${made.pinpad_request_id} de ${made.amount} con referencia ${made.reference}.`,
          answered.status,
        );
      }
      const ahead = made.current_payment_on_transaction;
      if (!ahead || ahead === made.pinpad_request_id) return chargeFromCreated(made, secrets);
      // Clip queued ours behind an intent the terminal holds: an earlier attempt of this charge, or another sale's.
      return settleHeld([ahead], request, amount, made.pinpad_request_id);
    },

    charge,

    async cancelCharge(reference: string, idempotencyKey: string) {
      checkKey(idempotencyKey);
      // Once the terminal has it, Clip cancels only there (PAYMENT_REQUEST_ISSUE): the charge is answered as it is.
      await withdraw(intentId(reference));
      return charge(reference);
    },

    async refund(request: RefundRequest) {
      checkKey(request.idempotencyKey);
      if (!request.paymentId) throw refuse('Falta el pago (transaction_id de Clip) que se devuelve.');
      const asked = request.amount === null ? null : checkAmount(request.amount, 'a devolver');
      const found = await intent(request.reference, 'leer el cobro a devolver');
      const payment = approvedResults(found).find((r) => r.transaction_id === request.paymentId);
      if (!payment) {
        throw fail('NOT_FOUND', `El cobro ${found.pinpad_request_id} no tiene un pago aprobado ${request.paymentId} que devolver.`);
      }
      const { paid, refunded } = paidAndRefunded(payment);
      const left = paid.minus(refunded);
      // Clip keeps a refund's idempotency-key for one minute only. "All that is left" is measured
      // anew each time, so a whole refund repeated after that minute finds nothing left, not a second refund.
      if (asked === null && left.lte(0)) throw refuse(`El pago ${request.paymentId} ya se devolvió completo (${refunded.toFixed(2)}).`);
      const amount = asked ?? left.toFixed(2);
      const { status, json } = await send({
        operation: asked === null ? 'devolver el cobro' : 'devolver parte del cobro',
        method: 'POST',
        url: `${refundsBase}/refunds`,
        repeat: 'same-key',
        headers: { 'idempotency-key': request.idempotencyKey },
        body: jsonWithDecimals({
          reference: { type: 'transaction', id: request.paymentId },
          amount: new JsonDecimal(amount),
          reason: REFUND_REASON,
        }),
      });
      const made = parseRefund(json, status);
      if (made.status === 'declined') {
        throw fail(
          'REFUSED',
          `Clip declinó la devolución${made.status_message ? ` (${clean(made.status_message)})` : ''}.`,
          status,
          'declined',
        );
      }
      if (made.status !== 'approved')
        throw badAnswer(`el estado «${made.status}» de la devolución ${made.id} no es uno de los documentados.`, status);
      if (!new Decimal(made.amount).eq(amount) || (made.reference?.id && made.reference.id !== request.paymentId)) {
        throw badAnswer(
          `se pidió devolver ${amount} del pago ${request.paymentId} y respondió la devolución de ${made.amount} de ${made.reference?.id}.`,
        );
      }
      return {
        id: made.id,
        reference: found.pinpad_request_id,
        amount: made.amount,
        status: 'APPROVED',
        data: withoutSecrets(made, secrets) as Record<string, unknown>,
      };
    },

    async terminals() {
      const { json } = await send({
        operation: 'listar las terminales',
        method: 'GET',
        url: `${pinpadBase}/devices/status`,
        repeat: 'read',
      });
      return terminalsFromDevices(json);
    },

    async payments(query: PaymentsQuery) {
      const from = query.from.getTime();
      const to = query.to.getTime();
      if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
        throw refuse('Para listar los pagos de Clip, el inicio debe ser anterior al fin.');
      }
      const found = new Map<string, ProviderPayment>();
      for (let page = 1; page <= MAX_PAYMENT_PAGES; page++) {
        const params = new URLSearchParams({ from: query.from.toISOString(), to: query.to.toISOString() });
        // The first request is the documented one; a page number only once an answer said there are more.
        if (page > 1) params.set('page', String(page));
        const { status, json } = await send({
          operation: 'listar los cobros',
          method: 'GET',
          url: `${refundsBase}/payments?${params}`,
          repeat: 'read',
        });
        const listed = parsePaymentsPage(json, status);
        if (listed.pages && listed.pages.total > 1 && listed.pages.number !== page) {
          throw badAnswer(`se pidió la página ${page} de los pagos y respondió la ${listed.pages.number}.`, status);
        }
        for (const r of listed.results) {
          const taken = paymentFromListed(r);
          if (taken) found.set(taken.id, taken);
        }
        if (!listed.pages || page >= listed.pages.total) {
          return [...found.values()]
            .filter((p) => query.terminalId === undefined || p.terminalId === query.terminalId)
            .filter((p) => Date.parse(p.createdAt) >= from && Date.parse(p.createdAt) < to)
            .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
        }
      }
      throw badAnswer(`la lista de pagos sigue después de ${MAX_PAYMENT_PAGES} páginas.`);
    },

    webhook(request) {
      return clipNotice(request, webhookSecret);
    },
  };
}
