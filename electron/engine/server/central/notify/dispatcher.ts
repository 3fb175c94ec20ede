// The outbox: notification rows become BullMQ jobs. Rows are written by sync (a terminal's
// request), by central's own alerts and by people; the dispatcher hands the due ones to the
// channel's queue with the row id as the job id, so handing a row out twice is one job while
// Redis holds it, and a new one if Redis lost it. Any number of worker processes dispatch at
// once: each takes its rows with SKIP LOCKED.
import type { Queue } from 'bullmq';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { QueueName } from '../queues.ts';
import type { NotifyChannel } from './job-rows.ts';

export const QUEUE_OF: Record<Exclude<NotifyChannel, 'IN_APP'>, QueueName> = {
  EMAIL: 'email',
  SMS: 'sms',
  WHATSAPP: 'whatsapp',
  PUSH: 'push',
};

export const SEND_JOB = 'send';

export type DispatchTimes = {
  /** A row handed out and not finished by then is handed out again (Redis may have lost it). */
  redispatchMs: number;
  /** A PROCESSING row's lease: past it, its attempt is taken to have died. */
  leaseMs: number;
};

/** Hands out up to `limit` due rows; answers how many. Rows whose queue has no worker wait in place. */
export async function dispatchDue(
  sql: SqlDatabase,
  queues: Partial<Record<QueueName, Queue>>,
  times: DispatchTimes,
  limit = 500,
): Promise<number> {
  const channels = (Object.keys(QUEUE_OF) as (keyof typeof QUEUE_OF)[]).filter((c) => queues[QUEUE_OF[c]]);
  if (channels.length === 0) return 0;
  return sql.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; channel: keyof typeof QUEUE_OF; attempts: number }>(
      `SELECT id, channel, attempts FROM communication.notification_jobs
       WHERE deleted_at IS NULL AND channel = ANY($3::text[])
         AND ((status = 'PENDING' AND run_at <= now())
           OR (status = 'PROCESSING' AND locked_at < now() - $2 * interval '1 millisecond'))
       ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit, times.leaseMs, channels],
    );
    if (rows.length === 0) return 0;
    // Redis first: if it is down this throws, the transaction rolls back, and the rows stay due.
    for (const channel of channels) {
      const mine = rows.filter((r) => r.channel === channel);
      if (mine.length === 0) continue;
      const queue = queues[QUEUE_OF[channel]]!;
      // A row tried before may still have its finished job under its id in Redis (a failed one a
      // person asked to send again, an attempt BullMQ gave up on as stalled): BullMQ takes an add
      // with that id for a duplicate and does nothing, so the finished job goes first.
      for (const row of mine.filter((r) => r.attempts > 0)) {
        const job = await queue.getJob(row.id);
        const state = job ? await job.getState() : null;
        if (state === 'failed' || state === 'completed') await job!.remove();
      }
      await queue.addBulk(mine.map((r) => ({ name: SEND_JOB, data: { id: r.id }, opts: { jobId: r.id } })));
    }
    await tx.query(
      `UPDATE communication.notification_jobs SET run_at = now() + $2 * interval '1 millisecond'
       WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
      [rows.map((r) => r.id), times.redispatchMs],
    );
    return rows.length;
  });
}

/**
 * Runs dispatchDue every `everyMs` (at once again after a full batch) until stopped. A failure
 * (PostgreSQL or Redis away) is reported and the next round tries again.
 */
export function startDispatcher(
  run: (limit: number) => Promise<number>,
  opts: { everyMs: number; batch?: number; onError: (err: unknown) => void },
): { stop(): Promise<void> } {
  const batch = opts.batch ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  const round = async () => {
    timer = null;
    let handed = 0;
    try {
      handed = await run(batch);
    } catch (err) {
      if (!stopped) opts.onError(err);
    }
    if (!stopped) timer = setTimeout(tick, handed >= batch ? 0 : opts.everyMs);
  };
  const tick = () => {
    current = round();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
