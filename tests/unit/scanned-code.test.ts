import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, makeEan13 } from '#contract/gtin.ts';
import { DEFAULT_SCALE_LAYOUTS, parseScannedCode, priceCheckDigit, type ScaleLayout } from '#engine/services/catalog/scanned-code.ts';

function upcA(body11: string): string {
  return body11 + String(gtinCheckDigit(body11));
}

// The 4-digit-PLU layout with a price check digit in front of a 5-digit price: "20 PPPP K VVVVV C".
const CHECKED_PRICE_LAYOUT: ScaleLayout = {
  prefixes: ['20'],
  itemDigits: 4,
  value: 'price',
  valueDecimals: 2,
  valueCheckDigit: true,
};

describe('parseScannedCode: ordinary GTINs', () => {
  it('accepts a Mexican EAN-13 as a GTIN lookup', () => {
    expect(parseScannedCode('7501000111206')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '7501000111206', printed: '7501000111206' },
    });
  });

  it('accepts a second Mexican EAN-13 as a GTIN lookup', () => {
    expect(parseScannedCode('7501055363056')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '7501055363056', printed: '7501055363056' },
    });
  });

  it('rejects a wrong check digit and says which digit was expected', () => {
    expect(parseScannedCode('7501000111203')).toEqual({
      ok: false,
      error: { code: 'BAD_CHECK_DIGIT', message: 'check digit should be 6, not 3' },
    });
  });

  it('rejects a UPC-A with a wrong check digit rather than treating it as text', () => {
    const result = parseScannedCode('036000291453');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe('check digit should be 2, not 3');
  });

  it('looks up a UPC-A by its 13-digit EAN form and keeps the code as printed', () => {
    expect(parseScannedCode('036000291452')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '0036000291452', printed: '036000291452' },
    });
  });

  it('keeps an EAN-8 as eight digits', () => {
    expect(parseScannedCode('96385074')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '96385074', printed: '96385074' },
    });
  });

  it('keeps a GTIN-14 with an indicator digit as fourteen digits', () => {
    expect(parseScannedCode('10012345678902')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '10012345678902', printed: '10012345678902' },
    });
  });

  it('reduces a GTIN-14 with a leading zero to the EAN-13 it wraps', () => {
    expect(parseScannedCode('07501000111206')).toEqual({
      ok: true,
      value: { kind: 'gtin', gtin: '7501000111206', printed: '07501000111206' },
    });
  });

  it('treats a digit string of a non-GTIN length as search text, not a bad barcode', () => {
    expect(parseScannedCode('1234567')).toEqual({ ok: true, value: { kind: 'text', text: '1234567' } });
  });
});

describe('parseScannedCode: what the scanner adds around the data', () => {
  it('strips a trailing CR/LF', () => {
    const result = parseScannedCode('7501000111206\r\n');
    expect(result).toEqual({ ok: true, value: { kind: 'gtin', gtin: '7501000111206', printed: '7501000111206' } });
  });

  it('strips an EAN symbology identifier and surrounding whitespace', () => {
    const result = parseScannedCode('  ]E07501000111206\r');
    expect(result).toEqual({ ok: true, value: { kind: 'gtin', gtin: '7501000111206', printed: '7501000111206' } });
  });

  it('strips the other common symbology identifiers', () => {
    for (const aim of [']E4', ']A0', ']C1', ']Q1']) {
      const result = parseScannedCode(`${aim}96385074`);
      expect(result, aim).toEqual({ ok: true, value: { kind: 'gtin', gtin: '96385074', printed: '96385074' } });
    }
  });

  it('strips control characters inside the data', () => {
    const result = parseScannedCode('\x02750100011\x1d1206\x03');
    expect(result).toEqual({ ok: true, value: { kind: 'gtin', gtin: '7501000111206', printed: '7501000111206' } });
  });

  it('strips invisible format characters such as a byte-order mark or zero-width space', () => {
    const result = parseScannedCode('\uFEFF7501000111206\u200B');
    expect(result).toEqual({ ok: true, value: { kind: 'gtin', gtin: '7501000111206', printed: '7501000111206' } });
  });
});

