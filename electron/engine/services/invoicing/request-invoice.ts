// A CFDI for one sale, asked for at the counter: checked, built and written at once as PENDING
// (a sale never waits for the PAC), with the link that marks the sale as invoiced, and journaled;
// with it, a credit note for each return of the sale made before that no document accounts for.
// The document is built here, with the same builder the stamping uses, so anything the SAT
// would refuse in the sale or the customer's data is said now, to the cashier, not days later.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { fechaLocal } from '#engine/fiscal/mx/cfdi-build.ts';
import type { PartySnapshot } from '#db/schema/billing.ts';
import { localDay } from './credit-note-cfdi.ts';
import { returnsToCredit } from './credit-note.ts';
import { INVOICE_REQUESTED, invoiceFactKey } from './invoice-facts.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import {
  checkInvoiceReceiver,
  counterInvoiceFact,
  insertSaleInvoice,
  refuseIfCovered,
  requirePaid,
  saleToInvoice,
} from './sale-invoice-fact.ts';

type Input = CallInput<'invoices.request'>;
type InvoiceState = CallOutput<'invoices.request'>;

/**
 * One request at a time, checks and writes alike: two cashiers asking for the same sale's
 * invoice at once get one invoice and one refusal (the live link's unique index holds regardless).
 */
export const requestInvoice = (ctx: CallContext, input: Input): Promise<InvoiceState> => ctx.services.writes(() => request(ctx, input));

async function request(ctx: CallContext, input: Input): Promise<InvoiceState> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  // The same key again: the invoice it made, or a refusal when it was for something else.
  const [earlier] = await sql.query<{ id: string; sale_id: string | null; receiver: PartySnapshot }>(
    'SELECT id, sale_id, receiver FROM billing.invoices WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (earlier) {
    if (earlier.sale_id !== input.saleId || earlier.receiver.taxId !== input.receiver.rfc) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return (await invoiceStatesOf(sql, { invoiceId: earlier.id }))[0]!;
  }

  const sale = await saleToInvoice(sql, input.saleId, session.businessId);
  requirePaid(sale);
  if (sale.branch_id !== terminal.branchId) {
    throw new EngineError('CONFLICT', 'a sale of another branch is invoiced there', { reason: 'OTHER_BRANCH' });
  }
  // Said first: whatever else is wrong, a sale already covered is not invoiced again.
  await refuseIfCovered(sql, sale.id);
  const now = ctx.services.now();
  // Individual invoices are for sales of the month they are asked in: the month before went
  // into its factura global. Months are the branch's, not UTC's.
  const month = (at: Date) => fechaLocal(at, sale.timezone).slice(0, 7);
  if (month(sale.completed_at!) !== month(now)) {
    throw new EngineError('CONFLICT', 'a sale of an earlier month is in that month’s factura global', {
      reason: 'OTHER_MONTH',
      saleMonth: month(sale.completed_at!),
    });
  }
  checkInvoiceReceiver(input.receiver, localDay(now, sale.timezone));

  const fact = await counterInvoiceFact(sql, {
    businessId: session.businessId,
    sale,
    registerId: terminal.registerId,
    receiver: input.receiver,
    idempotencyKey: input.idempotencyKey,
    by: session.employeeId,
    now,
  });
  const invoiceId = fact.invoice.id as string;
  // The invoice is for the whole sale: what was given back of it before, and no document
  // accounts for, gets its credit note now, written with the invoice (it waits for its UUID).
  const returned = await returnsToCredit(sql, sale.id, terminal.registerId);
  const writer = { businessId: session.businessId, branchId: sale.branch_id, by: session.employeeId, now };
  const creditNotes = await sql.transaction((tx) => insertSaleInvoice(tx, fact, returned, writer));
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  for (const note of creditNotes) journal.append(INVOICE_REQUESTED, invoiceFactKey(note.invoice.id as string), note);
  return (await invoiceStatesOf(sql, { invoiceId }))[0]!;
}
