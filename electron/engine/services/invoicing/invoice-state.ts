// The invoices of a sale as the counter shows them: kind, series and folio, the authority's
// state and the folio fiscal once stamped.
import type { SqlSession } from '#db/sql-session.ts';
import type { InvoiceState } from '#contract/calls/invoices.ts';

export async function invoiceStatesOf(sql: SqlSession, of: { invoiceId: string } | { saleId: string }): Promise<InvoiceState[]> {
  const rows = await sql.query<InvoiceState & { folio: string; requestedAt: Date }>(
    `SELECT i.id, i.kind, i.series, i.folio::text AS folio, i.status, i.receiver->>'taxId' AS "receiverRfc",
            i.receiver->>'legalName' AS "receiverName", i.total::text AS total, i.created_at AS "requestedAt", i.fiscal_id AS "fiscalId"
     FROM billing.invoices i
     WHERE ${'invoiceId' in of ? 'i.id = $1' : 'i.id IN (SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1)'}
     ORDER BY i.created_at DESC, i.id DESC`,
    ['invoiceId' in of ? of.invoiceId : of.saleId],
  );
  return rows.map((r) => ({ ...r, folio: Number(r.folio), requestedAt: new Date(r.requestedAt).toISOString() }));
}
