import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { tempDir } from '../support/local.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { runPos, type CliResult } from '../support/run-cli.ts';

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

  it('explains a missing flag, a flag without a value and an unknown flag', async () => {
    expectOneLineError(await runPos(['db', 'migrate']), 2, /^pos: missing --data-dir$/);
    expectOneLineError(await runPos(['db', 'migrate', '--data-dir']), 2, /^pos: Option '--data-dir <value>' argument missing$/);
    expectOneLineError(await runPos(['db', 'migrate', '--data-dir', dir, '--force']), 2, /^pos: Unknown option '--force'$/);
  });

  it('names an unknown command', async () => {
    expectOneLineError(await runPos(['db', 'explode']), 2, /^pos: unknown command "db explode"$/);
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

  it('reports a wrong password in one line', async () => {
    expectOneLineError(await runPos(['central', 'migrate', '--url', privatePg.url('postgres', 'not-the-password')]), 1,
      /^pos: cannot connect to 127\.0\.0\.1:\d+\/postgres: wrong password$/);
  });

  it('reports an unreachable server in one line', async () => {
    privatePg.stop();
    try {
      expectOneLineError(await runPos(['central', 'migrate', '--url', privatePg.url()]), 1,
        /^pos: cannot connect to 127\.0\.0\.1:\d+\/postgres: connection refused/);
    } finally {
      privatePg.start();
    }
  });

  it('reports something that is not a PostgreSQL URL', async () => {
    expectOneLineError(await runPos(['central', 'migrate', '--url', 'mysql://root@127.0.0.1/pos']), 1, /^pos: not a PostgreSQL URL/);
    expectOneLineError(await runPos(['central', 'migrate', '--url', 'nonsense']), 1, /^pos: not a PostgreSQL URL/);
  });
});
