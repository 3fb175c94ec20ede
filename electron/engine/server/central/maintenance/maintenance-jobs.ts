// The maintenance queue's jobs and their schedules. A schedule is a BullMQ job scheduler with a
// fixed id: every worker process upserts the same two, so ten workers make two schedules, not
// twenty, and each firing is one job that exactly one worker takes.
import type { Job, Queue } from 'bullmq';
import type { SqlDatabase } from '#db/sql-session.ts';
import { archiveInAppNotifications } from './archive-notifications.ts';
import { expireNotificationLogs } from './expire-notification-logs.ts';
import { scanAlerts } from '../notify/alerts/alert-scan.ts';

export const MAINTENANCE_JOBS = {
  archive: 'archive-in-app-notifications',
  ttl: 'expire-notification-logs',
  alerts: 'scan-alerts',
} as const;

export type MaintenanceDeps = {
  sql: SqlDatabase;
  archiveDir: string;
  hotDays: number;
  logTtlDays: number;
  /** Between two alert scans; each looks back ten times as far, so a late scan misses nothing. */
  alertEveryMs: number;
  now: () => Date;
};

/** Registers (or updates, when the pattern changed) the schedules; safe from any number of processes. */
export async function scheduleMaintenance(queue: Queue, patterns: { archive: string; ttl: string }, alertEveryMs: number): Promise<void> {
  for (const kind of ['archive', 'ttl'] as const) {
    const name = MAINTENANCE_JOBS[kind];
    await queue.upsertJobScheduler(name, { pattern: patterns[kind], tz: 'UTC' }, { name, data: {} });
  }
  const alerts = MAINTENANCE_JOBS.alerts;
  await queue.upsertJobScheduler(
    alerts,
    { every: alertEveryMs },
    { name: alerts, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
}

export function maintenanceHandler(deps: MaintenanceDeps) {
  return async (job: Job): Promise<object> => {
    switch (job.name) {
      case MAINTENANCE_JOBS.archive: {
        const { files, rows } = await archiveInAppNotifications(deps.sql, {
          archiveDir: deps.archiveDir,
          hotDays: deps.hotDays,
          now: deps.now,
          runKey: `${job.queueName}:${job.id}`,
        });
        return { rows, files };
      }
      case MAINTENANCE_JOBS.alerts:
        return scanAlerts(deps.sql, { now: deps.now, lookbackMs: 10 * deps.alertEveryMs });
      case MAINTENANCE_JOBS.ttl:
        return { deleted: await expireNotificationLogs(deps.sql, { ttlDays: deps.logTtlDays, now: deps.now }) };
      default:
        // Failing (not skipping) leaves it in the failed list with this reason for a person to see.
        throw new Error(`no maintenance job is called "${job.name}"`);
    }
  };
}
