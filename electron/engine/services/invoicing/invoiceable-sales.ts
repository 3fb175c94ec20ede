// What CFDIs read off sales, for one sale or a period's worth at once (one query per kind of row,
// whatever the number of sales): their lines with the products' SAT keys, their confirmed
// payments, and what was given back of them.
import type { SqlSession } from '#db/sql-session.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import type { InvoiceableLine, InvoiceablePayment } from './cfdi-from-sale.ts';

export type SaleLine = InvoiceableLine & { id: string; saleId: string; lineNo: number; taxRate: string };

export type ReturnedLine = {
  returnId: string;
  saleId: string;
  name: string;
  sku: string;
  taxCode: TaxCode;
  quantity: string;
  /** Before tax, as the return refunded it. */
  subtotal: string;
  taxAmount: string;
};

const bySale = <T extends { saleId: string }>(rows: T[]): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(row.saleId, [...(out.get(row.saleId) ?? []), row]);
  return out;
};

export async function saleLines(sql: SqlSession, saleIds: readonly string[]): Promise<Map<string, SaleLine[]>> {
  const rows = await sql.query<SaleLine>(
    `SELECT i.id, i.sale_id AS "saleId", i.line_no AS "lineNo", i.name, i.sku, i.is_weighed AS "isWeighed",
            i.quantity::text AS quantity, i.unit_price::text AS "unitPrice", i.discount_amount::text AS "discountAmount",
            i.tax_code AS "taxCode", i.tax_rate::text AS "taxRate",
            p.fiscal_product_code AS "fiscalProductCode", p.fiscal_unit_code AS "fiscalUnitCode"
     FROM sales.sale_items i JOIN inventory.products p ON p.id = i.product_id
     WHERE i.sale_id = ANY($1::uuid[]) AND i.deleted_at IS NULL ORDER BY i.sale_id, i.line_no`,
    [saleIds],
  );
  return bySale(rows);
}

export async function salePayments(
  sql: SqlSession,
  saleIds: readonly string[],
): Promise<Map<string, (InvoiceablePayment & { saleId: string })[]>> {
  const rows = await sql.query<{ saleId: string; kind: TenderKind; amount: string }>(
    `SELECT t.sale_id AS "saleId", m.kind, t.amount::text AS amount
     FROM payments.transactions t JOIN payments.payment_methods m ON m.id = t.payment_method_id
     WHERE t.sale_id = ANY($1::uuid[]) AND t.status = 'CONFIRMED' ORDER BY t.sale_id, t.occurred_at, t.id`,
    [saleIds],
  );
  return bySale(rows);
}

/**
 * What was returned of these sales that no live document accounts for already (a return whose
 * credit note was stamped stays that credit note's), or only the returns named.
 */
export async function returnedLines(
  sql: SqlSession,
  of: { saleIds: readonly string[] } | { returnIds: readonly string[] },
): Promise<Map<string, ReturnedLine[]>> {
  const rows = await sql.query<ReturnedLine>(
    `SELECT r.id AS "returnId", r.sale_id AS "saleId", si.name, si.sku, si.tax_code AS "taxCode",
            ri.quantity::text AS quantity, ri.subtotal::text AS subtotal, ri.tax_amount::text AS "taxAmount"
     FROM sales.return_items ri JOIN sales.returns r ON r.id = ri.return_id JOIN sales.sale_items si ON si.id = ri.sale_item_id
     WHERE ${
       'saleIds' in of
         ? `r.sale_id = ANY($1::uuid[])
            AND NOT EXISTS (SELECT 1 FROM billing.invoice_returns l WHERE l.return_id = r.id AND l.deleted_at IS NULL)`
         : 'r.id = ANY($1::uuid[])'
     } AND r.deleted_at IS NULL AND ri.deleted_at IS NULL
     ORDER BY r.sale_id, r.occurred_at, r.id, si.line_no`,
    ['saleIds' in of ? of.saleIds : of.returnIds],
  );
  return bySale(rows);
}
