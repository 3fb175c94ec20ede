// What every integrated card-terminal provider offers the POS, and how it fails. A provider's
// cloud API puts a charge on a paired terminal (the amount is never typed twice), says how it
// went, cancels one not taken yet, refunds all or part of one taken, and lists the account's
// terminals; its webhooks say that a charge changed, signed with a secret the account shares.
//
// Never two charges for one payment: every request that makes or moves money carries an
// idempotency key the provider honours (Mercado Pago's X-Idempotency-Key), derived from the
// payment's own key by the caller, so a request repeated after a timeout, a crash or a lost
// answer is the same request to the provider and answers the charge it already made.
// Amounts are decimal strings with two places ("125.50"), never numbers.

import type { CardProvider } from '#contract/payment-vocabulary.ts';

export type { CardProvider };

/**
 * One vocabulary for every provider's charge states:
 * CREATED the provider has it, not on the terminal yet; AT_TERMINAL the terminal shows it and
 * waits for the card; PROCESSING the card is being read or authorised, or the terminal asks
 * for a check (it may still be approved); APPROVED taken; DECLINED refused by the card's bank
 * or the terminal failed; CANCELLED by the POS or at the terminal, never taken; EXPIRED nobody
 * paid in time; REFUNDED taken and then given back whole.
 */
