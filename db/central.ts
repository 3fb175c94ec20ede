// The company's central PostgreSQL: same migrations as the terminal, over node-postgres.
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema/index.ts';
import type { SqlDatabase } from './sql-session.ts';
import { CENTRAL_MIGRATIONS_DIR, loadMigrations, migrate, type MigrationResult } from './migrator.ts';

export type CentralDb = NodePgDatabase<typeof schema>;

export class CentralConnectionError extends Error {
  override name = 'CentralConnectionError';
}

export type Central = { pool: pg.Pool; db: CentralDb; sql: SqlDatabase; close(): Promise<void> };

/** Connects and proves the connection works, turning driver errors into one readable line. */
export async function connectCentral(url: string, opts: { connectTimeoutMs?: number } = {}): Promise<Central> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CentralConnectionError(`not a PostgreSQL URL: "${url}" (expected postgres://user@host:port/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new CentralConnectionError(`not a PostgreSQL URL: "${url}" (expected postgres://user@host:port/database)`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    // Every timestamp is read and written in UTC, whatever the server's default.
    options: '-c TimeZone=UTC',
    max: 4,
    // A central that vanished without closing the socket (power, a dead link) is noticed by the
    // kernel within seconds instead of a query hanging for the OS default of two hours; central
    // sets the same on its side for terminal logins.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its server must not crash the engine; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new CentralConnectionError(`cannot connect to ${redact(parsed)}: ${describePgError(err)}`);
  }
  return { pool, db: drizzle({ client: pool, schema }), sql: poolSession(pool), close: () => pool.end() };
}

export function poolSession(pool: pg.Pool): SqlDatabase {
  return {
    async exec(text) {
      await pool.query(text);
    },
    async query<Row>(text: string, params?: unknown[]) {
      return (await pool.query(text, params)).rows as Row[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (text) => void (await client.query(text)),
          query: async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[],
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

const redact = (url: URL) => `${url.hostname}:${url.port || 5432}${url.pathname}`;

export function describePgError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running and listening there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case '28P01':
      return 'wrong password';
    case '28000':
      return 'login refused for this user';
    case '3D000':
      return 'the database does not exist';
    default:
      return e.message?.split('\n')[0] ?? String(err);
  }
}

/** The shared migrations, then central's own (terminal roles, the sync ledger, row-level security). */
export async function migrateCentral(sql: SqlDatabase): Promise<MigrationResult> {
  const shared = await migrate(sql);
  const own = await migrate(sql, loadMigrations(CENTRAL_MIGRATIONS_DIR), 'public.pos_central_migrations');
  return { applied: [...shared.applied, ...own.applied], alreadyApplied: shared.alreadyApplied + own.alreadyApplied };
}
