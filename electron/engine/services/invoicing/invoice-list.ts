// The back office's list of this register's invoices, and of those central issued covering its
// sales (a factura global, a customer's own), newest first, a page at a time: each one's state
// and its receiver's régimen, código postal and uso del CFDI (from the receiver snapshot it was
// written with), with what the PAC said when the SAT refused it and the days a factura global
// covers, both read from fiscal_data where stamping and issuing left them, the latest
// cancellation asked for it with the authority's last answer (as cancellationsOf reads it, for
// the page at once), for a credit note the return and receipt it gives money back on and the
// invoice it corrects, and for a substitute (motive 01) the invoice it replaces.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { receiptCode } from '../sales/checkout.ts';
import type { CancellationView } from './cancel-invoice.ts';
import { INVOICE_STATE_COLUMNS, invoiceStateOf, type InvoiceStateRow } from './invoice-state.ts';
import { LATEST_ANSWER } from './cancellation-facts.ts';

type Input = CallInput<'invoices.list'>;
type InvoicePage = CallOutput<'invoices.list'>;

type ListRow = InvoiceStateRow & {
  receiverTaxRegime: string | null;
  receiverPostalCode: string | null;
  receiverCfdiUse: string | null;
  reasonCode: string | null;
  reasonMessage: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  cancelMotive: CancellationView['motive'] | null;
  cancelAt: Date | null;
  cancelState: CancellationView['state'] | null;
  cancelCode: string | null;
  cancelMessage: string | null;
  returnId: string | null;
  returnCreditable: boolean | null;
  returnNumber: string | null;
  returnRegister: string | null;
  returnReceipt: string | null;
  relatedSeries: string | null;
  relatedFolio: string | null;
  relatedFiscalId: string | null;
};

export async function listInvoices(ctx: CallContext, input: Input): Promise<InvoicePage> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  // One more than the page: whether there is a next page is known without counting.
  const rows = await ctx.services.sql.query<ListRow>(
    `SELECT ${INVOICE_STATE_COLUMNS},
            i.receiver->>'taxRegime' AS "receiverTaxRegime", i.receiver->>'postalCode' AS "receiverPostalCode",
            i.receiver->>'fiscalUse' AS "receiverCfdiUse",
            i.fiscal_data->>'code' AS "reasonCode", i.fiscal_data->>'message' AS "reasonMessage",
            i.fiscal_data->'global'->>'from' AS "periodFrom", i.fiscal_data->'global'->>'to' AS "periodTo",
            c.motive AS "cancelMotive", c.created_at AS "cancelAt",
            a.state AS "cancelState", a.code AS "cancelCode", a.message AS "cancelMessage",
            rt.return_id AS "returnId", rt.creditable AS "returnCreditable",
            rt.return_number::text AS "returnNumber", rt.register_code AS "returnRegister", rt.receipt_number::text AS "returnReceipt",
            o.series AS "relatedSeries", o.folio::text AS "relatedFolio", o.fiscal_id AS "relatedFiscalId"
     FROM billing.invoices i
     LEFT JOIN billing.invoices o ON o.id = i.related_invoice_id
     -- A credit note's one return, whether its link is live or was let go with a refusal.
     LEFT JOIN LATERAL (SELECT r.id AS return_id, r.return_number, s.receipt_number, g.code AS register_code,
                               -- Nothing accounts for the return now, while something covers its sale.
                               NOT EXISTS (SELECT 1 FROM billing.invoice_returns x WHERE x.return_id = r.id AND x.deleted_at IS NULL)
                               AND EXISTS (SELECT 1 FROM billing.invoice_sales y JOIN billing.invoices d ON d.id = y.invoice_id
                                           WHERE y.sale_id = r.sale_id AND y.deleted_at IS NULL AND d.status IN ('PENDING', 'ISSUED'))
                                 AS creditable
                        FROM billing.invoice_returns l
                          JOIN sales.returns r ON r.id = l.return_id JOIN sales.sales s ON s.id = r.sale_id
                          JOIN sales.cash_registers g ON g.id = s.register_id
                        WHERE l.invoice_id = i.id AND i.kind = 'CREDIT_NOTE' ORDER BY l.created_at LIMIT 1) rt ON true
     LEFT JOIN LATERAL (SELECT id, motive, created_at FROM billing.invoice_cancellations
                        WHERE invoice_id = i.id AND deleted_at IS NULL
                        ORDER BY created_at DESC, id DESC LIMIT 1) c ON true
     ${LATEST_ANSWER}
     WHERE i.business_id = $1 AND (i.register_id = $2 OR i.register_id IS NULL) AND i.deleted_at IS NULL
       AND ($3::text IS NULL OR i.status = $3::text)
       AND ($4::uuid IS NULL OR (i.created_at, i.id) < (SELECT a.created_at, a.id FROM billing.invoices a WHERE a.id = $4::uuid))
     ORDER BY i.created_at DESC, i.id DESC
     LIMIT $5`,
    [session.businessId, terminal.registerId, input.status ?? null, input.after ?? null, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(
      ({
        receiverTaxRegime,
        receiverPostalCode,
        receiverCfdiUse,
        reasonCode,
        reasonMessage,
        periodFrom,
        periodTo,
        cancelMotive,
        cancelAt,
        cancelState,
        cancelCode,
        cancelMessage,
        returnId,
        returnCreditable,
        returnNumber,
        returnRegister,
        returnReceipt,
        relatedSeries,
        relatedFolio,
        relatedFiscalId,
        ...state
      }) => ({
        ...invoiceStateOf(state),
        receiverTaxRegime,
        receiverPostalCode,
        receiverCfdiUse,
        reason: state.status === 'REJECTED' && reasonCode !== null ? { code: reasonCode, message: reasonMessage ?? '' } : null,
        period: state.kind === 'GLOBAL' && periodFrom !== null && periodTo !== null ? { from: periodFrom, to: periodTo } : null,
        cancellation:
          cancelMotive !== null && cancelAt !== null
            ? {
                motive: cancelMotive,
                // No answer yet: the request waits for the fiscal loop.
                state: cancelState ?? 'REQUESTED',
                code: cancelCode,
                message: cancelMessage,
                requestedAt: new Date(cancelAt).toISOString(),
              }
            : null,
        creditNote:
          state.kind === 'CREDIT_NOTE' && returnNumber !== null && relatedSeries !== null
            ? {
                returnId: returnId!,
                returnNumber: Number(returnNumber),
                receiptCode: receiptCode(returnRegister!, Number(returnReceipt)),
                corrects: { series: relatedSeries, folio: Number(relatedFolio), fiscalId: relatedFiscalId },
                creditable: state.status === 'REJECTED' && returnCreditable === true,
              }
            : null,
        replaces:
          state.kind === 'INVOICE' && relatedSeries !== null
            ? { series: relatedSeries, folio: Number(relatedFolio), fiscalId: relatedFiscalId }
            : null,
      }),
    ),
    next: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
