// What the push and the pull share about reaching central: each its own one-connection pool,
// and a check, once per connection, that central knows this login as this register.
import { Socket } from 'node:net';
import pg from 'pg';
import { checkCentral } from './central-check.ts';

/** The probe is the pull's question "did anything change?", where it goes to the registers' shared pooler entry. */
export type SideName = 'push' | 'pull' | 'probe';

/** A central (or a pooler in front of it) that does not take the TCP connection within this is unreachable. */
export const REACH_MS = 5_000;
/**
 * Once it has, the login itself may take as long as a statement may: a pooler holds a login while
 * it opens a server connection for it, and when a chain's registers all come back at once that
 * is a queue, not an outage. A register that gave up there would only lose its place in it and
 * rest out its backoff (up to a minute) before queueing again.
 */
export const LOGIN_MS = 60_000;

/** Thrown when the TCP connection is not taken within REACH_MS; describeSyncError words it. */
export const UNREACHED = `central did not take the connection within ${REACH_MS / 1000} s`;

/** A socket for node-postgres that gives up on the TCP connection alone after `ms`. */
export function socketWithin(ms: number): () => Socket {
  return () => {
    const socket = new Socket();
    // Timers run before I/O in each turn of the event loop: a thread kept off the CPU past `ms`
    // (the push thread yields to selling) would find its timer due before hearing that the
    // connection was taken long ago, and call a central that answered unreachable. The verdict
    // waits for the I/O of that same turn.
    const giveUp = () => {
      if (socket.connecting) socket.destroy(Object.assign(new Error(UNREACHED), { code: 'ETIMEDOUT' }));
    };
    const timer = setTimeout(() => setImmediate(giveUp), ms);
    timer.unref();
    const settled = () => clearTimeout(timer);
    socket.once('connect', settled);
    socket.once('close', settled);
    return socket;
  };
}

/** One connection for a side: the push's, the pull's and the probe's never wait for each other. */
export function openSidePool(url: string, registerId: string, which: SideName): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    stream: socketWithin(REACH_MS),
    connectionTimeoutMillis: LOGIN_MS,
    idleTimeoutMillis: 30_000,
    // A central that stops answering mid-batch (a dropped link, a stalled proxy) must not
    // hold the loop forever; the batch is simply sent again.
    query_timeout: 60_000,
    keepAlive: true,
    // Node's default leaves the OS's two hours before the first probe: a dead central is noticed in seconds instead.
    keepAliveInitialDelayMillis: 10_000,
    // No startup options: a pooler in transaction mode refuses them, and the login's own
    // settings (sync.fence_login) already make its sessions UTC and fence their timeouts.
    application_name: `pos-terminal ${registerId} ${which}`,
  });
  // A connection central cuts (a restart, pg_terminate_backend) fails the query that used it;
  // the 'error' event it also emits, idle or checked out, is not news and must not crash the engine.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** The register's own login and settings, to another database of the same server or pooler. */
export function urlOfDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
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
