// The back office's list of this register's invoices, newest first, a page at a time: each one's
// state, with what the PAC said when the SAT refused it and the days a factura global covers,
// both read from fiscal_data where stamping and issuing left them.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { INVOICE_STATE_COLUMNS, invoiceStateOf, type InvoiceStateRow } from './invoice-state.ts';

type Input = CallInput<'invoices.list'>;
type InvoicePage = CallOutput<'invoices.list'>;

type ListRow = InvoiceStateRow & {
  reasonCode: string | null;
  reasonMessage: string | null;
  periodFrom: string | null;
  periodTo: string | null;
};

export async function listInvoices(ctx: CallContext, input: Input): Promise<InvoicePage> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  // One more than the page: whether there is a next page is known without counting.
  const rows = await ctx.services.sql.query<ListRow>(
    `SELECT ${INVOICE_STATE_COLUMNS},
            i.fiscal_data->>'code' AS "reasonCode", i.fiscal_data->>'message' AS "reasonMessage",
            i.fiscal_data->'global'->>'from' AS "periodFrom", i.fiscal_data->'global'->>'to' AS "periodTo"
     FROM billing.invoices i
     WHERE i.business_id = $1 AND i.register_id = $2 AND i.deleted_at IS NULL
       AND ($3::text IS NULL OR i.status = $3::text)
       AND ($4::uuid IS NULL OR (i.created_at, i.id) < (SELECT a.created_at, a.id FROM billing.invoices a WHERE a.id = $4::uuid))
     ORDER BY i.created_at DESC, i.id DESC
     LIMIT $5`,
    [session.businessId, terminal.registerId, input.status ?? null, input.after ?? null, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(({ reasonCode, reasonMessage, periodFrom, periodTo, ...state }) => ({
      ...invoiceStateOf(state),
      reason: state.status === 'REJECTED' && reasonCode !== null ? { code: reasonCode, message: reasonMessage ?? '' } : null,
      period: state.kind === 'GLOBAL' && periodFrom !== null && periodTo !== null ? { from: periodFrom, to: periodTo } : null,
    })),
    next: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
