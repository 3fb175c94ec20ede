// The words a sale and its printouts are recorded in. The screens read them in answers, and
// db/schema/sales.ts constrains its columns to them, so the two can never name different states.
export const SALE_STATUSES = ['OPEN', 'PARKED', 'COMPLETED', 'VOIDED'] as const;
export const RECEIPT_KINDS = ['SALE', 'GIFT', 'RETURN', 'X_REPORT', 'Z_REPORT', 'TEST'] as const;
/** UNSENT: laid out with no printer set for the register, kept for the preview and a later reprint. */
export const PRINT_STATUSES = ['PENDING', 'PRINTED', 'FAILED', 'UNSENT'] as const;

export type SaleStatus = (typeof SALE_STATUSES)[number];
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export type PrintStatus = (typeof PRINT_STATUSES)[number];
