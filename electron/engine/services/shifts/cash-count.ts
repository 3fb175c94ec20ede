// Counting the drawer: denominations to an amount, and what the drawer should hold. Pure.
import { Decimal } from 'decimal.js';

export type DenominationCount = Record<string, number>;

export class CountError extends Error {
  override name = 'CountError';
}

/** The amount a count by denomination adds up to; only the store's own denominations count. */
export function countTotal(count: DenominationCount, denominations: readonly string[]): string {
  const known = new Map(denominations.map((d) => [new Decimal(d).toString(), d]));
  let total = new Decimal(0);
  for (const [denomination, pieces] of Object.entries(count)) {
    if (!/^\d+(\.\d+)?$/.test(denomination) || !known.has(new Decimal(denomination).toString())) {
      throw new CountError(`${denomination} is not a denomination this store counts`);
    }
    if (!Number.isSafeInteger(pieces) || pieces < 0 || pieces > 100_000) {
      throw new CountError(`the number of ${denomination} pieces must be a whole number from 0 to 100000`);
    }
    total = total.plus(new Decimal(denomination).times(pieces));
  }
  return total.toFixed(4);
}

export type CashFlows = { openingFloat: string; cashSales: string; cashRefunds: string; payIns: string; payOuts: string; drops: string };

/** float + cash sales − cash refunds + pay-ins − pay-outs − safe drops. */
export function expectedCash(f: CashFlows): string {
  return new Decimal(f.openingFloat).plus(f.cashSales).minus(f.cashRefunds).plus(f.payIns).minus(f.payOuts).minus(f.drops).toFixed(4);
}

export const variance = (counted: string, expected: string) => new Decimal(counted).minus(expected).toFixed(4);

/** Over tolerance either way: short or over by more than the store allows. */
export const overTolerance = (difference: string, tolerance: string) => new Decimal(difference).abs().greaterThan(tolerance);

/** A count as the Z report prints it: each denomination counted, largest first, with what it adds up to. */
export function countLines(
  count: DenominationCount,
  denominations: readonly string[],
): { denomination: string; pieces: number; amount: string }[] {
  const known = new Map(denominations.map((d) => [new Decimal(d).toString(), d]));
  return Object.entries(count)
    .filter(([, pieces]) => pieces > 0)
    .map(([denomination, pieces]) => ({ denomination: known.get(new Decimal(denomination).toString()) ?? denomination, pieces }))
    .sort((a, b) => new Decimal(b.denomination).comparedTo(a.denomination))
    .map(({ denomination, pieces }) => ({ denomination, pieces, amount: new Decimal(denomination).times(pieces).toFixed(4) }));
}

export type CashLimits = { payIn: string | null; payOut: string | null; openingFloat: string | null };

/**
 * Which of the store's limits an amount goes over, if any: a pay-in, a pay-out or an opening
 * float larger than the store allows without a manager. Drops go to the safe and have no limit.
 */
export function overCashLimit(kind: 'PAY_IN' | 'PAY_OUT' | 'DROP' | 'FLOAT', amount: string, limits: CashLimits): string | null {
  const limit = kind === 'PAY_IN' ? limits.payIn : kind === 'PAY_OUT' ? limits.payOut : kind === 'FLOAT' ? limits.openingFloat : null;
  return limit !== null && new Decimal(amount).greaterThan(limit) ? new Decimal(limit).toFixed(4) : null;
}
