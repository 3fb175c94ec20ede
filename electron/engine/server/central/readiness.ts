// /readyz: whether this process can do its work now. PostgreSQL answers, Redis answers, and
// central's schema is the one this build expects (a service ahead of `pos central migrate`
// would fail on every job). Each check has a deadline, so a hung server reads as not ready
// instead of a hung probe.
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { CENTRAL_MIGRATIONS_DIR, loadMigrations } from '#db/migrator.ts';

export type Readiness = { ready: boolean; checks: Record<'postgres' | 'redis' | 'migrations', string> };

const DEADLINE_MS = 2000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The migrations this build carries, each list with the table that records it. */
export function expectedMigrations(): { table: string; tags: string[] }[] {
  return [
    { table: 'public.pos_migrations', tags: loadMigrations().map((m) => m.tag) },
    { table: 'public.pos_central_migrations', tags: loadMigrations(CENTRAL_MIGRATIONS_DIR).map((m) => m.tag) },
  ];
}

export function readinessProbe(pool: pg.Pool, redis: Redis, expected = expectedMigrations()): () => Promise<Readiness> {
  return async () => {
    const checks: Readiness['checks'] = { postgres: 'ok', redis: 'ok', migrations: 'ok' };
    const [postgres, ping] = await Promise.allSettled([
      within(pool.query('SELECT 1'), 'PostgreSQL'),
      within(
        connected(redis).then(() => redis.ping()),
        'Redis',
      ),
    ]);
    if (postgres.status === 'rejected') checks.postgres = oneLine(postgres.reason);
    if (ping.status === 'rejected') checks.redis = oneLine(ping.reason);
    if (postgres.status === 'fulfilled') {
      try {
        const pending: string[] = [];
        for (const { table, tags } of expected) {
          const { rows } = await within(
            pool.query<{ tag: string }>(`SELECT tag FROM ${table}`).catch((err) => {
              // No table yet: nothing was ever migrated.
              if ((err as { code?: string }).code === '42P01') return { rows: [] as { tag: string }[] };
              throw err;
            }),
            'PostgreSQL',
          );
          const applied = new Set(rows.map((r) => r.tag));
          pending.push(...tags.filter((t) => !applied.has(t)));
        }
        if (pending.length > 0) checks.migrations = `${pending.length} pending (run "pos central migrate"): ${pending.join(', ')}`;
      } catch (err) {
        checks.migrations = oneLine(err);
      }
    } else checks.migrations = 'unknown: PostgreSQL did not answer';
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  };
}

/** Redis once it is connected: a probe just after start, or while it reconnects, waits for it within the deadline. */
function connected(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'end') return Promise.reject(new Error('not connected (closed)'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`not connected (${redis.status})`));
    }, DEADLINE_MS - 100);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
