// A credit note asked for by a manager for a return none accounts for while its sale stays
// covered: the note written with the return was refused by the SAT on its own (a CSD out of date,
// say, put right since), or the return reached the register before the document that covers its
// sale did. Written as the return would have written it (credit-note.ts), with the call's key.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { creditNoteFact, invoiceToCredit, returnsToCredit } from './credit-note.ts';
import { INVOICE_REQUESTED, insertInvoiceRows, invoiceFactKey } from './invoice-facts.ts';
import { invoiceStatesOf } from './invoice-state.ts';

type Input = CallInput<'invoices.creditReturn'>;
type InvoiceState = CallOutput<'invoices.creditReturn'>;

export const creditReturn = (ctx: CallContext, input: Input): Promise<InvoiceState> => ctx.services.writes(() => credit(ctx, input));

async function credit(ctx: CallContext, input: Input): Promise<InvoiceState> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  const [ret] = await sql.query<{ id: string; sale_id: string; branch_id: string }>(
    `SELECT r.id, r.sale_id, s.branch_id FROM sales.returns r JOIN sales.sales s ON s.id = r.sale_id
     WHERE r.id = $1 AND s.business_id = $2 AND r.deleted_at IS NULL`,
    [input.returnId, session.businessId],
  );
  if (!ret) throw new EngineError('NOT_FOUND', 'no such return in this business');

  // The same key again: the credit note it made, or a refusal when it was for something else.
  const [earlier] = await sql.query<{ id: string; kind: string; return_id: string | null }>(
    `SELECT i.id, i.kind, (SELECT l.return_id FROM billing.invoice_returns l WHERE l.invoice_id = i.id LIMIT 1) AS return_id
     FROM billing.invoices i WHERE i.idempotency_key = $1`,
    [input.idempotencyKey],
  );
  if (earlier) {
    if (earlier.kind !== 'CREDIT_NOTE' || earlier.return_id !== ret.id) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return (await invoiceStatesOf(sql, { invoiceId: earlier.id }))[0]!;
  }
  if (ret.branch_id !== terminal.branchId) {
    throw new EngineError('CONFLICT', 'a return of another branch is credited there', { reason: 'OTHER_BRANCH' });
  }

  const toCredit = (await returnsToCredit(sql, ret.sale_id, terminal.registerId)).find((r) => r.returnId === ret.id);
  if (!toCredit) {
    throw new EngineError('CONFLICT', 'a credit note or a factura global already accounts for this return', { reason: 'RETURN_CREDITED' });
  }
  const credited = await invoiceToCredit(sql, ret.sale_id);
  if (!credited) {
    throw new EngineError('CONFLICT', 'the sale of this return is in no invoice: the factura global of its period nets it', {
      reason: 'SALE_NOT_INVOICED',
    });
  }
  const writer = { businessId: session.businessId, branchId: ret.branch_id, by: session.employeeId, now: ctx.services.now() };
  const fact = await creditNoteFact(sql, credited, toCredit, writer, input.idempotencyKey);
  await sql.transaction((tx) => insertInvoiceRows(tx, fact));
  const invoiceId = fact.invoice.id as string;
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  return (await invoiceStatesOf(sql, { invoiceId }))[0]!;
}
