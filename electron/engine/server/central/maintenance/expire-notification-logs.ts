// The constitution's TTL rule: notification_logs past their age (90 days unless configured) are
// hard-deleted, the one DELETE the database allows, and only as the role pos_ttl (central
// migration c0005). Deleted in slices so a large backlog never holds a long lock.
import type { SqlDatabase } from '#db/sql-session.ts';

export type ExpireOptions = { ttlDays: number; now: () => Date; sliceSize?: number };

const DAY_MS = 24 * 3600 * 1000;

export async function expireNotificationLogs(sql: SqlDatabase, opts: ExpireOptions): Promise<number> {
  const cutoff = new Date(opts.now().getTime() - opts.ttlDays * DAY_MS).toISOString();
  let deleted = 0;
  for (;;) {
    const [slice] = await sql.transaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE pos_ttl');
      return tx.query<{ n: string }>(
        `WITH gone AS (
           DELETE FROM communication.notification_logs WHERE id IN (
             SELECT id FROM communication.notification_logs WHERE created_at < $1::timestamptz LIMIT $2)
           RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [cutoff, opts.sliceSize ?? 10_000],
      );
    });
    const n = Number(slice?.n ?? 0);
    deleted += n;
    if (n < (opts.sliceSize ?? 10_000)) return deleted;
  }
}
