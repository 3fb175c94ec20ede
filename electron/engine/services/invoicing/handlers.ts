// Invoices at the counter: asking for a sale's CFDI, and reading the state of its invoices.
import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { requestInvoice } from './request-invoice.ts';

export const invoicingHandlers = defineHandlers({
  'invoices.request': (input, ctx) => requestInvoice(ctx, input),

  async 'invoices.ofSale'(input, ctx) {
    const [sale] = await ctx.services.sql.query('SELECT id FROM sales.sales WHERE id = $1 AND business_id = $2', [
      input.saleId,
      requireSession(ctx).businessId,
    ]);
    if (!sale) throw new EngineError('NOT_FOUND', 'no such sale in this business');
    return invoiceStatesOf(ctx.services.sql, { saleId: input.saleId });
  },
});
