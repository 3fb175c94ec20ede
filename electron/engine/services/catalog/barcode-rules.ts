// Whether a code typed into the back office can be a product's barcode: a GTIN whose check digit
// holds, and not in a range the store's scales print their weight or price labels in (a scan of
// it would be read as a scale label and never reach the barcode). The forms it may be stored in
// are the ones a scan looks up (lookup.ts: the EAN-13 form and the printed one).
import { isValidGtin } from '#contract/gtin.ts';
import { parseScannedCode, type ScaleLayout } from './scanned-code.ts';

export type BarcodeProblem = 'NOT_A_GTIN' | 'BAD_CHECK_DIGIT' | 'SCALE_RANGE';

export type BarcodeCheck =
  /** `forms`: every way the same GTIN may already be stored (UPC-A as 12 digits or 13, GTIN-14 padded). */
  { ok: true; printed: string; gtin: string; forms: string[] } | { ok: false; problem: BarcodeProblem };

export function checkBarcode(typed: string, layouts: readonly ScaleLayout[]): BarcodeCheck {
  const code = typed.trim();
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return { ok: false, problem: 'NOT_A_GTIN' };
  if (!isValidGtin(code)) return { ok: false, problem: 'BAD_CHECK_DIGIT' };
  const scanned = parseScannedCode(code, layouts);
  if (!scanned.ok) return { ok: false, problem: 'BAD_CHECK_DIGIT' };
  if (scanned.value.kind !== 'gtin') return { ok: false, problem: 'SCALE_RANGE' };
  const { gtin, printed } = scanned.value;
  const forms = new Set([printed, gtin, `0${gtin}`.slice(-14)]);
  if (gtin.length === 13 && gtin.startsWith('0')) forms.add(gtin.slice(1));
  return { ok: true, printed, gtin, forms: [...forms].filter((f) => f.length >= 8).sort() };
}
