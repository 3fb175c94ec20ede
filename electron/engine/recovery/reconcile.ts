// Start-up reconciliation between the journal (durable) and PGlite (fast, fsync off): facts the
// journal holds that PGlite lost are replayed; records PGlite committed whose journal append
// never happened (a crash between the two) are appended. A checkpoint in PGlite says up to
// which fact PGlite is known to be complete (the fact's sequence and hash, so a journal that
// no longer continues it is reported, not trusted) and how far its own list of records is
// known to be journaled, so a start looks only at the tail of each, by sequence, never by clock.
import type { Journal } from '#db/journal.ts';
import { JournalError } from '#db/journal.ts';
import { toRow } from '#db/row-json.ts';
import { cashMovements, shifts } from '#db/schema/sales.ts';
import { cardCharges } from '#db/schema/payments.ts';
import { CARD_CHARGE_SAVED } from '../services/payments/card-charge-facts.ts';
import { eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import type { EngineContainer } from '../container.ts';
import { readCompletedSale, SALE_COMPLETED } from '../services/sales/completed-sale.ts';
import { readReturn, RETURN_RECORDED } from '../services/sales/returns.ts';
import { INVOICE_REQUESTED, readInvoiceFact } from '../services/invoicing/invoice-facts.ts';
import {
  INVOICE_REJECTED,
  INVOICE_SEALED,
  INVOICE_STAMPED,
  readRejectedFact,
  readSealedFact,
  readStampedFact,
} from '../services/invoicing/stamp-facts.ts';
import {
  INVOICE_CANCEL_ANSWERED,
  INVOICE_CANCEL_REQUESTED,
  readCancelAnswered,
  readCancelRequested,
} from '../services/invoicing/cancellation-facts.ts';
import { readVoidedSale, SALE_VOIDED } from '../services/sales/void-sale.ts';
import { CASH_MOVED, SHIFT_CLOSED, SHIFT_OPENED } from '../services/shifts/shift-facts.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import { REPLAYS } from './fact-replay.ts';
import { factKindOf, readStockFact } from '../services/inventory/stock-facts.ts';
import { ensureRecordLog, loggedAfter, requestOf, type LoggedRecord } from './record-log.ts';

export type Reconciliation = { replayed: number; journaled: number; checked: number; ms: number };

const PAGE = 500;

type Checkpoint = { seq: number; hash: string | null; loggedThrough: number };

export async function ensureCheckpointTable(sql: SqlDatabase): Promise<void> {
  await sql.exec(`CREATE TABLE IF NOT EXISTS public.pos_journal_checkpoint (
      id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, recorded_at timestamptz NOT NULL);
    ALTER TABLE public.pos_journal_checkpoint ADD COLUMN IF NOT EXISTS hash text;
    ALTER TABLE public.pos_journal_checkpoint ADD COLUMN IF NOT EXISTS logged_through bigint NOT NULL DEFAULT 0`);
  await ensureRecordLog(sql);
}

async function readCheckpoint(sql: SqlSession): Promise<Checkpoint> {
  const [row] = await sql.query<{ seq: string; hash: string | null; logged_through: string }>(
    `SELECT seq::text, hash, logged_through::text FROM public.pos_journal_checkpoint WHERE id = 1`,
  );
  return row
    ? { seq: Number(row.seq), hash: row.hash, loggedThrough: Number(row.logged_through) }
    : { seq: 0, hash: null, loggedThrough: 0 };
}

/**
 * PGlite holds every fact up to the journal's head (written after the facts' own commits), and
 * every record of its list up to the first one the journal does not have yet is journaled.
 */
export async function writeCheckpoint(sql: SqlSession, journal: Journal): Promise<void> {
  const head = journal.head();
  const { loggedThrough } = await readCheckpoint(sql);
  let through = loggedThrough;
  scan: for (;;) {
    const page = await loggedAfter(sql, through, PAGE);
    for (const record of page) {
      if (!journal.find(record.factKey)) break scan;
      through = record.n;
    }
    if (page.length < PAGE) break;
  }
  if (head.seq === 0 && through === loggedThrough) return;
  const recordedAt = head.seq === 0 ? new Date(0).toISOString() : journal.after(head.seq - 1, 1)[0]!.recordedAt;
  await sql.query(
    `INSERT INTO public.pos_journal_checkpoint (id, seq, recorded_at, hash, logged_through) VALUES (1, $1, $2, $3, $4)
    ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, recorded_at = EXCLUDED.recorded_at, hash = EXCLUDED.hash,
      logged_through = GREATEST(pos_journal_checkpoint.logged_through, EXCLUDED.logged_through)`,
    [head.seq, recordedAt, head.hash, through],
  );
}

export class BrokenJournal extends JournalError {
  override name = 'BrokenJournal';
}

/**
 * The journal must still hold, unchanged, the fact PGlite was last checkpointed at, and its
 * chain must hold from there: otherwise journal.sqlite was replaced, cut short or edited, and
 * replaying from it or appending to it would build on facts nobody can vouch for.
 */
function verifyAgainst(journal: Journal, checkpoint: Checkpoint): void {
  // A checkpoint from before it carried a hash: the whole chain is walked, once.
  const result = checkpoint.hash === null ? journal.verify() : journal.verifyFrom(checkpoint.seq, checkpoint.hash);
  if (result.ok && result.facts >= checkpoint.seq) return;
  const why = result.ok ? `it ends at fact ${result.facts}` : `fact ${result.brokenAt}: ${result.reason}`;
  throw new BrokenJournal(
    `the journal (journal.sqlite) does not continue what this register's database last saw at fact ${checkpoint.seq} (${why}). ` +
      'Nothing was changed. Put back the journal.sqlite that belongs with this database, or ask support; "pos journal verify" shows the chain.',
  );
}

export async function reconcile(services: Pick<EngineContainer, 'db' | 'sql' | 'journal'>): Promise<Reconciliation> {
  const started = performance.now();
  const { sql, journal } = services;
  await ensureCheckpointTable(sql);
  const checkpoint = await readCheckpoint(sql);
  verifyAgainst(journal, checkpoint);
  let replayed = 0;
  let checked = 0;
  for (let after = checkpoint.seq; ; ) {
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
  const journaled = await journalWhatPgliteAdded(services, checkpoint.loggedThrough);
  await writeCheckpoint(sql, journal);
  return { replayed, journaled, checked, ms: performance.now() - started };
}

/** Records on PGlite's list past the mark whose journal append never happened, appended now in commit order. */
async function journalWhatPgliteAdded(
  { db, sql, journal }: Pick<EngineContainer, 'db' | 'sql' | 'journal'>,
  after: number,
): Promise<number> {
  let appended = 0;
  for (let n = after; ; ) {
    const page = await loggedAfter(sql, n, PAGE);
    for (const record of page) {
      if (!journal.find(record.factKey)) {
        const payload = await factOf(db, record);
        // With what its call asked for, so that the call's retry is answered as if the journal never missed it.
        if (
          payload !== null &&
          journal.append(record.kind, record.factKey, { ...payload, ...(await requestOf(sql, record.factKey)) }).appended
        )
          appended++;
      }
      n = record.n;
    }
    if (page.length < PAGE) return appended;
  }
}

/** The fact a record would have been journaled as, read back from PGlite. */
async function factOf(db: AppDb, record: LoggedRecord): Promise<object | null> {
  switch (record.kind) {
    case SHIFT_OPENED: {
      const [s] = await db.select().from(shifts).where(eq(shifts.id, record.recordId));
      if (!s) return null;
      // The shift as it was opened: what it became later is another fact.
      return {
        shift: toRow(shifts, {
          ...s,
          status: 'OPEN',
          closedAt: null,
          closedBy: null,
          approvedBy: null,
          expectedCash: null,
          countedCash: null,
          closingCount: null,
          variance: null,
          zNumber: null,
          report: null,
        }),
      };
    }
    case SHIFT_CLOSED: {
      const [s] = await db.select().from(shifts).where(eq(shifts.id, record.recordId));
      return s ? { shift: toRow(shifts, s) } : null;
    }
    case CASH_MOVED: {
      const [m] = await db.select().from(cashMovements).where(eq(cashMovements.id, record.recordId));
      return m ? { movement: toRow(cashMovements, m) } : null;
    }
    case SALE_COMPLETED:
      return readCompletedSale(db, record.recordId);
    case SALE_VOIDED:
      return readVoidedSale(db, record.recordId);
    case RETURN_RECORDED:
      return readReturn(db, record.recordId);
    case INVOICE_REQUESTED:
      return readInvoiceFact(db, record.recordId);
    case INVOICE_SEALED:
      return readSealedFact(db, record.recordId);
    case INVOICE_STAMPED:
      return readStampedFact(db, record.recordId);
    case INVOICE_REJECTED:
      return readRejectedFact(db, record.recordId);
    case INVOICE_CANCEL_REQUESTED:
      return readCancelRequested(db, record.recordId);
    case INVOICE_CANCEL_ANSWERED:
      return readCancelAnswered(db, record.recordId);
    case CARD_CHARGE_SAVED: {
      const [charge] = await db.select().from(cardCharges).where(eq(cardCharges.id, record.recordId));
      return charge ? { charge: toRow(cardCharges, charge) } : null;
    }
    default:
      if (record.kind !== factKindOf(record.referenceType)) return null;
      // What was counted, and the stock before, died with the call; the movement itself is the fact.
      return readStockFact(db, record.recordId, { before: '', counted: null });
  }
}
