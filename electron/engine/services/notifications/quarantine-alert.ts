// Facts central set aside are sales, returns or cash that central's books do not hold until a
// person looks: the badge says "needs attention", but nobody may be looking at this register.
// Managers (sync.manage) get one notification per fact newly set aside, or per burst of them
// (one push batch), naming how many and the first reason. What was already announced is read
// back from the notifications themselves, so a restart announces nothing twice.
import type { SqlDatabase } from '#db/sql-session.ts';
import type { Quarantined } from '#engine/sync/push-state.ts';
import type { SyncStatus } from '#engine/sync/sync-status.ts';
import type { Terminal } from '#engine/terminal.ts';
import { log } from '#engine/log/logger.ts';
import { notifyEmployeesWith } from './in-app.ts';

export const QUARANTINE_CODE = 'sync.quarantine';

type Deps = {
  sql: SqlDatabase;
  terminal: Terminal;
  writes: <T>(fn: () => Promise<T>) => Promise<T>;
  now: () => Date;
  /** The bell refreshes when someone was told. */
  notified: () => void;
};

/** The highest fact sequence this register's quarantine notifications have named. */
async function announcedThrough(sql: SqlDatabase, terminal: Terminal): Promise<number> {
  const [row] = await sql.query<{ through: string | null }>(
    `
    SELECT max((data->>'throughSeq')::bigint)::text AS through FROM communication.in_app_notifications
    WHERE business_id = $1 AND data->>'code' = $2 AND data->>'registerId' = $3`,
    [terminal.businessId, QUARANTINE_CODE, terminal.registerId],
  );
  return Number(row?.through ?? 0);
}

/** What the notification says about facts newly set aside (in sequence order). */
export function quarantineNote(fresh: Quarantined[], registerId: string) {
  const first = fresh[0]!;
  const through = fresh[fresh.length - 1]!.seq;
  const count = fresh.length;
  return {
    severity: 'WARNING' as const,
    title: 'La central apartó registros de esta caja',
    body:
      `La central no aceptó ${count === 1 ? 'un registro' : `${count} registros`} de esta caja y ${count === 1 ? 'lo apartó' : 'los apartó'}; ` +
      `las demás ventas se siguen enviando. Primer motivo (registro #${first.seq}, ${first.kind}): ${first.reason}`,
    data: {
      code: QUARANTINE_CODE,
      count,
      firstSeq: first.seq,
      firstKind: first.kind,
      reason: first.reason,
      throughSeq: through,
      registerId,
    },
  };
}

/**
 * Watches the loop's statuses; each one holding facts past those already announced writes one
 * notification for them. Statuses arrive in bursts: checks run one at a time, never in a
 * cashier's path, and a failure is a log line, not an error.
 */
export function quarantineAlerts(deps: Deps): (status: SyncStatus) => void {
  let through: number | null = null;
  let chain = Promise.resolve();
  const check = async (quarantined: Quarantined[]) => {
    through ??= await announcedThrough(deps.sql, deps.terminal);
    const fresh = quarantined.filter((q) => q.seq > through!).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return;
    const note = quarantineNote(fresh, deps.terminal.registerId);
    const written = await deps.writes(() => notifyEmployeesWith(deps.sql, deps.terminal, 'sync.manage', note, deps.now()));
    through = note.data.throughSeq;
    if (written > 0) deps.notified();
  };
  return (status) => {
    const last = status.quarantined.at(-1);
    if (!last || (through !== null && last.seq <= through)) return;
    const quarantined = status.quarantined;
    chain = chain
      .then(() => check(quarantined))
      .catch((err: unknown) => log.warn({ err }, 'sync: the notification of facts set aside failed'));
  };
}
