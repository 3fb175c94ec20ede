// Product search at 100,000 and 1,000,000 products in PGlite on disk: what the word dictionary
// costs a bulk load (migration 0006_search_words), and how fast searchCatalog answers a correct
// word, a misspelt word, two words and a prefix, beside the plain LIKE query through the trigram
// index (products_name_search_idx) in the same run.
//
// Each size is built once into .pos-data/bench/search-<size>-<key>/ (the key hashes the
// migrations, the catalog generator and BUILD below), with the load timings beside it in
// build.json; later runs search a copy of it. The products are those of bench-catalog.ts
// (Spanish grocery names: product, kind, brand, size), one variant each, in 20,000-row INSERTs.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { createPglite, pgliteSession } from '#db/local.ts';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '#db/migrator.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { searchCatalog } from '#engine/services/catalog/search.ts';
import { searchWords } from '#engine/services/catalog/search-terms.ts';
import { seededRandom, type SeededRandom } from '../support/seeded-random.ts';
import { BENCH_DATA_DIR, benchProducts, benchSku, dirSize } from './bench-catalog.ts';
import { report, sample } from './stats.ts';
import { v7 as uuidv7 } from 'uuid';

/** Change to rebuild the cached stores when what they hold changes. */
const BUILD = 'search-1';
const SIZES = [100_000, 1_000_000];
const ROWS_PER_STATEMENT = 20_000;
const QUERIES_PER_KIND = 200;
const CATALOG_FILE = fileURLToPath(new URL('./bench-catalog.ts', import.meta.url));
/** The last migration before the dictionary: the baseline load. */
const BEFORE_DICTIONARY = '0004_sale_lines_final';

type LoadTimes = { products: number; variants: number };
/** Milliseconds of each products INSERT statement of a load. */
type StatementTimes = number[];
type BuildInfo = {
  products: number;
  builtAt: string;
  loads: { name: string; times: LoadTimes }[];
  vacuumAnalyze: number;
  megabytes: number;
  dictionaryWords: number;
};

const log = (message: string) => console.log(`[bench-search] ${message}`);
const lit = (s: string | null) => (s === null ? 'NULL' : `'${s.replaceAll("'", "''")}'`);

/** When this process built a store, so its load times are known to be from this run. */
let lastBuildAt = '';

export async function benchSearch() {
  await compareUpkeep();
  for (const size of SIZES) {
    const store = await prepareSearchStore(size);
    const info = JSON.parse(readFileSync(join(store, 'build.json'), 'utf8')) as BuildInfo;
    const n = size.toLocaleString('en-US');
    const cached = info.builtAt === lastBuildAt ? '' : ` (measured when the store was built, ${info.builtAt})`;
    report(
      `Bulk load of ${n} products and their variants, ${ROWS_PER_STATEMENT.toLocaleString('en-US')}-row INSERTs${cached}`,
      info.loads.flatMap(({ name, times }) => [
        { name: `${name}: products`, times: [times.products] },
        { name: `${name}: variants`, times: [times.variants] },
      ]),
      `${info.loads[0]!.name}: products`,
    );
    console.log(
      `  then VACUUM ANALYZE ${(info.vacuumAnalyze / 1000).toFixed(1)} s; ${info.megabytes} MB on disk; ` +
        `${info.dictionaryWords.toLocaleString('en-US')} live words in inventory.search_words`,
    );
    await measureSearch(size, store);
  }
}

// ---------------------------------------------------------------------------------------------
// The stores.

function storeKey(): string {
  const hash = createHash('sha256').update(BUILD);
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(MIGRATIONS_DIR, file)))
      .update('\0');
  }
  hash.update(readFileSync(CATALOG_FILE));
  return hash.digest('hex').slice(0, 12);
}

