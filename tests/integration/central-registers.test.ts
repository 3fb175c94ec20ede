// `pos central registers add|list` and provision-terminal by codes, as central's operator runs
// them against a migrated central holding the demo store: a register is added to a branch by its
// code (with central's audit entry), listed with whether it has a login and when central last
// heard from it, and given its login by the branch's and its own codes; a duplicate code, an
// unknown branch or business is refused in one line and writes nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import type { TestDatabase } from '../support/central.ts';
import { runPos } from '../support/run-cli.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { branchId, businessId, createCentral, demo } from '../support/sync-fixture.ts';

const POOLER = 'postgres://anyone@pooler.example:6432/pos_chain?sslmode=require';

describe('pos central registers', () => {
  let database: TestDatabase;
  let central: Central;
  const branch = demo.store.branch.code;
  const registers = () =>
    central.sql.query<{ id: string; code: string; name: string }>(
      `SELECT id, code, name FROM sales.cash_registers WHERE business_id = $1 ORDER BY code`,
      [businessId],
    );

  /** `pos central COMMAND --url … --business …` as central's owner, with the rest of the flags. */
  const asOwner = (command: string, ...flags: string[]) =>
    runPos(['central', ...command.split(' '), '--url', database.url, '--business', businessId, ...flags]);

  beforeAll(async () => {
    ({ database, central } = await createCentral('central_registers', 1));
  }, 120_000);

  afterAll(async () => {
    await central?.close();
    await database?.drop();
  });

  it('adds a register to a branch by its code, with the operator in central’s audit trail', async () => {
    const added = await asOwner('registers add', '--branch', branch, '--code', 'caja-9', '--name', 'Caja del fondo');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const row = (await registers()).find((r) => r.code === 'CAJA-9');
    expect(row).toMatchObject({ name: 'Caja del fondo' });
    expect(added.stdout).toBe(`added register CAJA-9 (Caja del fondo) to branch ${branch}: ${row!.id}\n`);
    const [audit] = await central.sql.query<{ action: string; details: { via: string; by: string } }>(
      `SELECT action, details FROM auth.audit_logs WHERE entity_id = $1`,
      [row!.id],
    );
    expect(audit).toMatchObject({ action: 'register.add', details: { via: 'pos central registers add' } });
    expect(audit!.details.by).toMatch(/@/);
  });

  it('refuses a code the branch already has, a branch or business it does not know, in one line, adding nothing', async () => {
    const before = await registers();
    const again = await asOwner('registers add', '--branch', branch, '--code', 'CAJA-9');
    expect(again).toMatchObject({ code: 1, stderr: `pos: branch ${branch} already has a register CAJA-9\n` });
    const nowhere = await asOwner('registers add', '--branch', 'NORTE', '--code', 'CAJA-10');
    expect(nowhere).toMatchObject({ code: 1, stderr: `pos: the business has no branch NORTE (its branches: ${branch})\n` });
    const stranger = await runPos([
      'central',
      'registers',
      'list',
      '--url',
      database.url,
      '--business',
      '0192f3a1-0000-7000-8000-0000000000ff',
    ]);
    expect(stranger).toMatchObject({ code: 1, stderr: 'pos: central has no business 0192f3a1-0000-7000-8000-0000000000ff\n' });
    const badCode = await asOwner('registers add', '--branch', branch, '--code', 'caja 10!');
    expect(badCode.code).toBe(1);
    expect(badCode.stderr).toMatch(/^pos: --code: letters, digits and dashes/);
    expect(await registers()).toEqual(before);
  });

  it('makes the login of a register named by its branch’s and its own codes, and lists who has one', async () => {
    const provisioned = await asOwner('provision-terminal', '--branch', branch, '--register', 'CAJA-9');
    expect(provisioned.stderr).toBe('');
    const config = JSON.parse(provisioned.stdout) as { terminal: { registerId: string; branchId: string } };
    const row = (await registers()).find((r) => r.code === 'CAJA-9')!;
    expect(config.terminal.registerId).toBe(row.id);

    const listed = await asOwner('registers list');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.includes('CAJA-9'))).toMatch(
      new RegExp(`^${branch}\\s+CAJA-9\\s+Caja del fondo\\s+${row.id}  login made, never seen$`),
    );
    expect(lines.find((l) => l.includes('CAJA-1'))).toMatch(/no login yet, never seen$/);
    const json = JSON.parse((await asOwner('registers list', '--json')).stdout);
    expect(json).toContainEqual(
      expect.objectContaining({ code: 'CAJA-9', branchCode: branch, provisionedAt: expect.any(String), lastSeenAt: null }),
    );

    const unknown = await asOwner('provision-terminal', '--branch', branch, '--register', 'CAJA-77');
    expect(unknown).toMatchObject({
      code: 1,
      stderr: `pos: branch ${branch} has no register CAJA-77 (add it: pos central registers add)\n`,
    });
  });

  it('writes a pooler’s address into the register’s URL when told where registers connect, keeping the login it made', async () => {
    const provisioned = await asOwner('provision-terminal', '--branch', branch, '--register', 'CAJA-9', '--connect-url', POOLER);
    expect(provisioned.stderr).toBe('');
    const url = new URL((JSON.parse(provisioned.stdout) as { central: { url: string } }).central.url);
    expect({ host: url.host, path: url.pathname, sslmode: url.searchParams.get('sslmode') }).toEqual({
      host: 'pooler.example:6432',
      path: '/pos_chain',
      sslmode: 'require',
    });
    expect(url.username).toMatch(/^pos_t_[0-9a-f]{24}$/);
    // The login and password are the ones central made: they open central itself.
    const direct = new URL(database.url);
    direct.username = url.username;
    direct.password = decodeURIComponent(url.password);
    const login = new pg.Client({ connectionString: direct.toString() });
    await login.connect();
    try {
      expect((await login.query<{ who: string }>('SELECT session_user AS who')).rows[0]!.who).toBe(url.username);
    } finally {
      await login.end();
    }

    const refused = await asOwner('provision-terminal', '--branch', branch, '--register', 'CAJA-9', '--connect-url', 'pooler.example:6432');
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^pos: --connect-url must be a PostgreSQL URL such as postgres:\/\/user:password@host:5432\/database\n/,
      ),
    });

    // The pooler's entry for the registers' shared probe goes into the configuration beside the register's probe key.
    const caja9 = (...flags: string[]) => asOwner('provision-terminal', '--branch', branch, '--register', 'CAJA-9', ...flags);
    const probing = await caja9('--connect-url', POOLER, '--probe-database', 'pos_probe');
    expect(probing.stderr).toBe('');
    expect((JSON.parse(probing.stdout) as { central: object }).central).toMatchObject({
      probeDatabase: 'pos_probe',
      probeKey: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    const [{ keys }] = (await central.sql.query<{ keys: number }>(
      'SELECT count(probe_key_hash)::int AS keys FROM sync.terminals t JOIN sales.cash_registers r ON r.id = t.register_id WHERE r.code = $1',
      ['CAJA-9'],
    )) as [{ keys: number }];
    expect(keys).toBe(1);
    expect(await caja9('--probe-database', 'pos_probe')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^pos: --probe-database names an entry of the PgBouncer given by --connect-url\n/),
    });
    expect(await caja9('--connect-url', POOLER, '--probe-database', 'pos probe;')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^pos: --probe-database must be a database name as PgBouncer lists it\n/),
    });
  });

  it('gives logins to a branch’s registers provisioned all at once, none failing for the others', async () => {
    const codes = ['CAJA-20', 'CAJA-21', 'CAJA-22', 'CAJA-23', 'CAJA-24', 'CAJA-25'];
    for (const code of codes) {
      const added = await asOwner('registers add', '--branch', branch, '--code', code, '--name', code);
      expect(added.stderr).toBe('');
    }
    const ids = (await registers()).filter((r) => codes.includes(r.code)).map((r) => r.id);
    const outcomes = await Promise.allSettled(
      ids.map((registerId) => provisionTerminal(central, database.url, { businessId, branchId, registerId })),
    );
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'made' : String(o.reason)))).toEqual(ids.map(() => 'made'));
    const [logins] = await central.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sync.terminals WHERE register_id = ANY($1::uuid[]) AND revoked_at IS NULL',
      [ids],
    );
    expect(logins!.n).toBe(codes.length);
  });
});
