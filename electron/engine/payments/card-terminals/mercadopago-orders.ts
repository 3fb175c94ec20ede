// What Mercado Pago's Orders API for Point answers, read into the provider interface's words.
// Pure: no I/O, so every state and every answer that is not as documented can be tried alone.
//
// Documented (https://www.mercadopago.com.mx/developers/en/docs/mp-point/resources/status-order-transaction,
// the Point reference under /developers/en/reference/in-person-payments/point/orders/):
//   order.status: created → at_terminal → processed | failed | canceled | expired | action_required;
//   created → canceled (by the API) | expired; processed → refunded (whole). processed carries
//   status_detail partially_refunded after a partial refund. action_required ("check the
//   terminal") does not change by itself: the charge may still have been taken.
//   transactions.payments[0]: id (PAY…, what a partial refund names), amount, status,
//   status_detail (accredited, canceled_by_api, canceled_on_terminal, insufficient_amount,
//   rejected_by_issuer…), paid_amount, refunded_amount, reference_id, payment_method {id (visa,
//   master, debvisa…), type, installments}, card {first_digits, last_digits}.
//   transactions.refunds[]: id, transaction_id, reference_id, amount, status (processing while
//   a total refund is under way, processed once done).
//   GET /v1/orders (search, «Buscar order»): begin_date and end_date (RFC 3339, at most 30 days
//   apart) on the orders' creation, type, page (from 1), page_size (at most 100, 20 by default),
//   sort_by created_date, sort_order; { data: [order…], paging }. An order carries created_date.
//   GET /terminals/v1/list: { data: { terminals: [{ id, pos_id, store_id, external_pos_id,
//   operating_mode: PDV | STANDALONE | UNDEFINED }] }, paging: { total, offset, limit } }.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import {
  CardProviderError,
  type ChargeStatus,
  type ProviderCharge,
  type ProviderPayment,
  type ProviderRefund,
  type RefundRequest,
  type TerminalInfo,
} from './card-terminal.ts';
import { withoutSecrets } from './provider-http.ts';

export const PROVIDER = 'mercadopago' as const;

/** "The field can contain two decimal places or none." */
const amountText = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/);

const mpPayment = z.looseObject({
  id: z.string().min(1),
  amount: amountText,
  status: z.string().nullish(),
  status_detail: z.string().nullish(),
  paid_amount: amountText.nullish(),
  refunded_amount: amountText.nullish(),
  reference_id: z.string().nullish(),
  payment_method: z.looseObject({ id: z.string().nullish(), type: z.string().nullish() }).nullish(),
  card: z.looseObject({ last_digits: z.string().nullish() }).nullish(),
});

const mpRefund = z.looseObject({
  id: z.string().min(1),
  transaction_id: z.string().nullish(),
  amount: amountText,
  status: z.string().min(1),
});

export const mpOrderSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('point'),
  external_reference: z.string(),
  status: z.string().min(1),
  status_detail: z.string().nullish(),
  config: z.looseObject({ point: z.looseObject({ terminal_id: z.string().nullish() }).nullish() }).nullish(),
  transactions: z.looseObject({
    // "When the type is point, it is only possible to include 1 transaction per order."
    payments: z.array(mpPayment).length(1),
    refunds: z.array(mpRefund).nullish(),
  }),
});
export type MpOrder = z.infer<typeof mpOrderSchema>;

const mpOrdersPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.looseObject({ total: z.number().int().min(0).nullish() }).nullish(),
});
export type MpOrdersPage = { orders: MpOrder[]; total: number | null };

const mpTerminalsSchema = z.looseObject({
  data: z.looseObject({
    terminals: z.array(
      z.looseObject({
        id: z.string().min(1),
        operating_mode: z.string().nullish(),
      }),
    ),
  }),
  paging: z.looseObject({ total: z.number().int().min(0), offset: z.number().int().min(0), limit: z.number().int().min(1) }),
});
export type MpTerminalsPage = z.infer<typeof mpTerminalsSchema>;

