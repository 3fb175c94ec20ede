// The open shift's sales as the history panel lists them: newest first, a page at a time, each
// with its cashier, item count, total, tenders and where it stands (returned, voided). A cashier
// without reports.shift sees only the sales they rang up; whoever prints X reports sees them all.
import { Decimal } from 'decimal.js';
import type { CallInput } from '#contract/calls.ts';
import type { HistoryRow } from '#contract/calls/sales-history.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { parseScannedCode } from '../catalog/scanned-code.ts';
import { receiptCode } from './checkout.ts';
import { historyStatus, receiptNumberAsked } from './history-status.ts';
import { findOpenShift, saleContext, type SaleContext } from './sale-context.ts';

type Tender = { saleId: string; kind: TenderKind; method: string; amount: string; change: string | null; cardLast4: string | null };

/** Only the caller's own sales unless they may see the whole shift's. */
const ownOnly = (sc: SaleContext) => (sc.session.permissions.has('reports.shift') ? null : sc.session.employeeId);

async function tendersOf(ctx: CallContext, saleIds: string[]): Promise<Tender[]> {
  if (saleIds.length === 0) return [];
  const rows = await ctx.services.sql.query<{
    sale_id: string;
    kind: TenderKind;
    name: string;
    amount: string;
    change_amount: string | null;
    card_last4: string | null;
  }>(
    `SELECT t.sale_id, m.kind, m.name, t.amount::text, t.change_amount::text, t.card_last4
     FROM payments.transactions t JOIN payments.payment_methods m ON m.id = t.payment_method_id
     WHERE t.sale_id = ANY($1::uuid[]) AND t.status = 'CONFIRMED' AND t.deleted_at IS NULL ORDER BY t.occurred_at, t.id`,
    [saleIds],
  );
  return rows.map((r) => ({
    saleId: r.sale_id,
    kind: r.kind,
    method: r.name,
    amount: r.amount,
    change: r.change_amount,
    cardLast4: r.card_last4,
  }));
}

export async function shiftHistory(ctx: CallContext, input: CallInput<'sales.history'>) {
  const sc = await saleContext(ctx);
  const shift = await findOpenShift(ctx.services.sql, sc.terminal.registerId);
  const empty = {
    shiftId: shift?.id ?? null,
    page: input.page,
    pageSize: input.pageSize,
    total: 0,
    pageCount: 0,
    sales: [] as HistoryRow[],
  };
  if (!shift) return empty;
  let receiptNumber: number | null = null;
  if (input.code !== undefined) {
    const typed = input.code.trim();
    const parsed = parseScannedCode(typed);
    const asked = receiptNumberAsked(parsed.ok ? parsed.value : null, typed, shift.registerCode);
    if (!asked)
      throw new EngineError('INVALID_INPUT', 'scan the receipt barcode or type the receipt number', {
        field: 'code',
        reason: 'NOT_A_RECEIPT',
      });
    if ('otherRegister' in asked) return empty;
    receiptNumber = asked.number;
  }
  const rows = await ctx.services.sql.query<{
    id: string;
    receipt_number: string | null;
    status: string;
    at: Date;
    total: string;
    employee_name: string;
    count: number;
  }>(
    `SELECT s.id, s.receipt_number::text, s.status, coalesce(s.completed_at, s.voided_at) AS at, s.total::text,
            e.display_name AS employee_name, count(*) OVER ()::int AS count
     FROM sales.sales s JOIN business.employees e ON e.id = s.employee_id
     WHERE s.shift_id = $1 AND s.status IN ('COMPLETED', 'VOIDED') AND s.deleted_at IS NULL
       AND ($2::uuid IS NULL OR s.employee_id = $2::uuid) AND ($3::bigint IS NULL OR s.receipt_number = $3::bigint)
     ORDER BY coalesce(s.completed_at, s.voided_at) DESC, s.id DESC LIMIT $4 OFFSET $5`,
    [shift.id, ownOnly(sc), receiptNumber, input.pageSize, (input.page - 1) * input.pageSize],
  );
  const ids = rows.map((r) => r.id);
  const amounts =
    ids.length === 0
      ? []
      : await ctx.services.sql.query<{ sale_id: string; items: string; sold: string; returned: string }>(
          `SELECT i.sale_id,
            sum(CASE WHEN i.is_weighed THEN 1 ELSE i.quantity END)::text AS items,
            sum(i.quantity)::text AS sold,
            coalesce(sum((SELECT sum(ri.quantity) FROM sales.return_items ri WHERE ri.sale_item_id = i.id AND ri.deleted_at IS NULL)), 0)::text AS returned
     FROM sales.sale_items i WHERE i.sale_id = ANY($1::uuid[]) AND i.deleted_at IS NULL GROUP BY i.sale_id`,
          [ids],
        );
  const tenders = await tendersOf(ctx, ids);
  // A count of units: whole pieces, and one for each weighed line.
  const items = (saleId: string) => new Decimal(amounts.find((a) => a.sale_id === saleId)?.items ?? '0').round().toNumber();
  const total = rows[0]?.count ?? 0;
  return {
    ...empty,
    total,
    pageCount: Math.ceil(total / input.pageSize),
    sales: rows.map((r): HistoryRow => {
      const a = amounts.find((x) => x.sale_id === r.id);
      const number = r.receipt_number === null ? null : Number(r.receipt_number);
      return {
        saleId: r.id,
        receiptNumber: number,
        receiptCode: number === null ? null : receiptCode(shift.registerCode, number),
        at: r.at.toISOString(),
        cashier: r.employee_name,
        items: items(r.id),
        total: r.total,
        tenders: tenders.filter((t) => t.saleId === r.id).map(({ saleId: _, ...t }) => t),
        status: historyStatus(r.status, a?.sold ?? '0', a?.returned ?? '0'),
      };
    }),
  };
}

