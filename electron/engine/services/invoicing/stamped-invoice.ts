// An invoice of this business read for its printed representation (on the register's printer or
// as a PDF): the stamped XML the PAC sent back, what the SAT holds, not the sale as it is now. An
// invoice with no stamp has nothing to show, and the refusal names why by its state.
import type { SqlSession } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';

export type StampedInvoice = {
  id: string;
  status: 'ISSUED' | 'CANCELLED';
  saleId: string | null;
  series: string;
  folio: string;
  xml: string;
};

type InvoiceRow = { id: string; status: string; sale_id: string | null; series: string; folio: string; xml: string | null };

/** Why an invoice has no printed representation, by its state: the cashier's message names it. */
const NOT_PRINTABLE: Record<string, { reason: string; message: string }> = {
  PENDING: { reason: 'INVOICE_NOT_STAMPED', message: 'this invoice is not stamped yet: it has no folio fiscal to print' },
  REJECTED: { reason: 'INVOICE_REJECTED', message: 'the SAT rejected this invoice: there is no CFDI to print' },
  CANCELLED: { reason: 'INVOICE_CANCELLED', message: 'this invoice was cancelled before the SAT: it is not printed as valid' },
};

/**
 * The stamped invoice `invoiceId` of `businessId`. A CANCELLED one is refused unless the caller
 * marks it so (`cancelled: 'marked'`): a copy that could pass for a valid CFDI is never made.
 */
export async function stampedInvoice(
  sql: SqlSession,
  q: { invoiceId: string; businessId: string; cancelled: 'refused' | 'marked' },
): Promise<StampedInvoice> {
  const [invoice] = await sql.query<InvoiceRow>(
    `SELECT id, status, sale_id, series, folio::text AS folio, fiscal_data->>'xml' AS xml FROM billing.invoices
     WHERE id = $1 AND business_id = $2 AND deleted_at IS NULL`,
    [q.invoiceId, q.businessId],
  );
  if (!invoice) throw new EngineError('NOT_FOUND', 'no invoice with that id in this business', { what: 'invoice', id: q.invoiceId });
  const named = { series: invoice.series, folio: Number(invoice.folio) };
  const refusal = invoice.status === 'CANCELLED' && q.cancelled === 'marked' ? undefined : NOT_PRINTABLE[invoice.status];
  if (refusal) throw new EngineError('CONFLICT', refusal.message, { reason: refusal.reason, status: invoice.status, ...named });
  if (!invoice.xml) {
    throw new EngineError('CONFLICT', 'the stamped XML of this invoice is not on this register', {
      reason: 'INVOICE_XML_MISSING',
      ...named,
    });
  }
  return {
    id: invoice.id,
    status: invoice.status as StampedInvoice['status'],
    saleId: invoice.sale_id,
    series: invoice.series,
    folio: invoice.folio,
    xml: invoice.xml,
  };
}
