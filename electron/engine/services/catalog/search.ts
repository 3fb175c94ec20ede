// Add-to-cart by search: accent-insensitive and typo-tolerant, in milliseconds on a catalog of a
// million products in PGlite. How (migration 0006_search_words holds the database half):
//
//   1. The typed text is cut into folded words ("Jalapeño 220g" → jalapeno, 220, g).
//   2. One query looks every typed word up in inventory.search_words, the dictionary of the
//      catalog's distinct words (a few thousand rows): the word itself, the words it begins
//      ("jala" → jalapenos), and, for words of three letters or more, the closest words by
//      trigram similarity ("jalpeno" → jalapenos, "solubel" → soluble) or, where trigrams see
//      little, a word of the same first letter one slip away ("avnea" → avena).
//   3. Items are fetched through the GIN indexes over the words of product names and brands
//      (products_words_idx) and of variant names (product_variants_words_idx): every typed word
//      must be answered by one of its dictionary words. Exact words are tried first, then
//      prefixes, then corrections, and the next pass runs only if the previous found too few.
//      A lone word that a large share of the catalog uses ("de", "para") is found by reading
//      products in order until enough match, which is cheaper than its long posting list.
//   4. At most a few hundred candidates come back, and they are ranked here (search-terms.ts).
//
// An exact SKU, barcode or PLU typed as a single token finds its item too, ranked first.
import type { SqlSession } from '#db/sql-session.ts';
import type { CatalogHit } from '#contract/catalog-item.ts';
import { isSlipOf, looksLikeCode, MATCH, rankCandidates, searchTerms, type MatchKind, type Term } from './search-terms.ts';

export type { CatalogHit };

export type SearchOptions = { limit?: number };

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/**
 * Dictionary words a typed word may begin, most used first. A letter or two begins hundreds of
 * words, and every one of them is one more posting list the GIN scan must walk.
 */
const maxPrefixWords = (term: string) => (term.length === 1 ? 8 : term.length === 2 ? 16 : 64);
const MAX_CORRECTIONS = 8;
/** Words of the same first letter and about the same length checked for a slip, closest first. */
const MAX_SLIP_CANDIDATES = 40;
/** Kind of a dictionary row that is only a candidate for a slip, until isSlipOf says so. */
const SLIP_CANDIDATE = 9;
/**
 * Candidates fetched per pass and ranked here. When more items match (a single common word in a
 * million products), the ranking orders these, not all of them: typing on narrows it.
 */
const candidatesFor = (limit: number) => Math.max(100, limit * 5);
/**
 * A word used this often, per product in the table, is cheaper to find by reading products in
 * order until enough match than through its GIN posting list, which is read whole first.
 * Measured at 1,000,000 products: "de" 56 ms by index, 2 ms by scan; "para" (in 14 % of
 * products) 23 and 11 ms; "leche" (3 %) 10 and 33 ms: the two cross near 6 % of products. Uses
 * count occurrences, and a brand is often repeated in the name, so the bar is twice that.
 */
const SCAN_SHARE = 0.12;

type Candidate = CatalogHit & { productName: string; variantName: string | null; codeMatch: boolean };

const HIT_COLUMNS = `
  v.id AS "variantId", p.id AS "productId", p.name AS "productName", p.brand, v.name AS "variantName",
  v.sku, v.barcode, v.plu, v.price::text AS price, p.unit, p.sold_by AS "soldBy", p.tax_code AS "taxCode",
  p.tax_rate::text AS "taxRate"`;

const LIVE = `p.business_id = $1 AND p.deleted_at IS NULL AND p.is_active
  AND v.business_id = $1 AND v.deleted_at IS NULL AND v.is_active`;

/** The exact expressions the GIN indexes of migration 0006 are built on. */
const PRODUCT_WORDS = 'public.pos_product_words(p.name, p.brand)';
const VARIANT_WORDS = 'public.pos_words(v.name)';

/**
 * Live, active items of the business that match `text`, best first (see the file comment).
 * Empty or blank text finds nothing. `limit` defaults to 20 and is held to 1…100.
 */