export const CHARGE_STATUSES = [
  'CREATED',
  'AT_TERMINAL',
  'PROCESSING',
  'APPROVED',
  'DECLINED',
  'CANCELLED',
  'EXPIRED',
  'REFUNDED',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** States from which the charge can still become APPROVED: the POS keeps asking. */
export const OPEN_CHARGE_STATUSES: readonly ChargeStatus[] = ['CREATED', 'AT_TERMINAL', 'PROCESSING'];
export const isOpenCharge = (status: ChargeStatus) => OPEN_CHARGE_STATUSES.includes(status);

export type ChargeRequest = {
  /** Sent as the provider's idempotency key: the same key is the same charge, however often sent. */
  idempotencyKey: string;
  /** Ours, on the provider's record (at most 64 of [A-Za-z0-9_-]): finds the charge when its id was never learnt. */
  externalReference: string;
  /** The provider's id of the paired terminal. */
  terminalId: string;
  /** "125.50" */
  amount: string;
  /** ISO 4217; the account's currency (MXN, ARS, COP). */
  currency: string;
  /** What the customer's statement and the provider's activity show. */
  description: string;
};

export type ChargePayment = {
  /** The provider's id of the payment within the charge (what a partial refund names). */
  id: string;
  /** The authorisation code of the card's bank, when the provider gives it. */
  approvalCode: string | null;
  cardLast4: string | null;
  /** visa, master, amex, debvisa… as the provider names it. */
  cardBrand: string | null;
};

export type ProviderCharge = {
  provider: CardProvider;
  /** The provider's id of the charge (Mercado Pago's order id). */
  reference: string;
  externalReference: string;
  status: ChargeStatus;
  /** The provider's own word for the state (status_detail), kept on the record and shown to a manager. */
  detail: string | null;
  amount: string;
  terminalId: string | null;
  /** Once APPROVED (or REFUNDED): the payment taken. */
  payment: ChargePayment | null;
  /** How much of it has been given back so far ("0.00" when none). */
  refunded: string;
  /** What the provider answered, with nothing secret in it: kept as the record's provider_data. */
  data: Record<string, unknown>;
};

export type RefundRequest = {
  idempotencyKey: string;
  /** The charge's reference. */
  reference: string;
  /** The payment within it (ProviderCharge.payment.id). */
  paymentId: string;
  /** "40.00", or null for all that is left. */
  amount: string | null;
};

export type ProviderRefund = {
  /** The provider's id of the refund. */
  id: string;
  reference: string;
  amount: string;
  /** APPROVED given back; PENDING the provider is on it (the money will go back). */
  status: 'APPROVED' | 'PENDING';
  data: Record<string, unknown>;
};

export type TerminalInfo = {
  id: string;
  /** The name the account gave it, or its serial. */
  label: string | null;
  /** Only a terminal in the provider's integrated (PDV) mode takes charges from the POS. */
  integrated: boolean;
};

/** The payments a provider took between two instants, for settling a shift's card tenders against its word. */
export type PaymentsQuery = {
  /** Created at or after this instant. */
  from: Date;
  /** Created before this instant. */
  to: Date;
  /** Only this terminal's; the whole account's when not given. */
  terminalId?: string;
};

/** A payment the provider took (approved; refunded in part or whole since, or not). */
export type ProviderPayment = {
  /** The provider's id of the payment: ChargePayment.id, what a tender keeps as its paymentId. */
  id: string;
  /** The charge it was taken for (Mercado Pago's order, Clip's intent), when the list names it. */
  reference: string | null;
  externalReference: string | null;
  /** The terminal that took it, when the list says. */
  terminalId: string | null;
  /** What was taken, "125.50". */
  amount: string;
  /** What has been given back of it so far, "0.00" when nothing. */
  refunded: string;
  /** When the provider created it, ISO 8601 UTC. */
  createdAt: string;
};

export type WebhookNotice = {
  /** The provider's id of the notification: the same notice twice is one notice. */
  id: string;
  /** The charge it is about. */
  reference: string;
};

export type WebhookRequest = {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The query string's parameters (Mercado Pago signs data.id from it). */
  query: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received. */
  body: string;
};

export interface CardTerminalProvider {
  readonly name: CardProvider;
  /** Puts the charge on the terminal; the same idempotency key answers the charge made before. */
  startCharge(request: ChargeRequest): Promise<ProviderCharge>;
  /** The charge as the provider has it now. */
  charge(reference: string): Promise<ProviderCharge>;
  /** Takes a charge not yet paid off the terminal; one already taken is answered as it is (APPROVED). */
  cancelCharge(reference: string, idempotencyKey: string): Promise<ProviderCharge>;
  refund(request: RefundRequest): Promise<ProviderRefund>;
  terminals(): Promise<TerminalInfo[]>;
  /**
   * Every payment the provider took between two instants, all pages read, oldest first. A page
   * that cannot be read fails the whole call: a part of the list is never answered as the list.
   */
  payments(query: PaymentsQuery): Promise<ProviderPayment[]>;
  /** A webhook's notice once its signature is checked; a bad or missing signature is CardProviderError INVALID_SIGNATURE. */
  webhook(request: WebhookRequest): WebhookNotice;
}

/**
 * How a provider call failed. UNAVAILABLE and TIMEOUT mean the provider may or may not have
 * acted: the caller asks again with the same key, never a new one. The others are answers.
 */
export const CARD_PROVIDER_FAILURES = [
  /** The token was refused (401/403): nothing will work until a manager fixes it. */
  'AUTH',
  /** 5xx, a refused connection, a reset: try again later with the same key. */
  'UNAVAILABLE',
  /** No answer in time: the provider may have acted; ask again with the same key. */
  'TIMEOUT',
  /** The provider refused the request as asked (an unknown terminal, an amount over its limit, a charge that cannot be cancelled): its words say why. */
  'REFUSED',
  /** No such charge, refund or terminal. */
  'NOT_FOUND',
  /** A webhook whose signature does not check. */
  'INVALID_SIGNATURE',
  /** An answer that is not what the provider documents. */
  'BAD_ANSWER',
] as const;
export type CardProviderFailure = (typeof CARD_PROVIDER_FAILURES)[number];

export class CardProviderError extends Error {
  override name = 'CardProviderError';
  constructor(
    readonly failure: CardProviderFailure,
    message: string,
    readonly details: { provider: CardProvider; status?: number; code?: string },
  ) {
    super(message);
  }

  /** Whether the provider may have acted: the same request, with the same key, settles it. */
  get uncertain(): boolean {
    return this.failure === 'UNAVAILABLE' || this.failure === 'TIMEOUT';
  }
}
