import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin, makeEan13 } from '#contract/gtin.ts';

describe('gtinCheckDigit', () => {
  it('computes the check digit of a Mexican EAN-13 body', () => {
    expect(gtinCheckDigit('750100011120')).toBe(6);
  });

  it('computes the check digit of a UPC-A body', () => {
    expect(gtinCheckDigit('03600029145')).toBe(2);
  });

  it('computes the check digit of an EAN-8 body', () => {
    expect(gtinCheckDigit('9638507')).toBe(4);
  });

  it('computes the check digit of a GTIN-14 body', () => {
    expect(gtinCheckDigit('1001234567890')).toBe(2);
  });

  it('returns zero when the weighted sum is already a multiple of ten', () => {
    expect(gtinCheckDigit('000000000000')).toBe(0);
  });

  it('gives the same digit for a UPC-A body and the same body zero-padded to EAN-13', () => {
    expect(gtinCheckDigit('003600029145')).toBe(gtinCheckDigit('03600029145'));
  });

  it('throws a TypeError for a body containing letters', () => {
    expect(() => gtinCheckDigit('75010001112A')).toThrow(TypeError);
  });

  it('throws a TypeError for an empty body', () => {
    expect(() => gtinCheckDigit('')).toThrow(TypeError);
  });

  it('throws a TypeError for a body with spaces or a sign', () => {
    expect(() => gtinCheckDigit('7501 0001112')).toThrow(TypeError);
    expect(() => gtinCheckDigit('-75010001112')).toThrow(TypeError);
  });

  it('throws a TypeError naming the accepted lengths for a body of the wrong length', () => {
    expect(() => gtinCheckDigit('75010001')).toThrow(/7, 11, 12 or 13/);
    expect(() => gtinCheckDigit('75010001112012')).toThrow(TypeError);
  });
});

describe('isValidGtin', () => {
  it('accepts a real Mexican EAN-13 whose check digit is right', () => {
    expect(isValidGtin('7501000111206')).toBe(true);
  });

  it('accepts the GS1 reference UPC-A 036000291452', () => {
    expect(isValidGtin('036000291452')).toBe(true);
  });

  it('accepts the reference EAN-8 96385074', () => {
    expect(isValidGtin('96385074')).toBe(true);
  });

  it('accepts a GTIN-14 whose check digit is right', () => {
    expect(isValidGtin('10012345678902')).toBe(true);
  });

  it('rejects an EAN-13 whose last digit is off by one', () => {
    expect(isValidGtin('7501000111207')).toBe(false);
    expect(isValidGtin('7501000111205')).toBe(false);
  });

  it('rejects 7501055363057 because its check digit should be 6', () => {
    expect(isValidGtin('7501055363057')).toBe(false);
    expect(isValidGtin('7501055363056')).toBe(true);
  });

  it('rejects a UPC-A and an EAN-8 with a wrong check digit', () => {
    expect(isValidGtin('036000291453')).toBe(false);
    expect(isValidGtin('96385075')).toBe(false);
  });

  it('rejects two swapped adjacent digits', () => {
    expect(isValidGtin('7501000112106')).toBe(false);
  });

  it('rejects codes containing letters instead of throwing', () => {
    expect(isValidGtin('75010001112O6')).toBe(false);
    expect(isValidGtin('ABCDEFGHIJKLM')).toBe(false);
  });

  it('rejects codes with surrounding whitespace', () => {
    expect(isValidGtin(' 7501000111206')).toBe(false);
    expect(isValidGtin('7501000111206\n')).toBe(false);
  });

  it('rejects codes of lengths that are not GTIN lengths', () => {
    expect(isValidGtin('')).toBe(false);
    expect(isValidGtin('1234567')).toBe(false);
    expect(isValidGtin('75010001112066')).toBe(false);
    expect(isValidGtin('750100011120600')).toBe(false);
    expect(isValidGtin('75010001112')).toBe(false);
  });
});

describe('makeEan13', () => {
  it('appends the check digit to a 12-digit body', () => {
    expect(makeEan13('750100011120')).toBe('7501000111206');
  });

  it('produces codes that isValidGtin accepts', () => {
    for (const body of ['750000000000', '750123456789', '750999999999', '000000000001']) {
      const code = makeEan13(body);
      expect(code).toHaveLength(13);
      expect(isValidGtin(code)).toBe(true);
    }
  });

  it('refuses a body that is not 12 digits long, even if it is a valid GTIN body', () => {
    expect(() => makeEan13('03600029145')).toThrow(TypeError);
    expect(() => makeEan13('9638507')).toThrow(TypeError);
    expect(() => makeEan13('7501000111206')).toThrow(TypeError);
  });

  it('refuses a body that contains letters', () => {
    expect(() => makeEan13('75010001112X')).toThrow(TypeError);
  });
});
