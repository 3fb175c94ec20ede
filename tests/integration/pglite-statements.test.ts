import { type PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPglite } from '#db/local.ts';

describe('statements prepared once on the terminal database', () => {
  // One database (an in-memory one runs initdb: seconds); each test starts from a new table.
  let pg: PGlite;
  beforeAll(async () => {
    pg = await createPglite();
  });
  beforeEach(() =>
    pg.exec(`DROP TABLE IF EXISTS t;
      CREATE TABLE t (id int PRIMARY KEY, price numeric(19,4) NOT NULL, tags text[], doc jsonb, at timestamptz)`),
  );
  afterAll(() => pg.close());

  const prepared = async () =>
    (await pg.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_prepared_statements WHERE name LIKE 'pos_s%'`)).rows[0]!.n;

  it('answers as PGlite does, typed by the statement: numerics as text, arrays, JSON and times', async () => {
    const inserted = await pg.query(`INSERT INTO t VALUES ($1, $2, $3, $4, $5)`, [
      1,
      '12.3400',
      ['a', 'b,c'],
      { k: [1, 'x'] },
      new Date('2026-12-06T10:00:00Z'),
    ]);
    expect(inserted.affectedRows).toBe(1);
    const { rows, fields } = await pg.query(`SELECT * FROM t WHERE id = $1`, [1]);
    expect(rows).toEqual([{ id: 1, price: '12.3400', tags: ['a', 'b,c'], doc: { k: [1, 'x'] }, at: new Date('2026-12-06T10:00:00Z') }]);
    expect(fields.map((f) => f.dataTypeID)).toEqual([types.INT4, types.NUMERIC, 1009, types.JSONB, types.TIMESTAMPTZ]);
    // drizzle's way: rows as arrays, times left as PostgreSQL wrote them.
    const raw = await pg.query(`SELECT id, at FROM t WHERE id = $1`, [1], {
      rowMode: 'array',
      parsers: { [types.TIMESTAMPTZ]: (v) => v },
    });
    expect(raw.rows).toEqual([[1, '2026-12-06 10:00:00+00']]);
  });

  it('prepares a statement once and runs it again by name, in and out of transactions', async () => {
    for (let id = 1; id <= 3; id++) await pg.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [id, '1']);
    await pg.transaction(async (tx) => {
      await tx.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [4, '1']);
      await tx.query(`UPDATE t SET price = price + $1 WHERE id = $2`, ['2', 4]);
    });
    // The insert, the update and this count itself.
    expect(await prepared()).toBe('3');
    expect((await pg.query(`SELECT price FROM t WHERE id = $1`, [4])).rows).toEqual([{ price: '3.0000' }]);
  });

  it('keeps a statement first prepared in a transaction that rolled back', async () => {
    await expect(
      pg.transaction(async (tx) => {
        await tx.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [1, '1']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await pg.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [1, '5']);
    expect((await pg.query(`SELECT id, price FROM t`)).rows).toEqual([{ id: 1, price: '5.0000' }]);
  });

  it('gives PostgreSQL’s error with its code, and the next statement runs', async () => {
    await pg.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [1, '1']);
    await expect(pg.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [1, '1'])).rejects.toMatchObject({
      code: '23505',
      message: expect.stringContaining('duplicate key'),
    });
    await expect(pg.query(`SELECT price FROM t WHERE id = $1`, ['x'])).rejects.toMatchObject({ code: '22P02' });
    await expect(pg.query(`SELEC 1`)).rejects.toMatchObject({ code: '42601' });
    expect((await pg.query(`SELECT count(*)::int AS n FROM t`)).rows).toEqual([{ n: 1 }]);
    // Inside a transaction the failure ends it, as before: nothing of it stays.
    await expect(
      pg.transaction(async (tx) => {
        await tx.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [2, '1']);
        await tx.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [2, '1']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await pg.query(`SELECT count(*)::int AS n FROM t`)).rows).toEqual([{ n: 1 }]);
  });

  it('sees a column added after a statement was prepared, whether the change came by exec or by query', async () => {
    await pg.query(`INSERT INTO t (id, price) VALUES ($1, $2)`, [1, '1']);
    const row = async () => Object.keys((await pg.query(`SELECT * FROM t WHERE id = $1`, [1])).rows[0]!);
    expect(await row()).not.toContain('note');
    await pg.exec(`ALTER TABLE t ADD COLUMN note text`);
    expect(await row()).toContain('note');
    await pg.query(`ALTER TABLE t ADD COLUMN other text`);
    expect(await row()).toContain('other');
  });

  it('holds no more than a bounded number of statements when every statement is new', async () => {
    for (let n = 0; n < 700; n++) await pg.query(`SELECT $1::int + ${n} AS n`, [1]);
    expect(Number(await prepared())).toBeLessThanOrEqual(501);
    expect((await pg.query(`SELECT $1::int + 3 AS n`, [1])).rows).toEqual([{ n: 4 }]);
  });
});
