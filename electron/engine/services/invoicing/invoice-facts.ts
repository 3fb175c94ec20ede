// An invoice asked for at this register, as one journal fact: the invoice row, its lines, the
// links that mark its sales as invoiced and, for a factura global, the returns it is net of, whole. PGlite may lose its latest writes on a power
// cut; replaying the fact puts them back, and central writes the same rows from it.
import { asc, eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { invoiceItems, invoiceReturns, invoiceSales, invoices } from '#db/schema/billing.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';

export const INVOICE_REQUESTED = 'invoice.requested';

/**
 * `by`: the employee who asked for it (null when the start-up reconciliation journaled it).
 * `returns`: a factura global's links to the returns it nets (absent in facts of individual invoices).
 */
export type InvoiceRequestedFact = { invoice: JsonRow; items: JsonRow[]; links: JsonRow[]; returns?: JsonRow[]; by: string | null };

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
  return {
    invoice: toRow(invoices, invoice),
    items: items.map((i) => toRow(invoiceItems, i)),
    links: links.map((l) => toRow(invoiceSales, l)),
    ...(returned.length > 0 ? { returns: returned.map((r) => toRow(invoiceReturns, r)) } : {}),
    by: null,
  };
}
