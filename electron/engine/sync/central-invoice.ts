// An invoice a register wrote while central had already covered one of its sales: central issues
// the branch's factura global once a period is over, and a register that was offline (or had not
// pulled it yet) may still write an individual CFDI for a sale of that period. The two cannot both
// stand: the global is stamped or on its way to the SAT, and the links' unique index would refuse
// the register's fact, which would then sit aside with a database error and a PENDING invoice at
// the register forever. Central writes the register's invoice as it came but REJECTED, with the
// reason in the cashier's words, and its links already let go: the register's next pull shows it
// refused, and the sale stays covered by what covered it first.
import type { SqlDatabase } from '#db/sql-session.ts';
import { insertInvoiceRows, type InvoiceRequestedFact } from '../services/invoicing/invoice-facts.ts';

type Covering = { sale_id: string; kind: string; series: string; folio: string };

export async function applyInvoiceRequest(sql: SqlDatabase, fact: InvoiceRequestedFact): Promise<boolean> {
  const saleIds = fact.links.map((l) => l.sale_id as string);
  // Past row-level security (a global central issued is no register's): sync.covering_invoices
  // answers only for this register's business, and only which document covers each sale.
  const covering =
    saleIds.length === 0
      ? []
      : await sql.query<Covering>(
          'SELECT sale_id, kind, series, folio::text AS folio FROM sync.covering_invoices($1::uuid[], $2::uuid[])',
          [
            saleIds,
            // Its own links (a replay), and those a substitute takes the place of.
            [fact.invoice.id, ...(fact.supersedes ?? []).map((l) => l.invoice_id)],
          ],
        );
  if (covering.length === 0) return sql.transaction((tx) => insertInvoiceRows(tx, fact));
  const first = covering[0]!;
  const at = new Date().toISOString();
  const refused: InvoiceRequestedFact = {
    ...fact,
    invoice: {
      ...fact.invoice,
      status: 'REJECTED',
      fiscal_data: {
        ...((fact.invoice.fiscal_data as Record<string, unknown> | null) ?? {}),
        provider: null,
        attemptId: null,
        code: first.kind === 'GLOBAL' ? 'IN_GLOBAL_INVOICE' : 'ALREADY_INVOICED',
        message:
          first.kind === 'GLOBAL'
            ? `La venta ya estaba en la factura global ${first.series}-${first.folio} cuando llegó esta factura: no se timbra. La venta queda en la global.`
            : `La venta ya tenía la factura ${first.series}-${first.folio} cuando llegó esta: no se timbra.`,
      },
    },
    links: fact.links.map((l) => ({ ...l, deleted_at: at })),
    returns: (fact.returns ?? []).map((r) => ({ ...r, deleted_at: at })),
  };
  return sql.transaction((tx) => insertInvoiceRows(tx, refused));
}
