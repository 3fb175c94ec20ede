// How a sale stands in the shift's history, from its own status and what came back of it.
// Pure, so the rule is tested without a database.
import { Decimal } from 'decimal.js';
import type { HistoryStatus } from '#contract/calls/sales-history.ts';
import type { ScannedCode } from '../catalog/scanned-code.ts';

/**
 * A voided sale stays voided; a completed one is returned once every unit sold came back, and
 * partly returned once anything did. Quantities are the database's decimal strings.
 */
export function historyStatus(status: string, sold: string, returned: string): HistoryStatus {
  if (status === 'VOIDED') return 'VOIDED';
  const back = new Decimal(returned);
  if (back.isZero()) return 'COMPLETED';
  return back.greaterThanOrEqualTo(new Decimal(sold)) ? 'RETURNED' : 'PARTLY_RETURNED';
}

/** Which receipt number a typed or scanned code asks for on this register, or null when it names none. */
export function receiptNumberAsked(
  scanned: ScannedCode | null,
  typed: string,
  registerCode: string,
): { number: number } | { otherRegister: true } | null {
  if (scanned?.kind === 'receipt') {
    // A receipt of another register is never in this register's shift.
    if ((scanned.registerCode ?? '') !== registerCode) return { otherRegister: true };
    return { number: Number(scanned.number) };
  }
  return /^\d{1,15}$/.test(typed) ? { number: Number(typed) } : null;
}
