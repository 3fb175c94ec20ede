// GS1 GTIN check digits, shared by barcode validation at the scanner and by
// the demo catalog generator so both agree on what a valid code is.

// Bodies are the code without its check digit: EAN-8, UPC-A, EAN-13, GTIN-14.
const BODY_LENGTHS: ReadonlySet<number> = new Set([7, 11, 12, 13]);
const CODE_LENGTHS: ReadonlySet<number> = new Set([8, 12, 13, 14]);

const DIGITS_ONLY = /^[0-9]+$/;

export function gtinCheckDigit(body: string): number {
  if (typeof body !== 'string' || !DIGITS_ONLY.test(body)) {
    throw new TypeError(`GTIN body must contain only the digits 0-9, got ${JSON.stringify(body)}`);
  }
  if (!BODY_LENGTHS.has(body.length)) {
    throw new TypeError(`GTIN body must be 7, 11, 12 or 13 digits (EAN-8, UPC-A, EAN-13, GTIN-14 without check digit), got ${body.length}`);
  }
  // Weights are anchored at the right-hand end (the digit next to the check
  // digit weighs 3), which is what lets one routine serve every GTIN length:
  // a shorter code is just a longer one left-padded with zeros.
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(code: string): boolean {
  // Scanners hand us arbitrary strings; a malformed code is "not valid", not an error.
  if (typeof code !== 'string' || !DIGITS_ONLY.test(code) || !CODE_LENGTHS.has(code.length)) {
    return false;
  }
  const expected = gtinCheckDigit(code.slice(0, -1));
  return code.charCodeAt(code.length - 1) - 48 === expected;
}

export function makeEan13(body12: string): string {
  // Checked here too, so a 7- or 11-digit body cannot silently yield an EAN-8 or UPC-A.
  if (typeof body12 !== 'string' || body12.length !== 12) {
    throw new TypeError(`EAN-13 body must be exactly 12 digits, got ${JSON.stringify(body12)}`);
  }
  return body12 + String(gtinCheckDigit(body12));
}
