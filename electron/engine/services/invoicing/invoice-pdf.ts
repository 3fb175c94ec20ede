// A stamped invoice as a PDF on letter or A4 paper, for the customer's e-mail or an office
// printer: laid out from the stamped XML, as the counter's printout is. A cancelled invoice is
// given too (a customer may ask what was cancelled) but says CANCELADO on every page.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { type CallContext, requireSession } from '#engine/call-context.ts';
import { cfdiPdf } from '#engine/fiscal/mx/cfdi-pdf.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { stampedInvoice } from './stamped-invoice.ts';

type Input = CallInput<'invoices.pdf'>;
type Pdf = CallOutput<'invoices.pdf'>;

/** A file name any system keeps: the series' letters and digits, then the folio. */
const fileNameOf = (series: string, folio: string) => `${series.replace(/[^A-Za-z0-9_-]/g, '_')}-${folio}.pdf`;

export async function invoicePdf(ctx: CallContext, input: Input): Promise<Pdf> {
  const session = requireSession(ctx);
  const invoice = await stampedInvoice(ctx.services.sql, {
    invoiceId: input.invoiceId,
    businessId: session.businessId,
    cancelled: 'marked',
  });
  const pdf = await cfdiPdf(invoice.xml, { paper: input.paper, cancelled: invoice.status === 'CANCELLED' });
  await recordSessionAudit(ctx.services, session, {
    action: 'invoices.pdf',
    outcome: 'SUCCESS',
    entityType: 'invoice',
    entityId: invoice.id,
    details: { paper: input.paper, status: invoice.status },
  });
  return { filename: fileNameOf(invoice.series, invoice.folio), base64: pdf.toString('base64') };
}
