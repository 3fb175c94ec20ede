// Start-up reconciliation between the journal (durable) and PGlite (fast, fsync off):
// facts the journal holds that PGlite lost are replayed; records PGlite completed whose
// journal append never happened (a crash between the two) are appended. A checkpoint in
// PGlite says up to which fact it is known to be complete, so a start replays only the tail.
import { and, eq, gte } from 'drizzle-orm';
import type { Journal } from '../../../db/journal.ts';
import { toRow } from '../../../db/row-json.ts';
import { cashMovements, returns, saleItems, sales, shifts } from '../../../db/schema/sales.ts';
import type { EngineServices } from '../services.ts';
import { readCompletedSale, SALE_COMPLETED, saleFactKey } from '../services/sales/completed-sale.ts';
import { readReturn, RETURN_RECORDED, returnFactKey } from '../services/sales/returns.ts';
import { SALE_VOIDED, voidFactKey } from '../services/sales/void-sale.ts';
import { CASH_MOVED, SHIFT_CLOSED, SHIFT_OPENED, shiftFactKey } from '../services/shifts/shift-facts.ts';
import type { SqlSession } from '../../../db/sql-session.ts';
import { REPLAYS } from './fact-replay.ts';
import { journalMissedStockMovements } from '../services/inventory/stock-facts.ts';

export type Reconciliation = { replayed: number; journaled: number; checked: number; ms: number };

/** Records from this long before the checkpoint are compared too: clocks and commits overlap. */
const OVERLAP_MS = 10 * 60_000;
const PAGE = 500;

export async function ensureCheckpointTable(sql: SqlSession): Promise<void> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS public.pos_journal_checkpoint (
    id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, recorded_at timestamptz NOT NULL)`);
}

async function readCheckpoint(sql: SqlSession): Promise<{ seq: number; recordedAt: Date | null }> {
  const [row] = await sql.query<{ seq: number; recorded_at: Date }>(`SELECT seq, recorded_at FROM public.pos_journal_checkpoint WHERE id = 1`);
  return row ? { seq: Number(row.seq), recordedAt: row.recorded_at } : { seq: 0, recordedAt: null };
}

/** PGlite holds every fact up to the journal's head: written after the facts' own commits. */
export async function writeCheckpoint(sql: SqlSession, journal: Journal): Promise<void> {
  const head = journal.head();
  if (head.seq === 0) return;
  const fact = journal.after(head.seq - 1, 1)[0]!;
  await sql.query(`INSERT INTO public.pos_journal_checkpoint (id, seq, recorded_at) VALUES (1, $1, $2)
    ON CONFLICT (id) DO UPDATE SET seq = GREATEST(pos_journal_checkpoint.seq, EXCLUDED.seq), recorded_at = EXCLUDED.recorded_at`,
  [head.seq, fact.recordedAt]);
}

export async function reconcile(services: Pick<EngineServices, 'db' | 'sql' | 'journal'>): Promise<Reconciliation> {
  const started = performance.now();
  const { sql, journal } = services;
  await ensureCheckpointTable(sql);
  const checkpoint = await readCheckpoint(sql);
  let replayed = 0;
  let checked = 0;
  for (let after = checkpoint.seq; ;) {
    const facts = journal.after(after, PAGE);
    if (facts.length === 0) break;
    for (const fact of facts) {
      const replay = REPLAYS[fact.kind];
      if (!replay) throw new Error(`journal fact ${fact.seq} has a kind this version cannot replay: ${fact.kind}`);
      if (await replay(sql, fact.payload as never)) replayed++;
      checked++;
    }
    after = facts[facts.length - 1]!.seq;
  }
  const since = checkpoint.recordedAt ? new Date(checkpoint.recordedAt.getTime() - OVERLAP_MS) : new Date(0);
  const journaled = await journalWhatPgliteAdded(services, since);
  await writeCheckpoint(sql, journal);
  return { replayed, journaled, checked, ms: performance.now() - started };
}

async function journalWhatPgliteAdded({ db, journal }: Pick<EngineServices, 'db' | 'journal'>, since: Date): Promise<number> {
  let appended = 0;
  const add = (kind: string, key: string, payload: () => Promise<unknown> | unknown) => async () => {
    if (journal.find(key)) return;
    const value = await payload();
    if (value === null) return;
    journal.append(kind, key, value);
    appended++;
  };
  // Dependency order: a shift before its sales, sales before their returns, the close last.
  for (const s of await db.select().from(shifts).where(gte(shifts.openedAt, since))) {
    await add(SHIFT_OPENED, shiftFactKey(s.id, 'opened'), () => ({ shift: toRow(shifts, { ...s, status: 'OPEN', closedAt: null, closedBy: null,
      approvedBy: null, expectedCash: null, countedCash: null, closingCount: null, variance: null, zNumber: null, report: null }) }))();
  }
  for (const m of await db.select().from(cashMovements).where(gte(cashMovements.occurredAt, since))) {
    await add(CASH_MOVED, m.idempotencyKey, () => ({ movement: toRow(cashMovements, m) }))();
  }
  for (const s of await db.select({ id: sales.id }).from(sales).where(and(eq(sales.status, 'COMPLETED'), gte(sales.completedAt, since)))) {
    await add(SALE_COMPLETED, saleFactKey(s.id), () => readCompletedSale(db, s.id))();
  }
  for (const s of await db.select().from(sales).where(and(eq(sales.status, 'VOIDED'), gte(sales.voidedAt, since)))) {
    await add(SALE_VOIDED, voidFactKey(s.id), async () => ({
      sale: toRow(sales, s),
      items: (await db.select().from(saleItems).where(eq(saleItems.saleId, s.id))).filter((i) => !i.deletedAt).map((i) => toRow(saleItems, i)),
    }))();
  }
  for (const r of await db.select({ id: returns.id }).from(returns).where(gte(returns.occurredAt, since))) {
    await add(RETURN_RECORDED, returnFactKey(r.id), () => readReturn(db, r.id))();
  }
  appended += await journalMissedStockMovements(db, journal, since);
  for (const s of await db.select().from(shifts).where(and(eq(shifts.status, 'CLOSED'), gte(shifts.closedAt, since)))) {
    await add(SHIFT_CLOSED, shiftFactKey(s.id, 'closed'), () => ({ shift: toRow(shifts, s) }))();
  }
  return appended;
}
