// A number as a person types it in their locale ("1.234,50" in Argentina and Colombia,
// "1,234.50" in Mexico and English) turned into the engine's decimal string ("1234.50"), or the
// reason it cannot be. Strict on purpose: a separator means one thing per locale, so "12.50" in
// es-AR is refused rather than guessed (it could be a mistyped 12,50 or a grouping slip), and
// "50.000" is fifty thousand there, never fifty. The separators come from Intl, not from a table
// of countries. All work is on the string: a value never passes through a JavaScript number. Pure.

/** What a field takes: whole digits at most, decimals at most, and whether it may be negative. */
export type NumberRule = { integerDigits: number; decimals: number; signed?: boolean };

/** Money at the register (tendered, float, cash movements, a price or discount typed there). */
export const MONEY: NumberRule = { integerDigits: 13, decimals: 2 };
/** A catalog price or a unit cost: the engine keeps four places. */
export const PRICE: NumberRule = { integerDigits: 13, decimals: 4 };
/** Pieces or kilograms to the gram. */
export const QUANTITY: NumberRule = { integerDigits: 6, decimals: 3 };
/** A stock change, which may take away. */
export const SIGNED_QUANTITY: NumberRule = { integerDigits: 6, decimals: 3, signed: true };
/** A percentage (the caller holds it to 100). */
export const PERCENT: NumberRule = { integerDigits: 3, decimals: 4 };

export type Separators = { decimal: string; group: string };

export type TypedNumberProblem =
  | 'EMPTY' // nothing typed
  | 'NEGATIVE' // a minus sign where the field takes none
  | 'NOT_A_NUMBER' // letters or other signs, or a separator with no digits beside it
  | 'TWO_DECIMAL_SEPARATORS' // "1,2,3" in es-AR
  | 'GROUPING' // a group separator out of place: "12.50" in es-AR, "12,50" in es-MX
  | 'TOO_MANY_DECIMALS' // more places than the field keeps
  | 'TOO_LARGE'; // more whole digits than the field keeps

export type TypedNumber = { ok: true; value: string } | { ok: false; problem: TypedNumberProblem };

const known = new Map<string, Separators>();

/** The locale's decimal and group separators, as Intl writes them. */
export function separatorsOf(locale: string): Separators {
  let found = known.get(locale);
  if (!found) {
    // A number with both a grouping and a fraction in every locale, whatever its minimum grouping.
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    found = { decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.', group: parts.find((p) => p.type === 'group')?.value ?? ',' };
    known.set(locale, found);
  }
  return found;
}

// Locales that group with a space write U+00A0 or U+202F; a keyboard gives U+0020. All are one.
const SPACES = new Set([' ', '\u00a0', '\u202f']);
const MINUS = new Set(['-', '\u2212']);

/** The engine's form for a rule: digits, a point, at most `decimals` places, no grouping. */
export function canonicalPattern(rule: NumberRule): RegExp {
  const fraction = rule.decimals > 0 ? `(\\.\\d{1,${rule.decimals}})?` : '';
  return new RegExp(`^${rule.signed ? '-?' : ''}\\d{1,${rule.integerDigits}}${fraction}$`);
}

/** What was typed, in the engine's form for `rule`, or why it cannot be. */
export function readTypedNumber(typed: string, locale: string, rule: NumberRule): TypedNumber {
  const { decimal, group } = separatorsOf(locale);
  const isGroup = (c: string) => c === group || (SPACES.has(group) && SPACES.has(c));
  const refuse = (problem: TypedNumberProblem): TypedNumber => ({ ok: false, problem });

  let text = typed.trim();
  if (text === '') return refuse('EMPTY');
  const negative = MINUS.has(text[0]!);
  if (negative) {
    if (!rule.signed) return refuse('NEGATIVE');
    text = text.slice(1);
  }
  const chars = [...text];
  if (chars.some((c) => !/[0-9]/.test(c) && c !== decimal && !isGroup(c))) return refuse('NOT_A_NUMBER');
  if (chars.filter((c) => c === decimal).length > 1) return refuse('TWO_DECIMAL_SEPARATORS');

  const at = text.indexOf(decimal);
  const whole = at < 0 ? text : text.slice(0, at);
  const fraction = at < 0 ? null : text.slice(at + decimal.length);
  // Grouping belongs to the whole part only: a first group of one to three digits, then threes.
  // A grouped number never starts with 0: "0.500" in es-AR is a slipped decimal point, not 500.
  if (fraction !== null && [...fraction].some(isGroup)) return refuse('GROUPING');
  const groups = [''];
  for (const c of whole) {
    if (isGroup(c)) groups.push('');
    else groups[groups.length - 1] += c;
  }
  if (groups.length > 1 && (!/^[1-9]\d{0,2}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))))
    return refuse('GROUPING');
  const digits = groups.join('');
  if (digits === '' || fraction === '') return refuse('NOT_A_NUMBER');
  if (fraction !== null && fraction.length > rule.decimals) return refuse('TOO_MANY_DECIMALS');
  const integer = digits.replace(/^0+(?=\d)/, '');
  if (integer.length > rule.integerDigits) return refuse('TOO_LARGE');

  // Minus zero is zero: the engine never sees "-0".
  const zero = /^0+$/.test(integer + (fraction ?? ''));
  return { ok: true, value: `${negative && !zero ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}` };
}

/**
 * An engine value ("1234.50") as a person of this locale would type it ("1.234,50"), for a field
 * filled in for them (a quick amount, the card's amount, a weight from the scale). Reading it back
 * gives the same value. Anything not in the engine's form is left as it is.
 */
export function typedForm(value: string, locale: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, integer, fraction] = match;
  const { decimal, group } = separatorsOf(locale);
  const grouped = integer!.replace(/\B(?=(\d{3})+$)/g, group);
  return `${sign}${grouped}${fraction === undefined ? '' : `${decimal}${fraction}`}`;
}
