// `pos central jobs`: what the queues hold (state, attempts, why a job failed) and a retry for a
// failed one (a dead letter put back after its cause was fixed). Notifications are listed from
// their rows instead (notify/notification-report.ts): Redis may have lost their jobs.
import { Queue, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES, QUEUE_PREFIX, type QueueName } from './queues.ts';

export type JobLine = {
  queue: QueueName;
  id: string;
  name: string;
  state: string;
  attempts: number;
  failedReason: string | null;
  at: string;
};

const STATES: JobType[] = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'];

async function withQueues<T>(redisUrl: string, fn: (queues: Record<QueueName, Queue>) => Promise<T>): Promise<T> {
  // One try, no reconnecting: a command line answers at once when Redis is not there.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${new URL(redisUrl).host}: ${(err as Error).message}`);
  }
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: redis, prefix: QUEUE_PREFIX })]),
  ) as Record<QueueName, Queue>;
  try {
    return await fn(queues);
  } finally {
    await Promise.allSettled(Object.values(queues).map((q) => q.close()));
    redis.disconnect();
  }
}

export function listJobs(redisUrl: string, opts: { failedOnly: boolean; limit: number; queues?: QueueName[] }): Promise<JobLine[]> {
  return withQueues(redisUrl, async (all) => {
    const lines: JobLine[] = [];
    for (const queue of (opts.queues ?? QUEUE_NAMES).map((name) => all[name])) {
      const jobs = await queue.getJobs(opts.failedOnly ? ['failed'] : STATES, 0, opts.limit - 1);
      for (const job of jobs) {
        if (!job?.id) continue;
        lines.push({
          queue: queue.name as QueueName,
          id: job.id,
          name: job.name,
          state: await job.getState(),
          attempts: job.attemptsMade,
          failedReason: job.failedReason || null,
          at: new Date(job.timestamp).toISOString(),
        });
      }
    }
    return lines.sort((a, b) => a.at.localeCompare(b.at));
  });
}

/** Puts a failed job back in its queue; ID is QUEUE/ID as listed, or the bare ID when only one queue has it. */
export function retryJob(redisUrl: string, ref: string): Promise<JobLine['queue']> {
  const slash = ref.indexOf('/');
  const [queueName, id] = slash > 0 ? [ref.slice(0, slash), ref.slice(slash + 1)] : [null, ref];
  if (queueName !== null && !(QUEUE_NAMES as string[]).includes(queueName))
    throw new Error(`no queue is called "${queueName}" (queues: ${QUEUE_NAMES.join(', ')})`);
  return withQueues(redisUrl, async (queues) => {
    const found = [];
    for (const queue of Object.values(queues)) {
      if (queueName !== null && queue.name !== queueName) continue;
      const job = await queue.getJob(id);
      if (job) found.push(job);
    }
    if (found.length === 0) throw new Error(`no job ${ref} in the queues`);
    if (found.length > 1) throw new Error(`job ${id} is in ${found.map((j) => j.queueName).join(' and ')}: name it QUEUE/${id}`);
    const job = found[0]!;
    const state = await job.getState();
    if (state !== 'failed') throw new Error(`job ${job.queueName}/${id} is ${state}, not failed: only a failed job is retried`);
    await job.retry('failed');
    return job.queueName as QueueName;
  });
}

export function formatJobs(lines: JobLine[]): string {
  if (lines.length === 0) return 'no jobs';
  return lines
    .map(
      (j) =>
        `${j.at}  ${`${j.queue}/${j.id}`.padEnd(56)} ${j.name.padEnd(30)} ${j.state.padEnd(9)} attempts ${j.attempts}` +
        (j.failedReason ? `  ${j.failedReason.split('\n')[0]}` : ''),
    )
    .join('\n');
}
