// What central could not send for this business, as the back office sees it. Central hands down
// only notification rows that ran into trouble (sync.terminal_notification_jobs), masked, and
// the register reads them from its own copy: the page works offline, showing the state as of
// the last pull. A retry is a journal fact like any other; central reopens the row when the
// fact arrives, and its workers send it again. The terminal never talks to a provider.
import { v7 as uuidv7 } from 'uuid';
import type { Journal } from '#db/journal.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';
import type { OutgoingNotification } from '#contract/outgoing-notification.ts';

export const NOTIFICATION_RETRY_REQUESTED = 'notification.retry_requested';

export type NotificationRetryFact = {
  id: string;
  jobId: string;
  /** The failure being retried, by the row's updated_at: a later failure is retried by a new fact. */
  failedAt: string;
  requestedAt: string;
  /** The employee who asked. */
  by: string;
};

const retryKey = (jobId: string, failedAt: string) => `notification-retry:${jobId}:${failedAt}`;

type Row = Omit<OutgoingNotification, 'retryRequested' | 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

export async function outgoingNotifications(
  sql: SqlDatabase,
  journal: Pick<Journal, 'find'>,
  businessId: string,
  opts: { failedOnly: boolean; limit: number },
): Promise<OutgoingNotification[]> {
  const rows = await sql.query<Row>(
    `SELECT j.id, j.channel, t.code AS template, j.recipient, j.status, j.attempts, j.last_error AS "lastError",
            j.created_at AS "createdAt", j.updated_at AS "updatedAt"
     FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
     WHERE j.business_id = $1 AND j.deleted_at IS NULL AND j.channel <> 'IN_APP' AND ($2::boolean IS FALSE OR j.status = 'FAILED')
     ORDER BY j.updated_at DESC, j.id DESC LIMIT $3`,
    [businessId, opts.failedOnly, opts.limit],
  );
  return rows.map((r) => {
    const updatedAt = r.updatedAt.toISOString();
    return {
      ...r,
      createdAt: r.createdAt.toISOString(),
      updatedAt,
      retryRequested: r.status === 'FAILED' && journal.find(retryKey(r.id, updatedAt)) !== undefined,
    };
  });
}

/** Journals a retry of a FAILED row; `queued` is false when this failure's retry was already asked for. */
export async function requestRetry(
  services: { sql: SqlDatabase; journal: Pick<Journal, 'append'>; now(): Date },
  r: { businessId: string; jobId: string; by: string },
): Promise<{ queued: boolean }> {
  const [row] = await services.sql.query<{ status: string; updated_at: Date }>(
    `SELECT status, updated_at FROM communication.notification_jobs WHERE id = $1 AND business_id = $2 AND deleted_at IS NULL`,
    [r.jobId, r.businessId],
  );
  if (!row)
    throw new EngineError('NOT_FOUND', 'central has told this register of no such notification', { what: 'notification', id: r.jobId });
  if (row.status !== 'FAILED') {
    throw new EngineError('CONFLICT', `only a failed notification can be sent again; this one is ${row.status}`, {
      reason: 'NOT_FAILED',
      status: row.status,
    });
  }
  const failedAt = row.updated_at.toISOString();
  const fact: NotificationRetryFact = { id: uuidv7(), jobId: r.jobId, failedAt, requestedAt: services.now().toISOString(), by: r.by };
  const { appended } = services.journal.append(NOTIFICATION_RETRY_REQUESTED, retryKey(r.jobId, failedAt), fact);
  return { queued: appended };
}
