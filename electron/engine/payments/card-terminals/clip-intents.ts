// What Clip's PinPad API answers, read into the provider interface's words. Pure: no I/O, so every
// state and every answer that is not as documented can be tried alone.
//
// Followed (developer.clip.mx, «API de PinPad»: post_payment-1, get_payment,
// delete_payment-pinpad-request-id-1, get_f2f-pinpad-v1-devices-status, health-check, webhook;
// «API de Reembolsos»: introduccion-api-de-reembolsos, post_refunds; and the server-side section of
// github.com/ClipMX/mobile.android.blaze.pinpad.sdk's README, which lists the intent's states):
//   a payment intent (pinpad_request_id "pinpad-<uuid>") is PENDING until the terminal takes it,
//   IN_PROCESS while the terminal shows it and reads the card, then COMPLETED (the GET example;
//   the README's webhook list says APPROVED), REJECTED (the card failed and the operator gave up),
//   CANCELED (by DELETE before the terminal took it, at the terminal, or by the terminal's
//   inactivity timeout) — and FAILED, which get_payment's schema names beside COMPLETED and
//   PENDING. No other state is documented: any other word is BAD_ANSWER, never a guess.
//   GET …/payment?pinpadRequestId= with Pinpad-Include-Detail: true answers { pinpad_request_id,
//   reference, amount ("1.20"), amount_paid, tip_amount, create_date, status, detail: { pages,
//   results: [{ id, transaction_id, status ("approved"), amount, paid_amount, amount_refunded,
//   tip_amount, installments, approved_at, currency, payment_method: { id ("master"), type,
//   card: { bin, issuer, last_digits, exp_year, exp_month } }, device: { id (the serial), … } }] } };
//   the results' amounts are JSON numbers. No bank authorisation code is documented.
//   POST …/payment answers { pinpad_request_id, reference, amount, serial_number_pos,
//   current_payment_on_transaction } (amount a string in the example, a number in older pages).
//   GET …/devices/status answers [{ merchant_id, serial_number, status: active | inactive | expired
//   | unknown, expires_at, created_at, updated_at, version }]; unknown: the account does not have
//   the PinPad feature, so that terminal takes no charge from the POS.
//   GET https://api.payclip.com/payments?from=&to= («Obtener una lista de transacciones»: ISO 8601
//   instants) answers the account's payments in the span as results[]: id (the transaction's
//   UUID, what a refund names), amount, tip_amount, amount_refunded (numbers), status,
//   created_at… The page documents no paging; when an answer says it has more pages (pages: {
//   number, total }, as the intent's detail does), the adapter reads them all with page=N.
//   POST /refunds answers { id, status: approved | declined, status_message, amount (a number),
//   receipt_no, created_at, currency, reference: { type, id }, reason }.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { CardProviderError, type ChargeStatus, type ProviderCharge, type ProviderPayment, type TerminalInfo } from './card-terminal.ts';
import { withoutSecrets } from './provider-http.ts';

export const PROVIDER = 'clip' as const;

export const badAnswer = (message: string, status?: number) =>
  new CardProviderError('BAD_ANSWER', `La respuesta de Clip no es la que documenta: ${message}`, {
    provider: PROVIDER,
    ...(status === undefined ? {} : { status }),
  });

const PLAIN_DECIMAL = /^\d{1,12}(\.\d{1,2})?$/;

/**
 * An amount Clip gave as a JSON number or a string, as exact decimal text ("0.50"), or null when
 * it is not an amount of at most two decimals. JSON.parse has already made a number a double: its
 * shortest printed form is the literal Clip sent for any amount of up to 15 digits, so nothing is
 * rounded; anything that prints otherwise (1e+21, 0.125) is refused rather than read.
 */
export function exactAmount(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !PLAIN_DECIMAL.test(text)) return null;
  return new Decimal(text).toFixed(2);
}

const amount = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const exact = exactAmount(v);
  if (exact === null) {
    ctx.addIssue({ code: 'custom', message: `«${String(v)}» no es un monto con a lo más dos decimales` });
    return z.NEVER;
  }
  return exact;
});

const INTENT_ID = /^pinpad-[A-Za-z0-9-]{1,80}$/;
export const isIntentId = (id: string) => INTENT_ID.test(id);

const clipResult = z.looseObject({
  transaction_id: z.string().min(1),
  status: z.string().min(1),
  amount: amount,
  paid_amount: amount.nullish(),
  amount_refunded: amount.nullish(),
  payment_method: z
    .looseObject({
      id: z.string().nullish(),
      type: z.string().nullish(),
      card: z.looseObject({ last_digits: z.string().nullish() }).nullish(),
    })
    .nullish(),
  device: z.looseObject({ id: z.string().nullish() }).nullish(),
});
export type ClipResult = z.infer<typeof clipResult>;