describe('parseScannedCode: weighed and priced items with the Mexican defaults', () => {
  it('reads a prefix-20 label as a 5-digit PLU and a weight in grams', () => {
    expect(parseScannedCode(makeEan13('20' + '00412' + '01234'))).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '00412', weightKg: '1.234' },
    });
  });

  it('keeps a single zero before the decimal point for weights under a kilo', () => {
    expect(parseScannedCode(makeEan13('29' + '12345' + '00250'))).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '12345', weightKg: '0.250' },
    });
  });

  it('drops leading zeros of whole kilos but keeps every decimal digit', () => {
    expect(parseScannedCode(makeEan13('25' + '00001' + '12000'))).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '00001', weightKg: '12.000' },
    });
  });

  it('reads a zero weight as 0.000 rather than an empty string', () => {
    expect(parseScannedCode(makeEan13('20' + '00412' + '00000'))).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '00412', weightKg: '0.000' },
    });
  });

  it('rejects a weighed label whose overall check digit is wrong', () => {
    const good = makeEan13('20' + '00412' + '01234');
    const bad = good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
    const result = parseScannedCode(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_CHECK_DIGIT');
      expect(result.error.message).toBe(`check digit should be ${good.slice(-1)}, not ${bad.slice(-1)}`);
    }
  });

  it('reads a prefix-02 EAN-13 as a priced item with two decimals', () => {
    expect(parseScannedCode(makeEan13('02' + '04711' + '01234'))).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '04711', price: '12.34' },
    });
  });

  it('reads a UPC-A starting with 2 the same way as its prefix-02 EAN-13', () => {
    expect(parseScannedCode(upcA('2' + '04711' + '01234'))).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '04711', price: '12.34' },
    });
  });

  it('reads a zero-padded GTIN-14 around a weighed label as the weighed label', () => {
    expect(parseScannedCode(`0${makeEan13('20' + '00412' + '01234')}`)).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '00412', weightKg: '1.234' },
    });
  });

  it('never reads an EAN-8 as a weighed label', () => {
    const ean8 = `2000000${String(gtinCheckDigit('2000000'))}`;
    expect(parseScannedCode(ean8)).toEqual({ ok: true, value: { kind: 'gtin', gtin: ean8, printed: ean8 } });
  });

  it('exposes defaults that cannot be modified by one caller for everyone', () => {
    expect(Object.isFrozen(DEFAULT_SCALE_LAYOUTS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_SCALE_LAYOUTS[0])).toBe(true);
    expect(Object.isFrozen(DEFAULT_SCALE_LAYOUTS[0]?.prefixes)).toBe(true);
  });
});

describe('priceCheckDigit (GS1 General Specifications 7.9.3)', () => {
  it('computes the GS1 worked example for a 4-digit field: 2875 has check digit 9', () => {
    expect(priceCheckDigit('2875')).toBe(9);
  });

  it('computes the GS1 worked example for a 5-digit field: 14685 has check digit 6', () => {
    expect(priceCheckDigit('14685')).toBe(6);
  });

  it('gives zero for an all-zero field', () => {
    expect(priceCheckDigit('0000')).toBe(0);
    expect(priceCheckDigit('00000')).toBe(0);
  });

  it('refuses fields that are not 4 or 5 digits', () => {
    expect(() => priceCheckDigit('123')).toThrow(TypeError);
    expect(() => priceCheckDigit('123456')).toThrow(TypeError);
    expect(() => priceCheckDigit('12a4')).toThrow(TypeError);
  });
});

describe('parseScannedCode: store-specific scale layouts', () => {
  it('accepts a 5-digit price whose value check digit is right', () => {
    const code = makeEan13('20' + '1234' + '6' + '14685');
    expect(parseScannedCode(code, [CHECKED_PRICE_LAYOUT])).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '1234', price: '146.85' },
    });
  });

  it('rejects a 5-digit price whose value check digit is wrong even though the EAN-13 check digit is right', () => {
    const code = makeEan13('20' + '1234' + '5' + '14685');
    expect(parseScannedCode(code, [CHECKED_PRICE_LAYOUT])).toEqual({
      ok: false,
      error: { code: 'BAD_VALUE_CHECK_DIGIT', message: 'price check digit should be 6, not 5' },
    });
  });

  it('validates a 4-digit weight field with the 4-digit value check digit rule', () => {
    const layout: ScaleLayout = {
      prefixes: ['20'],
      itemDigits: 5,
      value: 'weight',
      valueDecimals: 3,
      valueCheckDigit: true,
    };
    expect(parseScannedCode(makeEan13('20' + '00412' + '9' + '2875'), [layout])).toEqual({
      ok: true,
      value: { kind: 'measured', plu: '00412', weightKg: '2.875' },
    });
    const wrong = parseScannedCode(makeEan13('20' + '00412' + '1' + '2875'), [layout]);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'BAD_VALUE_CHECK_DIGIT', message: 'weight check digit should be 9, not 1' },
    });
  });

  it('reads a custom layout with a 4-digit PLU and a 6-digit price', () => {
    const layout: ScaleLayout = {
      prefixes: ['21'],
      itemDigits: 4,
      value: 'price',
      valueDecimals: 2,
      valueCheckDigit: false,
    };
    expect(parseScannedCode(makeEan13('21' + '0042' + '001990'), [layout])).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '0042', price: '19.90' },
    });
  });

  it('reads a price without decimals for stores that price in whole pesos', () => {
    const layout: ScaleLayout = {
      prefixes: ['02'],
      itemDigits: 5,
      value: 'price',
      valueDecimals: 0,
      valueCheckDigit: false,
    };
    expect(parseScannedCode(makeEan13('02' + '00077' + '08500'), [layout])).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '00077', price: '8500' },
    });
  });

  it('uses the first layout that claims a prefix', () => {
    const priced: ScaleLayout = { prefixes: ['22'], itemDigits: 5, value: 'price', valueDecimals: 2, valueCheckDigit: false };
    const code = makeEan13('22' + '00412' + '01234');
    expect(parseScannedCode(code, [priced, ...DEFAULT_SCALE_LAYOUTS])).toEqual({
      ok: true,
      value: { kind: 'priced', plu: '00412', price: '12.34' },
    });
    expect(parseScannedCode(code)).toEqual({ ok: true, value: { kind: 'measured', plu: '00412', weightKg: '1.234' } });
  });

  it('treats a 2X code as an ordinary GTIN when the store configures no layout for it', () => {
    const code = makeEan13('20' + '00412' + '01234');
    expect(parseScannedCode(code, [])).toEqual({ ok: true, value: { kind: 'gtin', gtin: code, printed: code } });
  });

  it('throws on a layout that asks for a value check digit on a field GS1 defines none for', () => {
    const layout: ScaleLayout = { prefixes: ['20'], itemDigits: 3, value: 'price', valueDecimals: 2, valueCheckDigit: true };
    expect(() => parseScannedCode('7501000111206', [layout])).toThrow(TypeError);
  });

  it('throws on a layout that leaves no digits for the value', () => {
    const layout: ScaleLayout = { prefixes: ['20'], itemDigits: 10, value: 'weight', valueDecimals: 3, valueCheckDigit: false };
    expect(() => parseScannedCode('7501000111206', [layout])).toThrow(TypeError);
  });
});

