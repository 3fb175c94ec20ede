// An invoice asked for at this register, as one journal fact: the invoice row, its lines, the
// links that mark its sales as invoiced and, for a factura global, the returns it is net of, whole. PGlite may lose its latest writes on a power
// cut; replaying the fact puts them back, and central writes the same rows from it.
import { and, asc, eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { invoiceItems, invoiceReturns, invoiceSales, invoices } from '#db/schema/billing.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';

export const INVOICE_REQUESTED = 'invoice.requested';

/**
 * `by`: the employee who asked for it (null when the start-up reconciliation journaled it).
 * `returns`: a factura global's links to the returns it nets (absent in facts of individual invoices).
 * `supersedes`: a substitute's (motive 01) the links of the invoice it replaces, as they are let go
 * for its own to take their place.
 */
export type InvoiceRequestedFact = {
  invoice: JsonRow;
  items: JsonRow[];
  links: JsonRow[];
  returns?: JsonRow[];
  supersedes?: JsonRow[];
  by: string | null;
};

export const invoiceFactKey = (invoiceId: string) => `invoice:${invoiceId}`;

/** Writes the invoice's rows unless they are there; true when the invoice was new. */
export async function insertInvoiceRows(sql: SqlSession, fact: InvoiceRequestedFact): Promise<boolean> {
  const [invoice] = await sql.query(
    `INSERT INTO billing.invoices SELECT * FROM jsonb_populate_record(NULL::billing.invoices, $1::jsonb)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(fact.invoice)],
  );
  await sql.query(
    `INSERT INTO billing.invoice_items SELECT * FROM jsonb_populate_recordset(NULL::billing.invoice_items, $1::jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(fact.items)],
  );
  if (fact.supersedes?.length) {
    // After the substitute's own row (central lets a register free an ISSUED invoice's link only
    // once its substitute exists), before its link (one live link per sale).
    await sql.query(
      `UPDATE billing.invoice_sales l SET deleted_at = r.deleted_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, deleted_at timestamptz)
       WHERE l.id = r.id AND l.deleted_at IS NULL`,
      [JSON.stringify(fact.supersedes)],
    );
  }
  await sql.query(
    `INSERT INTO billing.invoice_sales SELECT * FROM jsonb_populate_recordset(NULL::billing.invoice_sales, $1::jsonb)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(fact.links)],
  );
  if (fact.returns?.length) {
    await sql.query(
      `INSERT INTO billing.invoice_returns SELECT * FROM jsonb_populate_recordset(NULL::billing.invoice_returns, $1::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(fact.returns)],
    );
  }
  return invoice !== undefined;
}

export const replayInvoiceRequested = (sql: SqlDatabase, fact: InvoiceRequestedFact) =>
  sql.transaction((tx) => insertInvoiceRows(tx, fact));

/** The fact of an invoice PGlite holds, read back whole: the start-up reconciliation journals it (its author died with the call). */
export async function readInvoiceFact(db: AppDb, invoiceId: string): Promise<InvoiceRequestedFact | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice) return null;
  const items = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoiceId)).orderBy(asc(invoiceItems.lineNo));
  const links = await db.select().from(invoiceSales).where(eq(invoiceSales.invoiceId, invoiceId)).orderBy(asc(invoiceSales.id));
  const returned = await db.select().from(invoiceReturns).where(eq(invoiceReturns.invoiceId, invoiceId)).orderBy(asc(invoiceReturns.id));
  // A substitute let go the links of the invoice it replaces, to its sale.
  const superseded =
    invoice.kind === 'INVOICE' && invoice.relatedInvoiceId && invoice.saleId
      ? (
          await db
            .select()
            .from(invoiceSales)
            .where(and(eq(invoiceSales.invoiceId, invoice.relatedInvoiceId), eq(invoiceSales.saleId, invoice.saleId)))
            .orderBy(asc(invoiceSales.id))
        ).filter((l) => l.deletedAt !== null)
      : [];
  return {
    invoice: toRow(invoices, invoice),
    items: items.map((i) => toRow(invoiceItems, i)),
    links: links.map((l) => toRow(invoiceSales, l)),
    ...(returned.length > 0 ? { returns: returned.map((r) => toRow(invoiceReturns, r)) } : {}),
    ...(superseded.length > 0 ? { supersedes: superseded.map((l) => toRow(invoiceSales, l)) } : {}),
    by: null,
  };
}
