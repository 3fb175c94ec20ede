// The X report (any time) and the Z report (at close) of one shift, read from the ledgers:
// tenders, taxes, discounts, voids, returns, cash movements and what the drawer should hold.
import type { SqlSession } from '#db/sql-session.ts';
import type { ShiftReport } from '#contract/report-document.ts';
import { type CardRefundRow, type CardTenderRow, cardTerminalTotals } from './card-totals.ts';
import { expectedCash } from './cash-count.ts';

const Z = '0.0000';

export async function shiftReport(sql: SqlSession, shiftId: string): Promise<ShiftReport> {
  const [shift] = await sql.query<{ id: string; register_id: string; business_date: string; opened_at: Date; opening_float: string }>(
    `SELECT id, register_id, business_date::text, opened_at, opening_float::text FROM sales.shifts WHERE id = $1`,
    [shiftId],
  );
  if (!shift) throw new Error(`no shift ${shiftId}`);
  const [sales] = await sql.query<{ count: number; subtotal: string; discounts: string; tax: string; total: string; rounding: string }>(
    `SELECT count(*)::int AS count, coalesce(sum(subtotal), 0)::numeric(19,4)::text AS subtotal,
            coalesce(sum(discount_total), 0)::numeric(19,4)::text AS discounts, coalesce(sum(tax_total), 0)::numeric(19,4)::text AS tax,
            coalesce(sum(total), 0)::numeric(19,4)::text AS total, coalesce(sum(rounding), 0)::numeric(19,4)::text AS rounding
     FROM sales.sales WHERE shift_id = $1 AND status = 'COMPLETED'`,
    [shiftId],
  );
  const tenders = await sql.query<ShiftReport['tenders'][number]>(
    `SELECT m.name AS method, m.kind, coalesce(t.count, 0)::int AS count, coalesce(t.amount, 0)::numeric(19,4)::text AS amount,
            coalesce(r.amount, 0)::numeric(19,4)::text AS refunded
     FROM payments.payment_methods m
     LEFT JOIN (SELECT payment_method_id, count(*) AS count, sum(amount) AS amount FROM payments.transactions
                WHERE shift_id = $1 AND status = 'CONFIRMED' GROUP BY payment_method_id) t ON t.payment_method_id = m.id
     LEFT JOIN (SELECT payment_method_id, sum(amount) AS amount FROM payments.refunds
                WHERE shift_id = $1 AND status = 'CONFIRMED' GROUP BY payment_method_id) r ON r.payment_method_id = m.id
     WHERE t.amount IS NOT NULL OR r.amount IS NOT NULL
     ORDER BY m.sort_order, m.code`,
    [shiftId],
  );
  // A terminal charge's tender names its terminal in provider_data; the charge's row says it too.
  const cardTenders = await sql.query<CardTenderRow>(
    `SELECT coalesce(t.provider, c.provider) AS provider, coalesce(t.provider_data->>'terminalId', c.terminal_id) AS "terminalId",
            t.amount::text AS amount
     FROM payments.transactions t JOIN payments.card_charges c ON c.id = t.card_charge_id
     WHERE t.shift_id = $1 AND t.status = 'CONFIRMED'`,
    [shiftId],
  );
  const cardRefunds = await sql.query<CardRefundRow>(
    `SELECT coalesce(t.provider, c.provider) AS provider, coalesce(t.provider_data->>'terminalId', c.terminal_id) AS "terminalId",
            r.amount::text AS amount
     FROM payments.refunds r JOIN payments.transactions t ON t.id = r.transaction_id
     JOIN payments.card_charges c ON c.id = t.card_charge_id
     WHERE r.shift_id = $1 AND r.status = 'CONFIRMED'`,
    [shiftId],
  );
  const taxes = await sql.query<ShiftReport['taxes'][number]>(
    `SELECT i.tax_code AS "taxCode", i.tax_rate::text AS rate, sum(i.subtotal)::numeric(19,4)::text AS base, sum(i.tax_amount)::numeric(19,4)::text AS amount
     FROM sales.sale_items i JOIN sales.sales s ON s.id = i.sale_id
     WHERE s.shift_id = $1 AND s.status = 'COMPLETED' AND i.deleted_at IS NULL
     GROUP BY i.tax_code, i.tax_rate ORDER BY i.tax_code, i.tax_rate`,
    [shiftId],
  );
  const [voids] = await sql.query<{ count: number; total: string }>(
    `SELECT count(*)::int AS count, coalesce(sum(total), 0)::numeric(19,4)::text AS total FROM sales.sales WHERE shift_id = $1 AND status = 'VOIDED'`,
    [shiftId],
  );
  const [returns] = await sql.query<{ count: number; total: string }>(
    `SELECT count(*)::int AS count, coalesce(sum(total), 0)::numeric(19,4)::text AS total FROM sales.returns WHERE shift_id = $1`,
    [shiftId],
  );
  const [cash] = await sql.query<{
    sales: string;
    refunds: string;
    pay_in: string;
    pay_out: string;
    drops: string;
    no_sale: number;
    pay_in_count: number;
    pay_out_count: number;
    drop_count: number;
  }>(
    `SELECT
       (SELECT coalesce(sum(t.amount), 0) FROM payments.transactions t JOIN payments.payment_methods m ON m.id = t.payment_method_id
         WHERE t.shift_id = $1 AND t.status = 'CONFIRMED' AND m.kind = 'CASH')::numeric(19,4)::text AS sales,
       (SELECT coalesce(sum(r.amount), 0) FROM payments.refunds r JOIN payments.payment_methods m ON m.id = r.payment_method_id
         WHERE r.shift_id = $1 AND r.status = 'CONFIRMED' AND m.kind = 'CASH')::numeric(19,4)::text AS refunds,
       (SELECT coalesce(sum(amount), 0) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'PAY_IN')::numeric(19,4)::text AS pay_in,
       (SELECT coalesce(sum(amount), 0) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'PAY_OUT')::numeric(19,4)::text AS pay_out,
       (SELECT coalesce(sum(amount), 0) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'DROP')::numeric(19,4)::text AS drops,
       (SELECT count(*) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'NO_SALE')::int AS no_sale,
       (SELECT count(*) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'PAY_IN')::int AS pay_in_count,
       (SELECT count(*) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'PAY_OUT')::int AS pay_out_count,
       (SELECT count(*) FROM sales.cash_movements WHERE shift_id = $1 AND kind = 'DROP')::int AS drop_count`,
    [shiftId],
  );
  const [receipts] = await sql.query<{ first: string | null; last: string | null }>(
    `SELECT min(receipt_number)::text AS first, max(receipt_number)::text AS last
     FROM sales.sales WHERE shift_id = $1 AND status = 'COMPLETED' AND receipt_number IS NOT NULL`,
    [shiftId],
  );
  const [parked] = await sql.query<{ count: number; total: string; oldest: Date | null }>(
    `SELECT count(*)::int AS count, coalesce(sum(total), 0)::numeric(19,4)::text AS total, min(updated_at) AS oldest
     FROM sales.sales WHERE register_id = $1 AND status = 'PARKED' AND deleted_at IS NULL`,
    [shift.register_id],
  );
  const c = cash!;
  return {
    shiftId,
    registerId: shift.register_id,
    businessDate: shift.business_date,
    openedAt: shift.opened_at.toISOString(),
    openingFloat: shift.opening_float,
    sales: sales ?? { count: 0, subtotal: Z, discounts: Z, tax: Z, total: Z, rounding: Z },
    tenders,
    cards: cardTerminalTotals(cardTenders, cardRefunds),
    taxes,
    voids: voids ?? { count: 0, total: Z },
    returns: returns ?? { count: 0, total: Z },
    cash: {
      sales: c.sales,
      refunds: c.refunds,
      payIns: c.pay_in,
      payOuts: c.pay_out,
      drops: c.drops,
      noSaleOpens: c.no_sale,
      payInCount: c.pay_in_count,
      payOutCount: c.pay_out_count,
      dropCount: c.drop_count,
      expected: expectedCash({
        openingFloat: shift.opening_float,
        cashSales: c.sales,
        cashRefunds: c.refunds,
        payIns: c.pay_in,
        payOuts: c.pay_out,
        drops: c.drops,
      }),
    },
    receipts: { first: receipts?.first ? Number(receipts.first) : null, last: receipts?.last ? Number(receipts.last) : null },
    parked: { count: parked?.count ?? 0, total: parked?.total ?? Z, oldestAt: parked?.oldest ? parked.oldest.toISOString() : null },
  };
}
