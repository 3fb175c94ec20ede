// Asking for the cancellation of a stamped invoice: checked, written and journaled at once as a
// request; the authority is asked by the fiscal loop (cancel-pending.ts), outside any call. The
// invoice itself changes only when the authority accepts.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceCancellations } from '#db/schema/billing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import {
  type CancelRequestedFact,
  cancelRequestedKey,
  INVOICE_CANCEL_REQUESTED,
  insertCancellation,
  LATEST_ANSWER,
} from './cancellation-facts.ts';

type Input = CallInput<'invoices.cancel'>;
export type CancellationView = CallOutput<'invoices.cancel'>;

/** The latest request for each invoice named, with its latest answer. */
export async function cancellationsOf(
  sql: SqlSession,
  of: { invoiceId: string } | { cancellationId: string },
): Promise<CancellationView[]> {
  const rows = await sql.query<{
    id: string;
    invoice_id: string;
    motive: CancellationView['motive'];
    created_at: Date;
    state: CancellationView['state'] | null;
    code: string | null;
    message: string | null;
  }>(
    `SELECT c.id, c.invoice_id, c.motive, c.created_at, a.state, a.code, a.message
     FROM billing.invoice_cancellations c
     ${LATEST_ANSWER}
     WHERE ${'invoiceId' in of ? 'c.invoice_id' : 'c.id'} = $1 AND c.deleted_at IS NULL
     ORDER BY c.created_at DESC, c.id DESC`,
    ['invoiceId' in of ? of.invoiceId : of.cancellationId],
  );
  return rows.map((r) => ({
    id: r.id,
    invoiceId: r.invoice_id,
    motive: r.motive,
    state: r.state ?? 'REQUESTED',
    code: r.code,
    message: r.message,
    requestedAt: new Date(r.created_at).toISOString(),
  }));
}

export const cancelInvoice = (ctx: CallContext, input: Input): Promise<CancellationView> => ctx.services.writes(() => cancel(ctx, input));

async function cancel(ctx: CallContext, input: Input): Promise<CancellationView> {
  const session = requireSession(ctx);
  const { sql, journal } = ctx.services;

  const [earlier] = await sql.query<{ id: string; invoice_id: string; motive: string }>(
    'SELECT id, invoice_id, motive FROM billing.invoice_cancellations WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (earlier) {
    if (earlier.invoice_id !== input.invoiceId || earlier.motive !== input.motive) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another cancellation', { reason: 'KEY_REUSED' });
    }
    return (await cancellationsOf(sql, { cancellationId: earlier.id }))[0]!;
  }

  const [invoice] = await sql.query<{ id: string; kind: string; status: string; series: string; folio: string }>(
    'SELECT id, kind, status, series, folio::text AS folio FROM billing.invoices WHERE id = $1 AND business_id = $2 AND deleted_at IS NULL',
    [input.invoiceId, session.businessId],
  );
  if (!invoice) throw new EngineError('NOT_FOUND', 'no such invoice in this business');
  if (invoice.status !== 'ISSUED') {
    throw new EngineError('CONFLICT', `only a stamped invoice is cancelled; this one is ${invoice.status}`, {
      reason: invoice.status === 'CANCELLED' ? 'ALREADY_CANCELLED' : 'NOT_STAMPED',
      status: invoice.status,
    });
  }
  if (input.motive === '04' && invoice.kind !== 'GLOBAL') {
    throw new EngineError('INVALID_INPUT', 'motive 04 cancels a factura global, not an invoice to a customer', {
      reason: 'MOTIVE_FOR_GLOBAL',
      field: 'motive',
    });
  }
  const [open] = await cancellationsOf(sql, { invoiceId: invoice.id });
  if (open && open.state !== 'REJECTED') {
    throw new EngineError('CONFLICT', 'a cancellation of this invoice is waiting for the authority', {
      reason: 'CANCELLATION_PENDING',
      state: open.state,
    });
  }

  const now = ctx.services.now();
  const fact: CancelRequestedFact = {
    cancellation: toRow(invoiceCancellations, {
      id: uuidv7(),
      invoiceId: invoice.id,
      motive: input.motive,
      substituteUuid: null,
      requestedBy: session.employeeId,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
    by: session.employeeId,
  };
  await insertCancellation(sql, fact);
  journal.append(INVOICE_CANCEL_REQUESTED, cancelRequestedKey(fact.cancellation.id as string), fact);
  return (await cancellationsOf(sql, { cancellationId: fact.cancellation.id as string }))[0]!;
}
