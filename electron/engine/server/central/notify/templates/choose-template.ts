// Which of the stored templates a reader gets. The language the reader reads comes first (a
// Colombian customer is better served by the global Spanish text than by a business's English
// one), then whose it is (the business's own over the global), then how close the locale is:
// exact, then the language's main locale (es-CO → es-MX), then the bare language, then any other
// of that language. English is the last resort, again the business's own first.

/** The locale a language falls back to when the reader's own is missing. */
const MAIN_LOCALE: Record<string, string> = { es: 'es-MX', en: 'en' };
const LAST_RESORT = 'en';

type Candidate = { businessId: string | null; locale: string };

const languageOf = (locale: string) => locale.split('-')[0]!.toLowerCase();

/** Lower is better; null when the locale is of no use to this reader. */
function closeness(wanted: string, locale: string, language: string): number | null {
  const have = locale.toLowerCase();
  if (languageOf(have) !== language) return null;
  if (have === wanted.toLowerCase()) return 0;
  if (have === MAIN_LOCALE[language]?.toLowerCase()) return 1;
  if (have === language) return 2;
  return 3;
}

export function chooseTemplate<T extends Candidate>(rows: T[], q: { businessId: string | null; locale: string }): T | null {
  const wanted = q.locale;
  const language = languageOf(wanted);
  const rank = (row: T): number[] | null => {
    const owner = row.businessId !== null && row.businessId === q.businessId ? 0 : row.businessId === null ? 1 : null;
    if (owner === null) return null;
    const own = closeness(wanted, row.locale, language);
    if (own !== null) return [0, owner, own];
    const fallback = closeness(LAST_RESORT, row.locale, LAST_RESORT);
    return fallback === null ? null : [1, owner, fallback];
  };
  let best: { row: T; key: number[] } | null = null;
  for (const row of rows) {
    const key = rank(row);
    if (!key) continue;
    if (!best || compareKeys(key, best.key) < 0 || (compareKeys(key, best.key) === 0 && row.locale < best.row.locale)) best = { row, key };
  }
  return best?.row ?? null;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
