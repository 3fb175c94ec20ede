import { cpSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite, pgliteSession } from '#db/local.ts';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '#db/migrator.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { BOTH_DATABASES, type MigratedDatabase } from '../support/both-databases.ts';
import { tempDir } from '../support/local.ts';

const filesOnDisk = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => f.slice(0, -4))
  .sort();
const appliedTags = async (db: SqlDatabase) =>
  (await db.query<{ tag: string }>('SELECT tag FROM public.pos_migrations ORDER BY tag')).map((r) => r.tag);

describe('every migration file', () => {
  let local: MigratedDatabase;
  let central: MigratedDatabase;
  beforeAll(async () => {
    local = await BOTH_DATABASES['PGlite on disk']('migrations');
    central = await BOTH_DATABASES['central PostgreSQL']('migrations');
  });
  afterAll(async () => {
    await local.dispose();
    await central.dispose();
  });

  it('is listed in the journal, so none can be skipped', () => {
    expect(
      loadMigrations()
        .map((m) => m.tag)
        .sort(),
    ).toEqual(filesOnDisk);
    expect(filesOnDisk.length).toBeGreaterThanOrEqual(2);
  });

  it('is applied on PGlite', async () => {
    expect(await appliedTags(local.sql)).toEqual(filesOnDisk);
  });

  it('is applied on central PostgreSQL', async () => {
    expect(await appliedTags(central.sql)).toEqual(filesOnDisk);
  });

  it('is not applied twice when the migrator runs again', async () => {
    expect(await migrate(local.sql)).toEqual({ applied: [], alreadyApplied: filesOnDisk.length });
    expect(await migrate(central.sql)).toEqual({ applied: [], alreadyApplied: filesOnDisk.length });
  });
});

describe('the migrator', () => {
  const fresh = async () => {
    const pg = await createPglite();
    return { pg, sql: pgliteSession(pg) };
  };

  it('applies a migration whose journal timestamp is older than the newest applied one', async () => {
    // drizzle's own migrator skips such a migration (it compares created_at); ours tracks tags.
    const { pg, sql } = await fresh();
    try {
      const all = loadMigrations();
      await migrate(sql, all.slice(0, 1));
      const late = { tag: '0000a_late_branch_merge', hash: 'x', statements: ['CREATE TABLE public.late_marker (id int)'] };
      const result = await migrate(sql, [all[0]!, late, ...all.slice(1)]);
      expect(result.applied).toEqual([late.tag, ...all.slice(1).map((m) => m.tag)]);
    } finally {
      await pg.close();
    }
  });

  it('refuses a database written by a newer version of the app', async () => {
    const { pg, sql } = await fresh();
    try {
      await migrate(sql);
      await sql.exec(`INSERT INTO public.pos_migrations (tag, hash) VALUES ('9999_from_the_future', 'abc')`);
      await expect(migrate(sql)).rejects.toThrow(/newer version of this app \(unknown migration 9999_from_the_future\)/);
    } finally {
      await pg.close();
    }
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const { pg, sql } = await fresh();
    try {
      const all = loadMigrations();
      await migrate(sql, all);
      const edited = all.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
      await expect(migrate(sql, edited)).rejects.toThrow(/0000_schemas was edited after it was applied/);
    } finally {
      await pg.close();
    }
  });

  it('rolls back every pending migration when one of them fails', async () => {
    const { pg, sql } = await fresh();
    try {
      const broken = [...loadMigrations(), { tag: '9000_broken', hash: 'b', statements: ['CREATE TABLE nope (id int', ''] }];
      await expect(migrate(sql, broken)).rejects.toThrow(/migration 9000_broken failed/);
      expect(await sql.query(`SELECT * FROM pg_namespace WHERE nspname = 'sales'`)).toEqual([]);
      expect(await appliedTags(sql)).toEqual([]);
    } finally {
      await pg.close();
    }
  });

  it('refuses to run when a migration file is missing from the journal', () => {
    const dir = tempDir('orphan');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '0099_forgotten.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/not in meta\/_journal.json: 0099_forgotten/);
  });

  it('gives an edited file a new hash', () => {
    const dir = tempDir('edited');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const before = loadMigrations(dir)[0]!.hash;
    appendFileSync(join(dir, '0000_schemas.sql'), '\n-- a comment\n');
    expect(loadMigrations(dir)[0]!.hash).not.toBe(before);
  });
});
