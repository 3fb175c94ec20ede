// A PgBouncer of the test's own (Debian's pgbouncer package) in front of the test server, in
// transaction mode and configured as README's chain deployment says: one database entry with a
// bound on its server connections, small per-login pools, and the terminals' logins checked
// against PostgreSQL's own password store (auth_query), so a newly provisioned register needs no
// change here. It listens on a free loopback port chosen up front, so a test can hand terminals
// its address before it is started (central "down") and start it later.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Central } from '#db/central.ts';
import { ADMIN_URL } from './central.ts';
import { freePort } from './private-postgres.ts';

export type PgbouncerSettings = {
  /** The database on the test server the pooler stands in front of. */
  database: string;
  /** The most server connections to it, whoever logs in (max_db_connections). */
  maxDbConnections: number;
  /** Server connections per login (default_pool_size). */
  poolSize: number;
  /** Client connections the pooler accepts in all (max_client_conn). */
  maxClients: number;
  /** The login the pooler looks passwords up as, and its query (README's pgbouncer.user_lookup). */
  lookup: { user: string; password: string; query: string };
  /** README's entry for the registers' shared probe: its name, its server connections all as pos_prober. */
  probeAlias?: string;
};

export type PrivatePgbouncer = {
  port: number;
  /** The name clients give as their database (the [databases] entry). */
  alias: string;
  /** A login's URL through the pooler. */
  url(user: string, password: string): string;
  /** Started and not stopped since. */
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The pooler's console (SHOW SERVERS, SHOW POOLS), for a login that may only read its statistics. */
  consoleUrl: string;
  /** The pooler's log, for a failure's message. */
  log(): string;
  remove(): Promise<void>;
};

const BIN = '/usr/sbin/pgbouncer';
/** A login of the pooler's own console only (SHOW SERVERS), never of PostgreSQL. */
const STATS_USER = 'pos_pooler_stats';

export function pgbouncerInstalled(): boolean {
  return spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0;
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * README's lookup for the pooler, in central's database: a login of its own (a cluster's role: the
 * caller drops it) that can read terminal logins' secrets only.
 */
export async function installPoolerLookup(central: Central, database: string, user: string, password: string) {
  await central.sql.exec(`
    CREATE ROLE ${user} LOGIN PASSWORD '${password}';
    CREATE SCHEMA pgbouncer;
    CREATE FUNCTION pgbouncer.user_lookup(i_username text, OUT uname text, OUT phash text)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
      SELECT rolname::text, CASE WHEN rolvaliduntil < now() THEN NULL ELSE rolpassword END
      FROM pg_authid WHERE rolname = i_username AND rolcanlogin AND NOT rolsuper AND pg_has_role(oid, 'pos_terminal', 'MEMBER')
    $$;
    REVOKE ALL ON FUNCTION pgbouncer.user_lookup(text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION pgbouncer.user_lookup(text) TO ${user};
    GRANT USAGE ON SCHEMA pgbouncer TO ${user};
    GRANT CONNECT ON DATABASE ${database} TO ${user};`);
  return { user, password, query: 'SELECT uname, phash FROM pgbouncer.user_lookup($1)' };
}

export async function preparePgbouncer(settings: PgbouncerSettings): Promise<PrivatePgbouncer> {
  if (!pgbouncerInstalled()) throw new Error(`the chain test needs PgBouncer at ${BIN} (apt-get install pgbouncer)`);
  const server = new URL(ADMIN_URL);
  const root = mkdtempSync(join(tmpdir(), 'pos-pgbouncer-'));
  // PgBouncer will not run as root: as root it is started as the postgres system user, who must reach these files.
  chmodSync(root, 0o777);
  const port = await freePort();
  const alias = 'central';
  const ini = join(root, 'pgbouncer.ini');
  const userlist = join(root, 'userlist.txt');
  const logfile = join(root, 'pgbouncer.log');
  // Listed: the console's login and the lookup login; every terminal's password is looked up in PostgreSQL.
  const statsPassword = `stats-${port}`;
  const { lookup } = settings;
  writeFileSync(userlist, `${quote(STATS_USER)} ${quote(statsPassword)}\n${quote(lookup.user)} ${quote(lookup.password)}\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `${alias} = host=${server.hostname} port=${server.port || 5432} dbname=${settings.database} max_db_connections=${settings.maxDbConnections}`,
      // The test server trusts 127.0.0.1, so pos_prober needs no password in the userlist here.
      ...(settings.probeAlias
        ? [
            `${settings.probeAlias} = host=${server.hostname} port=${server.port || 5432} dbname=${settings.database} user=pos_prober pool_size=2`,
          ]
        : []),
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      `logfile = ${logfile}`,
      `pidfile = ${join(root, 'pgbouncer.pid')}`,
      'pool_mode = transaction',
      `stats_users = ${STATS_USER}`,
      `max_client_conn = ${settings.maxClients}`,
      `default_pool_size = ${settings.poolSize}`,
      `max_db_connections = ${settings.maxDbConnections}`,
      'auth_type = scram-sha-256',
      `auth_file = ${userlist}`,
      `auth_user = ${lookup.user}`,
      `auth_query = ${lookup.query}`,
      // A login's idle server connection closes after 5 s, and at once when another login needs its
      // place (PgBouncer evicts idle ones when the database is at max_db_connections).
      'server_idle_timeout = 5',
      // Every 5 s the log says how many transactions ran and how long clients waited for a server connection.
      'stats_period = 5',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  for (const f of [ini, userlist]) chmodSync(f, 0o644);
  let child: ChildProcess | null = null;
  // Running for a client is taking connections, not merely spawned.
  let accepted = false;
  let exited: Promise<void> = Promise.resolve();
  const readLog = () => {
    try {
      return readFileSync(logfile, 'utf8');
    } catch {
      return '';
    }
  };
  const accepting = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const bouncer: PrivatePgbouncer = {
    port,
    alias,
    get running() {
      return accepted;
    },
    url: (user, password) => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${alias}`,
    async start() {
      if (child) return;
      const asRoot = process.getuid?.() === 0;
      const started = spawn(BIN, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      started.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      const deadline = Date.now() + 10_000;
      while (!(await accepting())) {
        if (started.exitCode !== null || Date.now() > deadline) {
          throw new Error(`pgbouncer did not start on ${port}: ${stderr}${readLog().slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      accepted = true;
    },
    async stop() {
      if (!child) return;
      accepted = false;
      // SIGTERM: immediate shutdown, every client and server connection closed.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      child = null;
    },
    consoleUrl: `postgres://${STATS_USER}:${statsPassword}@127.0.0.1:${port}/pgbouncer`,
    log: readLog,
    async remove() {
      await bouncer.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return bouncer;
}
