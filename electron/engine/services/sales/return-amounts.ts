// What a returned quantity gives back: the line's own amounts in proportion, so that returns of
// a line in parts add up, to the centavo, to what the line was paid.
import { Decimal } from 'decimal.js';

export type SoldLine = { quantity: string; subtotal: string; taxAmount: string; total: string };
export type Returned = { quantity: string; subtotal: string; taxAmount: string; total: string };

export class ReturnError extends Error {
  override name = 'ReturnError';
  constructor(
    readonly reason: 'TOO_MANY' | 'NOT_POSITIVE',
    message: string,
  ) {
    super(message);
  }
}

const sum = (rows: readonly Returned[], key: keyof Returned) => rows.reduce((acc, r) => acc.plus(r[key]), new Decimal(0));

export function returnAmounts(sold: SoldLine, earlier: readonly Returned[], quantity: string, minorUnits: number): Returned {
  const q = new Decimal(quantity);
  if (q.lessThanOrEqualTo(0)) throw new ReturnError('NOT_POSITIVE', 'the returned quantity must be more than zero');
  const before = sum(earlier, 'quantity');
  const left = new Decimal(sold.quantity).minus(before);
  if (q.greaterThan(left)) {
    throw new ReturnError('TOO_MANY', `only ${left.toString()} of this line can still be returned`);
  }
  // Everything of the line returned so far, this return included, is worth its share of the
  // line, each amount rounded once on that whole; this return gives that less what the earlier
  // ones gave. Rounding each return on its own let the roundings pile up: a line returned in
  // parts could give back more than it was paid (more tax than was charged), and its last part
  // a negative amount. The share of the last part is exactly 1, so the line comes back whole.
  // Never below zero: returns recorded before this rule may already have given too much.
  const share = before.plus(q).dividedBy(sold.quantity);
  const owed = (amount: string, key: keyof Returned) =>
    Decimal.max(0, new Decimal(amount).times(share).toDecimalPlaces(minorUnits, Decimal.ROUND_HALF_UP).minus(sum(earlier, key)));
  const subtotal = owed(sold.subtotal, 'subtotal');
  const taxAmount = owed(sold.taxAmount, 'taxAmount');
  return {
    quantity: q.toFixed(4),
    subtotal: subtotal.toFixed(4),
    taxAmount: taxAmount.toFixed(4),
    total: subtotal.plus(taxAmount).toFixed(4),
  };
}
