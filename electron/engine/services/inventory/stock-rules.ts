// Quantities a person may type for an item: pieces come whole, weighed goods to the gram.
import { Decimal } from 'decimal.js';

export type SoldBy = 'UNIT' | 'WEIGHT';

/** Why `quantity` cannot be moved for an item sold this way, or null when it can. */
export function quantityProblem(soldBy: SoldBy, quantity: string): 'WHOLE_UNITS' | null {
  if (soldBy === 'UNIT' && !new Decimal(quantity).isInteger()) return 'WHOLE_UNITS';
  return null;
}

/** Whether a stock level is at or under the point where it should be ordered again. */
export function isLow(quantity: string, reorderPoint: string | null): boolean {
  return reorderPoint !== null && new Decimal(quantity).lte(reorderPoint);
}
