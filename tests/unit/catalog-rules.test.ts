import { describe, expect, it } from 'vitest';
import { checkBarcode } from '#engine/services/catalog/barcode-rules.ts';
import { makeEan13 } from '#contract/gtin.ts';
import { DEFAULT_SCALE_LAYOUTS } from '#engine/services/catalog/scanned-code.ts';
import { taxCodesFor, taxRateOf } from '#contract/tax-codes.ts';
import { isLow, quantityProblem } from '#engine/services/inventory/stock-rules.ts';

describe('a barcode typed in the back office', () => {
  it('is accepted as printed when its check digit holds, with the EAN-13 form a scan looks up', () => {
    const ean = makeEan13('750123456789');
    expect(checkBarcode(ean, DEFAULT_SCALE_LAYOUTS)).toMatchObject({ ok: true, printed: ean, gtin: ean });
    expect(checkBarcode('036000291452', DEFAULT_SCALE_LAYOUTS)).toMatchObject({ ok: true, printed: '036000291452', gtin: '0036000291452' });
  });

  it('names every form the same GTIN may be stored in, so a UPC-A cannot come back as its EAN-13', () => {
    const forms = ['00036000291452', '0036000291452', '036000291452'];
    expect(checkBarcode('036000291452', DEFAULT_SCALE_LAYOUTS)).toMatchObject({ forms });
    expect(checkBarcode('0036000291452', DEFAULT_SCALE_LAYOUTS)).toMatchObject({ forms });
  });

  it('is refused when its last digit does not check', () => {
    const ean = makeEan13('750123456789');
    const wrong = ean.slice(0, -1) + String((Number(ean.at(-1)) + 1) % 10);
    expect(checkBarcode(wrong, DEFAULT_SCALE_LAYOUTS)).toEqual({ ok: false, problem: 'BAD_CHECK_DIGIT' });
  });

  it('is refused when it is not 8, 12, 13 or 14 digits', () => {
    expect(checkBarcode('12345', DEFAULT_SCALE_LAYOUTS)).toEqual({ ok: false, problem: 'NOT_A_GTIN' });
    expect(checkBarcode('75012345678A', DEFAULT_SCALE_LAYOUTS)).toEqual({ ok: false, problem: 'NOT_A_GTIN' });
  });

  it('is refused in the range the scales print weight labels in, since a scan would read it as a weighed item', () => {
    expect(checkBarcode(makeEan13('200010101234'), DEFAULT_SCALE_LAYOUTS)).toEqual({ ok: false, problem: 'SCALE_RANGE' });
    // A store without scales may use that range.
    expect(checkBarcode(makeEan13('200010101234'), [])).toMatchObject({ ok: true });
  });
});

describe('tax codes', () => {
  it('carry the rate of their name, exempt at zero', () => {
    expect(taxRateOf('IVA16')).toBe('0.160000');
    expect(taxRateOf('IVA10_5')).toBe('0.105000');
    expect(taxRateOf('EXENTO')).toBe('0.000000');
  });

  it('are the ones of the business country', () => {
    expect(taxCodesFor('MX')).toEqual(['IVA16', 'IVA8', 'IVA0', 'EXENTO']);
    expect(taxCodesFor('CO')).toContain('IVA19');
    expect(taxCodesFor('CO')).not.toContain('IVA16');
    expect(taxCodesFor('AR')).toContain('IVA10_5');
  });
});

describe('stock quantities', () => {
  it('come in whole pieces for items sold by the piece and to the gram for weighed ones', () => {
    expect(quantityProblem('UNIT', '3')).toBeNull();
    expect(quantityProblem('UNIT', '3.000')).toBeNull();
    expect(quantityProblem('UNIT', '2.5')).toBe('WHOLE_UNITS');
    expect(quantityProblem('WEIGHT', '2.125')).toBeNull();
  });

  it('are low at or under the reorder point, compared exactly', () => {
    expect(isLow('6.0000', '6')).toBe(true);
    expect(isLow('6.0001', '6')).toBe(false);
    expect(isLow('-1', '0')).toBe(true);
    expect(isLow('0', null)).toBe(false);
  });
});
