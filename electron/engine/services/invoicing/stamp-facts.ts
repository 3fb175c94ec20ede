// What the stamping of an invoice leaves in the journal, one fact per step, so a PGlite that lost
// its latest writes, and central, hold the same: `invoice.sealed` (the CFDI about to be sent,
// journaled before it goes to the PAC), then once `invoice.stamped` (the PAC's stamp) or
// `invoice.rejected` (the PAC's refusal, which frees the sale to be invoiced again). Every replay
// is idempotent: an invoice that is no longer PENDING is left as it is.
import { eq } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { cancellationAnswers, invoiceReturns, invoiceSales, invoices, stampAttempts } from '#db/schema/billing.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import type { Stamp } from '#engine/fiscal/mx/pac/pac-client.ts';

export const INVOICE_SEALED = 'invoice.sealed';

// What a substitute's refusal writes has ids derived from it under this namespace.
const UNDONE_IDS = '5b0c7e1a-2f4d-4c8e-9a61-3d7f0b2e8c45';
export const INVOICE_STAMPED = 'invoice.stamped';
export const INVOICE_REJECTED = 'invoice.rejected';

export type InvoiceSealedFact = { attempt: JsonRow };

/** The stamp as billing.invoices keeps it in fiscal_data: the PAC's answer, and which attempt of which PAC got it. */
export type StampData = Omit<Stamp, 'previous'> & { provider: string; attemptId: string };

export type InvoiceStampedFact = { invoiceId: string; uuid: string; issuedAt: string; fiscalData: StampData };

/**
 * `code`: the PAC's incidence (or the fiscal core's code when the document could not be rebuilt,
 * or RELATED_REJECTED / RELATED_CANCELLED for a credit note whose ingreso is gone). `provider`:
 * the PAC it went to, none for a credit note refused with its cancelled ingreso.
 */
export type RejectionData = { provider: string | null; attemptId: string | null; code: string; message: string };

/** A cancellation's answer (cancellation-facts.ts); `invoiceId`: the invoice it is about, so a replay needs no lookup. */
export type CancelAnsweredFact = { answer: JsonRow; invoiceId: string };

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

/** The links of these documents to sales and returns let go at `at`: the sales and returns may be covered again. */
export const freeLinks = async (tx: SqlSession, invoiceIds: readonly string[], at: string | Date) => {
  for (const links of ['billing.invoice_sales', 'billing.invoice_returns']) {
    await tx.query(`UPDATE ${links} SET deleted_at = $2 WHERE invoice_id = ANY($1::uuid[]) AND deleted_at IS NULL`, [invoiceIds, at]);
  }
};

/**
 * The credit notes still PENDING of an ingreso the SAT refused or that was cancelled, refused with
 * it: with no CFDI to relate them to they can never be stamped, and their returns, let go in the
 * same transaction, are netted by whatever covers the sale next (a factura global, or a new
 * invoice's own credit notes). Deterministic (the same words, the same instant), so replaying the
 * ingreso's fact anywhere refuses the same credit notes the same way. Their refusals, as facts.
 */
export async function refuseCreditNotesOf(
  tx: SqlSession,
  invoiceId: string,
  at: string | Date,
  why: { code: 'RELATED_REJECTED' | 'RELATED_CANCELLED'; provider: string | null },
): Promise<InvoiceRejectedFact[]> {
  const [ingreso] = await tx.query<{ series: string; folio: string }>(
    'SELECT series, folio::text AS folio FROM billing.invoices WHERE id = $1',
    [invoiceId],
  );
  if (!ingreso) return [];
  const fiscalData: RejectionData = {
    provider: why.provider,
    attemptId: null,
    code: why.code,
    message:
      `La factura ${ingreso.series}-${ingreso.folio} que esta nota de crédito corrige fue ` +
      `${why.code === 'RELATED_REJECTED' ? 'rechazada' : 'cancelada'}: no hay CFDI al que relacionarla. ` +
      'La devolución se descuenta en lo que facture la venta después (la factura global o una factura nueva).',
  };
  const refused = await tx.query<{ id: string }>(
    `UPDATE billing.invoices SET status = 'REJECTED', fiscal_data = fiscal_data || $2::jsonb
     WHERE related_invoice_id = $1 AND kind = 'CREDIT_NOTE' AND status = 'PENDING' RETURNING id`,
    [invoiceId, JSON.stringify(fiscalData)],
  );
  if (refused.length === 0) return [];
  await freeLinks(
    tx,
    refused.map((r) => r.id),
    at,
  );
  const rejectedAt = new Date(at).toISOString();
  return refused.map((r) => ({ invoiceId: r.id, rejectedAt, fiscalData }));
}

