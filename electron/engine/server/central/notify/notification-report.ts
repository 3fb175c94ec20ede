// The notification rows as an operator reads them (`pos central jobs`, the back office): what is
// waiting, in hand, sent or failed and why, and a retry for a failed one. PostgreSQL holds the
// truth; a failed job's BullMQ copy is put back too, so the retry does not wait for the dispatcher.
import type { Queue } from 'bullmq';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { QueueName } from '../queues.ts';
import { QUEUE_OF } from './dispatcher.ts';
import { type NotifyChannel, reopenFailed } from './job-rows.ts';

export type NotificationLine = {
  id: string;
  channel: NotifyChannel;
  template: string;
  /** Masked: an operator needs to tell jobs apart, not to read customers' addresses. */
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
};

/** ana.lopez@ejemplo.mx → a***@ejemplo.mx; +525512345678 → +52******5678. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  if (/^\+?\d{6,}$/.test(recipient)) return `${recipient.slice(0, 3)}${'*'.repeat(recipient.length - 7)}${recipient.slice(-4)}`;
  return `${recipient.slice(0, 4)}…`;
}

export async function listNotifications(
  sql: SqlDatabase,
  opts: { failedOnly: boolean; limit: number; businessId?: string },
): Promise<NotificationLine[]> {
  const rows = await sql.query<{
    id: string;
    channel: NotifyChannel;
    code: string;
    recipient: string;
    status: string;
    attempts: number;
    last_error: string | null;
    updated_at: Date;
  }>(
    `SELECT j.id, j.channel, t.code, j.recipient, j.status, j.attempts, j.last_error, j.updated_at
     FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
     WHERE j.deleted_at IS NULL AND ($1::boolean IS FALSE OR j.status = 'FAILED') AND ($3::uuid IS NULL OR j.business_id = $3)
     ORDER BY j.updated_at DESC LIMIT $2`,
    [opts.failedOnly, opts.limit, opts.businessId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    template: r.code,
    recipient: maskRecipient(r.recipient),
    status: r.status,
    attempts: r.attempts,
    // Providers quote the address they refused: masked there too.
    lastError: r.last_error?.replace(/[^\s<>«»"'@]+@[^\s<>«»"']+/g, maskRecipient).replace(/\+\d{7,15}/g, maskRecipient) ?? null,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** A FAILED notification sent again from scratch (its attempts start over); false when it is not failed. */
export async function retryNotification(sql: SqlDatabase, queues: Partial<Record<QueueName, Queue>>, id: string): Promise<boolean> {
  const [row] = await sql.query<{ channel: NotifyChannel }>(`SELECT channel FROM communication.notification_jobs WHERE id = $1`, [id]);
  if (!row || !(await reopenFailed(sql, id))) return false;
  const queue = row.channel === 'IN_APP' ? undefined : queues[QUEUE_OF[row.channel]];
  const job = await queue?.getJob(id);
  // A failed job keeps its id in Redis, and the dispatcher's add would be taken for a duplicate.
  if (job && (await job.getState()) === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return true;
}

export function formatNotifications(lines: NotificationLine[]): string {
  if (lines.length === 0) return 'no notifications';
  return lines
    .map(
      (n) =>
        `${n.updatedAt}  ${n.id}  ${n.channel.padEnd(8)} ${n.template.padEnd(18)} ${n.recipient.padEnd(28)} ${n.status.padEnd(10)} attempts ${n.attempts}` +
        (n.lastError ? `  ${n.lastError.split('\n')[0]}` : ''),
    )
    .join('\n');
}
