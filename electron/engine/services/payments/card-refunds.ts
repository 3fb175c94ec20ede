// Money given back through the card terminal's provider: a return's share of the card tenders
// of its sale, or the whole of an approved charge whose sale is voided. The rule that keeps a
// card from being refunded twice is the one card-charges.ts keeps for charges: the intent (what
// each charge gives back, and the key the provider hears, derived from the request's own key)
// is journaled before the provider is asked. A retry of the same request (after a timeout, a
// kill between asking and storing, a lost answer) finds the intent and answers it: it reads the
// charge first, and a refund the first attempt made shows in what the provider says was given
// back since the intent; only when nothing was is the provider asked again, with the same key.
// Reading first matters because a provider may keep a key for a short while only (Clip: a minute).
//
// Provider calls take seconds: they are made outside the write queue; the caller writes the
// refund records (payments.refunds) with its own return or void once every share is given back.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { refunds, transactions } from '#db/schema/payments.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { CardProviderError, type CardTerminalProvider } from '#engine/payments/card-terminals/card-terminal.ts';
import { requireSameRequest } from '#engine/request-fingerprint.ts';
import { providerOf } from './card-charges.ts';
import { CARD_REFUND_ASKED, type CardRefundAskedFact, type RefundAsk } from './card-refund-facts.ts';
import { D, twoPlaces } from './charge-amounts.ts';
import { cardRefundShares, RefundTooLarge } from './refund-shares.ts';

export type RefundGiven = RefundAsk & {
  /** The provider's id of the refund; null when it was learnt from the charge (its answer was lost). */
  refundId: string | null;
  /** PENDING: the provider is on it; the money goes back, and it counts as given. */
  status: 'APPROVED' | 'PENDING';
  /** What the provider answered, nothing secret in it. */
  data: Record<string, unknown>;
};

/** Where the refund is made: this register, whose credentials and terminal setting the provider is opened with. */
export type RefundingRegister = { businessId: string; branchId: string; registerId: string };

/** The provider's key for one share: the request's own key and what it gives back on, in 64 visible characters. */
export const refundKey = (requestKey: string, on: string) =>
  `rf-${createHash('sha256').update(`${requestKey}\u0000${on}`).digest('hex').slice(0, 40)}`;

/**
 * Gives back every share of a refund, once. `intentKey` names the request (a retry must use the
 * same); `plan` says the shares when it is new. Throws EngineError with the provider's words when
 * the provider refuses, or PROVIDER_UNREACHABLE when it did not answer (the same request retried
 * answers it, never refunding twice).
 */
export async function giveBack(
  services: EngineContainer,
  at: RefundingRegister,
  intentKey: string,
  requestFingerprint: string,
  plan: () => Promise<Omit<RefundAsk, 'refundedBefore'>[]>,
): Promise<RefundGiven[]> {
  const earlier = services.journal.find(intentKey)?.payload as CardRefundAskedFact | undefined;
  let asks: RefundAsk[];
  const clients = new Map<string, CardTerminalProvider>();
  const client = async (ask: Pick<RefundAsk, 'provider' | 'terminalId'>) => {
    const known = clients.get(ask.provider);
    if (known) return known;
    const opened = await providerOf(services, { ...at, provider: ask.provider, terminalId: ask.terminalId });
    clients.set(ask.provider, opened);
    return opened;
  };
  if (earlier) {
    requireSameRequest(earlier.requestFingerprint, requestFingerprint, 'refund');
    asks = earlier.asks;
  } else {
    asks = [];
    for (const ask of await plan()) {
      // What the provider has given back already: the mark a lost answer is later judged by, and
      // a last check that the charge still has this much left (a refund made outside the register).
      const charge = await asking(() => client(ask).then((p) => p.charge(ask.reference)));
      const left = D.max(0, new D(charge.amount).minus(charge.refunded));
      if (left.lessThan(ask.amount)) {
        throw new EngineError('INVALID_INPUT', `the card can take back at most ${twoPlaces(left)}`, {
          field: 'refundMethodId',
          reason: 'CARD_REFUND_TOO_LARGE',
          refundable: left.toFixed(4),
          limit: twoPlaces(left),
        });
      }
      asks.push({ ...ask, refundedBefore: new D(charge.refunded).toFixed(4) });
    }
    // On disk before the provider hears of it: a retry after whatever happens next finds it.
    services.journal.append(CARD_REFUND_ASKED, intentKey, { requestFingerprint, asks } satisfies CardRefundAskedFact);
  }
  const given: RefundGiven[] = [];
  for (const ask of asks) given.push(await giveShare(await client(ask), ask, earlier !== undefined));
  return given;
}

