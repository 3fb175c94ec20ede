import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite, pgliteSession } from '#db/local.ts';
import { migrate } from '#db/migrator.ts';
import { BOTH_DATABASES, DATABASE_NAMES, type MigratedDatabase } from '../support/both-databases.ts';
import { describeCatalog } from '../support/catalog-shape.ts';
import { constitutionViolations } from '../support/constitution.ts';

const opened: Record<string, MigratedDatabase> = {};
beforeAll(async () => {
  for (const name of DATABASE_NAMES) opened[name] = await BOTH_DATABASES[name]('constitution');
});
afterAll(async () => {
  for (const target of Object.values(opened)) await target.dispose();
});

describe.each(DATABASE_NAMES)('the constitution on %s', (name) => {
  const db = () => opened[name]!.sql;

  it('has no violations in the migrated catalog', async () => {
    expect(await constitutionViolations(db())).toEqual([]);
  });

  it('refuses DELETE on every table, even one that matches no row', async () => {
    const tables = await db().query<{ t: string }>(`
      SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname IN ('auth','business','communication','inventory','sales','payments','billing')`);
    expect(tables.length).toBeGreaterThan(40);
    for (const { t } of tables) {
      await expect(db().exec(`DELETE FROM ${t} WHERE false`), t).rejects.toMatchObject({ code: 'PS001' });
      await expect(db().exec(`TRUNCATE ${t} CASCADE`), t).rejects.toMatchObject({ code: 'PS001' });
    }
  });
});

describe('the two databases', () => {
  it('end with the same schemas, tables, columns, types, constraints, indexes and triggers', async () => {
    const [lite, central] = await Promise.all([
      describeCatalog(opened['PGlite on disk']!.sql),
      describeCatalog(opened['central PostgreSQL']!.sql),
    ]);
    expect(lite.length).toBeGreaterThan(500);
    expect(lite).toEqual(central);
  });
});

describe('the constitution check', () => {
  it('reports every kind of breach in a table that ignores the rules', async () => {
    const pg = await createPglite();
    try {
      const sql = pgliteSession(pg);
      await migrate(sql);
      await sql.exec(`
        CREATE TABLE sales.tips (
          serial_id serial PRIMARY KEY,
          amount real,
          ratio numeric,
          paid_at timestamp,
          shift_id uuid REFERENCES sales.shifts(id) ON DELETE CASCADE
        )`);
      const found = (await constitutionViolations(sql)).filter((v) => v.includes('sales.tips'));
      expect(found).toEqual(
        expect.arrayContaining([
          'sales.tips.amount is real',
          'sales.tips.ratio is numeric; money and quantities are numeric(19,4)',
          'sales.tips.paid_at is timestamp without time zone',
          'sales.tips.serial_id uses a sequence; ids are UUIDv7 made by the app',
          'sales.tips has no uuid id column',
          'sales.tips.created_at must be timestamptz not null',
          'sales.tips.deleted_at must be nullable timestamptz',
          'sales.tips primary key is (serial_id), expected (id)',
          'foreign key sales.tips.tips_shift_id_fkey has no index',
          'foreign key sales.tips.tips_shift_id_fkey cascades deletes (c)',
          'sales.tips does not refuse DELETE and TRUNCATE',
          'sales.tips does not maintain updated_at',
        ]),
      );
    } finally {
      await pg.close();
    }
  });
});
