// How each kind of journal fact is put back into PGlite. Every replay is idempotent: applying
// a fact PGlite already holds changes nothing, so reconciliation may apply any suffix again.
import type { SqlDatabase } from '#db/sql-session.ts';
import { replayCompletedSale, SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { replayReturn, RETURN_RECORDED, type ReturnFact } from '../services/sales/returns.ts';
import { replayVoidedSale, SALE_VOIDED, type VoidedSaleFact } from '../services/sales/void-sale.ts';
import {
  CASH_MOVED,
  replayCashMoved,
  replayShiftClosed,
  replayShiftOpened,
  SHIFT_CLOSED,
  SHIFT_OPENED,
  type CashMovedFact,
  type ShiftFact,
} from '../services/shifts/shift-facts.ts';

import {
  PRODUCT_SAVED,
  replayProductSaved,
  replayVariantSaved,
  VARIANT_SAVED,
  type ProductSavedFact,
  type VariantSavedFact,
} from '../services/catalog/catalog-facts.ts';
import { replayStockFact, STOCK_ADJUSTED, STOCK_RECEIVED, type StockFact } from '../services/inventory/stock-facts.ts';
import { CUSTOMER_SAVED, replayCustomerSaved, type CustomerSavedFact } from '../services/customers/customer-facts.ts';
import { CARD_CHARGE_SAVED, replayCardChargeSaved, type CardChargeSavedFact } from '../services/payments/card-charge-facts.ts';
import { CARD_REFUND_ASKED } from '../services/payments/card-refund-facts.ts';

import { INVOICE_REQUESTED, replayInvoiceRequested, type InvoiceRequestedFact } from '../services/invoicing/invoice-facts.ts';
import {
  INVOICE_REJECTED,
  INVOICE_SEALED,
  INVOICE_STAMPED,
  replayInvoiceRejected,
  replayInvoiceSealed,
  replayInvoiceStamped,
  type InvoiceRejectedFact,
  type InvoiceSealedFact,
  type InvoiceStampedFact,
} from '../services/invoicing/stamp-facts.ts';
import {
  type CancelAnsweredFact,
  type CancelRequestedFact,
  INVOICE_CANCEL_ANSWERED,
  INVOICE_CANCEL_REQUESTED,
  replayCancelAnswered,
  replayCancelRequested,
} from '../services/invoicing/cancellation-facts.ts';
import { RECEIPT_EMAIL_REQUESTED } from '../services/sales/receipt-email.ts';
import { NOTIFICATION_RETRY_REQUESTED } from '../services/notifications/outgoing.ts';
import { AUDIT_RECORDED } from '../services/audit/audit-forward.ts';
import { PUSH_LINK_REQUESTED } from '../services/notifications/phone-link.ts';

type Replay = (sql: SqlDatabase, payload: never) => Promise<boolean>;

export const REPLAYS: Record<string, Replay> = {
  [SHIFT_OPENED]: (sql, p: ShiftFact) => replayShiftOpened(sql, p),
  [CARD_CHARGE_SAVED]: (sql, p: CardChargeSavedFact) => replayCardChargeSaved(sql, p),
  [CASH_MOVED]: (sql, p: CashMovedFact) => replayCashMoved(sql, p),
  [SALE_COMPLETED]: (sql, p: CompletedSaleFact) => replayCompletedSale(sql, p),
  [SALE_VOIDED]: (sql, p: VoidedSaleFact) => replayVoidedSale(sql, p),
  [RETURN_RECORDED]: (sql, p: ReturnFact) => replayReturn(sql, p),
  [SHIFT_CLOSED]: (sql, p: ShiftFact) => replayShiftClosed(sql, p),
  [PRODUCT_SAVED]: (sql, p: ProductSavedFact) => replayProductSaved(sql, p),
  [VARIANT_SAVED]: (sql, p: VariantSavedFact) => replayVariantSaved(sql, p),
  [STOCK_RECEIVED]: (sql, p: StockFact) => replayStockFact(sql, p),
  [STOCK_ADJUSTED]: (sql, p: StockFact) => replayStockFact(sql, p),
  [CUSTOMER_SAVED]: (sql, p: CustomerSavedFact) => replayCustomerSaved(sql, p),
  [INVOICE_REQUESTED]: (sql, p: InvoiceRequestedFact) => replayInvoiceRequested(sql, p),
  [INVOICE_SEALED]: (sql, p: InvoiceSealedFact) => replayInvoiceSealed(sql, p),
  [INVOICE_STAMPED]: (sql, p: InvoiceStampedFact) => replayInvoiceStamped(sql, p),
  [INVOICE_REJECTED]: (sql, p: InvoiceRejectedFact) => replayInvoiceRejected(sql, p),
  [INVOICE_CANCEL_REQUESTED]: (sql, p: CancelRequestedFact) => replayCancelRequested(sql, p),
  [INVOICE_CANCEL_ANSWERED]: (sql, p: CancelAnsweredFact) => replayCancelAnswered(sql, p),
  // The journal is these requests' only record on a terminal: nothing to put back.
  [RECEIPT_EMAIL_REQUESTED]: async () => false,
  [NOTIFICATION_RETRY_REQUESTED]: async () => false,
  [PUSH_LINK_REQUESTED]: async () => false,
  // What a refund asked the card provider: the refund itself comes in its return's or void's fact.
  [CARD_REFUND_ASKED]: async () => false,
  // Written here before it was a fact (and it names this register's own sessions): a copy for central.
  [AUDIT_RECORDED]: async () => false,
};
