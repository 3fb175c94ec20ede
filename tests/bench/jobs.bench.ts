// E-mail notifications at central, end to end: N rows in communication.notification_jobs sent
// by the service (dispatcher → BullMQ → lease, render, SMTP, SENT + log line), in-process and as
// three `pos central serve --role worker` children, beside bare BullMQ doing the same render and
// the same SMTP send with no rows, leases or dispatcher, in the same run, on the same private
// Redis and the same loopback SMTP server. Target: the service at least 0.5x the baseline's
// jobs/s. Then what asking for an e-mailed receipt adds to sales.complete on the register
// (target: p99 difference under 1 ms).
import type { ChildProcess } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { connectCentral, migrateCentral, poolSession, type Central } from '#db/central.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { QUEUES, redisConnection } from '#engine/server/central/queues.ts';
import { startCentralService } from '#engine/server/central/service.ts';
import { smtpChannel } from '#engine/server/central/notify/channels/smtp.ts';
import { claimJob, recordSent } from '#engine/server/central/notify/job-rows.ts';
import { renderEmail } from '#engine/server/central/notify/templates/render.ts';
import type { TemplateRow } from '#engine/server/central/notify/templates/template-row.ts';
import { templateById } from '#engine/server/central/notify/templates/template-store.ts';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { exitOf, serveCentral } from '../support/central-service.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { startSmtpMailbox, type SmtpMailbox } from '../support/smtp-mailbox.ts';
import { percentile, report } from './stats.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 3000);
/** Jobs run first in each setup and not timed: JIT, pools and SMTP connections warm. */
const WARM = 50;
/** Calls timed one kind at a time, to see where a job's time goes. */
const PARTS = 300;
const SALES = 300;
const FROM = 'Avisos <avisos@tienda.test>';
const TEMPLATE_ID = '01900000-0000-7000-8000-00000000be0c';
const SUBJECT = 'Aviso {{n}}';
const BODY =
  '<mjml><mj-body><mj-section><mj-column><mj-text>Aviso número {{n}} para {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>';
const ARROZ = '7505599000026';

type Setup = { database: TestDatabase; redis: PrivateRedis; mailbox: SmtpMailbox; central: Central; template: TemplateRow };

const data = (n: number) => ({ n, name: `Cliente ${n}` });
const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(5);
const rate = (jobs: number, ms: number) => (jobs / (ms / 1000)).toFixed(0).padStart(5);

/** Runs `fn` for 0..n-1 with `width` at a time (the worker's concurrency). */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function timedEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/**
 * The in-process service logs one JSON line per job on stdout ("job done"); it is still made
 * (that cost is the service's), only kept off the bench's report while `fn` runs.
 */
async function withoutServiceLines<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    typeof chunk === 'string' && chunk.includes('"service":"pos-central"') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/** Wall ms and this process's CPU ms (user + system) over `fn`: CPU is what a busy machine distorts least. */
type Spent = { ms: number; cpuMs: number };

async function spent(fn: () => Promise<unknown>): Promise<Spent> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** Baseline: a Queue and a Worker (the email queue's concurrency and job options), addBulk, render, SMTP. */
async function bareBullmq(s: Setup, prefix: string, n: number): Promise<Spent> {
  const connection = redisConnection(s.redis.url);
  const channel = smtpChannel({ url: s.mailbox.url(), from: FROM, timeoutMs: 20_000 });
  const queue = new Queue('email', { connection, prefix, defaultJobOptions: QUEUES.email.jobs });
  let done = 0;
  let failed: Error | null = null;
  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker<{ n: number }>(
    'email',
    async (job) => {
      const rendered = await renderEmail(s.template, data(job.data.n));
      const id = `${prefix}-${job.data.n}`;
      return channel.send({
        channel: 'EMAIL',
        to: `cliente${job.data.n}@example.test`,
        ...rendered,
        messageId: `<${id}@tienda.test>`,
        idempotencyKey: id,
      });
    },
    { connection, prefix, concurrency: QUEUES.email.concurrency },
  );
  worker.on('completed', () => ++done === n && finished());
  worker.on('failed', (_job, err) => {
    failed = err;
    finished();
  });
  try {
    const time = await spent(async () => {
      await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'send', data: { n: i + 1 } })));
      await all;
    });
    if (failed) throw new Error(`a bare BullMQ job failed: ${(failed as Error).message}`);
    return time;
  } finally {
    await worker.close();
    await queue.close();
    await channel.close();
    connection.disconnect();
  }
}

