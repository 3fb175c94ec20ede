// PGlite has no autovacuum: the engine analyzes and vacuums the terminal's tables by
// autovacuum's rules, at a quiet moment or after enough facts regardless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalUpkeep, upkeepDue } from '#engine/local-upkeep.ts';
import { openTempLocal } from '../support/local.ts';

describe('which tables are due for upkeep', () => {
  it('follows autovacuum: analyze past 50 rows plus a tenth changed, vacuum past 50 plus a fifth dead', () => {
    expect(
      upkeepDue([
        { table: 'sales.sales', live: 4_000, dead: 4_136, modifiedSinceAnalyze: 15_946 },
        { table: 'sales.sale_items', live: 8_000, dead: 227, modifiedSinceAnalyze: 900 },
        { table: 'inventory.stock_levels', live: 50, dead: 61, modifiedSinceAnalyze: 55 },
        { table: 'auth.sessions', live: 1, dead: 0, modifiedSinceAnalyze: 1 },
      ]),
    ).toEqual([
      { table: 'sales.sales', analyze: true, vacuum: true },
      { table: 'sales.sale_items', analyze: true, vacuum: false },
      { table: 'inventory.stock_levels', analyze: false, vacuum: true },
    ]);
  });
});

describe('the upkeep of a terminal database', () => {
  let local: Awaited<ReturnType<typeof openTempLocal>>;
  beforeAll(async () => {
    local = await openTempLocal('local-upkeep');
  });
  afterAll(() => local?.dispose());

  it('analyzes and vacuums a table that changed, once enough facts were appended, through the write queue', async () => {
    const { sql } = local;
    await sql.exec(`CREATE TABLE public.upkeep_probe (id int PRIMARY KEY, note text)`);
    await sql.exec(`INSERT INTO public.upkeep_probe SELECT g, 'x' FROM generate_series(1, 2000) g`);
    await sql.exec(`UPDATE public.upkeep_probe SET note = 'y' WHERE id <= 1000`);
    const stats = () =>
      sql.query<{ analyzed: boolean; vacuumed: boolean; dead: string }>(
        `SELECT last_analyze IS NOT NULL AS analyzed, last_vacuum IS NOT NULL AS vacuumed, n_dead_tup::text AS dead
         FROM pg_stat_user_tables WHERE relname = 'upkeep_probe'`,
      );
    await expect.poll(stats).toEqual([{ analyzed: false, vacuumed: false, dead: '1000' }]);
    let queued = 0;
    const upkeep = startLocalUpkeep({
      sql,
      writes: (fn) => {
        queued++;
        return fn();
      },
    });
    try {
      for (let i = 0; i < 1_999; i++) upkeep.factAppended();
      expect(queued).toBe(0);
      upkeep.factAppended();
      await expect.poll(stats).toEqual([{ analyzed: true, vacuumed: true, dead: '0' }]);
      expect(queued).toBeGreaterThan(1);
    } finally {
      upkeep.stop();
    }
  });
});
