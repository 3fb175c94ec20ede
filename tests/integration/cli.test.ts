import { createHmac, pbkdf2Sync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyncConfig } from '#engine/sync/sync-config.ts';
import { writeTerminal } from '#engine/terminal.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { tempDir } from '../support/local.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { POS_BIN, runPos, runProgram, type CliResult } from '../support/run-cli.ts';

/** Whether a PostgreSQL SCRAM-SHA-256 verifier (pg_authid.rolpassword) was made from this password. */
function scramHolds(verifier: string, password: string): boolean {
  const [, iterations, salt, , serverKey] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier) ?? [];
  if (!serverKey) throw new Error(`not a SCRAM verifier: ${verifier.slice(0, 14)}`);
  const salted = pbkdf2Sync(password, Buffer.from(salt!, 'base64'), Number(iterations), 32, 'sha256');
  return createHmac('sha256', salted).update('Server Key').digest('base64') === serverKey;
}

/** A failure is one line on stderr (plus the usage hint for usage errors) and never a stack. */
function expectOneLineError(r: CliResult, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines.slice(1)).toEqual(code === 2 ? ['run "pos help" for usage'] : []);
}

describe('pos db migrate', () => {
  const dir = tempDir('cli-migrate');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database the first time and is a no-op the second', async () => {
    const first = await runPos(['db', 'migrate', '--data-dir', dir]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^applied \d+ migration\(s\): 0000_schemas, 0001_constitution_guards/);
    const second = await runPos(['db', 'migrate', '--data-dir', dir]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/^database is up to date/);
  });

  it('explains a missing option, an option without a value, an unknown option and a stray word in plain words', async () => {
    expectOneLineError(await runPos(['db', 'migrate']), 2, /^pos: missing --data-dir$/);
    expectOneLineError(await runPos(['db', 'migrate', '--data-dir']), 2, /^pos: --data-dir needs a value$/);
    expectOneLineError(await runPos(['db', 'migrate', '--data-dir', '--json']), 2, /^pos: --data-dir needs a value$/);
    expectOneLineError(await runPos(['db', 'migrate', '--data-dir', dir, '--force']), 2, /^pos: "pos db migrate" has no option --force$/);
    expectOneLineError(await runPos(['devices', 'list', '--json=yes']), 2, /^pos: --json takes no value$/);
    expectOneLineError(await runPos(['devices', 'list', 'now']), 2, /^pos: unexpected "now" \(options are written --name value\)$/);
  });
});

describe('pos with a command it does not have', () => {
  it('exits 2 with one line naming what was wrong', async () => {
    expectOneLineError(await runPos([]), 2, /^pos: no command given$/);
    expectOneLineError(await runPos(['explode']), 2, /^pos: unknown command "explode"$/);
    expectOneLineError(await runPos(['db', 'explode']), 2, /^pos: unknown command "db explode" \(pos db has: migrate\)$/);
    expectOneLineError(
      await runPos(['central']),
      2,
      /^pos: "pos central" needs one of: migrate, seed-demo, registers, price, provision-terminal, report, serve, audit, jobs, set-csd, set-pac, set-card-webhook-secret, set-self-invoicing$/,
    );
    expectOneLineError(await runPos(['--data-dir', '/tmp', 'db', 'migrate']), 2, /^pos: the command comes first, before --data-dir$/);
  });
});

