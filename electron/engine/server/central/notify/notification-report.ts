// The notification rows as an operator reads them (`pos central jobs`): what is waiting, in
// hand, sent or failed and why. A retry is job-rows.ts's reopenFailed; the dispatcher does the rest.
import type { SqlDatabase } from '#db/sql-session.ts';
import type { NotifyChannel } from './job-rows.ts';

export type NotificationLine = {
  id: string;
  channel: NotifyChannel;
  template: string;
  /** Masked (communication.mask_recipient): an operator needs to tell jobs apart, not to read customers' addresses. */
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
};

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
    `SELECT j.id, j.channel, t.code, communication.mask_recipient(j.recipient) AS recipient, j.status, j.attempts,
            communication.mask_addresses(j.last_error) AS last_error, j.updated_at
     FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
     WHERE j.deleted_at IS NULL AND ($1::boolean IS FALSE OR j.status = 'FAILED') AND ($3::uuid IS NULL OR j.business_id = $3)
     ORDER BY j.updated_at DESC LIMIT $2`,
    [opts.failedOnly, opts.limit, opts.businessId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    template: r.code,
    recipient: r.recipient,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    updatedAt: r.updated_at.toISOString(),
  }));
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
