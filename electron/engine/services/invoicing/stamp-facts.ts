// What the stamping of an invoice leaves in the journal, one fact per step, so a PGlite that lost
// its latest writes, and central, hold the same: `invoice.sealed` (the CFDI about to be sent,
// journaled before it goes to the PAC), then once `invoice.stamped` (the PAC's stamp) or
// `invoice.rejected` (the PAC's refusal, which frees the sale to be invoiced again). Every replay
// is idempotent: an invoice that is no longer PENDING is left as it is.
import { eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { invoiceSales, invoices, stampAttempts } from '#db/schema/billing.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import type { Stamp } from '#engine/fiscal/mx/pac/pac-client.ts';

export const INVOICE_SEALED = 'invoice.sealed';
export const INVOICE_STAMPED = 'invoice.stamped';
export const INVOICE_REJECTED = 'invoice.rejected';

export type InvoiceSealedFact = { attempt: JsonRow };

/** The stamp as billing.invoices keeps it in fiscal_data: the PAC's answer, and which attempt of which PAC got it. */
export type StampData = Omit<Stamp, 'previous'> & { provider: string; attemptId: string };

export type InvoiceStampedFact = { invoiceId: string; uuid: string; issuedAt: string; fiscalData: StampData };

/** `code`: the PAC's incidence (or the fiscal core's code when the document could not be rebuilt). */
export type RejectionData = { provider: string; attemptId: string | null; code: string; message: string };

export type InvoiceRejectedFact = { invoiceId: string; rejectedAt: string; fiscalData: RejectionData };

export const sealedFactKey = (attemptId: string) => `stamp-attempt:${attemptId}`;
export const stampedFactKey = (invoiceId: string) => `invoice:${invoiceId}:stamped`;
export const rejectedFactKey = (invoiceId: string) => `invoice:${invoiceId}:rejected`;

export async function insertAttempt(sql: SqlSession, fact: InvoiceSealedFact): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO billing.stamp_attempts SELECT * FROM jsonb_populate_record(NULL::billing.stamp_attempts, $1::jsonb)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(fact.attempt)],
  );
  return rows.length > 0;
}

export async function markStamped(sql: SqlSession, fact: InvoiceStampedFact): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE billing.invoices SET status = 'ISSUED', fiscal_id_type = 'CFDI_UUID', fiscal_id = $2, issued_at = $3, fiscal_data = fiscal_data || $4::jsonb
     WHERE id = $1 AND status = 'PENDING' RETURNING id`,
    [fact.invoiceId, fact.uuid, fact.issuedAt, JSON.stringify(fact.fiscalData)],
  );
  return rows.length > 0;
}

/** The refusal, and its links to sales and returns let go in the same transaction: they may be invoiced again, correctly. */
export async function markRejected(sql: SqlDatabase, fact: InvoiceRejectedFact): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE billing.invoices SET status = 'REJECTED', fiscal_data = fiscal_data || $2::jsonb WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [fact.invoiceId, JSON.stringify(fact.fiscalData)],
    );
    if (rows.length === 0) return false;
    for (const links of ['billing.invoice_sales', 'billing.invoice_returns']) {
      await tx.query(`UPDATE ${links} SET deleted_at = $2 WHERE invoice_id = $1 AND deleted_at IS NULL`, [fact.invoiceId, fact.rejectedAt]);
    }
    return true;
  });
}

export const replayInvoiceSealed = (sql: SqlDatabase, fact: InvoiceSealedFact) => insertAttempt(sql, fact);
export const replayInvoiceStamped = (sql: SqlDatabase, fact: InvoiceStampedFact) => markStamped(sql, fact);
export const replayInvoiceRejected = (sql: SqlDatabase, fact: InvoiceRejectedFact) => markRejected(sql, fact);

// Read back from PGlite for the start-up reconciliation, when the process died between the
// commit and the journal append.

export async function readSealedFact(db: AppDb, attemptId: string): Promise<InvoiceSealedFact | null> {
  const [attempt] = await db.select().from(stampAttempts).where(eq(stampAttempts.id, attemptId));
  return attempt ? { attempt: toRow(stampAttempts, attempt) } : null;
}

export async function readStampedFact(db: AppDb, invoiceId: string): Promise<InvoiceStampedFact | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  // A stamp stays the fact it was once the invoice is cancelled.
  if ((invoice?.status !== 'ISSUED' && invoice?.status !== 'CANCELLED') || !invoice.fiscalId || !invoice.issuedAt) return null;
  return {
    invoiceId,
    uuid: invoice.fiscalId,
    issuedAt: invoice.issuedAt.toISOString(),
    fiscalData: invoice.fiscalData as StampData,
  };
}

export async function readRejectedFact(db: AppDb, invoiceId: string): Promise<InvoiceRejectedFact | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (invoice?.status !== 'REJECTED') return null;
  // The instant the links were let go, so central lets them go at the same one.
  const [link] = await db.select().from(invoiceSales).where(eq(invoiceSales.invoiceId, invoiceId));
  const rejectedAt = link?.deletedAt ?? invoice.updatedAt;
  return { invoiceId, rejectedAt: rejectedAt.toISOString(), fiscalData: invoice.fiscalData as RejectionData };
}
