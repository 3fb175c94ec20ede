// Motive 01: a stamped invoice to a customer replaced by a corrected one. The SAT takes the
// cancellation of the wrong CFDI only with the UUID of the one that replaces it, so the
// substitute comes first: written at once as PENDING for the same sale, related to the replaced
// one (TipoRelacion 04), taking its place as what covers the sale, with the cancellation of the
// replaced one asked for in the same transaction. The fiscal loop (or central's) stamps the
// substitute, then sends the cancellation with its UUID (cancel-pending.ts). Should the SAT refuse
// the substitute, the replaced invoice covers the sale again and the request is answered as
// refused (stamp-facts.ts).
import { and, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceCancellations, invoiceSales } from '#db/schema/billing.ts';
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { cancellationsOf } from './cancel-invoice.ts';
import { type CancelRequestedFact, cancelRequestedKey, INVOICE_CANCEL_REQUESTED, insertCancellation } from './cancellation-facts.ts';
import { localDay } from './credit-note-cfdi.ts';
import { INVOICE_REQUESTED, invoiceFactKey } from './invoice-facts.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { checkInvoiceReceiver, counterInvoiceFact, insertSaleInvoice, saleToInvoice } from './sale-invoice-fact.ts';
import { returnsToCredit } from './credit-note.ts';

type Input = CallInput<'invoices.substitute'>;
type Substituted = CallOutput<'invoices.substitute'>;

type Replaced = {
  id: string;
  kind: string;
  status: string;
  sale_id: string | null;
  register_id: string | null;
  fiscal_id: string | null;
  credit_notes: number;
};

export const substituteInvoice = (ctx: CallContext, input: Input): Promise<Substituted> =>
  ctx.services.writes(() => substitute(ctx, input));

async function answerOf(ctx: CallContext, invoiceId: string, cancellationId: string): Promise<Substituted> {
  const { sql } = ctx.services;
  const [invoice] = await invoiceStatesOf(sql, { invoiceId });
  const [cancellation] = await cancellationsOf(sql, { cancellationId });
  return { invoice: invoice!, cancellation: cancellation! };
}

async function substitute(ctx: CallContext, input: Input): Promise<Substituted> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  // The same key again: the substitute it made, or a refusal when it was for something else.
  const [earlier] = await sql.query<{ id: string; related_invoice_id: string | null; cancellation_id: string | null }>(
    `SELECT i.id, i.related_invoice_id, c.id AS cancellation_id FROM billing.invoices i
     LEFT JOIN billing.invoice_cancellations c ON c.substitute_invoice_id = i.id
     WHERE i.idempotency_key = $1`,
    [input.idempotencyKey],
  );
  if (earlier) {
    if (earlier.related_invoice_id !== input.invoiceId || !earlier.cancellation_id) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return answerOf(ctx, earlier.id, earlier.cancellation_id);
  }

  const [replaced] = await sql.query<Replaced>(
    `SELECT i.id, i.kind, i.status, i.sale_id, i.register_id, i.fiscal_id,
            (SELECT count(*)::int FROM billing.invoices n
             WHERE n.related_invoice_id = i.id AND n.kind = 'CREDIT_NOTE' AND n.status IN ('PENDING', 'ISSUED')) AS credit_notes
     FROM billing.invoices i WHERE i.id = $1 AND i.business_id = $2 AND i.deleted_at IS NULL`,
    [input.invoiceId, session.businessId],
  );
  if (!replaced) throw new EngineError('NOT_FOUND', 'no such invoice in this business');
  if (replaced.status !== 'ISSUED') {
    throw new EngineError('CONFLICT', `only a stamped invoice is replaced; this one is ${replaced.status}`, {
      reason: replaced.status === 'CANCELLED' ? 'ALREADY_CANCELLED' : 'NOT_STAMPED',
      status: replaced.status,
    });
  }
  if (replaced.kind !== 'INVOICE' || !replaced.sale_id) {
    throw new EngineError('INVALID_INPUT', 'only an invoice to a customer is replaced; a factura global is cancelled with motive 04', {
      reason: 'NOT_A_CUSTOMER_INVOICE',
      field: 'invoiceId',
    });
  }
  if (replaced.register_id !== terminal.registerId) {
    throw new EngineError('CONFLICT', 'this invoice was issued elsewhere; it is replaced where it was issued', {
      reason: 'ISSUED_ELSEWHERE',
    });
  }
  const [open] = await cancellationsOf(sql, { invoiceId: replaced.id });
  if (open && open.state !== 'REJECTED') {
    throw new EngineError('CONFLICT', 'a cancellation of this invoice is waiting for the authority', {
      reason: 'CANCELLATION_PENDING',
      state: open.state,
    });
  }
  if (replaced.credit_notes > 0) {
    // The SAT cancels no CFDI that a standing one relates to; once they are cancelled, the
    // substitute carries a credit note of its own for each of their returns.
    throw new EngineError('CONFLICT', 'this invoice has credit notes that relate to it; cancel them before replacing it', {
      reason: 'HAS_CREDIT_NOTES',
      creditNotes: replaced.credit_notes,
    });
  }

  const sale = await saleToInvoice(sql, replaced.sale_id, session.businessId);
  const now = ctx.services.now();
  checkInvoiceReceiver(input.receiver, localDay(now, sale.timezone));
  const built = await counterInvoiceFact(sql, {
    businessId: session.businessId,
    sale,
    registerId: terminal.registerId,
    receiver: input.receiver,
    idempotencyKey: input.idempotencyKey,
    by: session.employeeId,
    now,
  });
  const invoiceId = built.invoice.id as string;
  const live = await ctx.services.db
    .select()
    .from(invoiceSales)
    .where(and(eq(invoiceSales.invoiceId, replaced.id), eq(invoiceSales.saleId, sale.id), isNull(invoiceSales.deletedAt)));
  const fact = {
    ...built,
    invoice: { ...built.invoice, related_invoice_id: replaced.id },
    supersedes: live.map((l) => toRow(invoiceSales, { ...l, deletedAt: now })),
  };
  const cancellation: CancelRequestedFact = {
    cancellation: toRow(invoiceCancellations, {
      id: uuidv7(),
      invoiceId: replaced.id,
      motive: '01',
      substituteUuid: null,
      substituteInvoiceId: invoiceId,
      requestedBy: session.employeeId,
      reason: input.reason,
      idempotencyKey: `${input.idempotencyKey}:cancel`,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
    by: session.employeeId,
  };
  // The substitute is for the whole sale: the returns no document accounts for (their credit
  // notes, related to the replaced invoice, were cancelled first) get theirs with it.
  const returned = await returnsToCredit(sql, sale.id, terminal.registerId);
  const writer = { businessId: session.businessId, branchId: sale.branch_id, by: session.employeeId, now };
  const creditNotes = await sql.transaction(async (tx) => {
    const notes = await insertSaleInvoice(tx, fact, returned, writer);
    await insertCancellation(tx, cancellation);
    return notes;
  });
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  for (const note of creditNotes) journal.append(INVOICE_REQUESTED, invoiceFactKey(note.invoice.id as string), note);
  journal.append(INVOICE_CANCEL_REQUESTED, cancelRequestedKey(cancellation.cancellation.id as string), cancellation);
  return answerOf(ctx, invoiceId, cancellation.cancellation.id as string);
}
