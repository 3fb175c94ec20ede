// Most of what a register pushes is completed sales paid in plain tenders. A run of them is
// applied at central as a set: each table written by one statement for the whole run, the run's
// rows handed over as one JSON parameter and unnested there, instead of a dozen round trips per
// sale. Row-level security, the tables' triggers and central's checks refuse exactly what they
// refuse one sale at a time: any refusal fails the whole statement, and central-ledger.ts splits
// the run until the fact at fault stands alone and takes the one-fact path with its own reason.
//
// A sale that also moves stored value, sells or spends a gift card, or names a card charge is
// not "plain": those go one at a time through CENTRAL_APPLY, which orders their balance and
// charge writes against each other.
import type { ClientBase } from 'pg';
import type { JsonRow } from '#db/row-json.ts';
import { columnsOf } from '#db/row-json.ts';
import { sales, saleItems } from '#db/schema/sales.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';

const isRow = (v: unknown): v is JsonRow => typeof v === 'object' && v !== null && !Array.isArray(v);
const rows = (v: unknown): v is JsonRow[] => Array.isArray(v) && v.every(isRow);
const none = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** A completed sale this module may apply with others: its shape read, nothing it cannot do as a set. */
export function isPlainSale(kind: string, payload: unknown): payload is CompletedSaleFact {
  if (kind !== SALE_COMPLETED || !isRow(payload)) return false;
  const p = payload as Partial<CompletedSaleFact>;
  return isRow(p.sale) && rows(p.items) && rows(p.payments) && rows(p.stock) && none(p.balance) && none(p.giftCards) && none(p.charges);
}

const set = (columns: string[]) =>
  columns
    .filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');

// Sales central already holds: as ended they are left as they are (as replayCompletedSale leaves
// them); as carts (central keeps none of its own, so only an older central's) they are replaced whole.
const HELD = `SELECT id::text, status IN ('COMPLETED', 'VOIDED') AS ended FROM sales.sales WHERE id = ANY($1::uuid[])`;

// As putBackCart: each sale first as an open cart holding exactly its fact's lines (a completed
// sale's lines are final, so they go in before it completes).
const OPEN_CARTS = `INSERT INTO sales.sales SELECT * FROM jsonb_populate_recordset(NULL::sales.sales, $1::jsonb) ON CONFLICT (id) DO NOTHING`;
const DROP_OTHER_LINES = `
UPDATE sales.sale_items i SET deleted_at = (s->>'completed_at')::timestamptz
FROM jsonb_array_elements($1::jsonb) s
WHERE i.sale_id = (s->>'id')::uuid AND i.deleted_at IS NULL
  AND NOT (i.id = ANY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(s->'items') x))`;
const LINES = `INSERT INTO sales.sale_items SELECT * FROM jsonb_populate_recordset(NULL::sales.sale_items, $1::jsonb)
  ON CONFLICT (id) DO UPDATE SET ${set(columnsOf(saleItems))}`;

// As applyCompletedSale replaying: the register's counter never moves back, the sale completes
// with the fact's receipt number, its payments land once.
const RECEIPT_COUNTER = `
UPDATE sales.cash_registers r SET last_receipt_number = GREATEST(r.last_receipt_number, x.n), version = r.version + 1
FROM (SELECT register_id, max(receipt_number) AS n FROM jsonb_populate_recordset(NULL::sales.sales, $1::jsonb) GROUP BY register_id) x
WHERE r.id = x.register_id`;
// A cart this run opened differs from its fact only in how it ended.
const COMPLETE_OPENED = `
UPDATE sales.sales s SET status = x.status, receipt_number = x.receipt_number, completed_at = x.completed_at, business_date = x.business_date
FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, receipt_number bigint, completed_at timestamptz, business_date date)
WHERE s.id = x.id AND s.status = 'OPEN'`;
const COMPLETE = `INSERT INTO sales.sales SELECT * FROM jsonb_populate_recordset(NULL::sales.sales, $1::jsonb)
  ON CONFLICT (id) DO UPDATE SET ${set(columnsOf(sales))} WHERE sales.sales.status IN ('OPEN', 'PARKED')`;
const PAYMENTS = `INSERT INTO payments.transactions SELECT * FROM jsonb_populate_recordset(NULL::payments.transactions, $1::jsonb)
  ON CONFLICT (idempotency_key) DO NOTHING`;
// Central's owner writes stock, after checking each movement against the lines just written.
const STOCK = 'SELECT sync.apply_sales_stock($1::jsonb)';

/** Applies the run in the caller's transaction; throws what any statement refused (the caller rolls the run back). */
export async function applySaleRun(client: ClientBase, run: CompletedSaleFact[]): Promise<void> {
  const held = (await client.query<{ id: string; ended: boolean }>(HELD, [run.map((f) => f.sale.id)])).rows;
  const ended = new Set(held.filter((r) => r.ended).map((r) => r.id));
  const fresh = run.filter((f) => !ended.has(String(f.sale.id)));
  if (fresh.length === 0) return;
  const carts = held.length > ended.size;
  const json = (v: unknown) => JSON.stringify(v);
  const opened = fresh.map((f) => ({ ...f.sale, status: 'OPEN', receipt_number: null, completed_at: null, business_date: null }));
  await client.query(OPEN_CARTS, [json(opened)]);
  if (carts)
    await client.query(DROP_OTHER_LINES, [json(fresh.map((f) => ({ id: f.sale.id, completed_at: f.sale.completed_at, items: f.items })))]);
  await client.query(LINES, [json(fresh.flatMap((f) => f.items))]);
  const sold = fresh.map((f) => f.sale);
  await client.query(RECEIPT_COUNTER, [json(sold.map(({ register_id, receipt_number }) => ({ register_id, receipt_number })))]);
  if (carts) await client.query(COMPLETE, [json(sold)]);
  else
    await client.query(COMPLETE_OPENED, [
      json(
        sold.map(({ id, status, receipt_number, completed_at, business_date }) => ({
          id,
          status,
          receipt_number,
          completed_at,
          business_date,
        })),
      ),
    ]);
  const payments = fresh.flatMap((f) => f.payments);
  if (payments.length > 0) await client.query(PAYMENTS, [json(payments)]);
  const stock = fresh.flatMap((f) => f.stock);
  if (stock.length > 0) await client.query(STOCK, [json(stock)]);
}