describe('pos COMMAND --help', () => {
  const scratch = tempDir('cli-help');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("prints that command's usage for every command the usage lists, and does nothing else", async () => {
    const help = await runPos(['help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    const names = [...help.stdout.matchAll(/^ {2}pos ([a-z]+(?: [a-z][a-z-]*){0,2})(?= |$)/gm)]
      .map((m) => m[1]!)
      .filter((n) => n !== 'help');
    expect(names).toEqual(
      expect.arrayContaining([
        'serve',
        'start',
        'db migrate',
        'central provision-terminal',
        'central registers add',
        'journal verify',
        'print test',
      ]),
    );
    expect(names).toHaveLength(help.stdout.split('\n').filter((l) => l.startsWith('  pos ')).length - 1);
    const missing = join(scratch, 'not-made');
    for (const [n, name] of names.entries()) {
      // Given with a data directory that does not exist, as if the command were about to run.
      const r = await runPos([...name.split(' '), '--data-dir', missing, n % 2 === 0 ? '--help' : '-h']);
      expect(r, name).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout.startsWith(`usage: pos ${name}`), `${name}: ${r.stdout}`).toBe(true);
      expect(r.stdout).not.toContain(`pos ${names[(n + 1) % names.length]} `);
      expect(existsSync(missing), name).toBe(false);
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('answers "pos help COMMAND" with the same text', async () => {
    const flag = await runPos(['journal', 'verify', '--help']);
    expect(await runPos(['help', 'journal', 'verify'])).toEqual(flag);
    expect(flag.stdout).toBe("usage: pos journal verify --data-dir DIR\n\nwalk the journal's hash chain; report the first break\n");
  });
});

describe("the commands that read a terminal's files", () => {
  const scratch = tempDir('cli-read-only');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuse a data directory that does not exist, and do not create it', async () => {
    const missing = join(scratch, 'no-such-terminal');
    for (const command of [
      ['journal', 'verify'],
      ['sync', 'status'],
      ['sync', 'status', '--json'],
      ['audit', 'tail'],
      ['sync', 'now'],
    ]) {
      const r = await runPos([...command, '--data-dir', missing]);
      expectOneLineError(r, 1, new RegExp(`^pos: ${missing} does not exist$`));
      expect(existsSync(missing), command.join(' ')).toBe(false);
    }
  });

  it('refuse a directory with no journal or no database, leaving it empty', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    expectOneLineError(await runPos(['journal', 'verify', '--data-dir', empty]), 1, new RegExp(`^pos: no journal in ${empty}$`));
    expectOneLineError(await runPos(['audit', 'tail', '--data-dir', empty]), 1, new RegExp(`^pos: no terminal database in ${empty}$`));
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('the maintenance commands on a terminal configured to sync', () => {
  // A terminal that has a database already, as one configured to sync has.
  const dir = freshDataDir('cli-maintenance');
  let central: Server;
  const connections: Socket[] = [];
  beforeAll(async () => {
    // Stands where central would be: it counts who calls and never answers, as a black-holed
    // central does, which a sync loop waits out before it can stop.
    central = createServer((socket) => {
      connections.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => central.listen(0, '127.0.0.1', resolve));
    writeTerminal(dir, { businessId: uuidv7(), branchId: uuidv7(), registerId: uuidv7() });
    writeSyncConfig(dir, { url: `postgres://pos_t_maintenance:pw@127.0.0.1:${(central.address() as AddressInfo).port}/pos` });
  });
  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => central.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('leave central to the running terminal: db migrate and audit tail never call it', async () => {
    const migrated = await runPos(['db', 'migrate', '--data-dir', dir]);
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    const tail = await runPos(['audit', 'tail', '--data-dir', dir]);
    expect(tail).toEqual({ code: 0, stderr: '', stdout: 'the audit trail is empty\n' });
    expect(connections).toHaveLength(0);
  });
});

describe('pos central migrate', () => {
  let database: TestDatabase;
  let privatePg: PrivatePostgres;
  beforeAll(async () => {
    database = await createTestDatabase('cli');
    privatePg = await startPrivatePostgres('the-right-password');
  });
  afterAll(async () => {
    await database.drop();
    privatePg.remove();
  });

  it('migrates a PostgreSQL server and is a no-op the second time', async () => {
    const first = await runPos(['central', 'migrate', '--url', database.url]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^applied \d+ migration\(s\) to central/);
    const second = await runPos(['central', 'migrate', '--url', database.url]);
    expect(second.stdout).toMatch(/^central is up to date/);
  });

  it('provisions a register into a file only its owner can read, printing where it went and not the password', async () => {
    expect((await runPos(['central', 'seed-demo', '--url', database.url])).code).toBe(0);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const dir = tempDir('cli-provision');
    try {
      const {
        rows: [register],
      } = await admin.query<{ id: string; branch_id: string; business_id: string }>(
        'SELECT id, branch_id, business_id FROM sales.cash_registers ORDER BY code LIMIT 1',
      );
      const args = [
        'central',
        'provision-terminal',
        '--url',
        database.url,
        '--business',
        register!.business_id,
        '--branch',
        register!.branch_id,
        '--register',
        register!.id,
      ];
      /** What central keeps for the register's login: its SCRAM verifier changes with every new password. */
      const verifier = async () =>
        (
          await admin.query<{ rolpassword: string }>(
            `
        SELECT a.rolpassword FROM pg_authid a JOIN sync.terminals t ON t.role_name = a.rolname WHERE t.register_id = $1`,
            [register!.id],
          )
        ).rows[0]?.rolpassword;
      const passwordIn = (file: string) => {
        const config = JSON.parse(readFileSync(file, 'utf8')) as { terminal: { registerId: string }; central: { url: string } };
        expect(config.terminal.registerId).toBe(register!.id);
        return decodeURIComponent(new URL(config.central.url).password);
      };
      const out = join(dir, 'caja-1.json');

      // A permissive umask: the file's mode must not depend on the shell it was run from.
      const first = await runProgram('sh', ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, POS_BIN, ...args, '--out', out]);
      expect(first).toEqual({
        code: 0,
        stderr: '',
        stdout: `wrote the configuration of register ${register!.id} to ${out} (mode 0600: it holds the password)\n`,
      });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const password = passwordIn(out);
      expect(password.length).toBeGreaterThanOrEqual(24);
      expect(scramHolds((await verifier())!, password)).toBe(true);

      // Refused before central is asked: the register's working password stays the one in the file.
      const before = readFileSync(out, 'utf8');
      expectOneLineError(await runPos([...args, '--out', out]), 1, new RegExp(`^pos: ${out} already exists \\(--force replaces it\\)$`));
      expect(readFileSync(out, 'utf8')).toBe(before);
      expect(scramHolds((await verifier())!, password)).toBe(true);
      expectOneLineError(
        await runPos([...args, '--out', join(dir, 'no-such-dir', 'caja-1.json')]),
        1,
        /^pos: cannot create .*no-such-dir\/caja-1\.json: its directory does not exist$/,
      );
      expect(scramHolds((await verifier())!, password)).toBe(true);

      chmodSync(out, 0o644);
      const forced = await runPos([...args, '--out', out, '--force']);
      expect(forced).toMatchObject({ code: 0, stderr: '' });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const replaced = passwordIn(out);
      expect(replaced).not.toBe(password);
      expect(scramHolds((await verifier())!, replaced)).toBe(true);
      expect(forced.stdout).not.toContain(replaced);
      expect(readdirSync(dir)).toEqual(['caja-1.json']);

      expectOneLineError(await runPos([...args, '--force']), 2, /^pos: --force goes with --out FILE$/);
    } finally {
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a wrong password in one line', async () => {
    expectOneLineError(
      await runPos(['central', 'migrate', '--url', privatePg.url('postgres', 'not-the-password')]),
      1,
      /^pos: cannot connect to 127\.0\.0\.1:\d+\/postgres: wrong password$/,
    );
  });

  it('reports an unreachable server in one line', async () => {
    privatePg.stop();
    try {
      expectOneLineError(
        await runPos(['central', 'migrate', '--url', privatePg.url()]),
        1,
        /^pos: cannot connect to 127\.0\.0\.1:\d+\/postgres: connection refused/,
      );
    } finally {
      privatePg.start();
    }
  });

  it('reports something that is not a PostgreSQL URL', async () => {
    expectOneLineError(await runPos(['central', 'migrate', '--url', 'mysql://root@127.0.0.1/pos']), 1, /^pos: not a PostgreSQL URL/);
    expectOneLineError(await runPos(['central', 'migrate', '--url', 'nonsense']), 1, /^pos: not a PostgreSQL URL/);
  });
});