export async function searchCatalog(sql: SqlSession, businessId: string, text: string, opts: SearchOptions = {}): Promise<CatalogHit[]> {
  const limit = clampLimit(opts.limit);
  const typed = text.trim();
  if (typed === '') return [];
  const found = new Map<string, Candidate>();
  if (looksLikeCode(typed)) {
    for (const row of await sql.query<Candidate>(
      `
      SELECT ${HIT_COLUMNS}, true AS "codeMatch"
      FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
      WHERE ${LIVE} AND (v.sku = $2 OR v.sku = upper($2) OR v.barcode = $2 OR v.plu = $2)
      LIMIT $3`,
      [businessId, typed, limit],
    )) {
      found.set(row.variantId, row);
    }
  }
  const words = searchTerms(typed);
  let terms: Term[] = [];
  if (words.length > 0) {
    const { dictionary, catalogSize } = await lookUpWords(sql, businessId, words);
    terms = words.map((term, i) => ({ term, corrections: dictionary[i]!.filter((w) => w.kind === MATCH.corrected).map((w) => w.word) }));
    let previous = '';
    for (const kind of [MATCH.exact, MATCH.prefix, MATCH.corrected] as const) {
      if (found.size >= limit) break;
      const allowed = dictionary.map((entries) => entries.filter((e) => e.kind <= kind));
      if (allowed.some((e) => e.length === 0)) continue;
      const key = JSON.stringify(allowed.map((e) => e.map((w) => w.word)));
      if (key === previous) continue;
      previous = key;
      const rows = await fetchCandidates(sql, businessId, typed, terms, allowed, catalogSize, [...found.values()], limit - found.size);
      for (const row of rows) if (!found.has(row.variantId)) found.set(row.variantId, { ...row, codeMatch: false });
    }
  }
  return rankCandidates(typed, terms, [...found.values()].map(rankable))
    .slice(0, limit)
    .map(toHit);
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

const displayName = (c: Pick<Candidate, 'productName' | 'variantName'>) =>
  c.variantName ? `${c.productName} ${c.variantName}` : c.productName;

const rankable = <C extends Pick<Candidate, 'productName' | 'brand' | 'variantName'> & { variantId?: string; productId: string }>(
  c: C,
) => ({
  ...c,
  id: c.variantId ?? c.productId,
  name: displayName(c),
  also: c.brand,
  codeMatch: 'codeMatch' in c ? Boolean(c.codeMatch) : false,
});

function toHit(c: Candidate & { name: string }): CatalogHit {
  return {
    variantId: c.variantId,
    productId: c.productId,
    name: c.name,
    sku: c.sku,
    barcode: c.barcode,
    plu: c.plu,
    price: c.price,
    unit: c.unit,
    soldBy: c.soldBy,
    taxCode: c.taxCode,
    taxRate: c.taxRate,
    brand: c.brand,
  };
}

type DictionaryWord = { word: string; kind: MatchKind; productUses: number; variantUses: number };

/**
 * For each typed word, the dictionary words it may stand for, exact first; and how many products
 * the table holds (planner statistics; 0 if never analysed). One round trip.
 */
async function lookUpWords(sql: SqlSession, businessId: string, words: string[]) {
  const rows = await sql.query<Omit<DictionaryWord, 'kind'> & { kind: number; term: number; products: number }>(
    `
    SELECT t.i::int AS term, m.word, m.kind, m.product_uses AS "productUses", m.variant_uses AS "variantUses",
           greatest((SELECT reltuples FROM pg_class WHERE oid = 'inventory.products'::regclass), 0)::float8 AS products
    FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS t(term, prefixes, i)
    CROSS JOIN LATERAL (
      (SELECT s.word, CASE WHEN s.word = t.term THEN ${MATCH.exact} ELSE ${MATCH.prefix} END AS kind, s.product_uses, s.variant_uses
       FROM inventory.search_words s
       WHERE s.business_id = $1 AND s.deleted_at IS NULL AND s.word LIKE t.term || '%'
       ORDER BY s.word = t.term DESC, s.product_uses + s.variant_uses DESC, s.word
       LIMIT t.prefixes)
      UNION ALL
      (SELECT s.word, ${MATCH.corrected}, s.product_uses, s.variant_uses
       FROM inventory.search_words s
       WHERE length(t.term) >= 3 AND t.term !~ '^[0-9]+$'
         AND s.business_id = $1 AND s.deleted_at IS NULL AND s.word % t.term AND s.word NOT LIKE t.term || '%'
       ORDER BY similarity(s.word, t.term) DESC, s.word
       LIMIT ${MAX_CORRECTIONS})
      UNION ALL
      (SELECT s.word, ${SLIP_CANDIDATE}, s.product_uses, s.variant_uses
       FROM inventory.search_words s
       WHERE length(t.term) >= 4 AND t.term !~ '^[0-9]+$'
         AND s.business_id = $1 AND s.deleted_at IS NULL AND s.word LIKE left(t.term, 1) || '%'
         AND abs(length(s.word) - length(t.term)) <= 2 AND NOT s.word % t.term AND s.word NOT LIKE t.term || '%'
       ORDER BY similarity(s.word, t.term) DESC, s.word
       LIMIT ${MAX_SLIP_CANDIDATES})
    ) AS m`,
    [businessId, words, words.map(maxPrefixWords)],
  );
  const dictionary: DictionaryWord[][] = words.map(() => []);
  for (const { term, products: _, ...word } of rows) {
    if (word.kind !== SLIP_CANDIDATE) dictionary[term - 1]!.push(word as DictionaryWord);
    else if (isSlipOf(words[term - 1]!, word.word)) dictionary[term - 1]!.push({ ...word, kind: MATCH.corrected });
  }
  return { dictionary, catalogSize: rows[0]?.products ?? 0 };
}

/**
 * Items that answer every typed word with one of its allowed dictionary words, the `wanted`
 * best first among at most candidatesFor(wanted) found.
 *
 * When every typed word is found only in product names and brands (the usual case), products
 * are fetched through products_words_idx alone, ranked here, and only the best products' variants
 * are read: joining each candidate to its variants costs more than finding it. When a typed word
 * occurs in variant names too, it may be answered by either, so candidates are product and
 * variant joined: a word found only in variant names goes through product_variants_words_idx,
 * one found in both is checked on each joined row, and if every typed word is of that last kind
 * the rarest one is fetched through both indexes (two branches).
 */
async function fetchCandidates(
  sql: SqlSession,
  businessId: string,
  typed: string,
  terms: readonly Term[],
  allowed: DictionaryWord[][],
  catalogSize: number,
  found: readonly Candidate[],
  wanted: number,
): Promise<Omit<Candidate, 'codeMatch'>[]> {
  const params: unknown[] = [businessId];
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
  const inProduct = (words: string[]) => `${PRODUCT_WORDS} && ${param(words, 'text[]')}`;
  const inVariant = (words: string[]) => `(v.name IS NOT NULL AND ${VARIANT_WORDS} && ${param(words, 'text[]')})`;
  const sides = allowed.map((entries) => ({
    product: entries.filter((e) => e.productUses > 0).map((e) => e.word),
    variant: entries.filter((e) => e.variantUses > 0).map((e) => e.word),
    uses: entries.reduce((sum, e) => sum + e.productUses + e.variantUses, 0),
  }));
  const cap = param(candidatesFor(wanted), 'int');

  if (sides.every((s) => s.variant.length === 0)) {
    const seen = [...new Set(found.map((c) => c.productId))];
    const words = sides.map((s) => inProduct(s.product)).join(' AND ');
    const live = `p.business_id = $1 AND p.deleted_at IS NULL AND p.is_active
      ${seen.length > 0 ? `AND p.id <> ALL(${param(seen, 'uuid[]')})` : ''}`;
    const common = sides.length === 1 && catalogSize > 0 && sides[0]!.uses / catalogSize >= SCAN_SHARE;
    // OFFSET 0 keeps the word condition out of the inner scan, so it cannot go through the index.
    const products = await sql.query<Pick<Candidate, 'productId' | 'productName' | 'brand'>>(
      `
      SELECT p.id AS "productId", p.name AS "productName", p.brand
      FROM ${common ? `(SELECT p.id, p.name, p.brand FROM inventory.products p WHERE ${live} OFFSET 0) AS p` : `inventory.products p`}
      WHERE ${common ? words : `${live} AND ${words}`}
      LIMIT ${cap}`,
      params,
    );
    const best = rankCandidates(
      typed,
      terms,
      products.map((p) => rankable({ ...p, variantName: null })),
    ).slice(0, wanted);
    if (best.length === 0) return [];
    return sql.query<Omit<Candidate, 'codeMatch'>>(
      `
      SELECT ${HIT_COLUMNS}
      FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
      WHERE ${LIVE} AND v.product_id = ANY($2::uuid[])`,
      [businessId, best.map((p) => p.productId)],
    );
  }

  const condition = (s: (typeof sides)[number]) =>
    s.variant.length === 0
      ? inProduct(s.product)
      : s.product.length === 0
        ? inVariant(s.variant)
        : `(${inProduct(s.product)} OR ${inVariant(s.variant)})`;
  const seen = found.map((c) => c.variantId);
  const notFound = seen.length > 0 ? `AND v.id <> ALL(${param(seen, 'uuid[]')})` : '';
  const branch = (conditions: string[]) => `
    SELECT ${HIT_COLUMNS}
    FROM inventory.products p JOIN inventory.product_variants v ON v.product_id = p.id
    WHERE ${LIVE} AND ${conditions.join(' AND ')} ${notFound}
    LIMIT ${cap}`;
  if (sides.some((s) => s.product.length === 0 || s.variant.length === 0)) {
    return sql.query(branch(sides.map(condition)), params);
  }
  const rarest = sides.reduce((best, s) => (s.uses < best.uses ? s : best));
  const others = sides.filter((s) => s !== rarest).map(condition);
  return sql.query(
    `(${branch([inProduct(rarest.product), ...others])}) UNION ALL (${branch([inVariant(rarest.variant), ...others])}) LIMIT ${cap}`,
    params,
  );
}
