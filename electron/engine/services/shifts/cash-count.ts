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