/**
 * A substitute (motive 01) the SAT refused: the invoice it was to replace covers its sale again,
 * and the cancellation that waited for it is answered as refused, here, since no authority was
 * asked. Deterministic (ids derived from the substitute's, the same instant), so replaying the
 * refusal anywhere does the same once. Answers those answers, for the journal.
 */
async function undoSubstitution(tx: SqlSession, invoiceId: string, at: string): Promise<CancelAnsweredFact[]> {
  const [sub] = await tx.query<{ replaced: string; sale_id: string; series: string; folio: string }>(
    `SELECT related_invoice_id AS replaced, sale_id, series, folio::text AS folio FROM billing.invoices
     WHERE id = $1 AND kind = 'INVOICE' AND related_invoice_id IS NOT NULL AND sale_id IS NOT NULL`,
    [invoiceId],
  );
  if (!sub) return [];
  await tx.query(
    `INSERT INTO billing.invoice_sales (id, invoice_id, sale_id, created_at, updated_at)
     SELECT $1, $2, $3, $4, $4
     WHERE EXISTS (SELECT 1 FROM billing.invoices WHERE id = $2 AND status = 'ISSUED')
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales WHERE sale_id = $3 AND deleted_at IS NULL)
     ON CONFLICT (id) DO NOTHING`,
    [uuidv5(`${invoiceId}:covers-again`, UNDONE_IDS), sub.replaced, sub.sale_id, at],
  );
  const waiting = await tx.query<{ id: string }>(
    `SELECT c.id FROM billing.invoice_cancellations c
     WHERE c.substitute_invoice_id = $1
       AND NOT EXISTS (SELECT 1 FROM billing.cancellation_answers a WHERE a.cancellation_id = c.id AND a.state IN ('ACCEPTED', 'REJECTED'))`,
    [invoiceId],
  );
  const answers: CancelAnsweredFact[] = [];
  for (const c of waiting) {
    const answer = toRow(cancellationAnswers, {
      id: uuidv5(`${c.id}:substitute-rejected`, UNDONE_IDS),
      cancellationId: c.id,
      state: 'REJECTED',
      code: 'SUBSTITUTE_REJECTED',
      message: `El SAT rechazó la factura sustituta ${sub.series}-${sub.folio}: la factura original sigue vigente y no se pidió su cancelación.`,
      acuse: null,
      answeredAt: new Date(at),
      createdAt: new Date(at),
      updatedAt: new Date(at),
      deletedAt: null,
    });
    const inserted = await tx.query(
      `INSERT INTO billing.cancellation_answers SELECT * FROM jsonb_populate_record(NULL::billing.cancellation_answers, $1::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(answer)],
    );
    if (inserted.length > 0) answers.push({ answer, invoiceId: sub.replaced });
  }
  return answers;
}

/** What a refusal brought about beside itself: its credit notes refused, a replaced invoice's cancellation answered. */
export type RejectionEffects = { creditNotes: InvoiceRejectedFact[]; answers: CancelAnsweredFact[] };

/**
 * The refusal, and its links to sales and returns let go in the same transaction: they may be
 * invoiced again, correctly (a substitute's sale goes back to the invoice it was to replace).
 * Null when the invoice was no longer PENDING; else what it brought about, for the journal.
 */
export async function markRejectedWith(sql: SqlDatabase, fact: InvoiceRejectedFact): Promise<RejectionEffects | null> {
  return sql.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE billing.invoices SET status = 'REJECTED', fiscal_data = fiscal_data || $2::jsonb WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [fact.invoiceId, JSON.stringify(fact.fiscalData)],
    );
    if (rows.length === 0) return null;
    await freeLinks(tx, [fact.invoiceId], fact.rejectedAt);
    const creditNotes = await refuseCreditNotesOf(tx, fact.invoiceId, fact.rejectedAt, {
      code: 'RELATED_REJECTED',
      provider: fact.fiscalData.provider,
    });
    const answers = await undoSubstitution(tx, fact.invoiceId, fact.rejectedAt);
    return { creditNotes, answers };
  });
}

export const markRejected = async (sql: SqlDatabase, fact: InvoiceRejectedFact): Promise<boolean> =>
  (await markRejectedWith(sql, fact)) !== null;

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
  // The instant the links were let go, so central lets them go at the same one (a credit note
  // links only its return).
  const [link] = await db.select().from(invoiceSales).where(eq(invoiceSales.invoiceId, invoiceId));
  const [returned] = link ? [] : await db.select().from(invoiceReturns).where(eq(invoiceReturns.invoiceId, invoiceId));
  const rejectedAt = link?.deletedAt ?? returned?.deletedAt ?? invoice.updatedAt;
  return { invoiceId, rejectedAt: rejectedAt.toISOString(), fiscalData: invoice.fiscalData as RejectionData };
}