describe('parseScannedCode: our own receipt barcodes', () => {
  it('reads the register code and the receipt number without leading zeros', () => {
    expect(parseScannedCode('RCAJA-1-000123')).toEqual({
      ok: true,
      value: { kind: 'receipt', registerCode: 'CAJA-1', number: '123' },
    });
  });

  it('takes the receipt number from after the last hyphen', () => {
    expect(parseScannedCode('RSUC-2-CAJA-10-42')).toEqual({
      ok: true,
      value: { kind: 'receipt', registerCode: 'SUC-2-CAJA-10', number: '42' },
    });
  });

  it('reads receipt number zero as 0', () => {
    expect(parseScannedCode('RCAJA1-0000')).toEqual({
      ok: true,
      value: { kind: 'receipt', registerCode: 'CAJA1', number: '0' },
    });
  });

  it('reads a receipt barcode sent with a Code 128 symbology identifier', () => {
    expect(parseScannedCode(']C0RCAJA-1-000123\r\n')).toEqual({
      ok: true,
      value: { kind: 'receipt', registerCode: 'CAJA-1', number: '123' },
    });
  });

  it('does not treat a lowercase r as a receipt', () => {
    expect(parseScannedCode('rcaja-1-000123')).toEqual({ ok: true, value: { kind: 'text', text: 'rcaja-1-000123' } });
  });

  it('does not treat a register code longer than 20 characters as a receipt', () => {
    const text = `R${'A'.repeat(21)}-1`;
    expect(parseScannedCode(text)).toEqual({ ok: true, value: { kind: 'text', text } });
  });
});

describe('parseScannedCode: text, empty and garbage input', () => {
  it('passes typed search text through trimmed, accents intact', () => {
    expect(parseScannedCode('  jamón serrano  ')).toEqual({ ok: true, value: { kind: 'text', text: 'jamón serrano' } });
  });

  it('passes an alphanumeric SKU through as text', () => {
    expect(parseScannedCode('SKU-0042')).toEqual({ ok: true, value: { kind: 'text', text: 'SKU-0042' } });
  });

  it('reports an empty string as EMPTY', () => {
    expect(parseScannedCode('')).toEqual({ ok: false, error: { code: 'EMPTY', message: expect.any(String) } });
  });

  it('reports whitespace and a bare line ending as EMPTY', () => {
    for (const raw of ['   ', '\r\n', '\t']) {
      const result = parseScannedCode(raw);
      expect(result.ok ? null : result.error.code, JSON.stringify(raw)).toBe('EMPTY');
    }
  });

  it('reports a symbology identifier with no data as EMPTY', () => {
    const result = parseScannedCode(']E0\r\n');
    expect(result.ok ? null : result.error.code).toBe('EMPTY');
  });

  it('reports control bytes only as GARBAGE', () => {
    expect(parseScannedCode('\x00\x1b\x07')).toEqual({ ok: false, error: { code: 'GARBAGE', message: expect.any(String) } });
  });

  it('reports undecodable bytes as GARBAGE', () => {
    const result = parseScannedCode('75010\uFFFD\uFFFD11206');
    expect(result.ok ? null : result.error.code).toBe('GARBAGE');
  });

  it('reports a 500-character string as GARBAGE', () => {
    const result = parseScannedCode('x'.repeat(500));
    expect(result.ok ? null : result.error.code).toBe('GARBAGE');
  });

  it('accepts text of exactly 200 characters', () => {
    const text = 'x'.repeat(200);
    expect(parseScannedCode(text)).toEqual({ ok: true, value: { kind: 'text', text } });
  });
});
