// The audit trail leaves the register as journal facts, so that it reaches central by the same
// push as the sales (exactly once, in order, refused facts set aside with their reason). Entries
// are written all over the engine inside the transactions of what they record; a trigger notes
// each in public.pos_audit_outbox (migration 0010), and this forwards what it noted to the
// journal. The fact's key is the entry's id: forwarding twice (a crash between the append and
// the cursor) appends nothing new.
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';

export const AUDIT_RECORDED = 'audit.recorded';

/** Entries per journal write: a backlog (a first sync after the upgrade) goes in several. */
export const AUDIT_BATCH = 500;

/** An auth.audit_logs row as PostgreSQL's to_jsonb writes it (snake_case columns). */
export type AuditRecordedFact = Record<string, unknown> & { id: string; action: string; outcome: string };

/** Moves up to `limit` noted entries into the journal; answers how many it found. */
export async function forwardAudit(
  local: SqlDatabase,
  journal: Pick<Journal, 'appendAll'>,
  writes: <T>(fn: () => Promise<T>) => Promise<T>,
  limit = AUDIT_BATCH,
): Promise<number> {
  // Through the write queue: PGlite has one session, and a read beside a sale's open transaction
  // would see its entries before they commit (or forward ones it then rolls back).
  return writes(async () => {
    const rows = await local.query<{ seq: string; row: AuditRecordedFact }>(
      `SELECT o.seq::text AS seq, to_jsonb(a) AS row
       FROM public.pos_audit_outbox o JOIN auth.audit_logs a ON a.id = o.audit_id
       WHERE o.seq > (SELECT seq FROM public.pos_audit_forwarded WHERE id = 1)
       ORDER BY o.seq LIMIT $1`,
      [limit],
    );
    if (rows.length === 0) return 0;
    journal.appendAll(rows.map((r) => ({ kind: AUDIT_RECORDED, idempotencyKey: `audit:${r.row.id}`, payload: r.row })));
    await local.query('UPDATE public.pos_audit_forwarded SET seq = $1 WHERE id = 1', [rows.at(-1)!.seq]);
    return rows.length;
  });
}
