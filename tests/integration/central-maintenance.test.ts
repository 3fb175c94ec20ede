// The maintenance queue's two jobs on the real PostgreSQL: in-app notifications past the hot
// window go to gzip NDJSON files and are soft-deleted; notification_logs past their age are
// deleted by pos_ttl, the constitution's one hard delete. Time is a test clock the test moves.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { migrateCentral } from '#db/central.ts';
import { archiveInAppNotifications } from '#engine/server/central/maintenance/archive-notifications.ts';
import { expireNotificationLogs } from '#engine/server/central/maintenance/expire-notification-logs.ts';
import { MAINTENANCE_JOBS } from '#engine/server/central/maintenance/maintenance-jobs.ts';
import { QUEUE_PREFIX } from '#engine/server/central/queues.ts';
import { connectTestDatabase, type TestDatabase } from '../support/central.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { serveCentral } from '../support/central-service.ts';
import { runPos } from '../support/run-cli.ts';

const DAY = 24 * 3600 * 1000;
const T0 = new Date('2031-05-01T12:00:00Z');

let central: Central;
let database: TestDatabase;
let userId: string;
const scratch = mkdtempSync(join(tmpdir(), 'pos-central-maintenance-'));

beforeAll(async () => {
  ({ central, database } = await connectTestDatabase('central_maintenance'));
  await migrateCentral(central.sql);
  userId = uuidv7();
  await central.sql.query(`INSERT INTO auth.users (id, display_name) VALUES ($1, 'Ana')`, [userId]);
}, 120_000);
afterAll(async () => {
  await central?.close();
  await database?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Notifications created `ageDays` before `at`, with their ids in order. */
async function notifications(at: Date, ageDays: number[], title: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, age] of ageDays.entries()) {
    const id = uuidv7();
    ids.push(id);
    await central.sql.query(
      `INSERT INTO communication.in_app_notifications (id, user_id, title, body, data, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)`,
      [id, userId, `${title} ${i}`, `cuerpo ${i}`, JSON.stringify({ n: i }), new Date(at.getTime() - age * DAY).toISOString()],
    );
  }
  return ids;
}

async function liveIds(ids: string[]): Promise<string[]> {
  const rows = await central.sql.query<{ id: string }>(
    `SELECT id FROM communication.in_app_notifications WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id`,
    [ids],
  );
  return rows.map((r) => r.id);
}

/** Every row in every archive file of `dir`, with the file it is in. */
function archived(dir: string): { file: string; row: Record<string, unknown> }[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ndjson.gz'));
  } catch {
    return [];
  }
  return files.flatMap((file) =>
    gunzipSync(readFileSync(join(dir, file)))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => ({ file, row: JSON.parse(l) as Record<string, unknown> })),
  );
}

