// Questions a register asks central while someone waits (a gift card's balance, a charge's
// webhooks, the catalog's conflicts), over the terminal's own login. Each asker has its own small
// pool, apart from the sync loop's, so a question is never queued behind a batch being pushed;
// short deadlines, since a person is waiting: a central that does not answer in a few seconds is
// unreachable for now (CentralUnreachable), while an answer from central that is an error (a
// refusal, a bad argument) is a fault to report, thrown as PostgreSQL gave it.
import pg from 'pg';
import { CentralUnreachable } from '../ports.ts';

export type ShortPoolOptions = { timeoutMs?: number; max?: number };

/** A pool to central with deadlines a waiting person can bear; `purpose` names it in central's pg_stat_activity. */
export function shortCentralPool(url: string, registerId: string, purpose: string, options: ShortPoolOptions = {}): pg.Pool {
  const timeout = options.timeoutMs ?? 3_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 1,
    connectionTimeoutMillis: timeout,
    idleTimeoutMillis: 30_000,
    query_timeout: timeout,
    // UTC by the login's own setting (sync.fence_login), as the sync loop's connections are.
    application_name: `pos-terminal ${registerId} ${purpose}`,
  });
  // A dropped connection is found out by the next question, which says so; never an unhandled error.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * An error PostgreSQL answered with: a SQLSTATE outside connection exceptions (08) and operator
 * intervention (57, a server shutting down): central was there and said no.
 */
export function centralAnswered(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
}

export type AskOptions = {
  /**
   * What to say when central lacks the function asked (42883: a central not yet migrated to it):
   * an outage of that feature, thrown as CentralUnreachable. Without it, central's error is thrown.
   */
  missing?: string;
};

/** `text` selects one value named `answer`; answers it (null when there is none), or throws as above. */
export async function askCentral<T>(pool: pg.Pool, text: string, values: unknown[], options: AskOptions = {}): Promise<T | null> {
  let rows: { answer: T | null }[];
  try {
    ({ rows } = await pool.query<{ answer: T | null }>(text, values));
  } catch (err) {
    if (options.missing !== undefined && (err as { code?: unknown }).code === '42883') throw new CentralUnreachable(options.missing);
    if (centralAnswered(err)) throw err;
    throw new CentralUnreachable(`central did not answer: ${(err as Error).message}`);
  }
  return rows[0]?.answer ?? null;
}