export const clipIntentSchema = z.looseObject({
  pinpad_request_id: z.string().regex(INTENT_ID),
  reference: z.string().min(1),
  amount: amount,
  status: z.string().min(1),
  detail: z.looseObject({ results: z.array(clipResult) }).nullish(),
});
export type ClipIntent = z.infer<typeof clipIntentSchema>;

export const clipCreatedSchema = z.looseObject({
  pinpad_request_id: z.string().regex(INTENT_ID),
  reference: z.string().min(1),
  amount: amount,
  serial_number_pos: z.string().nullish(),
  current_payment_on_transaction: z.string().nullish(),
});
export type ClipCreated = z.infer<typeof clipCreatedSchema>;

const clipDevicesSchema = z.array(
  z.looseObject({
    serial_number: z.string().min(1),
    status: z.string().min(1),
  }),
);

const clipListedPayment = z.looseObject({
  id: z.string().min(1),
  transaction_id: z.string().nullish(),
  status: z.string().min(1),
  amount: amount,
  paid_amount: amount.nullish(),
  amount_refunded: amount.nullish(),
  created_at: z.string().min(1),
  reference: z.union([z.string(), z.looseObject({})]).nullish(),
  device: z.looseObject({ id: z.string().nullish() }).nullish(),
});

export const clipPaymentsPageSchema = z.looseObject({
  results: z.array(clipListedPayment),
  pages: z.looseObject({ number: z.number().int().min(1), total: z.number().int().min(0) }).nullish(),
});

export const clipRefundSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  status_message: z.string().nullish(),
  amount: amount,
  receipt_no: z.string().nullish(),
  reference: z.looseObject({ type: z.string().nullish(), id: z.string().nullish() }).nullish(),
});
export type ClipRefund = z.infer<typeof clipRefundSchema>;

function parsed<T>(schema: z.ZodType<T>, json: unknown, what: string, status?: number): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : what;
    throw badAnswer(`${what} no trae ${where} como se espera (${issue?.message ?? 'forma desconocida'}).`, status);
  }
  return result.data;
}

export const parseIntent = (json: unknown, status?: number) => parsed(clipIntentSchema, json, 'el intento de pago', status);
export const parseCreated = (json: unknown, status?: number) => parsed(clipCreatedSchema, json, 'el intento de pago creado', status);
export const parsePaymentsPage = (json: unknown, status?: number) => parsed(clipPaymentsPageSchema, json, 'la lista de pagos', status);
export const parseRefund = (json: unknown, status?: number) => parsed(clipRefundSchema, json, 'el reembolso', status);

const INTENT_STATUS: Readonly<Record<string, ChargeStatus>> = {
  PENDING: 'CREATED',
  // The terminal took it: it shows the amount and reads the card, and only the terminal can cancel it now.
  IN_PROCESS: 'AT_TERMINAL',
  COMPLETED: 'APPROVED',
  APPROVED: 'APPROVED',
  REJECTED: 'DECLINED',
  FAILED: 'DECLINED',
  CANCELED: 'CANCELLED',
};

/** Where a charge stands from the intent's status and whether what was paid has all been given back. */
export function chargeStatusOf(status: string, refundedWhole: boolean): ChargeStatus | null {
  const mapped = INTENT_STATUS[status];
  if (!mapped) return null;
  return mapped === 'APPROVED' && refundedWhole ? 'REFUNDED' : mapped;
}

/** The card transactions that were approved (several only if the terminal split the payment, which the adapter never asks for). */
export const approvedResults = (intent: ClipIntent) => (intent.detail?.results ?? []).filter((r) => r.status.toLowerCase() === 'approved');

/** The one approved transaction of a paid intent; BAD_ANSWER if there is none, or more than one. */
export function paymentOf(intent: ClipIntent): ClipResult {
  const approved = approvedResults(intent);
  if (approved.length === 0) {
    throw badAnswer(`el intento ${intent.pinpad_request_id} está ${intent.status} pero su detalle no trae una transacción aprobada.`);
  }
  if (approved.length > 1) {
    throw badAnswer(
      `el intento ${intent.pinpad_request_id} se pagó con ${approved.length} tarjetas; el adaptador no pide pagos divididos.`,
    );
  }
  return approved[0]!;
}

/** What was paid and what has been given back of it. */
export function paidAndRefunded(result: ClipResult): { paid: Decimal; refunded: Decimal } {
  return { paid: new Decimal(result.paid_amount ?? result.amount), refunded: new Decimal(result.amount_refunded ?? '0') };
}

