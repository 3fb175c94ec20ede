// What the push and the pull share about reaching central: each its own one-connection pool,
// and a check, once per connection, that central knows this login as this register.
import pg from 'pg';
import { checkCentral } from './central-check.ts';

export type SideName = 'push' | 'pull';

/** One connection for a side: the push's and the pull's never wait for each other. */
export function openSidePool(url: string, registerId: string, which: SideName): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A central that stops answering mid-batch (a dropped link, a stalled proxy) must not
    // hold the loop forever; the batch is simply sent again.
    query_timeout: 60_000,
    keepAlive: true,
    // Node's default leaves the OS's two hours before the first probe: a dead central is noticed in seconds instead.
    keepAliveInitialDelayMillis: 10_000,
    options: '-c TimeZone=UTC',
    application_name: `pos-terminal ${registerId} ${which}`,
  });
  // A connection central cuts (a restart, pg_terminate_backend) fails the query that used it;
  // the 'error' event it also emits, idle or checked out, is not news and must not crash the engine.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Checks a connection once: central knows this login as this register and has this terminal's
 * migrations. The answer says whether the connection was new to it.
 */
export function readinessCheck(registerId: string): (client: pg.PoolClient) => Promise<boolean> {
  const checked = new WeakSet<pg.PoolClient>();
  return async (client) => {
    if (checked.has(client)) return false;
    await checkCentral(client, registerId);
    checked.add(client);
    return true;
  };
}