const ORDER_STATUS: Readonly<Record<string, ChargeStatus>> = {
  created: 'CREATED',
  at_terminal: 'AT_TERMINAL',
  processing: 'PROCESSING',
  // The terminal asks for a check: the card may have been charged; only the terminal knows.
  action_required: 'PROCESSING',
  processed: 'APPROVED',
  refunded: 'REFUNDED',
  failed: 'DECLINED',
  canceled: 'CANCELLED',
  // Some of Mercado Pago's own examples spell it this way.
  cancelled: 'CANCELLED',
  expired: 'EXPIRED',
};

/** Refund statuses: processed is money back; the others say Mercado Pago is on it. */
const REFUND_STATUS: Readonly<Record<string, ProviderRefund['status']>> = {
  processed: 'APPROVED',
  approved: 'APPROVED',
  processing: 'PENDING',
  in_process: 'PENDING',
  pending: 'PENDING',
  created: 'PENDING',
};
/** Refunds that will not give anything back (none documented for Point; read as such should one come). */
const VOID_REFUND = new Set(['failed', 'rejected', 'canceled', 'cancelled']);

export const badAnswer = (message: string, status?: number) =>
  new CardProviderError('BAD_ANSWER', `La respuesta de Mercado Pago no es la que documenta: ${message}`, {
    provider: PROVIDER,
    ...(status === undefined ? {} : { status }),
  });

const money = (text: string) => new Decimal(text).toFixed(2);

/** Where a charge stands, from the order's status and detail and what has been given back of it. */
export function chargeStatusOf(status: string, detail: string | null | undefined, refundedWhole: boolean): ChargeStatus | null {
  const mapped = ORDER_STATUS[status];
  if (!mapped) return null;
  if (mapped === 'APPROVED' && (detail === 'refunded' || refundedWhole)) return 'REFUNDED';
  return mapped;
}

/** How much of the payment has been given back, counting refunds under way. */
export function refundedOf(order: MpOrder): Decimal {
  const payment = order.transactions.payments[0]!;
  if (payment.refunded_amount != null) return new Decimal(payment.refunded_amount);
  return (order.transactions.refunds ?? [])
    .filter((r) => (r.transaction_id == null || r.transaction_id === payment.id) && !VOID_REFUND.has(r.status))
    .reduce((sum, r) => sum.plus(r.amount), new Decimal(0));
}

/** An answer read as an order, or BAD_ANSWER saying which part is not as documented. */
export function parseOrder(json: unknown, status?: number): MpOrder {
  const parsed = mpOrderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'la orden';
    throw badAnswer(`la orden no trae ${where} como se espera (${issue?.message ?? 'forma desconocida'}).`, status);
  }
  return parsed.data;
}

export function chargeFromOrder(order: MpOrder, secrets: readonly string[]): ProviderCharge {
  const payment = order.transactions.payments[0]!;
  const paid = new Decimal(payment.paid_amount ?? payment.amount);
  const refunded = refundedOf(order);
  const status = chargeStatusOf(order.status, order.status_detail, paid.gt(0) && refunded.gte(paid));
  if (!status) throw badAnswer(`el estado «${order.status}» de la orden ${order.id} no es uno de los documentados.`);
  const taken = status === 'APPROVED' || status === 'REFUNDED';
  return {
    provider: PROVIDER,
    reference: order.id,
    externalReference: order.external_reference,
    status,
    // The payment's detail says why (insufficient_amount, canceled_on_terminal, cancellation_requested);
    // the order's only repeats its status.
    detail: payment.status_detail ?? order.status_detail ?? null,
    amount: money(payment.amount),
    terminalId: order.config?.point?.terminal_id ?? null,
    payment: taken
      ? {
          id: payment.id,
          // Point's order answer documents no bank authorisation code.
          approvalCode: null,
          cardLast4: payment.card?.last_digits ?? null,
          cardBrand: payment.payment_method?.id ?? null,
        }
      : null,
    refunded: refunded.toFixed(2),
    data: withoutSecrets(order, secrets) as Record<string, unknown>,
  };
}

