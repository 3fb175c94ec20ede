// A refund's intent as a journal fact: what each charge gives back and the key its provider
// hears, on disk before the provider is asked (card-refunds.ts). Nothing in PGlite is made from
// it; the refund records come with the return's or the void's own fact.
import type { CardProvider } from '#contract/payment-vocabulary.ts';

export const CARD_REFUND_ASKED = 'payments.card_refund_asked';

/** One charge's share of a refund, as the intent keeps it. */
export type RefundAsk = {
  /** The card tender it gives back on; null for a charge that never became one (a voided sale). */
  transactionId: string | null;
  /** The charge, when it is this register's own (a void). */
  chargeId: string | null;
  methodId: string;
  provider: CardProvider;
  terminalId: string;
  /** The provider's id of the charge, and of the payment within it. */
  reference: string;
  paymentId: string;
  /** Four places. */
  amount: string;
  /** All of the charge, nothing given back before: asked as the provider's whole refund. */
  whole: boolean;
  /** The provider's idempotency key. */
  key: string;
  /** What the provider said was given back of the charge just before the intent was journaled. */
  refundedBefore: string;
};

export type CardRefundAskedFact = { requestFingerprint: string; asks: RefundAsk[] };

export const returnRefundIntentKey = (requestKey: string) => `card-refund:return:${requestKey}`;
export const voidRefundIntentKey = (chargeId: string) => `card-refund:void:${chargeId}`;
