// A stamped invoice as files for the customer's e-mail, their accountant or an office printer:
// a PDF on letter or A4 paper, laid out from the stamped XML as the counter's printout is, and
// the stamped XML itself. A cancelled invoice's PDF is given too (a customer may ask what was
// cancelled) but says CANCELADO on every page; its XML, which cannot say so, is not.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { type CallContext, requireSession } from '#engine/call-context.ts';
import { cfdiPdf } from '#engine/fiscal/mx/cfdi-pdf.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { stampedInvoice } from './stamped-invoice.ts';

type Input = CallInput<'invoices.pdf'>;
type Pdf = CallOutput<'invoices.pdf'>;

/** A file name any system keeps: the series' letters and digits, then the folio. */
const fileNameOf = (series: string, folio: string, extension: 'pdf' | 'xml') =>
  `${series.replace(/[^A-Za-z0-9_-]/g, '_')}-${folio}.${extension}`;

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
  return { filename: fileNameOf(invoice.series, invoice.folio, 'pdf'), base64: pdf.toString('base64') };
}

export async function invoiceXml(ctx: CallContext, input: CallInput<'invoices.xml'>): Promise<CallOutput<'invoices.xml'>> {
  const session = requireSession(ctx);
  const invoice = await stampedInvoice(ctx.services.sql, {
    invoiceId: input.invoiceId,
    businessId: session.businessId,
    cancelled: 'refused',
  });
  await recordSessionAudit(ctx.services, session, {
    action: 'invoices.xml',
    outcome: 'SUCCESS',
    entityType: 'invoice',
    entityId: invoice.id,
    details: { status: invoice.status },
  });
  return { filename: fileNameOf(invoice.series, invoice.folio, 'xml'), xml: invoice.xml };
}
