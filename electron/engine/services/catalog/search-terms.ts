// Typed text and catalog names cut into the words product search compares, and the ranking of
// what the database found. The cutting is the TypeScript twin of public.pos_words (migration
// 0006_search_words): "Jalapeños 220g" is jalapenos, 220, g on both sides. Pure functions, so
// they are unit-tested (tests/unit/search-terms.test.ts) and held to the database's own answers
// by tests/integration/catalog-search.test.ts.

/**
 * Latin-1 and Latin Extended-A letters that unaccent() rewrites but canonical decomposition
 * leaves alone (looked up after lower-casing), and the ordinals public.pos_words settles itself.
 */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ð: 'd',
  þ: 'th',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  ŀ: 'l',
  ĳ: 'ij',
  ŋ: 'n',
  ŧ: 't',
  ĸ: 'q',
  ſ: 's',
  ŉ: "'n",
  ª: 'a',
  º: 'o',
  '©': '(c)',
  '®': '(r)',
};
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');
/** Vulgar fractions: "1½" is "1 1/2", so the whole number stays a word of its own. */
const FRACTIONS = /[¼½¾]/g;
const MARKS = /\p{M}/gu;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Lower case without accents, as public.pos_words folds before cutting ("Piña" → "pina").
 * Canonical decomposition only: unaccent() does not fold superscripts or full-width forms either.
 */
export function foldText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .replace(FRACTIONS, (c) => ` ${c.normalize('NFKD')}`)
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(SPECIAL_LETTERS, (c) => LETTERS[c]!);
}

/**
 * The words of a text as public.pos_words gives them: folded, cut at anything that is not a
 * letter or a digit and between digits and letters ("220g" → 220, g). In order, repeats kept.
 */
export function searchWords(text: string): string[] {
  return foldText(text)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/([0-9])(?=[a-z])|([a-z])(?=[0-9])/g, '$1$2 ')
    .split(' ')
    .filter((w) => w !== '');
}

/** More words than a cashier types for one item; the rest of a pasted text is ignored. */
export const MAX_TERMS = 8;

/** The words to look for in what the cashier typed: each once, in the order typed. */
export function searchTerms(text: string): string[] {
  return [...new Set(searchWords(text))].slice(0, MAX_TERMS);
}

/**
 * Whether typed text may be an item code (SKU, barcode, PLU) rather than words: one token,
 * no spaces, holding at least one digit ("ABR-000123", "7501055363057", "00101").
 */
export function looksLikeCode(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 64 && !/\s/.test(t) && /[0-9]/.test(t);
}

/** pg_trgm's trigrams of already-folded words: each word padded with two spaces before, one after. */
export function trigrams(words: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const word of words) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  }
  return set;
}

/** pg_trgm's similarity(): shared trigrams over all distinct trigrams of both, 0 to 1. */
export function trigramSimilarity(a: readonly string[] | ReadonlySet<string>, b: readonly string[]): number {
  const ta = Array.isArray(a) ? trigrams(a) : (a as ReadonlySet<string>);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/**
 * Edits between two words: letters inserted, deleted, replaced, or two neighbours swapped
 * (optimal string alignment). "avnea" is one edit from "avena", though they share few trigrams.
 */
export function editDistance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Whether a dictionary word is a plausible slip for a typed word: one edit, two from seven letters. */
export const isSlipOf = (typed: string, word: string) => editDistance(typed, word) <= (typed.length >= 7 ? 2 : 1);

// ---------------------------------------------------------------------------------------------
// Ranking.

/** How an item answered one typed word: the word itself, a word it begins, or a correction. */
export const MATCH = { exact: 0, prefix: 1, corrected: 2 } as const;
export type MatchKind = (typeof MATCH)[keyof typeof MATCH];

/** A typed word and the dictionary words it was corrected to (none if it needed no correction). */
export type Term = { term: string; corrections: readonly string[] };

/**
 * How well an item's words answer each typed word: the worst of the best matches (an item is
 * only as good as its weakest word), or null if some typed word is not answered at all.
 */
export function matchKind(terms: readonly Term[], words: readonly string[]): MatchKind | null {
  let worst: MatchKind = MATCH.exact;
  for (const { term, corrections } of terms) {
    let best: MatchKind | null = null;
    for (const word of words) {
      if (word === term) {
        best = MATCH.exact;
        break;
      }
      if (word.startsWith(term)) best = MATCH.prefix;
      else if (best === null && corrections.includes(word)) best = MATCH.corrected;
    }
    if (best === null) return null;
    if (best > worst) worst = best;
  }
  return worst;
}

export type RankInput = {
  /** Stable id, the last tie-breaker. */
  id: string;
  /** What the cashier sees: product name and variant name. */
  name: string;
  /** What else the item is found by, not shown (the brand). */
  also: string | null;
  /** The text typed is this item's SKU, barcode or PLU. */
  codeMatch: boolean;
};

export type Ranked<T> = { item: T; kind: MatchKind; leading: boolean; similarity: number };

const SPANISH = new Intl.Collator('es', { sensitivity: 'base', numeric: true });

/**
 * Orders search candidates: an exact code first; then items that answer every typed word
 * exactly, then by prefix, then through corrections; within those, items whose name begins with
 * the first typed word; then by trigram similarity of the typed words to the name; then by name
 * as a Spanish speaker sorts it. Candidates that answer no typed word are dropped (unless the
 * code matched).
 */
export function rankCandidates<T extends RankInput>(
  typed: string,
  terms: readonly Term[],
  candidates: readonly T[],
  collator = SPANISH,
): T[] {
  const typedTrigrams = trigrams(searchWords(typed));
  const first = terms[0]?.term;
  const ranked: Ranked<T>[] = [];
  for (const item of candidates) {
    const nameWords = searchWords(item.name);
    const kind = item.codeMatch ? MATCH.exact : matchKind(terms, item.also ? [...nameWords, ...searchWords(item.also)] : nameWords);
    if (kind === null) continue;
    ranked.push({
      item,
      kind,
      leading: first !== undefined && nameWords[0]?.startsWith(first) === true,
      similarity: trigramSimilarity(typedTrigrams, nameWords),
    });
  }
  ranked.sort(
    (a, b) =>
      Number(b.item.codeMatch) - Number(a.item.codeMatch) ||
      a.kind - b.kind ||
      Number(b.leading) - Number(a.leading) ||
      b.similarity - a.similarity ||
      collator.compare(a.item.name, b.item.name) ||
      (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0),
  );
  return ranked.map((r) => r.item);
}
