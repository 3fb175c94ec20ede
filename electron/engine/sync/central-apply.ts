// How central applies the facts that change what a whole business shares: the catalog, stock
// counts, store-credit balances and customers. A terminal's login has no right to write those
// rows itself (its sync.json may be in anyone's hands); it hands the fact to a SECURITY DEFINER
// function on central that checks the fact's author holds the permission in central's own role
// tables and that every row is the terminal's business's, then writes it. Facts of other kinds
// go through the same replay as on the terminal (central-ledger.ts falls back to REPLAYS).
import type { JsonRow } from '#db/row-json.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { PRODUCT_SAVED, VARIANT_SAVED, type ProductSavedFact, type VariantSavedFact } from '../services/catalog/catalog-facts.ts';
import { STOCK_ADJUSTED, STOCK_RECEIVED, type StockFact } from '../services/inventory/stock-facts.ts';
import { CUSTOMER_SAVED, type CustomerSavedFact } from '../services/customers/customer-facts.ts';
import { replayCompletedSale, SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { AUDIT_RECORDED, type AuditRecordedFact } from '../services/audit/audit-forward.ts';
import { NOTIFICATION_RETRY_REQUESTED, type NotificationRetryFact } from '../services/notifications/outgoing.ts';
import { PUSH_LINK_REQUESTED, type PushLinkFact } from '../services/notifications/phone-link.ts';
import { RECEIPT_EMAIL_REQUESTED, type ReceiptEmailFact } from '../services/sales/receipt-email.ts';
import { replayReturn, RETURN_RECORDED, type ReturnFact } from '../services/sales/returns.ts';
import { INVOICE_REQUESTED, type InvoiceRequestedFact } from '../services/invoicing/invoice-facts.ts';
import { applyInvoiceRequest } from './central-invoice.ts';
import { CARD_CHARGE_SAVED, type CardChargeSavedFact, upsertCardCharge } from '../services/payments/card-charge-facts.ts';

type CentralApply = (sql: SqlDatabase, payload: never) => Promise<boolean>;

/** Who made a catalog edit: facts written before the author was recorded carry none, and are refused. */
type Authored = { by?: string | null };

const author = (fact: Authored) => (typeof fact.by === 'string' ? fact.by : null);

async function catalogRow(
  sql: SqlDatabase,
  table: 'inventory.products' | 'inventory.product_variants',
  row: JsonRow,
  by: string | null,
): Promise<boolean> {
  const [done] = await sql.query<{ done: boolean }>('SELECT sync.apply_catalog_row($1::regclass, $2::jsonb, $3::uuid) AS done', [
    table,
    JSON.stringify(row),
    by,
  ]);
  return done!.done;
}

// Stock levels are moved at central only by sync.apply_sale_stock, which checks each movement
// against the sale's or return's own lines: the login has no right to write them.
async function stockMovements(sql: SqlDatabase, movements: JsonRow[]): Promise<void> {
  if (movements.length > 0) await sql.query('SELECT sync.apply_sale_stock($1::jsonb)', [JSON.stringify(movements)]);
}

async function balanceMovements(sql: SqlDatabase, movements: JsonRow[]): Promise<void> {
  if (movements.length > 0) await sql.query('SELECT sync.apply_balance_movements($1::jsonb)', [JSON.stringify(movements)]);
}

export const CENTRAL_APPLY: Record<string, CentralApply> = {
  // Central holds no open cart: a charge of a sale not yet here is kept in the ledger alone and
  // comes with its sale's fact (CompletedSaleFact.charges); one of a sale here is upserted, the
  // newer version winning and the table's trigger refusing any change to a final state.
  [CARD_CHARGE_SAVED]: async (sql, p: CardChargeSavedFact) => {
    const [sale] = await sql.query('SELECT 1 FROM sales.sales WHERE id = $1', [p.charge.sale_id]);
    return sale ? upsertCardCharge(sql, p.charge) : false;
  },
  [PRODUCT_SAVED]: (sql, p: ProductSavedFact & Authored) => catalogRow(sql, 'inventory.products', p.product, author(p)),
  [VARIANT_SAVED]: (sql, p: VariantSavedFact & Authored) => catalogRow(sql, 'inventory.product_variants', p.variant, author(p)),
  // The author must hold sales.sell there; the newer version wins; the contact stays sealed (c0012).
  [CUSTOMER_SAVED]: async (sql, p: CustomerSavedFact & Authored) =>
    (
      await sql.query<{ done: boolean }>('SELECT sync.apply_customer($1::jsonb, $2::uuid) AS done', [JSON.stringify(p.customer), author(p)])
    )[0]!.done,
  [STOCK_RECEIVED]: async (sql, p: StockFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.apply_stock_fact($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
  [STOCK_ADJUSTED]: async (sql, p: StockFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.apply_stock_fact($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
  // The sale itself as on the terminal; the stock it moved and the store credit it spent through
  // central's checks. (central-ledger.ts runs each fact inside a savepoint of its own: all of
  // this, or none of it.)
  // A gift card it sells opens empty at central (unless central has it: a top-up); central keeps its own balance of every card.
  [SALE_COMPLETED]: async (sql, p: CompletedSaleFact) => {
    const applied = await replayCompletedSale(sql, { ...p, stock: [], balance: [], giftCards: [] });
    await stockMovements(sql, p.stock ?? []);
    const loaded = new Set((p.balance ?? []).filter((m) => m.sale_item_id).map((m) => m.balance_id));
    const sold = (p.giftCards ?? []).filter((c) => loaded.has(c.id)).map((c) => ({ ...c, amount: '0' }));
    if (sold.length > 0) await sql.query('SELECT sync.open_gift_cards($1::jsonb)', [JSON.stringify(sold)]);
    await balanceMovements(sql, p.balance ?? []);
    return applied;
  },
  // A refund to store credit: the empty slip first (the refund points at it), then the return,
  // then the stock it puts back and the credit it carries.
  [RETURN_RECORDED]: async (sql, p: ReturnFact) => {
    if (p.balance) await sql.query('SELECT sync.open_store_credit($1::jsonb)', [JSON.stringify(p.balance)]);
    const applied = await replayReturn(sql, { ...p, stock: [], balance: null, balanceMovement: null });
    await stockMovements(sql, p.stock ?? []);
    if (p.balanceMovement) await balanceMovements(sql, [p.balanceMovement]);
    return applied;
  },
  // Becomes a notification job that central's e-mail workers send (the terminal sends nothing).
  [RECEIPT_EMAIL_REQUESTED]: async (sql, p: ReceiptEmailFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.request_receipt_email($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
  // Reopens the failed row (when it still is the failure the person saw) for the workers.
  [NOTIFICATION_RETRY_REQUESTED]: async (sql, p: NotificationRetryFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.retry_notification($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
  // Becomes one e-mail to the person with the link that subscribes their phone (checked to be this business's employee).
  [PUSH_LINK_REQUESTED]: async (sql, p: PushLinkFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.request_phone_link($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
  // The register's audit entry, appended to central's trail (checked to be this register's).
  // As on the terminal, unless central covered one of its sales first (central-invoice.ts).
  [INVOICE_REQUESTED]: (sql, p: InvoiceRequestedFact) => applyInvoiceRequest(sql, p),
  [AUDIT_RECORDED]: async (sql, p: AuditRecordedFact) =>
    (await sql.query<{ done: boolean }>('SELECT sync.record_audit($1::jsonb) AS done', [JSON.stringify(p)]))[0]!.done,
};