describe('archiving in-app notifications', () => {
  it('moves exactly the rows past 30 days to gzip NDJSON files that hold them whole, then soft-deletes them', async () => {
    const dir = join(scratch, 'archive-basic');
    const old = await notifications(T0, [31, 45, 400], 'vieja');
    const young = await notifications(T0, [29.9, 1, 0], 'nueva');
    const before = await central.sql.query<{ id: string; row: Record<string, unknown> }>(
      `SELECT id, to_jsonb(n) AS row FROM communication.in_app_notifications n WHERE id = ANY($1::uuid[])`,
      [old],
    );

    const result = await archiveInAppNotifications(central.sql, { archiveDir: dir, hotDays: 30, now: () => T0, runKey: 'test:1' });

    expect(result.rows).toBe(3);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatch(/in-app-notifications-2031-05-01-[0-9a-f-]{36}\.ndjson\.gz$/);
    const rows = archived(dir).map((a) => a.row);
    expect(rows.map((r) => r.id).sort()).toEqual([...old].sort());
    for (const { id, row } of before) expect(rows.find((r) => r.id === id)).toEqual(row);
    expect(await liveIds(old)).toEqual([]);
    expect(await liveIds(young)).toEqual([...young].sort());

    const again = await archiveInAppNotifications(central.sql, { archiveDir: dir, hotDays: 30, now: () => T0, runKey: 'test:2' });
    expect(again).toEqual({ files: [], rows: 0 });

    // Ten days on, the notification 29.9 days old has crossed the line; the one a day old has not.
    const later = new Date(T0.getTime() + 10 * DAY);
    const next = await archiveInAppNotifications(central.sql, { archiveDir: dir, hotDays: 30, now: () => later, runKey: 'test:3' });
    expect(next.rows).toBe(1);
    expect(await liveIds(young)).toEqual([young[1], young[2]].sort());
    const all = archived(dir).map((a) => a.row.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(4);
  });

  it('finishes a run that died after claiming its rows, archiving each row once', async () => {
    const dir = join(scratch, 'archive-crash');
    // The two rows the test above left live are then 20 and 21 days old: these are the only rows past 30 days.
    const at = new Date(T0.getTime() + 20 * DAY);
    const old = await notifications(at, [40, 50, 60, 70, 80], 'caída');
    // The archive directory cannot be made (a file stands in its way): the run claims its batch, then fails.
    const blocked = join(scratch, 'not-a-dir');
    writeFileSync(blocked, '');
    await expect(
      archiveInAppNotifications(central.sql, {
        archiveDir: join(blocked, 'archive'),
        hotDays: 30,
        now: () => at,
        runKey: 'crash:1',
        batchSize: 2,
      }),
    ).rejects.toThrow();
    expect((await liveIds(old)).length).toBe(5);
    const [claim] = await central.sql.query<{ file: string; row_ids: string[] }>(
      `SELECT file, row_ids FROM communication.notification_archives WHERE archived_at IS NULL`,
    );
    expect(claim?.row_ids).toHaveLength(2);

    mkdirSync(dir, { recursive: true });
    const result = await archiveInAppNotifications(central.sql, {
      archiveDir: dir,
      hotDays: 30,
      now: () => at,
      runKey: 'crash:2',
      batchSize: 2,
    });
    expect(result.rows).toBe(5);
    expect(result.files).toHaveLength(3);
    // The claimed batch went to the file named when it was claimed.
    expect(result.files[0]).toBe(join(dir, claim!.file));
    const ids = archived(dir).map((a) => a.row.id as string);
    expect(ids.sort()).toEqual([...old].sort());
    expect(await liveIds(old)).toEqual([]);
    const [{ unfinished }] = (await central.sql.query<{ unfinished: string }>(
      `SELECT count(*) AS unfinished FROM communication.notification_archives WHERE archived_at IS NULL`,
    )) as [{ unfinished: string }];
    expect(Number(unfinished)).toBe(0);
  });
});

describe('the TTL rule for notification_logs', () => {
  async function logs(at: Date, ageDays: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const age of ageDays) {
      const id = uuidv7();
      ids.push(id);
      const created = new Date(at.getTime() - age * DAY);
      await central.sql.query(
        `INSERT INTO communication.notification_logs (id, channel, recipient, status, expires_at, created_at)
         VALUES ($1, 'EMAIL', 'ana@example.com', 'SENT', $2::timestamptz, $3::timestamptz)`,
        [id, new Date(created.getTime() + 90 * DAY).toISOString(), created.toISOString()],
      );
    }
    return ids;
  }
  const present = async (ids: string[]) =>
    (
      await central.sql.query<{ id: string }>(`SELECT id FROM communication.notification_logs WHERE id = ANY($1::uuid[]) ORDER BY id`, [
        ids,
      ])
    ).map((r) => r.id);

  it('hard-deletes exactly the logs older than the configured age, as the clock moves', async () => {
    const at = new Date(T0.getTime() + 1000 * DAY);
    const old = await logs(at, [91, 200]);
    const young = await logs(at, [89, 10]);
    expect(await expireNotificationLogs(central.sql, { ttlDays: 90, now: () => at, sliceSize: 1 })).toBe(2);
    expect(await present([...old, ...young])).toEqual([...young].sort());
    expect(await expireNotificationLogs(central.sql, { ttlDays: 90, now: () => at })).toBe(0);
    const later = new Date(at.getTime() + 2 * DAY);
    expect(await expireNotificationLogs(central.sql, { ttlDays: 90, now: () => later })).toBe(1);
    expect(await present(young)).toEqual([young[1]]);
    // A shorter age, configured: the 10-day-old log goes too.
    expect(await expireNotificationLogs(central.sql, { ttlDays: 7, now: () => later })).toBe(1);
  });

  it('refuses the same DELETE to central’s owner, and anything else to pos_ttl', async () => {
    await expect(central.sql.exec(`DELETE FROM communication.notification_logs WHERE false`)).rejects.toMatchObject({ code: 'PS001' });
    const asTtl = (statement: string) =>
      central.sql.transaction(async (tx) => {
        await tx.exec('SET LOCAL ROLE pos_ttl');
        await tx.exec(statement);
      });
    await expect(central.sql.exec('TRUNCATE communication.notification_logs')).rejects.toMatchObject({ code: 'PS001' });
    await expect(asTtl('TRUNCATE communication.notification_logs')).rejects.toMatchObject({ code: '42501' });
    await expect(asTtl('DELETE FROM communication.in_app_notifications WHERE false')).rejects.toMatchObject({ code: '42501' });
    await expect(asTtl('UPDATE communication.notification_logs SET recipient = recipient WHERE false')).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('maintenance schedules shared by several workers', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const started: ChildProcess[] = [];
  const worker = async (archiveDir: string): Promise<ChildProcess> =>
    (
      await serveCentral(
        ['--role', 'worker', '--url', database.url, '--redis', redis.url, '--archive-dir', archiveDir],
        {
          POS_CENTRAL_DATA_DIR: join(scratch, 'workers'),
          // Every second, so the test sees several firings.
          POS_CENTRAL_ARCHIVE_SCHEDULE: '* * * * * *',
          POS_CENTRAL_TTL_SCHEDULE: '* * * * * *',
        },
        started,
      )
    ).child;

  it('registers each schedule once and runs each firing on one worker only', async () => {
    const dir = join(scratch, 'archive-workers');
    const at = new Date();
    const old = await notifications(at, [31, 32, 33, 34], 'programada');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('maintenance', { connection, prefix: QUEUE_PREFIX });
    // A job no handler knows: it fails on its one attempt and waits in the failed list.
    const stray = await queue.add('no-such-job', {}, { attempts: 1, removeOnFail: false });
    const workers = await Promise.all([worker(dir), worker(dir)]);
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 4500));
    for (const w of workers) w.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(w.exitCode) : w.once('exit', r)))));
    const elapsedSeconds = (Date.now() - since) / 1000;
    expect(codes).toEqual([0, 0]);

    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([MAINTENANCE_JOBS.archive, MAINTENANCE_JOBS.ttl, MAINTENANCE_JOBS.alerts].sort());
      const done = await queue.getJobs(['completed'], 0, -1);
      const archiveRuns = done.filter((j) => j.name === MAINTENANCE_JOBS.archive);
      // At most one job a second (plus the first at start): twice that would mean each worker fired its own.
      expect(archiveRuns.length).toBeGreaterThanOrEqual(2);
      expect(archiveRuns.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
      expect(new Set(archiveRuns.map((j) => j.id)).size).toBe(archiveRuns.length);
      // A job's id names its schedule and firing time: one job, so one run, per firing.
      for (const job of archiveRuns) expect(job.id).toMatch(new RegExp(`^repeat:${MAINTENANCE_JOBS.archive}:\\d+$`));

      const failed = await runPos(['central', 'jobs', '--url', database.url, '--redis', redis.url, '--failed']);
      expect(failed.code, failed.stderr).toBe(0);
      expect(failed.stdout.trimEnd().split('\n')).toEqual([
        'notifications',
        'no notifications',
        '',
        'other jobs',
        expect.stringMatching(
          new RegExp(`maintenance/${stray.id} +no-such-job +failed +attempts 1 +no maintenance job is called "no-such-job"$`),
        ),
      ]);
      const listed = await runPos(['central', 'jobs', '--url', database.url, '--redis', redis.url, '--json']);
      const lines = (JSON.parse(listed.stdout) as { jobs: { id: string; state: string; name: string }[] }).jobs;
      expect(lines.filter((l) => l.name === MAINTENANCE_JOBS.archive && l.state === 'completed').length).toBe(archiveRuns.length);
      const retried = await runPos(['central', 'jobs', '--redis', redis.url, '--retry', `maintenance/${stray.id}`]);
      expect(retried).toMatchObject({ code: 0, stdout: `job maintenance/${stray.id} is queued again\n` });
      expect(await (await queue.getJob(stray.id!))!.getState()).toBe('waiting');
      const twice = await runPos(['central', 'jobs', '--redis', redis.url, '--retry', `maintenance/${stray.id}`]);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toBe(`pos: job maintenance/${stray.id} is waiting, not failed: only a failed job is retried\n`);
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const ids = archived(dir).map((a) => a.row.id as string);
    expect(ids.sort()).toEqual([...old].sort());
    expect(await liveIds(old)).toEqual([]);
  }, 90_000);
});