async function insertJobs(sql: SqlDatabase, batch: string, n: number): Promise<void> {
  await sql.query(
    `INSERT INTO communication.notification_jobs (id, template_id, channel, recipient, payload, idempotency_key)
     SELECT gen_random_uuid(), $1, 'EMAIL', 'cliente' || n || '@example.test',
            jsonb_build_object('data', jsonb_build_object('n', n, 'name', 'Cliente ' || n)), $2 || ':' || n
     FROM generate_series(1, $3) AS n`,
    [TEMPLATE_ID, batch, n],
  );
}

/** ms from the batch's commit until every one of its rows is SENT, polling every 50 ms. */
async function sendBatch(sql: SqlDatabase, batch: string, n: number): Promise<number> {
  await insertJobs(sql, batch, n);
  const start = performance.now();
  const limitMs = Math.max(120_000, n * 100);
  const until = Date.now() + limitMs;
  for (;;) {
    const [c] = await sql.query<{ sent: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent, count(*) FILTER (WHERE status = 'FAILED')::int AS failed
       FROM communication.notification_jobs WHERE idempotency_key LIKE $1`,
      [`${batch}:%`],
    );
    if (c!.sent === n) return performance.now() - start;
    if (c!.failed > 0) throw new Error(`${c!.failed} rows of ${batch} FAILED`);
    if (Date.now() > until) throw new Error(`${batch}: only ${c!.sent} of ${n} rows SENT after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each part of a job alone, as the worker runs it (concurrency 5 where it waits on a server): where the time goes. */
async function parts(s: Setup) {
  const render = await timedEach(PARTS, (i) => renderEmail(s.template, data(i)));
  const renderCpu = await spent(async () => {
    for (let i = 0; i < PARTS; i++) await renderEmail(s.template, data(i));
  });
  const channel = smtpChannel({ url: s.mailbox.url(), from: FROM, timeoutMs: 20_000 });
  const pool = new pg.Pool({ connectionString: s.database.url, options: '-c TimeZone=UTC', max: 8 });
  try {
    const rendered = await renderEmail(s.template, data(0));
    const send = (i: number) =>
      channel.send({
        channel: 'EMAIL',
        to: `parte${i}@example.test`,
        ...rendered,
        messageId: `<parts-${i}@tienda.test>`,
        idempotencyKey: `parts-${i}`,
      });
    await inParallel(WARM, QUEUES.email.concurrency, send);
    const smtp = await spent(() => inParallel(PARTS, QUEUES.email.concurrency, (i) => send(WARM + i)));

    // The service's own queries for one job (lease, template, SENT + log line), on rows no service sees.
    const sql = poolSession(pool);
    await insertJobs(sql, 'parts', PARTS + WARM);
    const ids = (
      await sql.query<{ id: string }>(`SELECT id FROM communication.notification_jobs WHERE idempotency_key LIKE 'parts:%' ORDER BY id`)
    ).map((r) => r.id);
    const rowWork = async (i: number) => {
      const claim = await claimJob(sql, ids[i]!, 60_000);
      if (claim.kind !== 'claimed') throw new Error(`parts: row ${ids[i]} was ${claim.kind}`);
      await templateById(sql, TEMPLATE_ID);
      await recordSent(sql, claim.row, { provider: 'smtp', providerId: 'X', response: { response: '250 2.0.0 Ok' } }, 90);
    };
    await inParallel(WARM, QUEUES.email.concurrency, rowWork);
    const rows = await spent(() => inParallel(PARTS, QUEUES.email.concurrency, (i) => rowWork(WARM + i)));
    return { render, renderCpu, smtp, rows };
  } finally {
    await channel.close();
    await pool.end();
  }
}

async function inProcessService(s: Setup, dataDir: string, n: number): Promise<Spent> {
  const service = await startCentralService(
    readCentralConfig(
      { url: s.database.url, redis: s.redis.url, role: 'worker', 'data-dir': dataDir },
      { POS_CENTRAL_SMTP_URL: s.mailbox.url(), POS_CENTRAL_MAIL_FROM: FROM, POS_CENTRAL_EMAIL_RATE: '100000' },
    ),
  );
  try {
    await sendBatch(s.central.sql, 'warm-1', WARM);
    let ms = 0;
    const { cpuMs } = await spent(async () => (ms = await sendBatch(s.central.sql, 'service-1', n)));
    return { ms, cpuMs };
  } finally {
    await service.stop();
  }
}

async function childWorkers(s: Setup, count: number, n: number): Promise<number> {
  const started: ChildProcess[] = [];
  const dirs: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, () => {
        const dir = mkdtempSync(join(tmpdir(), 'pos-bench-jobs-worker-'));
        dirs.push(dir);
        return serveCentral(
          ['--url', s.database.url, '--redis', s.redis.url, '--role', 'worker', '--data-dir', dir],
          { POS_CENTRAL_SMTP_URL: s.mailbox.url(), POS_CENTRAL_MAIL_FROM: FROM, POS_CENTRAL_EMAIL_RATE: '100000' },
          started,
        );
      }),
    );
    await sendBatch(s.central.sql, `warm-${count}`, WARM * count);
    return await sendBatch(s.central.sql, `service-${count}`, n);
  } finally {
    for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(started.map((c) => exitOf(c)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const perJob = (t: Spent, n: number) =>
  `${(t.ms / n).toFixed(2).padStart(6)} ms wall, ${(t.cpuMs / n).toFixed(2).padStart(6)} ms CPU per job`;

async function benchDelivery(): Promise<void> {
  const [database, redis, mailbox] = await Promise.all([createTestDatabase('bench_jobs'), startPrivateRedis(), startSmtpMailbox()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-jobs-'));
  let central: Central | undefined;
  try {
    central = await connectCentral(database.url);
    await migrateCentral(central.sql);
    await central.sql.query(
      `INSERT INTO communication.notification_templates (id, code, channel, locale, engine, subject, body)
       VALUES ($1, 'bench.bulk', 'EMAIL', 'es-MX', 'MJML', $2, $3)`,
      [TEMPLATE_ID, SUBJECT, BODY],
    );
    const template = (await templateById(central.sql, TEMPLATE_ID))!;
    const s: Setup = { database, redis, mailbox, central, template };

    await bareBullmq(s, 'bench-warm', WARM);
    const bare = await bareBullmq(s, 'bench-bare', JOBS);
    const part = await parts(s);
    const one = await withoutServiceLines(() => inProcessService(s, dataDir, JOBS));
    const threeMs = await childWorkers(s, 3, JOBS);

    console.log(
      `\njobs: ${JOBS} e-mails, one MJML template, SMTP server on loopback in the bench's own process (smtp-mailbox, parses each message)`,
    );
    console.log(`  jobs/s from the first add (baseline) or the rows' commit (service) to the last job done; CPU is this process's`);
    console.log(
      `  baseline: bare BullMQ addBulk + Worker(c=${QUEUES.email.concurrency}), render + SMTP  ${seconds(bare.ms)} s ${rate(JOBS, bare.ms)} jobs/s   ${perJob(bare, JOBS)}`,
    );
    console.log(
      `  service in-process, role worker (1 process)       ${seconds(one.ms)} s ${rate(JOBS, one.ms)} jobs/s   ${perJob(one, JOBS)}   ${(bare.ms / one.ms).toFixed(2)}x baseline (target >= 0.5x)`,
    );
    console.log(
      `  service, 3 x pos central serve --role worker      ${seconds(threeMs)} s ${rate(JOBS, threeMs)} jobs/s   (CPU in the children; the SMTP server's in this one)   ${(bare.ms / threeMs).toFixed(2)}x baseline`,
    );
    console.log(`\njobs: each part alone, ${PARTS} times; SMTP and rows 5 at a time as the worker runs them`);
    console.log(
      `  renderEmail (Handlebars, MJML, html-to-text), one at a time   p50 ${percentile(part.render, 50).toFixed(2)} ms  p99 ${percentile(part.render, 99).toFixed(2)} ms   ${perJob(part.renderCpu, PARTS)}`,
    );
    console.log(
      `  smtpChannel.send, pooled, same server (its parsing included) ${rate(PARTS, part.smtp.ms)} sends/s   ${perJob(part.smtp, PARTS)}`,
    );
    console.log(
      `  the service's rows: claimJob + templateById + recordSent     ${rate(PARTS, part.rows.ms)} jobs/s   ${perJob(part.rows, PARTS)}`,
    );
  } finally {
    await central?.close();
    await mailbox.close();
    await redis.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function fsyncTimes(dir: string, n: number): number[] {
  const file = join(dir, 'bench-fsync.tmp');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(1024, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      writeSync(fd, block, 0, block.length, i * block.length);
      fdatasyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return times.sort((a, b) => a - b);
}

/** sales.complete of one-line cash sales with and without an e-mailed receipt, interleaved. */
async function benchReceiptRequest(): Promise<void> {
  const demo = await openDemoEngine('bench-jobs');
  try {
    const { engine } = demo;
    const token = await signIn(engine, demo.people.cashier.id, demo.people.cashier.pin);
    const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
    ok(await engine.call('shifts.open', { idempotencyKey: 'bench-jobs-shift', openingFloat: '500' }, { token }));
    let n = 0;
    const sell = async (email: boolean) => {
      const sale = ok(await engine.call('sales.open', { idempotencyKey: `bench-jobs-${++n}` }, { token }));
      ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
      const input = {
        saleId: sale.id,
        tenders: [{ methodId: cash, tendered: '50' }],
        ...(email ? { email: `cliente${n}@ejemplo.mx` } : {}),
      };
      const start = performance.now();
      ok(await engine.call('sales.complete', input, { token }));
      return performance.now() - start;
    };
    for (let i = 0; i < 20; i++) await sell(i % 2 === 1);
    const without: number[] = [];
    const withEmail: number[] = [];
    const paired: number[] = [];
    // ABBA: neither kind always goes first after the other.
    for (let i = 0; i < SALES; i++) {
      const emailFirst = i % 2 === 1;
      const first = await sell(emailFirst);
      const second = await sell(!emailFirst);
      withEmail.push(emailFirst ? first : second);
      without.push(emailFirst ? second : first);
      paired.push(withEmail.at(-1)! - without.at(-1)!);
    }
    paired.sort((a, b) => a - b);
    without.sort((a, b) => a - b);
    withEmail.sort((a, b) => a - b);
    report(
      `jobs: sales.complete, one line, cash, with and without an e-mailed receipt (${SALES} each, interleaved)`,
      [
        { name: 'without email', times: without },
        { name: 'with email (receipt request journaled)', times: withEmail },
      ],
      'without email',
    );
    const p50 = percentile(withEmail, 50) - percentile(without, 50);
    const p99 = percentile(withEmail, 99) - percentile(without, 99);
    console.log(`  the request adds: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target: p99 under 1 ms)`);
    console.log(`  paired (each with-email sale minus its neighbour without): median ${percentile(paired, 50).toFixed(2)} ms`);
    // The request is one more journal transaction (synchronous=FULL): one more fsync on this disk.
    const fsyncs = fsyncTimes(demo.dir, SALES);
    console.log(
      `  for scale: a 1 KB write + fdatasync in the same directory   p50 ${percentile(fsyncs, 50).toFixed(2)} ms   p99 ${percentile(fsyncs, 99).toFixed(2)} ms`,
    );
  } finally {
    await demo.dispose();
  }
}

export async function benchJobs(): Promise<void> {
  await benchDelivery();
  await benchReceiptRequest();
}