export function chargeFromIntent(intent: ClipIntent, secrets: readonly string[], terminalId: string | null = null): ProviderCharge {
  const mapped = chargeStatusOf(intent.status, false);
  if (!mapped) throw badAnswer(`el estado «${intent.status}» del intento ${intent.pinpad_request_id} no es uno de los documentados.`);
  const result = mapped === 'APPROVED' ? paymentOf(intent) : null;
  const money = result ? paidAndRefunded(result) : null;
  const refundedWhole = money ? money.paid.gt(0) && money.refunded.gte(money.paid) : false;
  const status = chargeStatusOf(intent.status, refundedWhole)!;
  const lastDevice = [...(intent.detail?.results ?? [])].reverse().find((r) => r.device?.id)?.device?.id ?? null;
  return {
    provider: PROVIDER,
    reference: intent.pinpad_request_id,
    externalReference: intent.reference,
    status,
    // Clip gives no reason beside the state (no status_detail): its own word for the state is what a manager reads.
    detail: intent.status,
    amount: intent.amount,
    terminalId: lastDevice ?? terminalId,
    payment: result
      ? {
          id: result.transaction_id,
          // No bank authorisation code is documented in the intent's detail.
          approvalCode: null,
          cardLast4: result.payment_method?.card?.last_digits ?? null,
          cardBrand: result.payment_method?.id ?? null,
        }
      : null,
    refunded: money ? money.refunded.toFixed(2) : '0.00',
    data: withoutSecrets(intent, secrets) as Record<string, unknown>,
  };
}

/** A charge from the creation's answer: the intent exists and no terminal has taken it yet. */
export function chargeFromCreated(created: ClipCreated, secrets: readonly string[]): ProviderCharge {
  return {
    provider: PROVIDER,
    reference: created.pinpad_request_id,
    externalReference: created.reference,
    status: 'CREATED',
    detail: 'PENDING',
    amount: created.amount,
    terminalId: created.serial_number_pos ?? null,
    payment: null,
    refunded: '0.00',
    data: withoutSecrets(created, secrets) as Record<string, unknown>,
  };
}

export function terminalsFromDevices(json: unknown): TerminalInfo[] {
  const devices = parsed(clipDevicesSchema, json, 'la lista de lectores');
  return devices.map((d) => ({
    id: d.serial_number,
    // Clip keeps no name for a terminal: its serial is what is printed on it.
    label: d.serial_number,
    // unknown: the account does not have the PinPad feature; the others are PinPad terminals, on line or not.
    integrated: d.status !== 'unknown',
  }));
}

export type ClipError = { code: string | null; message: string | null; pending: string[] };

/**
 * Clip's error envelopes: the PinPad API's { code, message, name?, data? } (PAYMENT_PENDING's data
 * names the intents the terminal holds), the refunds API's { error_code, message, detail: [...] },
 * and a bare { message }.
 */
export function clipErrorOf(json: unknown): ClipError {
  if (!json || typeof json !== 'object') return { code: null, message: null, pending: [] };
  const o = json as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const detail = Array.isArray(o.detail) ? o.detail.map(text).filter((t): t is string => t !== null) : [];
  const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
  const pending = [data.current_payment_on_transaction, data.payment_enqueued].map(text).filter((t): t is string => t !== null);
  const message = [text(o.message), ...detail].filter(Boolean).join(': ') || null;
  return { code: text(o.code) ?? text(o.error_code), message, pending };
}

/** Listed payments' states: money taken (and perhaps given back since), or none taken. */
const TAKEN = new Set(['approved', 'paid', 'completed', 'refunded', 'partially_refunded']);
const NOT_TAKEN = new Set(['declined', 'rejected', 'canceled', 'cancelled', 'failed', 'pending', 'in_process', 'expired']);

/** A listed payment as the provider interface says it, or null when no money was taken. */
export function paymentFromListed(listed: z.infer<typeof clipListedPayment>): ProviderPayment | null {
  const word = listed.status.toLowerCase();
  if (NOT_TAKEN.has(word)) return null;
  if (!TAKEN.has(word)) throw badAnswer(`el estado «${listed.status}» del pago ${listed.id} no es uno de los documentados.`);
  const at = new Date(listed.created_at);
  if (Number.isNaN(at.getTime())) throw badAnswer(`el pago ${listed.id} no trae created_at como fecha.`);
  return {
    id: listed.transaction_id ?? listed.id,
    reference: null,
    externalReference: typeof listed.reference === 'string' ? listed.reference : null,
    terminalId: listed.device?.id ?? null,
    amount: listed.paid_amount ?? listed.amount,
    refunded: listed.amount_refunded ?? '0.00',
    createdAt: at.toISOString(),
  };
}
