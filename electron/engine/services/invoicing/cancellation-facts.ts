// The cancellation of an issued invoice as journal facts: `invoice.cancel_requested` (the request,
// with its motive) and, once per answer of the authority, `invoice.cancel_answered`. An ACCEPTED
// answer makes the invoice CANCELLED and lets its sales and returns go in the same transaction,
// so they may be invoiced again, and refuses its credit notes still PENDING (nothing to relate
// them to any more). Every replay is idempotent.
import { eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { cancellationAnswers, invoiceCancellations } from '#db/schema/billing.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import { type CancelAnsweredFact, freeLinks, type InvoiceRejectedFact, refuseCreditNotesOf } from './stamp-facts.ts';

export const INVOICE_CANCEL_REQUESTED = 'invoice.cancel_requested';
export const INVOICE_CANCEL_ANSWERED = 'invoice.cancel_answered';

/** `by`: the employee who asked (null when the start-up reconciliation journaled it). */
export type CancelRequestedFact = { cancellation: JsonRow; by: string | null };
export type { CancelAnsweredFact } from './stamp-facts.ts';

export const cancelRequestedKey = (cancellationId: string) => `invoice-cancellation:${cancellationId}`;
export const cancelAnsweredKey = (answerId: string) => `cancellation-answer:${answerId}`;

/** Joins a request (aliased c) to its latest answer (aliased a: state, code, message), or to nulls before any. */
export const LATEST_ANSWER = `LEFT JOIN LATERAL (SELECT state, code, message FROM billing.cancellation_answers
  WHERE cancellation_id = c.id ORDER BY answered_at DESC, id DESC LIMIT 1) a ON true`;

export async function insertCancellation(sql: SqlSession, fact: CancelRequestedFact): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO billing.invoice_cancellations SELECT * FROM jsonb_populate_record(NULL::billing.invoice_cancellations, $1::jsonb)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(fact.cancellation)],
  );
  return rows.length > 0;
}

/**
 * The answer, and what an acceptance does to the invoice, its links and its credit notes still
 * PENDING (refused with it, their returns let go), together. Null when the answer was not new;
 * else the credit notes' refusals, for the journal.
 */
export async function applyCancelAnswerWith(sql: SqlDatabase, fact: CancelAnsweredFact): Promise<InvoiceRejectedFact[] | null> {
  return sql.transaction(async (tx) => {
    const rows = await tx.query<{ state: string; answered_at: Date }>(
      `INSERT INTO billing.cancellation_answers SELECT * FROM jsonb_populate_record(NULL::billing.cancellation_answers, $1::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING state, answered_at`,
      [JSON.stringify(fact.answer)],
    );
    const [answer] = rows;
    if (!answer) return null;
    if (answer.state !== 'ACCEPTED') return [];
    await tx.query(`UPDATE billing.invoices SET status = 'CANCELLED' WHERE id = $1 AND status = 'ISSUED'`, [fact.invoiceId]);
    await freeLinks(tx, [fact.invoiceId], answer.answered_at);
    return refuseCreditNotesOf(tx, fact.invoiceId, answer.answered_at, { code: 'RELATED_CANCELLED', provider: null });
  });
}

export const applyCancelAnswer = async (sql: SqlDatabase, fact: CancelAnsweredFact): Promise<boolean> =>
  (await applyCancelAnswerWith(sql, fact)) !== null;

export const replayCancelRequested = (sql: SqlDatabase, fact: CancelRequestedFact) => insertCancellation(sql, fact);
export const replayCancelAnswered = (sql: SqlDatabase, fact: CancelAnsweredFact) => applyCancelAnswer(sql, fact);

// Read back from PGlite for the start-up reconciliation, when the process died between the
// commit and the journal append.

export async function readCancelRequested(db: AppDb, cancellationId: string): Promise<CancelRequestedFact | null> {
  const [row] = await db.select().from(invoiceCancellations).where(eq(invoiceCancellations.id, cancellationId));
  return row ? { cancellation: toRow(invoiceCancellations, row), by: null } : null;
}

export async function readCancelAnswered(db: AppDb, answerId: string): Promise<CancelAnsweredFact | null> {
  const [answer] = await db.select().from(cancellationAnswers).where(eq(cancellationAnswers.id, answerId));
  if (!answer) return null;
  const [request] = await db.select().from(invoiceCancellations).where(eq(invoiceCancellations.id, answer.cancellationId));
  return request ? { answer: toRow(cancellationAnswers, answer), invoiceId: request.invoiceId } : null;
}
