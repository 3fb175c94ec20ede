// A notification job's row: the truth about whether it was sent. BullMQ only carries the row's
// id; whoever runs it first takes the row's lease (PROCESSING, locked_at), and a row leaves
// PROCESSING only with the record of what the provider answered, written in one transaction
// with its notification_logs line. So a job Redis runs twice, or that Redis lost and the
// dispatcher hands out again, finds the row SENT and does nothing.
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { SendReceipt } from './outgoing.ts';

export const NOTIFY_CHANNELS = ['EMAIL', 'SMS', 'WHATSAPP', 'PUSH', 'IN_APP'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export type JobRow = {
  id: string;
  business_id: string | null;
  user_id: string | null;
  template_id: string;
  channel: NotifyChannel;
  recipient: string;
  payload: Record<string, unknown>;
  attempts: number;
  idempotency_key: string;
};

/** How a claim went: the row to send, or why there is nothing to do. */
export type Claim =
  | { kind: 'claimed'; row: JobRow; resumed: boolean }
  | { kind: 'done'; status: 'SENT' | 'FAILED' | 'CANCELLED' }
  | { kind: 'busy' }
  | { kind: 'missing' };

/**
 * Takes the row's lease. `resumed`: the row was PROCESSING under a lease that ran out, so an
 * attempt died between taking it and recording the answer, and may or may not have sent.
 */
export async function claimJob(sql: SqlDatabase, id: string, leaseMs: number): Promise<Claim> {
  const [row] = await sql.query<JobRow & { prior: string }>(
    `WITH prior AS (
       SELECT id, status FROM communication.notification_jobs WHERE id = $1 AND deleted_at IS NULL FOR UPDATE
     )
     UPDATE communication.notification_jobs j
     SET status = 'PROCESSING', locked_at = now(), attempts = j.attempts + 1, updated_at = now(),
         run_at = now() + $2 * interval '1 millisecond'
     FROM prior
     WHERE j.id = prior.id
       AND (prior.status = 'PENDING' OR (prior.status = 'PROCESSING' AND j.locked_at < now() - $2 * interval '1 millisecond'))
     RETURNING j.id, j.business_id, j.user_id, j.template_id, j.channel, j.recipient, j.payload, j.attempts, j.idempotency_key,
               prior.status AS prior`,
    [id, leaseMs],
  );
  if (row) {
    const { prior, ...job } = row;
    return { kind: 'claimed', row: job, resumed: prior === 'PROCESSING' };
  }
  const [now] = await sql.query<{ status: string }>(
    `SELECT status FROM communication.notification_jobs WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  if (!now) return { kind: 'missing' };
  if (now.status === 'PROCESSING' || now.status === 'PENDING') return { kind: 'busy' };
  return { kind: 'done', status: now.status as 'SENT' | 'FAILED' | 'CANCELLED' };
}

const logLine = (row: JobRow, status: 'SENT' | 'FAILED', provider: string | null, response: Record<string, unknown>, ttlDays: number) => ({
  text: `INSERT INTO communication.notification_logs (id, job_id, channel, recipient, status, provider, provider_response, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 day')`,
  params: [uuidv7(), row.id, row.channel, row.recipient, status, provider, JSON.stringify(response), ttlDays],
});

/** The provider took it: SENT and its log line, together, in one statement (one round trip per job). */
export async function recordSent(sql: SqlDatabase, row: JobRow, receipt: SendReceipt, ttlDays: number): Promise<void> {
  await sql.query(
    `WITH sent AS (
       UPDATE communication.notification_jobs SET status = 'SENT', locked_at = NULL, last_error = NULL, updated_at = now()
       WHERE id = $2 AND status = 'PROCESSING' RETURNING id
     )
     INSERT INTO communication.notification_logs (id, job_id, channel, recipient, status, provider, provider_response, expires_at)
     SELECT $1, sent.id, $3, $4, 'SENT', $5, $6, now() + $7 * interval '1 day' FROM sent`,
    [
      uuidv7(),
      row.id,
      row.channel,
      row.recipient,
      receipt.provider,
      JSON.stringify({ providerId: receipt.providerId, ...receipt.response }),
      ttlDays,
    ],
  );
}

/** Never to be sent: FAILED with the reason a person reads in `pos central jobs` and the back office. */
export async function recordFailed(
  sql: SqlDatabase,
  row: JobRow,
  reason: string,
  provider: string | null,
  response: Record<string, unknown>,
  ttlDays: number,
): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query(
      `UPDATE communication.notification_jobs SET status = 'FAILED', locked_at = NULL, last_error = $2, updated_at = now()
       WHERE id = $1 AND status = 'PROCESSING'`,
      [row.id, reason.slice(0, 2000)],
    );
    const log = logLine(row, 'FAILED', provider, { reason, ...response }, ttlDays);
    await tx.query(log.text, log.params);
    // The push service said the browser will never receive on it again (404/410): revoked in
    // the same step, so no later alert is addressed to it. The phone subscribes anew by a link.
    if (row.channel === 'PUSH' && response.subscriptionGone === true) {
      await tx.query('UPDATE communication.push_subscriptions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
        row.recipient,
      ]);
    }
  });
}

/**
 * Not sent this time, to be tried again: back to PENDING with the reason. run_at keeps the
 * dispatcher away while BullMQ's own backoff brings the job back; if Redis lost it meanwhile,
 * the dispatcher hands it out again after `redispatchMs`.
 */
export async function releaseForRetry(sql: SqlDatabase, row: JobRow, reason: string, redispatchMs: number): Promise<void> {
  await sql.query(
    `UPDATE communication.notification_jobs
     SET status = 'PENDING', locked_at = NULL, last_error = $2, run_at = now() + $3 * interval '1 millisecond', updated_at = now()
     WHERE id = $1 AND status = 'PROCESSING'`,
    [row.id, reason.slice(0, 2000), redispatchMs],
  );
}

/** A failed job handed back by a person (`pos central jobs --retry`): PENDING again, at once. */
export async function reopenFailed(sql: SqlDatabase, id: string): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE communication.notification_jobs SET status = 'PENDING', last_error = NULL, run_at = now(), updated_at = now()
     WHERE id = $1 AND status = 'FAILED' AND deleted_at IS NULL RETURNING id`,
    [id],
  );
  return rows.length > 0;
}
