// The words an invoice is recorded in. The screens read them in answers, and db/schema/billing.ts
// constrains its columns to them.
export const INVOICE_KINDS = ['INVOICE', 'GLOBAL', 'CREDIT_NOTE'] as const;
/**
 * PENDING: written, waiting for the authority (a sale never waits for it). ISSUED: the
 * authority's stamp is in. REJECTED: the authority refused it, with its reason; the sale is free
 * for a corrected document. CANCELLED: cancelled before the authority.
 */
export const INVOICE_STATUSES = ['PENDING', 'ISSUED', 'REJECTED', 'CANCELLED'] as const;

export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