/**
 * The refund this request made, from the order the refund endpoint answers: the latest refund
 * of the named payment (of the amount asked, for a partial one). A repeated request answers the
 * first answer again, so the latest is still this request's.
 */
export function refundFromOrder(order: MpOrder, request: RefundRequest, secrets: readonly string[]): ProviderRefund {
  const payment = order.transactions.payments[0]!;
  if (payment.id !== request.paymentId) {
    throw badAnswer(`la devolución se hizo sobre el pago ${payment.id}, no sobre ${request.paymentId}.`);
  }
  const asked = request.amount === null ? null : new Decimal(request.amount);
  const refund = [...(order.transactions.refunds ?? [])]
    .reverse()
    .find((r) => (r.transaction_id == null || r.transaction_id === payment.id) && (asked === null || asked.eq(r.amount)));
  if (!refund) throw badAnswer(`la orden ${order.id} no trae la devolución pedida en transactions.refunds.`);
  const status = REFUND_STATUS[refund.status];
  if (!status) throw badAnswer(`el estado «${refund.status}» de la devolución ${refund.id} no es uno de los documentados.`);
  return {
    id: refund.id,
    reference: order.id,
    amount: money(refund.amount),
    status,
    data: withoutSecrets(order, secrets) as Record<string, unknown>,
  };
}

/** The id ends in the serial printed on the terminal's back: TYPE__SERIAL. */
export const serialOf = (terminalId: string) => {
  const at = terminalId.lastIndexOf('__');
  return at >= 0 ? terminalId.slice(at + 2) : terminalId;
};

export function parseTerminalsPage(json: unknown): MpTerminalsPage {
  const parsed = mpTerminalsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badAnswer(`la lista de terminales no trae ${issue?.path.join('.') || 'data.terminals'} como se espera.`);
  }
  return parsed.data;
}

export function terminalsFromPage(page: MpTerminalsPage): TerminalInfo[] {
  return page.data.terminals.map((t) => ({
    id: t.id,
    // The list gives no name the account chose; the serial is what is written on the terminal.
    label: serialOf(t.id) || null,
    // "The only operating mode that allows integrating terminals via API is PDV."
    integrated: t.operating_mode === 'PDV',
  }));
}

/** A page of the orders search: its orders, each read as an order, and the total when given. */
export function parseOrdersPage(json: unknown, status?: number): MpOrdersPage {
  const parsed = mpOrdersPageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badAnswer(`la búsqueda de órdenes no trae ${issue?.path.join('.') || 'data'} como se espera.`, status);
  }
  return { orders: parsed.data.data.map((o) => parseOrder(o, status)), total: parsed.data.paging?.total ?? null };
}

/** The payment an order took, or null when it took none (open, failed, cancelled, expired). */
export function paymentFromOrder(order: MpOrder): ProviderPayment | null {
  const payment = order.transactions.payments[0]!;
  const paid = new Decimal(payment.paid_amount ?? payment.amount);
  const refunded = refundedOf(order);
  const status = chargeStatusOf(order.status, order.status_detail, paid.gt(0) && refunded.gte(paid));
  if (!status) throw badAnswer(`el estado «${order.status}» de la orden ${order.id} no es uno de los documentados.`);
  if (status !== 'APPROVED' && status !== 'REFUNDED') return null;
  const created = (order as { created_date?: unknown }).created_date;
  const at = typeof created === 'string' ? new Date(created) : null;
  if (!at || Number.isNaN(at.getTime())) throw badAnswer(`la orden ${order.id} no trae created_date como fecha.`);
  return {
    id: payment.id,
    reference: order.id,
    externalReference: order.external_reference || null,
    terminalId: order.config?.point?.terminal_id ?? null,
    amount: paid.toFixed(2),
    refunded: refunded.toFixed(2),
    createdAt: at.toISOString(),
  };
}
