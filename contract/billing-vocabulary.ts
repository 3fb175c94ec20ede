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

/** The SAT's c_MotivoCancelacion: 01 errors with a substitute, 02 errors without, 03 not carried out, 04 a sale of a factura global invoiced on its own. */
export const CANCELLATION_MOTIVES = ['01', '02', '03', '04'] as const;
/** The authority's answer to a cancellation request. */
export const CANCELLATION_STATES = ['IN_PROCESS', 'ACCEPTED', 'REJECTED'] as const;
export type CancellationMotive = (typeof CANCELLATION_MOTIVES)[number];
export type CancellationState = (typeof CANCELLATION_STATES)[number];
