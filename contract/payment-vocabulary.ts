// The words payments are recorded in: how a tender pays and where a credit slip stands. The
// screens read them in answers, and db/schema/payments.ts constrains its columns to them.
export const TENDER_KINDS = ['CASH', 'CARD', 'TRANSFER', 'STORE_CREDIT', 'GIFT_CARD', 'VOUCHER'] as const;
export const BALANCE_STATUSES = ['ACTIVE', 'BLOCKED', 'EXPIRED'] as const;

export type TenderKind = (typeof TENDER_KINDS)[number];
export type BalanceStatus = (typeof BALANCE_STATUSES)[number];
