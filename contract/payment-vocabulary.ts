// The words payments are recorded in: how a tender pays and where a credit slip stands. The
// screens read them in answers, and db/schema/payments.ts constrains its columns to them.
export const TENDER_KINDS = ['CASH', 'CARD', 'TRANSFER', 'STORE_CREDIT', 'GIFT_CARD', 'VOUCHER'] as const;
export const BALANCE_STATUSES = ['ACTIVE', 'BLOCKED', 'EXPIRED'] as const;

export type TenderKind = (typeof TENDER_KINDS)[number];
export type BalanceStatus = (typeof BALANCE_STATUSES)[number];

/** The providers whose terminals the POS drives through their cloud API. */
export const CARD_PROVIDERS = ['mercadopago', 'clip'] as const;
export type CardProvider = (typeof CARD_PROVIDERS)[number];

/**
 * Where a charge on an integrated card terminal stands. SENT: asked of the provider, its answer
 * not in yet (a crash here is settled by asking again with the same key). Then the provider's:
 * CREATED, AT_TERMINAL (waiting for the card), PROCESSING; and, once and for good, APPROVED,
 * DECLINED, CANCELLED or EXPIRED.
 */
export const CARD_CHARGE_STATUSES = [
  'SENT',
  'CREATED',
  'AT_TERMINAL',
  'PROCESSING',
  'APPROVED',
  'DECLINED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type CardChargeStatus = (typeof CARD_CHARGE_STATUSES)[number];
export const FINAL_CARD_CHARGE_STATUSES = ['APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED'] as const satisfies readonly CardChargeStatus[];

/** The providers' names as the cashier knows them. */
export const CARD_PROVIDER_NAMES: Readonly<Record<CardProvider, string>> = { mercadopago: 'Mercado Pago', clip: 'Clip' };

/**
 * A terminal as a person finds it: its serial, printed on its back. Mercado Pago's terminal id is
 * TYPE__SERIAL; Clip's is the serial itself.
 */
export function terminalSerial(terminalId: string): string {
  const at = terminalId.lastIndexOf('__');
  return at >= 0 && at + 2 < terminalId.length ? terminalId.slice(at + 2) : terminalId;
}
