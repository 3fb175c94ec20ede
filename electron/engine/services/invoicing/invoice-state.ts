// The invoices of a sale as the counter shows them (its credit notes among them): kind, series and
// folio, the authority's state and the folio fiscal once stamped.
import type { SqlSession } from '#db/sql-session.ts';
import type { InvoiceState } from '#contract/calls/invoices.ts';

/** An invoice's state read from billing.invoices `i`, in the contract's names (the back office's list reads the same). */
export const INVOICE_STATE_COLUMNS = `i.id, i.kind, i.series, i.folio::text AS folio, i.status, i.receiver->>'taxId' AS "receiverRfc",
  i.receiver->>'legalName' AS "receiverName", i.total::text AS total, i.created_at AS "requestedAt", i.fiscal_id AS "fiscalId"`;

export type InvoiceStateRow = Omit<InvoiceState, 'folio' | 'requestedAt'> & { folio: string; requestedAt: Date | string };

/** The folio is a bigint (text from SQL), the instant a timestamp: both as the contract says them. */
export const invoiceStateOf = ({ folio, requestedAt, ...rest }: InvoiceStateRow): InvoiceState => ({
  ...rest,
  folio: Number(folio),
  requestedAt: new Date(requestedAt).toISOString(),
});

export async function invoiceStatesOf(sql: SqlSession, of: { invoiceId: string } | { saleId: string }): Promise<InvoiceState[]> {
  const rows = await sql.query<InvoiceStateRow>(
    `SELECT ${INVOICE_STATE_COLUMNS}
     FROM billing.invoices i
     WHERE ${
       'invoiceId' in of
         ? 'i.id = $1'
         : // Its credit notes name the sale too, with no link: the sale's one live link is its invoice's.
           `(i.id IN (SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1) OR (i.kind = 'CREDIT_NOTE' AND i.sale_id = $1))`
     }
     ORDER BY i.created_at DESC, i.id DESC`,
    ['invoiceId' in of ? of.invoiceId : of.saleId],
  );
  return rows.map(invoiceStateOf);
}
