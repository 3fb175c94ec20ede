// How a return's money goes back over the card tenders of its sale. Pure.
//
// Only the return's amount goes back, never the whole charge: a $30 card + $10 cash sale whose
// $8 item comes back gives $8 back on the card. Each tender gives back at most what it has left
// (its amount less its earlier refunds), in the order the sale took them; what the tenders have
// left between them is all the card can take back, and asking more is refused, naming it.
import { D } from './charge-amounts.ts';

export type CardTender = {
  /** The tender (payments.transactions.id). */
  id: string;
  amount: string;
  /** The sum of its earlier refunds. */
  refunded: string;
};

export type RefundShare = {
  tenderId: string;
  /** Four places, as the ledger keeps money. */
  amount: string;
  /** Whether it is all of the tender, nothing given back before: the provider's whole refund. */
  whole: boolean;
};

export class RefundTooLarge extends Error {
  override name = 'RefundTooLarge';
  constructor(
    /** What the card tenders have left to give back, four places. */
    readonly refundable: string,
  ) {
    super(`the card can take back at most ${new D(refundable).toFixed(2)}`);
  }
}

/** What a tender has left to give back; never below zero. */
export function leftOf(tender: CardTender): InstanceType<typeof D> {
  const left = new D(tender.amount).minus(tender.refunded);
  return left.isNegative() ? new D(0) : left;
}

/** The shares of `total` each tender gives back, in the tenders' order; throws RefundTooLarge. */
export function cardRefundShares(total: string, tenders: readonly CardTender[]): RefundShare[] {
  const wanted = new D(total);
  if (wanted.lte(0)) throw new RangeError('a refund is more than zero');
  const refundable = tenders.reduce((sum, t) => sum.plus(leftOf(t)), new D(0));
  if (wanted.greaterThan(refundable)) throw new RefundTooLarge(refundable.toFixed(4));
  const shares: RefundShare[] = [];
  let rest = wanted;
  for (const tender of tenders) {
    if (rest.isZero()) break;
    const left = leftOf(tender);
    if (left.isZero()) continue;
    const share = D.min(left, rest);
    rest = rest.minus(share);
    shares.push({
      tenderId: tender.id,
      amount: share.toFixed(4),
      whole: new D(tender.refunded).isZero() && share.equals(tender.amount),
    });
  }
  return shares;
}