async function giveShare(provider: CardTerminalProvider, ask: RefundAsk, retry: boolean): Promise<RefundGiven> {
  if (retry) {
    const charge = await asking(() => provider.charge(ask.reference));
    if (new D(charge.refunded).gte(new D(ask.refundedBefore).plus(ask.amount))) {
      return { ...ask, refundId: null, status: 'APPROVED', data: { learntFrom: 'charge', refunded: charge.refunded, charge: charge.data } };
    }
  }
  const made = await asking(() =>
    provider.refund({
      idempotencyKey: ask.key,
      reference: ask.reference,
      paymentId: ask.paymentId,
      // Mercado Pago takes a part only below the whole; all of the charge is its whole refund.
      amount: ask.whole ? null : twoPlaces(ask.amount),
    }),
  );
  return { ...ask, refundId: made.id, status: made.status, data: made.data };
}

/** A provider call, its failures said as the cashier hears them. */
async function asking<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof CardProviderError)) throw err;
    const provider = err.details.provider;
    if (err.uncertain || err.failure === 'BAD_ANSWER') {
      throw new EngineError('CONFLICT', 'the card provider did not answer; try again: the same request never gives the money back twice', {
        reason: 'PROVIDER_UNREACHABLE',
        provider,
        failure: err.failure,
      });
    }
    if (err.failure === 'AUTH') {
      throw new EngineError('CONFLICT', `the card provider refused this register's token: ${err.message}`, {
        reason: 'PROVIDER_AUTH',
        provider,
      });
    }
    throw new EngineError('CONFLICT', `the card provider refused the refund: ${err.message}`, {
      reason: 'REFUND_REFUSED',
      provider,
      words: err.message,
    });
  }
}

/** What a refund record keeps of the provider's answer. */
export function refundRecord(g: RefundGiven) {
  return {
    provider: g.provider,
    providerReference: g.refundId ?? g.reference,
    providerData: {
      reference: g.reference,
      paymentId: g.paymentId,
      refundId: g.refundId,
      refundStatus: g.status,
      whole: g.whole,
      answer: g.data,
    },
  };
}

/**
 * The shares of a return's refund over the card tenders of its sale: only the return's amount,
 * each tender giving back at most what its earlier refunds left of it. Refused, naming what the
 * card can take back, when that is less than the return's amount; and for a sale the terminal
 * never charged.
 */
export async function returnShares(
  services: EngineContainer,
  saleId: string,
  total: string,
  requestKey: string,
): Promise<Omit<RefundAsk, 'refundedBefore'>[]> {
  const tenders = await services.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.saleId, saleId), isNotNull(transactions.cardChargeId), eq(transactions.status, 'CONFIRMED')))
    .orderBy(transactions.occurredAt, transactions.idempotencyKey);
  if (tenders.length === 0) {
    throw new EngineError('INVALID_INPUT', 'that sale was not paid on the card terminal: give the money back another way', {
      field: 'refundMethodId',
      reason: 'NO_CARD_TENDER',
    });
  }
  const earlier = await services.db
    .select({ transactionId: refunds.transactionId, amount: refunds.amount })
    .from(refunds)
    .where(
      and(
        inArray(
          refunds.transactionId,
          tenders.map((t) => t.id),
        ),
        eq(refunds.status, 'CONFIRMED'),
      ),
    );
  const refundedOf = (id: string) =>
    earlier
      .filter((r) => r.transactionId === id)
      .reduce((sum, r) => sum.plus(r.amount), new D(0))
      .toFixed(4);
  let shares;
  try {
    shares = cardRefundShares(
      total,
      tenders.map((t) => ({ id: t.id, amount: t.amount, refunded: refundedOf(t.id) })),
    );
  } catch (err) {
    if (!(err instanceof RefundTooLarge)) throw err;
    throw new EngineError('INVALID_INPUT', err.message, {
      field: 'refundMethodId',
      reason: 'CARD_REFUND_TOO_LARGE',
      refundable: err.refundable,
      limit: twoPlaces(err.refundable),
    });
  }
  return shares.map((share) => {
    const tender = tenders.find((t) => t.id === share.tenderId)!;
    const data = tender.providerData as { terminalId?: unknown; paymentId?: unknown };
    if (!tender.provider || !tender.providerReference || typeof data.paymentId !== 'string') {
      throw new Error(`card tender ${tender.id} names no provider charge and payment to refund`);
    }
    return {
      transactionId: tender.id,
      chargeId: null,
      methodId: tender.paymentMethodId,
      provider: tender.provider as RefundAsk['provider'],
      terminalId: typeof data.terminalId === 'string' ? data.terminalId : '',
      reference: tender.providerReference,
      paymentId: data.paymentId,
      amount: share.amount,
      whole: share.whole,
      key: refundKey(requestKey, tender.id),
    };
  });
}