/** The cached store for `size` products, built (and its loads timed) on first use. */
async function prepareSearchStore(size: number): Promise<string> {
  const dir = join(BENCH_DATA_DIR, `search-${size}-${storeKey()}`);
  if (existsSync(join(dir, 'build.json'))) return dir;
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  for (const stale of readdirSync(BENCH_DATA_DIR).filter(
    (f) => f.startsWith(`search-${size}-`) || f.startsWith(`.building-search-${size}-`),
  )) {
    log(`removing ${stale}`);
    rmSync(join(BENCH_DATA_DIR, stale), { recursive: true, force: true });
  }
  const building = join(BENCH_DATA_DIR, `.building-search-${size}-${process.pid}`);
  try {
    const loads: BuildInfo['loads'] = [];
    // Without the dictionary: the schema as it was before migrations 0005 and 0006.
    loads.push({
      name: 'baseline: without the dictionary (migrations up to 0004)',
      times: await timedLoad(join(building, 'baseline'), size),
    });
    const store = join(building, 'store');
    mkdirSync(join(store, 'pglite'), { recursive: true });
    const pg = await createPglite(join(store, 'pglite'));
    try {
      loads.push({ name: 'with the dictionary (statement-level triggers)', times: await load(pg, size, 'full') });
      const t = performance.now();
      await pg.exec('VACUUM ANALYZE');
      const vacuumAnalyze = performance.now() - t;
      await pg.exec('CHECKPOINT');
      const [{ words } = { words: 0 }] = await pg
        .query<{ words: number }>('SELECT count(*)::int AS words FROM inventory.search_words WHERE deleted_at IS NULL')
        .then((r) => r.rows);
      lastBuildAt = new Date().toISOString();
      const info: BuildInfo = {
        products: size,
        builtAt: lastBuildAt,
        loads,
        vacuumAnalyze,
        megabytes: Math.round(dirSize(join(store, 'pglite')) / 1e6),
        dictionaryWords: words,
      };
      writeFileSync(join(store, 'build.json'), JSON.stringify(info, null, 2));
    } finally {
      await pg.close();
    }
    renameSync(store, dir);
    rmSync(building, { recursive: true, force: true });
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  log(`store ready: ${dir}`);
  return dir;
}

type Schema = 'baseline' | 'indexes only' | 'row triggers' | 'full';

async function timedLoad(dir: string, size: number): Promise<LoadTimes> {
  mkdirSync(join(dir, 'pglite'), { recursive: true });
  const pg = await createPglite(join(dir, 'pglite'));
  try {
    return await load(pg, size, 'baseline');
  } finally {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The owner and business the products belong to, in columns the first migration already has:
 * the baseline stops at 0004, and rows written through today's schema (a payment's later
 * columns) do not fit it.
 */
async function insertBusiness(sql: SqlSession): Promise<string> {
  const [user, business] = [uuidv7(), uuidv7()];
  await sql.query(`INSERT INTO auth.users (id, email, display_name) VALUES ($1, $2, 'Dueña de prueba')`, [
    user,
    `owner-${user}@example.com`,
  ]);
  await sql.query(
    `INSERT INTO business.businesses (id, name, legal_name, type, country, currency, tax_id, owner_user_id)
    VALUES ($1, 'Tienda de prueba', 'Tienda de prueba S.A. de C.V.', 'RETAIL', 'MX', 'MXN', 'TPR010101AAA', $2)`,
    [business, user],
  );
  return business;
}

/** Migrates a fresh PGlite to `schemaKind`, adds a business and loads `size` bench products. */
async function load(
  pg: PGlite,
  size: number,
  schemaKind: Schema,
  rowsPerStatement = ROWS_PER_STATEMENT,
  statements: StatementTimes = [],
): Promise<LoadTimes> {
  await pg.exec(`SET TIME ZONE 'UTC'`);
  const sql = pgliteSession(pg);
  const migrations = loadMigrations();
  const upTo = migrations.findIndex((m) => m.tag === BEFORE_DICTIONARY);
  await migrate(sql, schemaKind === 'baseline' ? migrations.slice(0, upTo + 1) : migrations);
  if (schemaKind === 'indexes only' || schemaKind === 'row triggers') {
    for (const table of ['products', 'product_variants']) {
      await pg.exec(
        `DROP TRIGGER pos_search_words_insert ON inventory.${table}; DROP TRIGGER pos_search_words_update ON inventory.${table}`,
      );
    }
  }
  if (schemaKind === 'row triggers') await pg.exec(ROW_LEVEL_TRIGGERS);
  const b = lit(await insertBusiness(sql));
  const times: LoadTimes = { products: 0, variants: 0 };
  const started = performance.now();
  let batch: ReturnType<typeof benchProducts> extends Generator<infer P> ? P[] : never = [];
  let done = 0;
  const flush = async () => {
    let t = performance.now();
    await pg.exec(`INSERT INTO inventory.products (id, business_id, name, brand, sold_by, unit, tax_code, tax_rate, fiscal_product_code, fiscal_unit_code)
      VALUES ${batch
        .map(
          (p) =>
            `(${lit(p.productId)}, ${b}, ${lit(p.name)}, ${lit(p.brand)}, ${lit(p.soldBy)}, ${lit(p.unit)}, ${lit(p.tax)}, ` +
            `${p.tax === 'IVA16' ? '0.16' : '0'}, ${lit(p.fiscalProductCode)}, ${lit(p.fiscalUnitCode)})`,
        )
        .join(',\n')}`);
    statements.push(performance.now() - t);
    times.products += performance.now() - t;
    t = performance.now();
    await pg.exec(`INSERT INTO inventory.product_variants (id, business_id, product_id, sku, barcode, plu, price, cost)
      VALUES ${batch.map((p) => `(${lit(p.variantId)}, ${b}, ${lit(p.productId)}, ${lit(p.sku)}, ${lit(p.barcode)}, ${lit(p.plu)}, ${p.price}, ${p.cost})`).join(',\n')}`);
    times.variants += performance.now() - t;
    done += batch.length;
    batch = [];
    if (done % 200_000 === 0)
      log(
        `${schemaKind}: ${done.toLocaleString('en-US')} / ${size.toLocaleString('en-US')} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  };
  for (const p of benchProducts(size)) {
    batch.push(p);
    if (batch.length === rowsPerStatement) await flush();
  }
  if (batch.length > 0) await flush();
  if (size >= 100_000)
    log(`${schemaKind}: ${size.toLocaleString('en-US')} products in ${((times.products + times.variants) / 1000).toFixed(1)} s`);
  return times;
}

/**
 * Where a load's extra time goes, and why the triggers are statement-level: three INSERTs of
 * products into a fresh in-memory PGlite per schema, per 1,000 products. Row-level upkeep runs
 * an upsert of some ten words, with their checks and triggers, for every product, so it gets
 * smaller statements to stay within the time of a bench.
 */
async function compareUpkeep() {
  const rows: { name: string; times: number[] }[] = [];
  for (const [name, kind, perStatement] of [
    ['baseline: without the dictionary (migrations up to 0004)', 'baseline', 10_000],
    ['word indexes, no dictionary triggers', 'indexes only', 10_000],
    ['dictionary kept by statement-level triggers (0006)', 'full', 10_000],
    ['dictionary kept by row-level triggers', 'row triggers', 1_000],
  ] as const) {
    const pg = await createPglite();
    try {
      const statements: StatementTimes = [];
      await load(pg, perStatement * 3, kind, perStatement, statements);
      rows.push({
        name: `${name}, ${perStatement.toLocaleString('en-US')}-row INSERTs`,
        times: statements.map((ms) => (ms * 1000) / perStatement).sort((a, b) => a - b),
      });
    } finally {
      await pg.close();
    }
  }
  report('Products INSERT into an empty catalog, ms per 1,000 products (PGlite in memory, 3 statements each)', rows, rows[0]!.name);
}

/** For comparison only: the same dictionary kept one row at a time (insert only). */
const ROW_LEVEL_TRIGGERS = `
CREATE FUNCTION public.pos_bench_count_words_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.deleted_at IS NULL AND NEW.is_active THEN
    INSERT INTO inventory.search_words AS s (id, business_id, word, product_uses)
    SELECT public.pos_search_word_id(NEW.business_id, w), NEW.business_id, w, count(*)::int
    FROM unnest(public.pos_product_words(NEW.name, NEW.brand)) AS w GROUP BY w ORDER BY w
    ON CONFLICT (business_id, word) DO UPDATE SET product_uses = s.product_uses + excluded.product_uses, deleted_at = NULL;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER pos_bench_count_words AFTER INSERT ON inventory.products FOR EACH ROW EXECUTE FUNCTION public.pos_bench_count_words_row();`;

// ---------------------------------------------------------------------------------------------
// The searches.

type Rng = SeededRandom;

type Queries = { correct: string[]; misspelt: string[]; twoWords: string[]; prefix: string[] };

/** Words as the name spells them (accents kept), letters only, at least `min` long. */
const nameWords = (name: string, min: number) => name.split(/[^\p{L}]+/u).filter((w) => searchWords(w).length === 1 && w.length >= min);

/** One typo a cashier makes: a letter dropped, two swapped or one replaced, never the first. */
function misspell(word: string, rng: Rng): string {
  const i = 1 + rng.int(word.length - 2);
  switch (rng.int(3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    default:
      return word.slice(0, i) + rng.pick([...'aeiourslnt'].filter((c) => c !== word[i])) + word.slice(i + 1);
  }
}

/** Queries drawn from the names of random bench products, so common words come up as often as on the shelf. */
async function pickQueries(sql: SqlSession, size: number, seed: number): Promise<Queries> {
  // Seeded: the same queries on every run.
  const rng = seededRandom(seed);
  const names: string[] = [];
  while (names.length < QUERIES_PER_KIND * 6) {
    const skus = Array.from({ length: 500 }, () => benchSku(1 + rng.int(size)));
    const rows = await sql.query<{ name: string }>(
      `SELECT p.name FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
      WHERE v.sku = ANY($1::text[]) AND v.deleted_at IS NULL`,
      [skus],
    );
    names.push(...rows.map((r) => r.name));
  }
  const dictionary = new Set(
    (await sql.query<{ word: string }>('SELECT word FROM inventory.search_words WHERE deleted_at IS NULL')).map((r) => r.word),
  );
  const isWordOrPrefix = (folded: string) => dictionary.has(folded) || [...dictionary].some((w) => w.startsWith(folded));
  const q: Queries = { correct: [], misspelt: [], twoWords: [], prefix: [] };
  for (const name of names) {
    const words4 = nameWords(name, 4);
    if (words4.length > 0 && q.correct.length < QUERIES_PER_KIND) q.correct.push(rng.pick(words4));
    const long = nameWords(name, 5);
    if (long.length > 0 && q.misspelt.length < QUERIES_PER_KIND) {
      const typo = misspell(rng.pick(long), rng);
      if (!isWordOrPrefix(searchWords(typo)[0] ?? '')) q.misspelt.push(typo);
    }
    const words3 = [...new Set(nameWords(name, 3))];
    if (words3.length >= 2 && q.twoWords.length < QUERIES_PER_KIND) {
      const i = rng.int(words3.length - 1);
      q.twoWords.push(`${words3[i]} ${words3[i + 1 + rng.int(words3.length - i - 1)]}`);
    }
    const words6 = nameWords(name, 6);
    if (words6.length > 0 && q.prefix.length < QUERIES_PER_KIND) q.prefix.push(rng.pick(words6).slice(0, 3 + rng.int(3)));
  }
  return q;
}

export async function measureSearch(size: number, store: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-search-'));
  try {
    cpSync(join(store, 'pglite'), join(dir, 'pglite'), { recursive: true });
    const pg = await createPglite(join(dir, 'pglite'));
    try {
      await pg.exec(`SET TIME ZONE 'UTC'`);
      const sql = pgliteSession(pg);
      const [{ business } = { business: '' }] = await sql.query<{ business: string }>(
        'SELECT business_id AS business FROM inventory.product_variants WHERE sku = $1',
        [benchSku(1)],
      );
      const queries = await pickQueries(sql, size, 20_26);
      const like = (text: string) =>
        sql.query(
          `
        SELECT p.id, p.name FROM inventory.products p
        WHERE p.business_id = $1 AND p.deleted_at IS NULL AND p.is_active AND public.pos_fold(p.name) LIKE '%' || public.pos_fold($2) || '%'
        LIMIT 20`,
          [business, text],
        );
      const search = (text: string) => searchCatalog(sql, business, text);
      const over = (texts: string[], fn: (t: string) => Promise<unknown>) => {
        let i = 0;
        return sample(texts.length, () => fn(texts[i++ % texts.length]!), 0);
      };
      // The wasm engine and V8 settle in over the first few hundred queries; none of these count.
      const all = [...queries.correct, ...queries.misspelt, ...queries.twoWords, ...queries.prefix];
      for (const text of all.slice(0, 400)) await search(text);
      for (const text of queries.correct.slice(0, 100)) await like(text);

      const found = async (texts: string[]) => {
        let n = 0;
        for (const t of texts.slice(0, 50)) if ((await search(t)).length > 0) n++;
        return `${Math.round((n / Math.min(50, texts.length)) * 100)} % found`;
      };
      const rows = [
        { name: "baseline: LIKE '%word%' via products_name_search_idx", times: await over(queries.correct, like) },
        { name: "baseline: LIKE '%prefix%' via products_name_search_idx", times: await over(queries.prefix, like) },
        { name: `searchCatalog: a correct word (${await found(queries.correct)})`, times: await over(queries.correct, search) },
        { name: `searchCatalog: a misspelt word (${await found(queries.misspelt)})`, times: await over(queries.misspelt, search) },
        { name: `searchCatalog: two words (${await found(queries.twoWords)})`, times: await over(queries.twoWords, search) },
        { name: `searchCatalog: a prefix (${await found(queries.prefix)})`, times: await over(queries.prefix, search) },
      ];
      report(
        `Search at ${size.toLocaleString('en-US')} products, PGlite on disk, limit 20 ` +
          `(e.g. "${queries.correct[0]}", "${queries.misspelt[0]}", "${queries.twoWords[0]}", "${queries.prefix[0]}")`,
        rows,
        rows[0]!.name,
      );
    } finally {
      await pg.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
