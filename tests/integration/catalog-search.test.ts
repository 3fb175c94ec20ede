import { v3 as uuidv3, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { searchCatalog, type CatalogHit } from '#engine/services/catalog/search.ts';
import { searchWords } from '#engine/services/catalog/search-terms.ts';
import { insertSampleRows } from '../support/sample-rows.ts';
import { BOTH_DATABASES, DATABASE_NAMES, type MigratedDatabase } from '../support/both-databases.ts';

describe.each(DATABASE_NAMES)('product search on %s', (name) => {
  let target: MigratedDatabase;
  let business: string;
  let otherBusiness: string;

  type Item = {
    name: string;
    brand?: string;
    active?: boolean;
    business?: string;
    variants?: { name?: string; sku: string; barcode?: string; active?: boolean }[];
  };
  /** A product and its variants (one unnamed variant unless told), straight into the tables. */
  const addItem = async (item: Item) => {
    const productId = uuidv7();
    await target.sql.query(
      `INSERT INTO inventory.products (id, business_id, name, brand, tax_code, tax_rate, is_active)
      VALUES ($1, $2, $3, $4, 'IVA0', 0, $5)`,
      [productId, item.business ?? business, item.name, item.brand ?? null, item.active ?? true],
    );
    for (const v of item.variants ?? [{ sku: `SKU-${productId.slice(-12)}` }]) {
      await target.sql.query(
        `INSERT INTO inventory.product_variants (id, business_id, product_id, name, sku, barcode, price, is_active)
        VALUES ($1, $2, $3, $4, $5, $6, 10, $7)`,
        [uuidv7(), item.business ?? business, productId, v.name ?? null, v.sku, v.barcode ?? null, v.active ?? true],
      );
    }
    return productId;
  };

  beforeAll(async () => {
    target = await BOTH_DATABASES[name]('search');
    business = (await insertSampleRows(target.db)).business;
    otherBusiness = (await insertSampleRows(target.db)).business;
    for (const [product, sku] of [
      ['Jalapeños en escabeche 220 g', 'JAL-1'],
      ['Piña en almíbar 800 g', 'PIN-1'],
      ['CAFÉ SOLUBLE CLÁSICO 200 g', 'CAF-2'],
      ['Jabón de tocador', 'JAB-1'],
    ] as const) {
      await addItem({ name: product, variants: [{ sku }] });
    }
  });
  afterAll(() => target.dispose());

  const search = async (text: string) =>
    (
      await target.sql.query<{ name: string }>(
        `SELECT name FROM inventory.products WHERE deleted_at IS NULL AND public.pos_fold(name) LIKE '%' || public.pos_fold($1) || '%' ORDER BY name`,
        [text],
      )
    ).map((r) => r.name);

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
    const plan = (
      await target.sql.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM inventory.products WHERE deleted_at IS NULL AND public.pos_fold(name) LIKE '%jalap%'`,
      )
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('products_name_search_idx');
    await target.sql.exec('SET enable_seqscan = on');
  });

  describe('searchCatalog', () => {
    const names = async (text: string, limit?: number) =>
      (await searchCatalog(target.sql, business, text, limit === undefined ? {} : { limit })).map((h) => h.name);
    const liveWords = async () =>
      await target.sql.query<{ word: string; product_uses: number; variant_uses: number }>(
        `
      SELECT word, product_uses, variant_uses FROM inventory.search_words WHERE business_id = $1 AND deleted_at IS NULL ORDER BY word`,
        [business],
      );

    it('finds Jalapeños when the cashier types jalapeno with a typo', async () => {
      expect(await names('jalpeño')).toEqual(['Jalapeños en escabeche 220 g']);
      expect(await names('jalapeno')).toEqual(['Jalapeños en escabeche 220 g']);
      expect(await names('JALAPEÑOS')).toEqual(['Jalapeños en escabeche 220 g']);
      expect(await names('halapeños')).toEqual(['Jalapeños en escabeche 220 g']);
    });

    it('finds a product from the first letters of its words', async () => {
      expect(await names('jala')).toEqual(['Jalapeños en escabeche 220 g']);
      expect(await names('caf sol')).toEqual(['CAFÉ SOLUBLE CLÁSICO 200 g']);
      expect(await names('pi alm 8')).toEqual(['Piña en almíbar 800 g']);
    });

    it('corrects each misspelt word of several, and needs every word answered', async () => {
      expect(await names('cafe solubel')).toEqual(['CAFÉ SOLUBLE CLÁSICO 200 g']);
      expect(await names('pina almibr')).toEqual(['Piña en almíbar 800 g']);
      expect(await names('jabon tocadro')).toEqual(['Jabón de tocador']);
      expect(await names('pnia almibar')).toEqual(['Piña en almíbar 800 g']);
      expect(await names('jalapeños piña')).toEqual([]);
      expect(await names('zzzz')).toEqual([]);
    });

    it('finds an item by its exact SKU or barcode, first, as the cart needs it', async () => {
      const expected: CatalogHit = {
        variantId: expect.any(String) as unknown as string,
        productId: expect.any(String) as unknown as string,
        name: 'Café de olla',
        sku: 'CAF-1',
        barcode: '7501055363057',
        plu: null,
        price: '58.5000',
        unit: 'pza',
        soldBy: 'UNIT',
        taxCode: 'IVA16',
        taxRate: '0.160000',
        brand: null,
      };
      expect(await searchCatalog(target.sql, business, 'CAF-1')).toEqual([expected]);
      expect(await searchCatalog(target.sql, business, ' caf-1 ')).toEqual([expected]);
      expect(await searchCatalog(target.sql, business, '7501055363057')).toEqual([expected]);
      expect((await searchCatalog(target.sql, business, 'CAF-2'))[0]!.name).toBe('CAFÉ SOLUBLE CLÁSICO 200 g');
    });

    it('names a variant after its product and finds it by the words of either', async () => {
      await addItem({
        name: 'Refresco de cola',
        brand: 'Burbujas',
        variants: [
          { name: '600 ml', sku: 'REF-600' },
          { name: '2 L', sku: 'REF-2L' },
        ],
      });
      expect(await names('cola 600')).toEqual(['Refresco de cola 600 ml']);
      expect(await names('refresco 2l')).toEqual(['Refresco de cola 2 L']);
      expect((await names('refresco cola')).sort()).toEqual(['Refresco de cola 2 L', 'Refresco de cola 600 ml']);
      expect((await names('burbujas')).sort()).toEqual(['Refresco de cola 2 L', 'Refresco de cola 600 ml']);
      expect(await names('600 ml')).toEqual(['Refresco de cola 600 ml']);
    });

    it('ranks exact words first, then words typed only in part, then corrections', async () => {
      await addItem({ name: 'Tortita de papa' });
      await addItem({ name: 'Tortillas de maíz' });
      await addItem({ name: 'Tortilla de harina' });
      expect(await names('tortilla')).toEqual(['Tortilla de harina', 'Tortillas de maíz', 'Tortita de papa']);
    });

    it('drops a soft-deleted product from the results and its words from the dictionary', async () => {
      const id = await addItem({ name: 'Tamarindo enchilado' });
      expect(await names('tamarindo')).toEqual(['Tamarindo enchilado']);
      expect(await names('tamarimdo')).toEqual(['Tamarindo enchilado']);
      await target.sql.query('UPDATE inventory.products SET deleted_at = now() WHERE id = $1', [id]);
      expect(await names('tamarindo')).toEqual([]);
      expect(await names('tamarimdo')).toEqual([]);
      expect(
        await target.sql.query(
          `SELECT word FROM inventory.search_words
        WHERE business_id = $1 AND deleted_at IS NULL AND (word LIKE 'tamar%' OR word % 'tamarimdo')`,
          [business],
        ),
      ).toEqual([]);
      await target.sql.query('UPDATE inventory.products SET deleted_at = NULL WHERE id = $1', [id]);
      expect(await names('tamarimdo')).toEqual(['Tamarindo enchilado']);
    });

    it('finds a renamed product by its new name and no longer by the old one', async () => {
      const id = await addItem({ name: 'Toallas de papel' });
      await target.sql.query(`UPDATE inventory.products SET name = 'Servilletas de papel' WHERE id = $1`, [id]);
      expect(await names('servilletas')).toEqual(['Servilletas de papel']);
      expect(await names('servileta')).toEqual(['Servilletas de papel']);
      expect(await names('toallas')).not.toContain('Servilletas de papel');
      expect((await liveWords()).map((w) => w.word)).not.toContain('toallas');
    });

    it('leaves out inactive products and variants and other businesses', async () => {
      await addItem({ name: 'Mermelada de fresa', active: false });
      await addItem({ name: 'Mermelada de mango', variants: [{ sku: 'MER-MAN', active: false }] });
      await addItem({ name: 'Mango enchilado', business: otherBusiness });
      expect(await names('mermelada')).toEqual([]);
      expect(await names('mango')).toEqual([]);
      expect(await searchCatalog(target.sql, otherBusiness, 'mango')).toMatchObject([{ name: 'Mango enchilado' }]);
      expect(await searchCatalog(target.sql, otherBusiness, 'jalapeno')).toEqual([]);
    });

    it('answers nothing for empty or blank text, and nothing odd for quotes and wildcards', async () => {
      expect(await names('')).toEqual([]);
      expect(await names('   \t\n')).toEqual([]);
      expect(await names("'; DROP TABLE inventory.products; --")).toEqual([]);
      expect(await names('%')).toEqual([]);
      expect(await names('_%_')).toEqual([]);
    });

    it('returns 20 items unless asked, and never more than 100', async () => {
      await addItem({
        name: 'Vela aromática',
        variants: Array.from({ length: 120 }, (_, i) => ({ name: `aroma ${i + 1}`, sku: `VEL-${i + 1}` })),
      });
      expect(await names('vela')).toHaveLength(20);
      expect(await names('vela', 5)).toHaveLength(5);
      expect(await names('vela', 1000)).toHaveLength(100);
      expect((await names('vela aroma 7', 3))[0]).toBe('Vela aromática aroma 7');
    });

    it('keeps the dictionary equal to the words of the live catalog through inserts, renames and deletes', async () => {
      const a = await addItem({ name: 'Aceite de oliva', brand: 'Olivar', variants: [{ name: 'Extra virgen 500 ml', sku: 'ACE-1' }] });
      const b = await addItem({ name: 'Aceite de maíz', brand: 'Olivar' });
      await target.sql.query(`UPDATE inventory.products SET brand = 'Girasol', name = name || ' puro' WHERE id = ANY($1::uuid[])`, [
        [a, b],
      ]);
      await target.sql.query(`UPDATE inventory.product_variants SET name = 'Virgen 1 L' WHERE sku = 'ACE-1'`);
      await target.sql.query(`UPDATE inventory.products SET is_active = false WHERE id = $1`, [b]);
      await target.sql.query(`UPDATE inventory.product_variants SET deleted_at = now() WHERE sku = 'REF-2L'`);
      // A bulk update that changes no searchable text leaves every count alone.
      await target.sql.query('UPDATE inventory.products SET version = version + 1 WHERE business_id = $1', [business]);
      const recomputed = await target.sql.query<{ word: string; product_uses: number; variant_uses: number }>(
        `
        SELECT word, sum(p)::int AS product_uses, sum(v)::int AS variant_uses FROM (
          SELECT w AS word, 1 AS p, 0 AS v FROM inventory.products, unnest(public.pos_product_words(name, brand)) AS w
          WHERE business_id = $1 AND deleted_at IS NULL AND is_active
          UNION ALL
          SELECT w, 0, 1 FROM inventory.product_variants, unnest(public.pos_words(name)) AS w
          WHERE business_id = $1 AND deleted_at IS NULL AND is_active
        ) AS uses GROUP BY word ORDER BY word`,
        [business],
      );
      expect(recomputed.map((r) => r.word)).toContain('girasol');
      expect(recomputed.map((r) => r.word)).not.toContain('olivar');
      expect(await liveWords()).toEqual(recomputed);
    });

    it('gives each dictionary word the UUIDv3 of the word in its business', async () => {
      const rows = await target.sql.query<{ id: string; word: string }>(
        'SELECT id, word FROM inventory.search_words WHERE business_id = $1 ORDER BY word LIMIT 50',
        [business],
      );
      expect(rows.length).toBeGreaterThan(10);
      for (const { id, word } of rows) expect(id).toBe(uuidv3(word, business));
    });

    it('cuts text into words in TypeScript exactly as the database does', async () => {
      const { catalog } = readDemoStore();
      const latin = Array.from({ length: 0x17f - 0xa0 }, (_, i) => String.fromCodePoint(0xa1 + i)).map((c) => `x${c}y 1${c}2`);
      const texts = [
        ...new Set(catalog.flatMap((r) => [r.product, r.brand, r.variant])),
        ...latin,
        'Jalapeños 220g (1.5L)',
        'Tubo 1½" x 3¾',
        'Crème brûlée',
        'Straße',
        "D'Gari® ©2026",
        'ÑANDÚ',
        'a_b-c/d.e',
      ].filter((t): t is string => typeof t === 'string' && t !== '');
      const rows = await target.sql.query<{ t: string; words: string[] }>(
        'SELECT t, public.pos_words(t) AS words FROM unnest($1::text[]) AS t',
        [texts],
      );
      const mismatches = rows
        .filter((r) => JSON.stringify(r.words) !== JSON.stringify(searchWords(r.t)))
        .map((r) => `${r.t}: database ${JSON.stringify(r.words)}, TypeScript ${JSON.stringify(searchWords(r.t))}`);
      expect(rows).toHaveLength(texts.length);
      expect(mismatches).toEqual([]);
    });

    it('answers through the word indexes', async () => {
      // The tables are tiny, so the planner must be told not to read them whole.
      await target.sql.exec('ANALYZE inventory.products, inventory.product_variants, inventory.search_words');
      await target.sql.exec('SET enable_seqscan = off; SET enable_indexscan = off');
      try {
        const plan = async (text: string) =>
          (await target.sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`)).map((r) => r['QUERY PLAN']).join('\n');
        expect(
          await plan(`SELECT p.id FROM inventory.products p WHERE p.deleted_at IS NULL
          AND public.pos_product_words(p.name, p.brand) && ARRAY['jalapenos']`),
        ).toContain('products_words_idx');
        expect(
          await plan(`SELECT v.id FROM inventory.product_variants v WHERE v.deleted_at IS NULL AND v.name IS NOT NULL
          AND public.pos_words(v.name) && ARRAY['ml']`),
        ).toContain('product_variants_words_idx');
        expect(await plan(`SELECT word FROM inventory.search_words WHERE deleted_at IS NULL AND word % 'jalpeno'`)).toContain(
          'search_words_word_search_idx',
        );
      } finally {
        await target.sql.exec('SET enable_seqscan = on; SET enable_indexscan = on');
      }
    });
  });
});
