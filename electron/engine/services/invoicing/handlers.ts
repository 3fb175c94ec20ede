// Invoices: asking for a sale's CFDI at the counter, reading the state of its invoices, printing
// a stamped one or making its PDF, the back office's list of the register's invoices, the factura
// global of a register that works alone, cancelling a stamped invoice or replacing it, and a
// credit note for a return none accounts for.
import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { cancelInvoice } from './cancel-invoice.ts';
import { creditReturn } from './credit-return.ts';
import { listInvoices } from './invoice-list.ts';
import { invoicePdf, invoiceXml } from './invoice-pdf.ts';
import { printInvoice } from './invoice-printout.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { issueGlobal } from './issue-global.ts';
import { requestInvoice } from './request-invoice.ts';
import { substituteInvoice } from './substitute-invoice.ts';

export const invoicingHandlers = defineHandlers({
  'invoices.request': (input, ctx) => requestInvoice(ctx, input),
  'invoices.issueGlobal': (input, ctx) => issueGlobal(ctx, input),
  'invoices.cancel': (input, ctx) => cancelInvoice(ctx, input),
  'invoices.substitute': (input, ctx) => substituteInvoice(ctx, input),
  'invoices.creditReturn': (input, ctx) => creditReturn(ctx, input),
  'invoices.list': (input, ctx) => listInvoices(ctx, input),
  'invoices.print': (input, ctx) => printInvoice(ctx, input),
  'invoices.pdf': (input, ctx) => invoicePdf(ctx, input),
  'invoices.xml': (input, ctx) => invoiceXml(ctx, input),

  async 'invoices.ofSale'(input, ctx) {
    const [sale] = await ctx.services.sql.query('SELECT id FROM sales.sales WHERE id = $1 AND business_id = $2', [
      input.saleId,
      requireSession(ctx).businessId,
    ]);
    if (!sale) throw new EngineError('NOT_FOUND', 'no such sale in this business');
    return invoiceStatesOf(ctx.services.sql, { saleId: input.saleId });
  },
});
