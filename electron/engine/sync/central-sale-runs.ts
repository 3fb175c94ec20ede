// Most of what a register pushes is completed sales paid in plain tenders. A run of them is
// applied at central as a set: each table written by one statement for the whole run, from the
// run's rows staged beside the batch (sale-run-staging.ts), instead of a dozen round trips per
// sale. Row-level security, the tables' triggers and central's checks refuse exactly what they
// refuse one sale at a time: any refusal fails the whole statement, and central-ledger.ts splits
// the run until the fact at fault stands alone and takes the one-fact path with its own reason.
//
// A sale that also moves stored value, sells or spends a gift card, or names a card charge is
// not "plain": those go one at a time through CENTRAL_APPLY, which orders their balance and
// charge writes against each other.
import type { ClientBase } from 'pg';
import type { JsonRow } from '#db/row-json.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { RUN_LINES, RUN_PAYMENTS, RUN_ROWS, RUN_SALES, stockOf, type RunTable, type SaleRunRows } from './sale-run-staging.ts';

const isRow = (v: unknown): v is JsonRow => typeof v === 'object' && v !== null && !Array.isArray(v);
const rows = (v: unknown): v is JsonRow[] => Array.isArray(v) && v.every(isRow);
const none = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** A completed sale this module may apply with others: its shape read, nothing it cannot do as a set. */
export function isPlainSale(kind: string, payload: unknown): payload is CompletedSaleFact {
  if (kind !== SALE_COMPLETED || !isRow(payload)) return false;
  const p = payload as Partial<CompletedSaleFact>;
  return isRow(p.sale) && rows(p.items) && rows(p.payments) && rows(p.stock) && none(p.balance) && none(p.giftCards) && none(p.charges);
}

// The run's rows, staged beside the batch as text (sale-run-staging.ts), are read by their seqs
// ($1) and cast to their columns' types here, so a value a column refuses fails the statement.
const IN_RUN = 'b.seq = ANY($1::bigint[])';
const rowsOf = (t: RunTable) => `pg_temp.${RUN_ROWS} b WHERE b.kind = '${t.kind}' AND ${IN_RUN}`;
const names = (t: RunTable) => t.columns.map((c) => c.name).join(', ');
const typed = (t: RunTable, column: string) => `b.${column}::${t.columns.find((c) => c.name === column)!.type}`;
const cast = (t: RunTable, instead: Record<string, string> = {}) =>
  t.columns.map((c) => instead[c.name] ?? `b.${c.name}::${c.type}`).join(', ');
const set = (t: RunTable) =>
  t.columns
    .filter((c) => c.name !== 'id' && c.name !== 'created_at')
    .map((c) => `${c.name} = EXCLUDED.${c.name}`)
    .join(', ');

// Sales central already holds: as ended they are left as they are (as replayCompletedSale leaves
// them); as carts (central keeps none of its own, so only an older central's) they are replaced whole.
const HELD = `SELECT id::text, status IN ('COMPLETED', 'VOIDED') AS ended FROM sales.sales WHERE id = ANY($1::uuid[])`;

// As putBackCart: each sale first as an open cart holding exactly its fact's lines (a completed
// sale's lines are final, so they go in before it completes).
const OPEN_CARTS = `INSERT INTO sales.sales (${names(RUN_SALES)})
  SELECT ${cast(RUN_SALES, { status: `'OPEN'`, receipt_number: 'NULL', completed_at: 'NULL', business_date: 'NULL' })}
  FROM ${rowsOf(RUN_SALES)} ON CONFLICT (id) DO NOTHING`;
const DROP_OTHER_LINES = `
UPDATE sales.sale_items i SET deleted_at = ${typed(RUN_SALES, 'completed_at')}
FROM ${rowsOf(RUN_SALES)} AND i.sale_id = ${typed(RUN_SALES, 'id')} AND i.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_temp.${RUN_ROWS} l WHERE l.kind = '${RUN_LINES.kind}' AND l.seq = b.seq AND l.id::uuid = i.id)`;
const LINES = `INSERT INTO sales.sale_items (${names(RUN_LINES)})
  SELECT ${cast(RUN_LINES)} FROM ${rowsOf(RUN_LINES)}
  ON CONFLICT (id) DO UPDATE SET ${set(RUN_LINES)}`;

// As applyCompletedSale replaying: the register's counter never moves back, the sale completes
// with the fact's receipt number, its payments land once.
const RECEIPT_COUNTER = `
UPDATE sales.cash_registers r SET last_receipt_number = GREATEST(r.last_receipt_number, x.n), version = r.version + 1
FROM (SELECT ${typed(RUN_SALES, 'register_id')} AS register_id, max(${typed(RUN_SALES, 'receipt_number')}) AS n
  FROM ${rowsOf(RUN_SALES)} GROUP BY 1) x
WHERE r.id = x.register_id`;
// A cart this run opened differs from its fact only in how it ended. Found by its key, as an
// upsert finds it, not by a join of the staged rows with central's sales: a join is planned from
// statistics that know nothing of the carts this transaction just opened, and was once planned
// as every open sale against every staged row (670 ms for 1,000 sales instead of 55).
const COMPLETE_OPENED = `INSERT INTO sales.sales (${names(RUN_SALES)}) SELECT ${cast(RUN_SALES)} FROM ${rowsOf(RUN_SALES)}
  ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, receipt_number = EXCLUDED.receipt_number,
    completed_at = EXCLUDED.completed_at, business_date = EXCLUDED.business_date
  WHERE sales.sales.status = 'OPEN'`;
const COMPLETE = `INSERT INTO sales.sales (${names(RUN_SALES)}) SELECT ${cast(RUN_SALES)} FROM ${rowsOf(RUN_SALES)}
  ON CONFLICT (id) DO UPDATE SET ${set(RUN_SALES)} WHERE sales.sales.status IN ('OPEN', 'PARKED')`;
const PAYMENTS = `INSERT INTO payments.transactions (${names(RUN_PAYMENTS)})
  SELECT ${cast(RUN_PAYMENTS)} FROM ${rowsOf(RUN_PAYMENTS)}
  ON CONFLICT (idempotency_key) DO NOTHING`;
// Central's owner writes stock, after checking each movement against the lines just written.
const STOCK = `SELECT sync.apply_sales_stock($1::jsonb)`;

/** A run's fact as this module reads it: where it is in the staged batch, the sale it completes, and its staged rows. */
export type RunFact = { seq: number; payload: CompletedSaleFact; rows: SaleRunRows };

/** Applies the run in the caller's transaction; throws what any statement refused (the caller rolls the run back). */
export async function applySaleRun(client: ClientBase, run: RunFact[]): Promise<void> {
  const held = (await client.query<{ id: string; ended: boolean }>(HELD, [run.map((f) => f.payload.sale.id)])).rows;
  const ended = new Set(held.filter((r) => r.ended).map((r) => r.id));
  const fresh = run.filter((f) => !ended.has(String(f.payload.sale.id)));
  if (fresh.length === 0) return;
  const seqs = fresh.map((f) => f.seq);
  const carts = held.length > ended.size;
  await client.query(OPEN_CARTS, [seqs]);
  if (carts) await client.query(DROP_OTHER_LINES, [seqs]);
  await client.query(LINES, [seqs]);
  await client.query(RECEIPT_COUNTER, [seqs]);
  await client.query(carts ? COMPLETE : COMPLETE_OPENED, [seqs]);
  await client.query(PAYMENTS, [seqs]);
  const stock = stockOf(fresh.map((f) => f.rows));
  if (stock !== '[]') await client.query(STOCK, [stock]);
}
