// The job queues: one BullMQ queue per kind of work, declared here and nowhere else. Redis holds
// the queues; PostgreSQL holds the rows that make a job's effect happen once (a job that Redis
// loses or that runs twice finds its row and does nothing more).
import { Queue, type DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';

export const QUEUE_PREFIX = 'pos';

export type QueueKind = {
  /** Jobs a worker process runs at once. */
  concurrency: number;
  /** The channel's rate limit, shared by every worker on every machine (BullMQ keeps it in Redis). */
  limiter?: { max: number; duration: number };
  jobs: DefaultJobOptions;
};

// A failed job is retried with exponential backoff; after the last attempt it stays in the
// failed state with its reason (the dead letter) until `pos central jobs --retry ID`.
const retried = (attempts: number, delay: number): DefaultJobOptions => ({
  attempts,
  backoff: { type: 'exponential', delay },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: false,
});

export const QUEUES = {
  // Sending waits on PostgreSQL and the provider far more than it computes.
  email: { concurrency: 10, limiter: { max: 20, duration: 1000 }, jobs: retried(6, 30_000) },
  sms: { concurrency: 2, limiter: { max: 5, duration: 1000 }, jobs: retried(6, 30_000) },
  whatsapp: { concurrency: 2, limiter: { max: 10, duration: 1000 }, jobs: retried(6, 30_000) },
  push: { concurrency: 10, limiter: { max: 50, duration: 1000 }, jobs: retried(4, 10_000) },
  fiscal: { concurrency: 2, limiter: { max: 5, duration: 1000 }, jobs: retried(10, 60_000) },
  maintenance: { concurrency: 1, jobs: retried(3, 60_000) },
} satisfies Record<string, QueueKind>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * A Redis connection for BullMQ. Workers need maxRetriesPerRequest: null (their blocking reads
 * wait for Redis to come back instead of failing); an error event is logged, never thrown.
 */
export function redisConnection(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', onError);
  return redis;
}

export function openQueues(connection: Redis): Record<QueueName, Queue> {
  return Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix: QUEUE_PREFIX, defaultJobOptions: QUEUES[name].jobs })]),
  ) as Record<QueueName, Queue>;
}
