// `pos central serve`: the HTTP side, the queue workers, or both, in one process. Starting never
// waits for PostgreSQL or Redis (a service that comes up before its database is normal in a
// fleet): /readyz says what is missing until they answer. Stopping (SIGTERM) takes no new
// requests and no new jobs, lets the jobs in hand finish, then closes every connection.
import pg from 'pg';
import { Redis } from 'ioredis';
import { Worker, type Processor } from 'bullmq';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { AppDb } from '#db/app-db.ts';
import { poolSession } from '#db/central.ts';
import * as schema from '#db/schema/index.ts';
import { type CentralConfig, JOB_LOCK_MS } from './config.ts';
import { openCentralLog } from './central-log.ts';
import { buildCentralApp } from './http-app.ts';
import { readinessProbe } from './readiness.ts';
import { openQueues, QUEUE_NAMES, QUEUE_PREFIX, QUEUES, redisConnection, type QueueName } from './queues.ts';
import { maintenanceHandler, scheduleMaintenance } from './maintenance/maintenance-jobs.ts';
import { channelsFrom } from './notify/channels-from-config.ts';
import { dispatchDue, startDispatcher } from './notify/dispatcher.ts';
import { notificationProcessor } from './notify/send-job.ts';
import { FISCAL_PASS_JOB, fiscalHandler, scheduleFiscal } from './fiscal/fiscal-jobs.ts';
import { redisThrottle } from './self-invoice/throttle.ts';

export type RunningCentral = { url: string | null; stop(): Promise<void> };

/** How long a job in hand gets to finish after SIGTERM; systemd's and Docker's stop timeouts must be longer. */
const JOB_GRACE_MS = 25_000;
/** Closing a connection to a server that is gone waits no longer than this. */
const CLOSE_MS = 2_000;

/** Settles within `ms` whatever the promise does: shutdown goes on past a step that hangs. */
const atMost = (ms: number, promise: Promise<unknown>) =>
  Promise.race([promise.catch(() => {}), new Promise<void>((r) => setTimeout(r, ms).unref())]);

