// A terminal's database made from nothing (initdb in PGlite), as on a register's first start.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openLocalDatabase } from '#db/local.ts';
import { loadMigrations } from '#db/migrator.ts';
import { tempDir } from '../support/local.ts';

const dir = tempDir('new-database');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is made without the template databases a terminal never copies, and opens again with its schema', async () => {
  const first = await openLocalDatabase(dir);
  expect((await first.sql.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).map((r) => r.datname)).toEqual([
    'postgres',
  ]);
  await first.close();
  // One database directory on disk: the one PGlite serves.
  expect(readdirSync(join(dir, 'pglite', 'base'))).toHaveLength(1);

  const again = await openLocalDatabase(dir);
  try {
    expect(again.migration.applied).toEqual([]);
    const tags = await again.sql.query<{ tag: string }>('SELECT tag FROM public.pos_migrations');
    expect(tags).toHaveLength(loadMigrations().length);
    expect(await again.sql.query('SELECT count(*)::int AS n FROM sales.sales')).toEqual([{ n: 0 }]);
  } finally {
    await again.close();
  }
}, 120_000);
