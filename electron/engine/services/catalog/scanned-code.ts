// What the scanner (or the cashier's keyboard) produced, turned into what the
// cart should look up. Every GS1 rule the product applies lives here, so the
// cart, returns and the catalog tools can never disagree about a barcode.

import { gtinCheckDigit, isValidGtin } from '#contract/gtin.ts';

export type ScaleLayout = {
  /** Which leading prefixes are variable-measure (GS1: '02' and '20'..'29'); configurable per store. */
  prefixes: string[];
  /** Digits of the item code (PLU) right after the prefix, e.g. 5 for "20 PPPPP VVVVV C" or 4 for "20 PPPP C VVVVV C". */
  itemDigits: number;
  /** 'weight' or 'price' embedded in the value digits. */
  value: 'weight' | 'price';
  /** Decimal places of the value: weight in kg with 3 => 01234 is 1.234 kg; price with 2 => 01234 is 12.34. */
  valueDecimals: number;
  /**
   * Whether a price/weight check digit sits between the item code and the value
   * (GS1 General Specifications 7.9.3). The value field must then be 4 or 5 digits,
   * the only lengths GS1 defines that check digit for.
   */
  valueCheckDigit: boolean;
};

function deepFreeze(layout: ScaleLayout): ScaleLayout {
  Object.freeze(layout.prefixes);
  return Object.freeze(layout);
}

// Frozen because every caller shares this one object: a store that pushed its
// own prefix onto it would silently change how every other store parses.
export const DEFAULT_SCALE_LAYOUTS: readonly ScaleLayout[] = Object.freeze([
  // Mexican scales print "2X PPPPP WWWWW C" with the weight in grams.
  deepFreeze({
    prefixes: ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'],
    itemDigits: 5,
    value: 'weight',
    valueDecimals: 3,
    valueCheckDigit: false,
  }),
  // UPC-A number system 2 (imported US equipment) reads as EAN-13 "02..." and carries a price.
  deepFreeze({ prefixes: ['02'], itemDigits: 5, value: 'price', valueDecimals: 2, valueCheckDigit: false }),
]);

export type ScannedCode =
  /** `gtin` is the lookup key (UPC-A and GTIN-14 with a leading 0 become EAN-13); `printed` is what the label shows. */
  | { kind: 'gtin'; gtin: string; printed: string }
  | { kind: 'measured'; plu: string; weightKg: string }
  | { kind: 'priced'; plu: string; price: string }
  | { kind: 'receipt'; registerCode?: string; number: string }
  | { kind: 'text'; text: string };

export type ScanError = { code: 'BAD_CHECK_DIGIT' | 'BAD_VALUE_CHECK_DIGIT' | 'EMPTY' | 'GARBAGE'; message: string };

export type ScanResult = { ok: true; value: ScannedCode } | { ok: false; error: ScanError };

const MAX_TEXT_LENGTH = 200;

// GS1 price/weight check digit tables (General Specifications 7.9.3). Each maps a
// digit to the units digit of its weighted product: "2-" is 2x minus the tens
// digit, "5+" / "5-" are 5x plus / minus the tens digit, "3" is plain 3x.
type WeightTable = readonly number[];
const TWO_MINUS: WeightTable = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const THREE: WeightTable = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const FIVE_PLUS: WeightTable = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const FIVE_MINUS: WeightTable = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function weightedSum(value: string, tables: readonly WeightTable[]): number {
  let sum = 0;
  for (let i = 0; i < tables.length; i++) {
    // Length and digits were checked by the caller; `?? 0` only satisfies noUncheckedIndexedAccess.
    sum += tables[i]?.[value.charCodeAt(i) - 48] ?? 0;
  }
  return sum;
}

/**
 * The GS1 check digit for a 4- or 5-digit price/weight field, as printed by
 * scales that put it in front of the value. Exported so label tools and tests
 * build codes with the same rule the scanner checks.
 */
export function priceCheckDigit(value: string): number {
  if (typeof value !== 'string' || !/^[0-9]{4,5}$/.test(value)) {
    throw new TypeError(`price/weight field must be 4 or 5 digits, got ${JSON.stringify(value)}`);
  }
  if (value.length === 4) {
    return (weightedSum(value, [TWO_MINUS, TWO_MINUS, THREE, FIVE_MINUS]) * 3) % 10;
  }
  // The 5-digit rule ends on a reverse lookup: the check digit is the digit
  // whose "5-" product completes the sum to a multiple of ten.
  const complement = (10 - (weightedSum(value, [FIVE_PLUS, TWO_MINUS, FIVE_MINUS, FIVE_PLUS, TWO_MINUS]) % 10)) % 10;
  return FIVE_MINUS.indexOf(complement);
}

function valueLength(layout: ScaleLayout, prefix: string): number {
  return 12 - prefix.length - layout.itemDigits - (layout.valueCheckDigit ? 1 : 0);
}

// A bad layout is a store-configuration bug, not a bad scan: throwing makes it
// show up on the first scan after the setting changes instead of mispricing
// weighed goods for days.
function assertValidLayouts(layouts: readonly ScaleLayout[]): void {
  for (const layout of layouts) {
    if (!Number.isInteger(layout.itemDigits) || layout.itemDigits < 1) {
      throw new TypeError(`scale layout itemDigits must be a positive integer, got ${String(layout.itemDigits)}`);
    }
    if (!Number.isInteger(layout.valueDecimals) || layout.valueDecimals < 0) {
      throw new TypeError(`scale layout valueDecimals must be a non-negative integer, got ${String(layout.valueDecimals)}`);
    }
    if (layout.value !== 'weight' && layout.value !== 'price') {
      throw new TypeError(`scale layout value must be 'weight' or 'price', got ${JSON.stringify(layout.value)}`);
    }
    for (const prefix of layout.prefixes) {
      if (!/^[0-9]+$/.test(prefix)) {
        throw new TypeError(`scale layout prefix must be digits, got ${JSON.stringify(prefix)}`);
      }
      const length = valueLength(layout, prefix);
      if (length < 1) {
        throw new TypeError(`scale layout with prefix ${prefix} leaves no room for the value in an EAN-13`);
      }
      if (layout.valueCheckDigit && length !== 4 && length !== 5) {
        throw new TypeError(`scale layout with prefix ${prefix} has a ${length}-digit value; a value check digit needs 4 or 5 digits`);
      }
    }
  }
}

function stripLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=[0-9])/, '');
}

// Money and weights stay exact decimal strings all the way to the cart; going
// through Number here would let 0.1-style binary rounding into a sale line.
function insertDecimalPoint(digits: string, decimals: number): string {
  const padded = digits.padStart(decimals + 1, '0');
  const cut = padded.length - decimals;
  const integer = stripLeadingZeros(padded.slice(0, cut));
  return decimals === 0 ? integer : `${integer}.${padded.slice(cut)}`;
}

// AIM symbology identifier: ']' + symbology letter + modifier. Scanners
// configured to send it prepend it to every read; it is never part of the data.
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
// Keyboard-wedge scanners and pasted text carry invisible characters (CR, GS
// separators, BOMs, zero-width spaces) that would make an exact lookup miss.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const RECEIPT = /^R([A-Z0-9-]{1,20})-([0-9]+)$/;
const GTIN_LENGTHS: ReadonlySet<number> = new Set([8, 12, 13, 14]);

function fail(code: ScanError['code'], message: string): ScanResult {
  return { ok: false, error: { code, message } };
}

function ok(value: ScannedCode): ScanResult {
  return { ok: true, value };
}

// The 13-digit form a variable-measure prefix is matched against; null for
// codes that cannot carry one (EAN-8 has no room, a GTIN-14 with an indicator
// digit identifies a trade unit, not a weighed item).
function asEan13(digits: string): string | null {
  if (digits.length === 13) return digits;
  if (digits.length === 12) return `0${digits}`;
  if (digits.length === 14 && digits.startsWith('0')) return digits.slice(1);
  return null;
}

function parseDigits(digits: string, layouts: readonly ScaleLayout[]): ScanResult {
  if (!isValidGtin(digits)) {
    const expected = gtinCheckDigit(digits.slice(0, -1));
    return fail('BAD_CHECK_DIGIT', `check digit should be ${expected}, not ${digits.slice(-1)}`);
  }
  const ean13 = asEan13(digits);
  if (ean13 !== null) {
    for (const layout of layouts) {
      const prefix = layout.prefixes.find((p) => ean13.startsWith(p));
      if (prefix === undefined) continue;
      return parseMeasured(ean13, layout, prefix);
    }
  }
  // EAN-8 keeps its own length: it is a distinct GTIN, not a padded EAN-13 on the shelf label.
  return ok({ kind: 'gtin', gtin: ean13 ?? digits, printed: digits });
}

function parseMeasured(ean13: string, layout: ScaleLayout, prefix: string): ScanResult {
  let at = prefix.length;
  const plu = ean13.slice(at, at + layout.itemDigits);
  at += layout.itemDigits;
  let printedCheck: string | undefined;
  if (layout.valueCheckDigit) {
    printedCheck = ean13.charAt(at);
    at += 1;
  }
  const value = ean13.slice(at, 12);
  if (printedCheck !== undefined) {
    const expected = priceCheckDigit(value);
    if (String(expected) !== printedCheck) {
      return fail('BAD_VALUE_CHECK_DIGIT', `${layout.value} check digit should be ${expected}, not ${printedCheck}`);
    }
  }
  const amount = insertDecimalPoint(value, layout.valueDecimals);
  return ok(layout.value === 'weight' ? { kind: 'measured', plu, weightKg: amount } : { kind: 'priced', plu, price: amount });
}

export function parseScannedCode(raw: string, layouts: readonly ScaleLayout[] = DEFAULT_SCALE_LAYOUTS): ScanResult {
  assertValidLayouts(layouts);
  if (typeof raw !== 'string' || raw.trim() === '') {
    return fail('EMPTY', 'nothing was scanned');
  }
  // U+FFFD means the bytes were already undecodable (usually a scanner on the
  // wrong baud rate or code page); whatever survives would be a wrong code.
  if (raw.includes('\uFFFD')) {
    return fail('GARBAGE', 'the scanner sent unreadable bytes; check its interface settings');
  }
  const visible = raw.replace(INVISIBLE, '').trim();
  if (visible === '') {
    return fail('GARBAGE', 'the scanner sent only control characters');
  }
  const text = visible.replace(AIM_PREFIX, '').trim();
  if (text === '') {
    return fail('EMPTY', 'the scanner sent a symbology identifier with no data');
  }
  if ([...text].length > MAX_TEXT_LENGTH) {
    return fail('GARBAGE', `scanned text is longer than ${MAX_TEXT_LENGTH} characters`);
  }

  if (/^[0-9]+$/.test(text) && GTIN_LENGTHS.has(text.length)) {
    return parseDigits(text, layouts);
  }

  const receipt = RECEIPT.exec(text);
  if (receipt !== null) {
    // The regex has two groups, so both are present on a match.
    return ok({ kind: 'receipt', registerCode: receipt[1] ?? '', number: stripLeadingZeros(receipt[2] ?? '') });
  }

  return ok({ kind: 'text', text });
}
