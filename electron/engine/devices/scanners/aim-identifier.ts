// AIM symbology identifiers (ISO/IEC 15424): a scanner set to send them puts "]", a code
// character and a modifier in front of every code, e.g. "]E0" before an EAN-13. They tell us
// which symbology was read, which the code itself cannot (a 13-digit number could be an
// EAN-13 or a Code 128 that happens to hold digits). The code after the prefix is left exactly
// as the scanner sent it: check digits and GS1 prefixes are read once, by the catalog's
// scanned-code parser, not here.
import type { Symbology } from '#contract/scan-event.ts';

export type AimSplit = {
  symbology: Symbology;
  /** The code without its AIM prefix; untouched when there was no prefix we recognise. */
  code: string;
  /** The prefix as received ("]E0"), or null when there was none. */
  aim: string | null;
};

// Code characters of ISO/IEC 15424 that we name. Those mapped to null are real AIM code
// characters whose symbology the Symbology union does not list: the prefix is still removed
// (the data after it is the code), the symbology is 'unknown'.
const CODE_CHARACTERS: Readonly<Record<string, Symbology | null>> = {
  A: 'Code 39',
  C: 'Code 128',
  E: 'EAN-13',
  F: 'Codabar',
  G: 'Code 93',
  I: 'Interleaved 2 of 5',
  L: 'PDF417',
  Q: 'QR Code',
  d: 'Data Matrix',
  e: 'GS1 DataBar',
  // Telepen, Code 11, Code 16K, MSI, Code 49, MaxiCode, other, non-barcode, Aztec.
  B: null,
  H: null,
  K: null,
  M: null,
  T: null,
  U: null,
  X: null,
  Z: null,
  z: null,
};

const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Whether the three characters are an AIM identifier we recognise ("]E0", "]Q1"…). */
export function isAimIdentifier(aim: string): boolean {
  return aim.length === 3 && AIM_PREFIX.test(aim) && Object.hasOwn(CODE_CHARACTERS, aim[1]!);
}

/**
 * The symbology an AIM identifier names, for the code that followed it. Null when the
 * identifier is not one we recognise.
 */
export function symbologyFromAim(aim: string, code: string): Symbology | null {
  if (!isAimIdentifier(aim)) return null;
  const character = aim[1]!;
  const modifier = aim[2]!;
  if (character === 'E') return eanFamily(modifier, code);
  // ]C1 is Code 128 with FNC1 in the first position, which is what makes it GS1-128.
  if (character === 'C' && modifier === '1') return 'GS1-128';
  return CODE_CHARACTERS[character] ?? 'unknown';
}

// ]E0 covers EAN-13, UPC-A and UPC-E. Most scanners send UPC-A as 13 digits (a leading 0) and
// UPC-E expanded the same way, which we cannot tell from an EAN-13 and need not: the catalog
// looks every one of them up as a GTIN-13. Only a scanner that sends the short forms shows
// which it read.
function eanFamily(modifier: string, code: string): Symbology {
  if (modifier === '4') return 'EAN-8';
  if (modifier === '0') {
    if (/^\d{12}$/.test(code)) return 'UPC-A';
    if (/^\d{8}$/.test(code)) return 'UPC-E';
  }
  // ]E1/]E2 are a lone add-on, ]E3 a code and its add-on in one packet: all EAN-13 family.
  return 'EAN-13';
}

/** Splits "]E07501000111206" into EAN-13 and "7501000111206"; without a known prefix, 'unknown' and the code as is. */
export function splitAimIdentifier(raw: string): AimSplit {
  const aim = raw.slice(0, 3);
  const code = raw.slice(3);
  const symbology = symbologyFromAim(aim, code);
  if (symbology === null) return { symbology: 'unknown', code: raw, aim: null };
  return { symbology, code, aim };
}
