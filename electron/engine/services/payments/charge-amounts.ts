// The sums a card charge is checked with. Pure.
import { Decimal } from 'decimal.js';

export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** What the sale still owes once its approved charges are counted; never below zero. */
export function dueAfterCharges(payable: string, approved: readonly string[]): Decimal {
  const due = approved.reduce((left, amount) => left.minus(amount), new D(payable));
  return due.isNegative() ? new D(0) : due;
}

/** An amount as providers take it: two places ("125.50"). */
export const twoPlaces = (amount: string | Decimal) => new D(amount).toFixed(2);