export async function startCentralService(config: CentralConfig, opts: { now?: () => Date } = {}): Promise<RunningCentral> {
  const now = opts.now ?? (() => new Date());
  const log = openCentralLog(config.logDir, { role: config.role });
  const logger = log.logger;
  const pool = new pg.Pool({
    connectionString: config.url,
    options: '-c TimeZone=UTC',
    max: 8,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A lost idle connection is replaced at the next query; /readyz reports the outage meanwhile.
  pool.on('error', (err) => logger.warn({ err }, 'a PostgreSQL connection was lost'));
  const sql = poolSession(pool);
  const db = drizzle({ client: pool, schema }) as unknown as AppDb;

  let redisDown = false;
  const onRedisError = (err: Error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err }, 'Redis is unreachable; jobs wait until it is back');
  };
  const redis = redisConnection(config.redis, onRedisError);
  redis.on('ready', () => {
    if (redisDown) logger.info('Redis is back');
    redisDown = false;
  });
  // The probe's own connection fails fast instead of queueing a PING until Redis returns.
  const probeRedis = new Redis(config.redis, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 500 });
  probeRedis.on('error', () => {});
  const queues = openQueues(redis);
  for (const queue of Object.values(queues)) queue.on('error', onRedisError);

  let stopping: Promise<void> | null = null;
  const workers: Worker[] = [];
  const channels = config.role === 'web' ? {} : channelsFrom(config);
  let dispatcher: { stop(): Promise<void> } | null = null;
  if (config.role !== 'web') {
    const send = notificationProcessor({
      sql,
      db,
      channels,
      leaseMs: config.leaseMs,
      redispatchMs: config.redispatchMs,
      logTtlDays: config.logTtlDays,
      mailDomain: config.email?.domain ?? 'localhost',
      phoneLinks: config.push,
      now,
    });
    const handlers: Partial<Record<QueueName, Processor>> = {
      maintenance: maintenanceHandler({
        sql,
        archiveDir: config.archiveDir,
        hotDays: config.hotDays,
        logTtlDays: config.logTtlDays,
        alertEveryMs: config.alertEveryMs,
        now,
      }),
      fiscal: fiscalHandler({ pool, sql, dataDir: config.dataDir, now, globalSettleMinutes: config.globalSettleMinutes }, logger),
      ...(channels.EMAIL ? { email: send } : {}),
      ...(channels.SMS ? { sms: send } : {}),
      ...(channels.WHATSAPP ? { whatsapp: send } : {}),
      ...(channels.PUSH ? { push: send } : {}),
    };
    const limits: Partial<Record<QueueName, { max: number; duration: number }>> = { email: { max: config.emailRate, duration: 1000 } };
    for (const name of QUEUE_NAMES) {
      const handler = handlers[name];
      if (!handler) continue;
      const kind = QUEUES[name];
      const limiter = limits[name] ?? ('limiter' in kind ? kind.limiter : undefined);
      const worker = new Worker(name, handler, {
        connection: redis,
        prefix: QUEUE_PREFIX,
        concurrency: kind.concurrency,
        // A worker that dies loses its jobs' locks within this and another worker takes them;
        // one merely slow keeps renewing them. The rows' lease is never shorter (config.ts).
        lockDuration: JOB_LOCK_MS,
        stalledInterval: JOB_LOCK_MS,
        ...(limiter ? { limiter } : {}),
      });
      worker.on('error', onRedisError);
      worker.on('completed', (job, result) => logger.info({ queue: name, job: job.id, name: job.name, result }, 'job done'));
      worker.on('failed', (job, err) =>
        logger.warn({ queue: name, job: job?.id, name: job?.name, attempts: job?.attemptsMade, err }, 'job failed'),
      );
      workers.push(worker);
    }
    // Only the queues this process can send on: the rows of the others wait for a process that can.
    const sendable = Object.fromEntries(Object.entries(queues).filter(([name]) => handlers[name as QueueName] && name !== 'maintenance'));
    dispatcher = startDispatcher(
      (limit) => dispatchDue(sql, sendable, { leaseMs: config.leaseMs, redispatchMs: config.redispatchMs }, limit),
      { everyMs: 500, onError: (err) => logger.warn({ err }, 'notifications could not be handed to the queues; trying again') },
    );
    // In the background: with Redis down at start, the schedules are registered once it is up.
    scheduleMaintenance(queues.maintenance, config.schedules, config.alertEveryMs).catch((err) => {
      if (!stopping) logger.error({ err }, 'the maintenance schedules could not be registered');
    });
    scheduleFiscal(queues.fiscal, config.fiscalEveryMs).catch((err) => {
      if (!stopping) logger.error({ err }, 'the fiscal schedule could not be registered');
    });
  }

  // Self-invoicing's limits count in Redis on a connection of their own that fails fast: a
  // customer's request never waits for Redis to come back (the limiter counts in memory meanwhile).
  const throttleRedis =
    config.role === 'worker'
      ? null
      : new Redis(config.redis, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 500 });
  throttleRedis?.on('error', () => {});
  const stampSoon = (businessId: string) => {
    queues.fiscal
      .add(FISCAL_PASS_JOB, { businessId }, { removeOnComplete: 100, removeOnFail: 100 })
      .catch((err: unknown) => logger.warn({ err, businessId }, 'self-invoice: no fiscal pass could be asked for; the schedule stamps it'));
  };

  let url: string | null = null;
  const app =
    throttleRedis === null
      ? null
      : buildCentralApp({
          logger,
          role: config.role,
          readiness: readinessProbe(pool, probeRedis),
          ...(config.push ? { push: { sql, vapidPublicKey: config.push.publicKey, linkSecret: config.push.linkSecret, now } } : {}),
          selfInvoice: {
            sql,
            dataDir: config.dataDir,
            daysAfterMonth: config.selfInvoice.daysAfterMonth,
            throttle: redisThrottle(throttleRedis, config.selfInvoice),
            stampSoon,
            now,
          },
          cardWebhooks: { sql, dataDir: config.dataDir, now },
          trustProxy: config.trustProxy,
        });
  if (app) {
    try {
      url = await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      await Promise.allSettled([...workers.map((w) => w.close()), ...Object.values(queues).map((q) => q.close())]);
      redis.disconnect();
      probeRedis.disconnect();
      throttleRedis?.disconnect();
      await pool.end();
      log.close();
      throw new Error(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
    }
  }
  logger.info({ url, workers: workers.map((w) => w.name), archiveDir: config.archiveDir, logFile: log.file }, 'central service ready');

  return {
    url,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping: no new requests or jobs; finishing the jobs in hand');
        await app?.close();
        // close() waits for the jobs being processed; jobs not started stay in Redis for another
        // worker. A job cut off by the grace period keeps its lock until it expires, and BullMQ
        // then hands it to another worker as stalled; its database row makes the rerun harmless.
        // Without Redis no job in hand can be finished or handed back: nothing to wait for.
        await dispatcher?.stop();
        const force = redis.status !== 'ready';
        await atMost(force ? CLOSE_MS : JOB_GRACE_MS, Promise.allSettled(workers.map((w) => w.close(force))));
        await atMost(CLOSE_MS, Promise.allSettled(Object.values(queues).map((q) => q.close())));
        await atMost(CLOSE_MS, Promise.allSettled(Object.values(channels).map((c) => c.close())));
        if (redis.status === 'ready') await atMost(CLOSE_MS, redis.quit());
        redis.disconnect();
        probeRedis.disconnect();
        throttleRedis?.disconnect();
        await atMost(CLOSE_MS, pool.end());
        logger.info('stopped');
        log.close();
      })();
      return stopping;
    },
  };
}