/** One sale of the history: its lines with what came back of each, its tenders and its returns. */
export async function historySale(ctx: CallContext, saleId: string) {
  const sc = await saleContext(ctx);
  const { sql } = ctx.services;
  const own = ownOnly(sc);
  const [sale] = await sql.query<{
    id: string;
    receipt_number: string | null;
    status: string;
    at: Date | null;
    subtotal: string;
    discount_total: string;
    tax_total: string;
    total: string;
    change_total: string;
    employee_name: string;
    register_code: string;
    employee_id: string;
    void_reason: string | null;
  }>(
    `SELECT s.id, s.receipt_number::text, s.status, coalesce(s.completed_at, s.voided_at) AS at, s.subtotal::text, s.discount_total::text,
            s.tax_total::text, s.total::text, s.change_total::text, e.display_name AS employee_name, r.code AS register_code, s.employee_id, s.void_reason
     FROM sales.sales s JOIN business.employees e ON e.id = s.employee_id JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.id = $1 AND s.business_id = $2 AND s.status IN ('COMPLETED', 'VOIDED') AND s.deleted_at IS NULL`,
    [saleId, sc.terminal.businessId],
  );
  // Someone else's sale is as absent as one that does not exist, for whoever may only see their own.
  if (!sale || (own !== null && sale.employee_id !== own))
    throw new EngineError('NOT_FOUND', 'no completed or voided sale with that id', { what: 'sale', id: saleId });
  const lines = await sql.query<{
    id: string;
    line_no: number;
    name: string;
    sku: string;
    unit: string;
    is_weighed: boolean;
    quantity: string;
    unit_price: string;
    discount_amount: string;
    total: string;
    returned: string;
  }>(
    `SELECT i.id, i.line_no, i.name, i.sku, i.unit, i.is_weighed, i.quantity::text, i.unit_price::text, i.discount_amount::text, i.total::text,
            coalesce((SELECT sum(ri.quantity) FROM sales.return_items ri WHERE ri.sale_item_id = i.id AND ri.deleted_at IS NULL), 0)::text AS returned
     FROM sales.sale_items i WHERE i.sale_id = $1 AND i.deleted_at IS NULL ORDER BY i.line_no`,
    [saleId],
  );
  const returns = await sql.query<{ return_number: string; total: string; occurred_at: Date; reason: string }>(
    `SELECT return_number::text, total::text, occurred_at, reason FROM sales.returns WHERE sale_id = $1 AND deleted_at IS NULL ORDER BY return_number`,
    [saleId],
  );
  const number = sale.receipt_number === null ? null : Number(sale.receipt_number);
  const soldText = Decimal.sum(0, ...lines.map((l) => l.quantity)).toFixed();
  const returnedText = Decimal.sum(0, ...lines.map((l) => l.returned)).toFixed();
  return {
    saleId: sale.id,
    receiptNumber: number,
    receiptCode: number === null ? null : receiptCode(sale.register_code, number),
    at: sale.at?.toISOString() ?? null,
    cashier: sale.employee_name,
    status: historyStatus(sale.status, soldText, returnedText),
    subtotal: sale.subtotal,
    discountTotal: sale.discount_total,
    taxTotal: sale.tax_total,
    total: sale.total,
    change: sale.change_total,
    voidReason: sale.void_reason,
    lines: lines.map((l) => ({
      lineId: l.id,
      lineNo: l.line_no,
      name: l.name,
      sku: l.sku,
      unit: l.unit,
      isWeighed: l.is_weighed,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      discount: l.discount_amount,
      total: l.total,
      returned: l.returned,
    })),
    tenders: (await tendersOf(ctx, [saleId])).map(({ saleId: _, ...t }) => t),
    returns: returns.map((r) => ({
      returnNumber: Number(r.return_number),
      total: r.total,
      at: r.occurred_at.toISOString(),
      reason: r.reason,
    })),
  };
}
