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

// Every statement reads the run's facts from the batch central-ledger.ts staged once in
// pg_temp.pos_staged, by their seqs ($1): the batch crosses the wire and is parsed once, not once
// per table (parsing the JSON was most of what each statement cost).
const IN_RUN = 'b.seq = ANY($1::bigint[])';

// Sales central already holds: as ended they are left as they are (as replayCompletedSale leaves
// them); as carts (central keeps none of its own, so only an older central's) they are replaced whole.
const HELD = `SELECT id::text, status IN ('COMPLETED', 'VOIDED') AS ended FROM sales.sales WHERE id = ANY($1::uuid[])`;

// As putBackCart: each sale first as an open cart holding exactly its fact's lines (a completed
// sale's lines are final, so they go in before it completes).
const OPEN_CARTS = `INSERT INTO sales.sales
  SELECT s.* FROM pg_temp.pos_staged b, jsonb_populate_record(NULL::sales.sales, b.payload->'sale'
    || '{"status": "OPEN", "receipt_number": null, "completed_at": null, "business_date": null}'::jsonb) s
  WHERE ${IN_RUN} ON CONFLICT (id) DO NOTHING`;
const DROP_OTHER_LINES = `
UPDATE sales.sale_items i SET deleted_at = (b.payload->'sale'->>'completed_at')::timestamptz
FROM pg_temp.pos_staged b
WHERE ${IN_RUN} AND i.sale_id = (b.payload->'sale'->>'id')::uuid AND i.deleted_at IS NULL
  AND NOT (i.id = ANY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(b.payload->'items') x))`;
const LINES = `INSERT INTO sales.sale_items
  SELECT l.* FROM pg_temp.pos_staged b, jsonb_populate_recordset(NULL::sales.sale_items, b.payload->'items') l WHERE ${IN_RUN}
  ON CONFLICT (id) DO UPDATE SET ${set(columnsOf(saleItems))}`;

// As applyCompletedSale replaying: the register's counter never moves back, the sale completes
// with the fact's receipt number, its payments land once.
const SOLD = `(SELECT s.* FROM pg_temp.pos_staged b, jsonb_populate_record(NULL::sales.sales, b.payload->'sale') s WHERE ${IN_RUN})`;
const RECEIPT_COUNTER = `
UPDATE sales.cash_registers r SET last_receipt_number = GREATEST(r.last_receipt_number, x.n), version = r.version + 1
FROM (SELECT register_id, max(receipt_number) AS n FROM ${SOLD} s GROUP BY register_id) x
WHERE r.id = x.register_id`;
// A cart this run opened differs from its fact only in how it ended.
const COMPLETE_OPENED = `
UPDATE sales.sales s SET status = x.status, receipt_number = x.receipt_number, completed_at = x.completed_at, business_date = x.business_date
FROM ${SOLD} x
WHERE s.id = x.id AND s.status = 'OPEN'`;
const COMPLETE = `INSERT INTO sales.sales SELECT * FROM ${SOLD} x
  ON CONFLICT (id) DO UPDATE SET ${set(columnsOf(sales))} WHERE sales.sales.status IN ('OPEN', 'PARKED')`;
const PAYMENTS = `INSERT INTO payments.transactions
  SELECT p.* FROM pg_temp.pos_staged b, jsonb_populate_recordset(NULL::payments.transactions, b.payload->'payments') p WHERE ${IN_RUN}
  ON CONFLICT (idempotency_key) DO NOTHING`;
// Central's owner writes stock, after checking each movement against the lines just written.
const STOCK = `SELECT sync.apply_sales_stock(m) FROM (
  SELECT jsonb_agg(x.e ORDER BY b.seq, x.n) AS m
  FROM pg_temp.pos_staged b, jsonb_array_elements(b.payload->'stock') WITH ORDINALITY AS x(e, n) WHERE ${IN_RUN}) s
WHERE m IS NOT NULL`;

/** A run's fact as this module reads it: where it is in the staged batch, and the sale it completes. */
export type RunFact = { seq: number; payload: CompletedSaleFact };

/** Applies the run in the caller's transaction; throws what any statement refused (the caller rolls the run back). */
export async function applySaleRun(client: ClientBase, run: RunFact[]): Promise<void> {
  const held = (await client.query<{ id: string; ended: boolean }>(HELD, [run.map((f) => f.payload.sale.id)])).rows;
  const ended = new Set(held.filter((r) => r.ended).map((r) => r.id));
  const fresh = run.filter((f) => !ended.has(String(f.payload.sale.id))).map((f) => f.seq);
  if (fresh.length === 0) return;
  const carts = held.length > ended.size;
  await client.query(OPEN_CARTS, [fresh]);
  if (carts) await client.query(DROP_OTHER_LINES, [fresh]);
  await client.query(LINES, [fresh]);
  await client.query(RECEIPT_COUNTER, [fresh]);
  await client.query(carts ? COMPLETE : COMPLETE_OPENED, [fresh]);
  await client.query(PAYMENTS, [fresh]);
  await client.query(STOCK, [fresh]);
}
