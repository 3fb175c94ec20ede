// A PostgreSQL server of the test's own (initdb + pg_ctl from the Debian server package) on a
// free loopback port, with password authentication. Tests that stop, restart or mistreat
// central use this, never the shared server on 5432.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_ROOT = '/usr/lib/postgresql';

export type PrivatePostgres = {
  port: number;
  /** The cluster's directory (data, log, certificates). */
  root: string;
  url(user?: string, password?: string, database?: string): string;
  /** A new empty database owned by the superuser (central's own, for a test). */
  createDatabase(name: string): Promise<void>;
  stop(): void;
  start(): void;
  remove(): void;
};

function binDir(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(PG_ROOT, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
  if (!dir) throw new Error(`no PostgreSQL server binaries under ${PG_ROOT} (apt-get install postgresql)`);
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root; the cluster then belongs to the postgres system user. */
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

export type PrivatePostgresOptions = {
  /** Extra server settings, e.g. ['ssl=on', 'ssl_cert_file=…'], given the cluster's directory. */
  settings?: (root: string) => string[];
  /** Called with the cluster's own directory before the server starts (to place certificates in it). */
  prepare?: (root: string) => void;
};

export async function startPrivatePostgres(
  superPassword = 'central-admin-secret',
  opts: PrivatePostgresOptions = {},
): Promise<PrivatePostgres> {
  const bin = binDir();
  const root = mkdtempSync(join(tmpdir(), 'pos-pg-'));
  chmodSync(root, 0o777);
  const data = join(root, 'data');
  const pwfile = join(root, 'pw');
  writeFileSync(pwfile, `${superPassword}\n`);
  chmodSync(pwfile, 0o644);
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8']);
  opts.prepare?.(root);
  const port = await freePort();
  const extra = (opts.settings?.(root) ?? []).map((x) => ` -c ${x}`).join('');
  const ctl = (action: 'start' | 'stop') =>
    run(
      join(bin, 'pg_ctl'),
      action === 'start'
        ? [
            '-D',
            data,
            '-w',
            '-l',
            join(root, 'log'),
            '-o',
            `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off${extra}`,
            'start',
          ]
        : ['-D', data, '-w', '-m', 'fast', 'stop'],
    );
  ctl('start');
  let running = true;
  return {
    port,
    root,
    url: (user = 'postgres', password = superPassword, database = 'postgres') =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({
        connectionString: `postgres://postgres:${encodeURIComponent(superPassword)}@127.0.0.1:${port}/postgres`,
      });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop() {
      if (running) ctl('stop');
      running = false;
    },
    start() {
      if (!running) ctl('start');
      running = true;
    },
    remove() {
      try {
        if (running) ctl('stop');
      } finally {
        running = false;
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
