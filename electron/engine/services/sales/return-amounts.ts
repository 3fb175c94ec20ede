// What a returned quantity gives back: the line's own amounts in proportion, except that the
// last of a line returns exactly what is left of it, so partial returns add up to the sale.
import { Decimal } from 'decimal.js';

export type SoldLine = { quantity: string; subtotal: string; taxAmount: string; total: string };
export type Returned = { quantity: string; subtotal: string; taxAmount: string; total: string };

export class ReturnError extends Error {
  override name = 'ReturnError';
  constructor(readonly reason: 'TOO_MANY' | 'NOT_POSITIVE', message: string) {
    super(message);
  }
}

const sum = (rows: readonly Returned[], key: keyof Returned) => rows.reduce((acc, r) => acc.plus(r[key]), new Decimal(0));

export function returnAmounts(sold: SoldLine, earlier: readonly Returned[], quantity: string, minorUnits: number): Returned {
  const q = new Decimal(quantity);
  if (q.lessThanOrEqualTo(0)) throw new ReturnError('NOT_POSITIVE', 'the returned quantity must be more than zero');
  const left = new Decimal(sold.quantity).minus(sum(earlier, 'quantity'));
  if (q.greaterThan(left)) {
    throw new ReturnError('TOO_MANY', `only ${left.toString()} of this line can still be returned`);
  }
  if (q.equals(left)) {
    const total = new Decimal(sold.total).minus(sum(earlier, 'total'));
    const subtotal = new Decimal(sold.subtotal).minus(sum(earlier, 'subtotal'));
    return { quantity: q.toFixed(4), subtotal: subtotal.toFixed(4), taxAmount: total.minus(subtotal).toFixed(4), total: total.toFixed(4) };
  }
  const share = q.dividedBy(sold.quantity);
  const total = new Decimal(sold.total).times(share).toDecimalPlaces(minorUnits, Decimal.ROUND_HALF_UP);
  const subtotal = new Decimal(sold.subtotal).times(share).toDecimalPlaces(minorUnits, Decimal.ROUND_HALF_UP);
  return { quantity: q.toFixed(4), subtotal: subtotal.toFixed(4), taxAmount: total.minus(subtotal).toFixed(4), total: total.toFixed(4) };
}
