// Every e-mail job sent once, whatever happens to the workers and to Redis: 10,000 jobs through
// three `pos central serve --role worker` processes into a real SMTP server on loopback; one
// worker is SIGKILLed mid-batch and Redis (a private redis-server, which keeps nothing on disk)
// is restarted once, losing every queued job. The rows in PostgreSQL are what bring them back.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '#engine/server/central/queues.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { eventually, serveCentral } from '../support/central-service.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { runPos } from '../support/run-cli.ts';
import { type MailboxDelivery, startSmtpMailbox, type SmtpMailbox } from '../support/smtp-mailbox.ts';

const JOBS = 10_000;
const MAIL_DOMAIN = 'tienda.test';

describe('e-mail jobs at central', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let mailbox: SmtpMailbox;
  let pool: pg.Pool;
  const started: ChildProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    [database, redis, mailbox] = await Promise.all([createTestDatabase('notify_once'), startPrivateRedis(), startSmtpMailbox()]);
    const migrated = await runPos(['central', 'migrate', '--url', database.url]);
    expect(migrated.code, migrated.stderr).toBe(0);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  }, 120_000);

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await pool?.end();
    await mailbox?.close();
    await redis?.stop();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const worker = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-notify-worker-'));
    dirs.push(dataDir);
    return serveCentral(
      ['--url', database.url, '--redis', redis.url, '--role', 'worker', '--data-dir', dataDir],
      {
        POS_CENTRAL_SMTP_URL: mailbox.url(),
        POS_CENTRAL_MAIL_FROM: `Avisos <avisos@${MAIL_DOMAIN}>`,
        POS_CENTRAL_EMAIL_RATE: '100000',
        // Long enough that no send times out on a loaded machine after the mailbox took the
        // message (that attempt would be resent, rightly, and blur what this test counts: copies
        // from the killed worker only). The killed worker's rows come back after the 30 s lease;
        // the jobs Redis lost, after the short redispatch.
        POS_CENTRAL_SEND_TIMEOUT_MS: '10000',
        POS_CENTRAL_REDISPATCH_MS: '5000',
      },
      started,
    );
  };

  const sentRows = async () =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM communication.notification_jobs WHERE status = 'SENT'`)).rows[0]!.n);

  it('sends 10,000 e-mails exactly once through three workers, one killed mid-batch and Redis restarted once', async () => {
    const template = '01900000-0000-7000-8000-00000000b01c';
    await pool.query(
      `INSERT INTO communication.notification_templates (id, code, channel, locale, engine, subject, body)
       VALUES ($1, 'test.bulk', 'EMAIL', 'es-MX', 'MJML', 'Aviso {{n}}',
               '<mjml><mj-body><mj-section><mj-column><mj-text>Aviso número {{n}} para {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>')`,
      [template],
    );
    await pool.query(
      `INSERT INTO communication.notification_jobs (id, template_id, channel, recipient, payload, idempotency_key)
       SELECT gen_random_uuid(), $1, 'EMAIL', 'cliente' || n || '@example.test',
              jsonb_build_object('data', jsonb_build_object('n', n, 'name', 'Cliente ' || n)), 'bulk:' || n
       FROM generate_series(1, $2) AS n`,
      [template, JOBS],
    );
    const workers = await Promise.all([worker(), worker(), worker()]);

    await eventually(
      async () => mailbox.deliveries.length,
      (n) => n >= JOBS * 0.25,
      120_000,
      20,
    );
    workers[0]!.child.kill('SIGKILL');
    await eventually(
      async () => mailbox.deliveries.length,
      (n) => n >= JOBS * 0.5,
      120_000,
      20,
    );
    await redis.stop();
    await redis.start();

    expect(await eventually(sentRows, (n) => n === JOBS, 300_000, 500)).toBe(JOBS);

    const rows = (
      await pool.query<{ id: string; recipient: string; attempts: number; payload: { data: { n: number } } }>(
        `SELECT id, recipient, attempts, payload FROM communication.notification_jobs WHERE template_id = $1`,
        [template],
      )
    ).rows;
    expect(rows).toHaveLength(JOBS);
    const logs = await pool.query<{ job_id: string; n: string }>(
      `SELECT job_id, count(*) AS n FROM communication.notification_logs WHERE status = 'SENT' GROUP BY job_id`,
    );
    expect(logs.rows).toHaveLength(JOBS);
    expect(logs.rows.every((l) => l.n === '1')).toBe(true);

    // The mailbox holds one message per Message-ID, as a real mailbox does: a message whose
    // sender died between the server's answer and recording it is sent again with its id.
    const held = new Map<string, MailboxDelivery[]>();
    for (const d of mailbox.deliveries) held.set(d.messageId, [...(held.get(d.messageId) ?? []), d]);
    expect(held.size).toBe(JOBS);
    for (const row of rows) {
      const copies = held.get(`<${row.id}@${MAIL_DOMAIN}>`);
      expect(copies, row.id).toBeDefined();
      expect(copies![0]!.to).toEqual([row.recipient]);
      expect(copies![0]!.subject).toBe(`Aviso ${row.payload.data.n}`);
      expect(copies![0]!.text).toContain(`Aviso número ${row.payload.data.n} para Cliente ${row.payload.data.n}`);
    }
    // Sent twice only where an attempt died after the server took the message (the killed
    // worker's jobs in hand), never because of Redis or a second worker.
    const again = [...held.values()].filter((copies) => copies.length > 1);
    expect(again.length).toBeLessThanOrEqual(QUEUES.email.concurrency);
    const resumed = new Set(rows.filter((r) => r.attempts > 1).map((r) => `<${r.id}@${MAIL_DOMAIN}>`));
    for (const copies of again) expect(resumed.has(copies[0]!.messageId)).toBe(true);
    expect(workers[1]!.child.exitCode).toBeNull();
    expect(workers[2]!.child.exitCode).toBeNull();
  }, 420_000);
});
