// The credit notes central writes for returns a register could not credit itself: the return was
// made before the register knew of the document that covers its sale (a factura global central
// issued, or an invoice a customer asked for on central's page, not pulled yet because the
// register was offline or between pulls). The register wrote no credit note, so nothing would
// ever give back what the document charged for what came back.
//
// A register writes a return's credit note in the journal fact right after the return's. So once
// central holds the fact after a return's, and no credit note accounts for the return (none was
// written, or the one written went with a document that was refused or cancelled: an invoice the
// register wrote offline for a sale central had put in a global, say), central writes it, in its
// own series (NC-A-CENTRAL, which only this pass numbers, under the business's fiscal lock), and
// the register pulls it with the return's link. A credit note the SAT refused on its own, or a
// manager cancelled, is left alone: a person looks at it (invoices.creditReturn), not a schedule.
import type { SqlDatabase } from '#db/sql-session.ts';
import { RETURN_RECORDED } from '#engine/services/sales/returns.ts';
import { creditNoteFact, invoiceToCredit, returnsToCredit } from '#engine/services/invoicing/credit-note.ts';
import { insertInvoiceRows } from '#engine/services/invoicing/invoice-facts.ts';

/** The code central's credit notes are numbered under: NC-{profile series}-CENTRAL. */
export const CENTRAL_CREDIT_NOTE_CODE = 'CENTRAL';

export type CentralCreditNote = { invoiceId: string; returnId: string; series: string; folio: number };

export async function creditUncoveredReturns(sql: SqlDatabase, opts: { businessId: string; now: Date }): Promise<CentralCreditNote[]> {
  // g is the return's fact (keyed as returnFactKey says, found by ledger_return_facts_idx), n the
  // register's next one: with it here, whatever credit note the register wrote is here too.
  const returns = await sql.query<{ return_id: string; sale_id: string; branch_id: string }>(
    `SELECT r.id AS return_id, r.sale_id, s.branch_id
     FROM sales.returns r JOIN sales.sales s ON s.id = r.sale_id
       JOIN sync.ledger g ON g.register_id = r.register_id AND g.kind = $2 AND g.idempotency_key = 'return:' || r.id::text
     WHERE s.business_id = $1 AND r.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM sync.ledger n WHERE n.register_id = g.register_id AND n.seq = g.seq + 1)
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_returns l WHERE l.return_id = r.id AND l.deleted_at IS NULL)
       -- Every credit note it had went with the document it corrected; one the SAT refused on its
       -- own, or a manager cancelled, is a person's to look at.
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_returns l JOIN billing.invoices c ON c.id = l.invoice_id
                         LEFT JOIN billing.invoices d ON d.id = c.related_invoice_id
                       WHERE l.return_id = r.id AND c.kind = 'CREDIT_NOTE'
                         AND NOT (c.status = 'REJECTED' AND d.status IN ('REJECTED', 'CANCELLED')))
       AND EXISTS (SELECT 1 FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
                   WHERE l.sale_id = r.sale_id AND l.deleted_at IS NULL
                     AND i.kind IN ('INVOICE', 'GLOBAL') AND i.status IN ('PENDING', 'ISSUED'))
     ORDER BY r.occurred_at, r.id`,
    [opts.businessId, RETURN_RECORDED],
  );
  const written: CentralCreditNote[] = [];
  for (const ret of returns) {
    const note = await sql.transaction(async (tx) => {
      const credited = await invoiceToCredit(tx, ret.sale_id);
      const toCredit = (await returnsToCredit(tx, ret.sale_id, null)).find((r) => r.returnId === ret.return_id);
      if (!credited || !toCredit) return null;
      const fact = await creditNoteFact(tx, credited, toCredit, {
        businessId: opts.businessId,
        branchId: ret.branch_id,
        by: null,
        now: opts.now,
        seriesCode: CENTRAL_CREDIT_NOTE_CODE,
      });
      await insertInvoiceRows(tx, fact);
      return {
        invoiceId: fact.invoice.id as string,
        returnId: ret.return_id,
        series: fact.invoice.series as string,
        folio: fact.invoice.folio as number,
      };
    });
    if (note) written.push(note);
  }
  return written;
}
