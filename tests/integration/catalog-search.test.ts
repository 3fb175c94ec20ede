import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSampleRows } from '../support/sample-rows.ts';
import { BOTH_DATABASES, DATABASE_NAMES, type MigratedDatabase } from '../support/both-databases.ts';

describe.each(DATABASE_NAMES)('product search on %s', (name) => {
  let target: MigratedDatabase;
  beforeAll(async () => {
    target = await BOTH_DATABASES[name]('search');
    const ids = await insertSampleRows(target.db);
    for (const product of ['Jalapeños en escabeche 220 g', 'Piña en almíbar 800 g', 'CAFÉ SOLUBLE CLÁSICO 200 g', 'Jabón de tocador']) {
      await target.sql.query(`INSERT INTO inventory.products (id, business_id, name, tax_code, tax_rate)
        VALUES (gen_random_uuid(), $1, $2, 'IVA0', 0)`, [ids.business, product]);
    }
  });
  afterAll(() => target.dispose());

  const search = async (text: string) => (await target.sql.query<{ name: string }>(
    `SELECT name FROM inventory.products WHERE deleted_at IS NULL AND public.pos_fold(name) LIKE '%' || public.pos_fold($1) || '%' ORDER BY name`,
    [text])).map((r) => r.name);

  it('finds names whatever the accents or case the cashier types', async () => {
    expect(await search('jalapeno')).toEqual(['Jalapeños en escabeche 220 g']);
    expect(await search('PINA EN')).toEqual(['Piña en almíbar 800 g']);
    expect(await search('café soluble')).toEqual(['CAFÉ SOLUBLE CLÁSICO 200 g']);
    expect(await search('jabon de')).toEqual(['Jabón de tocador']);
  });

  it('treats a search for LIKE wildcards or quotes as plain text', async () => {
    expect(await search("'; DROP TABLE inventory.products; --")).toEqual([]);
    expect(await search('zzz')).toEqual([]);
  });

  it('can answer through the trigram index', async () => {
    await target.sql.exec('SET enable_seqscan = off');
    const plan = (await target.sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM inventory.products WHERE deleted_at IS NULL AND public.pos_fold(name) LIKE '%jalap%'`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('products_name_search_idx');
    await target.sql.exec('SET enable_seqscan = on');
  });
});
