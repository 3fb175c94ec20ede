// The words a sale and its printouts are recorded in. The screens read them in answers, and
// db/schema/sales.ts constrains its columns to them, so the two can never name different states.
export const SALE_STATUSES = ['OPEN', 'PARKED', 'COMPLETED', 'VOIDED'] as const;
/** INVOICE: the printed representation of a stamped CFDI, printed on the cashier's request. */
export const RECEIPT_KINDS = ['SALE', 'GIFT', 'RETURN', 'X_REPORT', 'Z_REPORT', 'TEST', 'INVOICE'] as const;
/**
 * PENDING: waiting for its printer, nothing of it sent. SENDING: its first byte may be on the
 * way (written before that byte goes). PRINTED: the printer confirmed it (or, for a printer
 * proven never to report status, read every byte; or the cashier saw it come out). UNCERTAIN:
 * sent, and whether it came out is unknown (a printer that hung mid-job, an engine killed while
 * sending): waits for the cashier to say. REPRINTED: its outcome was unknown and a copy marked
 * as a reprint was queued in its place, never the same bytes blindly again. FAILED: cannot be
 * encoded. UNSENT: laid out with no printer set for the register, kept for the preview and a
 * later reprint.
 */
export const PRINT_STATUSES = ['PENDING', 'SENDING', 'PRINTED', 'UNCERTAIN', 'REPRINTED', 'FAILED', 'UNSENT'] as const;
/** What the store does with a receipt whose outcome is unknown: print a copy marked as such, or ask the cashier. */
export const UNCERTAIN_PRINT_CHOICES = ['copy', 'ask'] as const;

export type SaleStatus = (typeof SALE_STATUSES)[number];
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export type PrintStatus = (typeof PRINT_STATUSES)[number];
export type UncertainPrintChoice = (typeof UNCERTAIN_PRINT_CHOICES)[number];
