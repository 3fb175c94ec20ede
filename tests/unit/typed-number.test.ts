import { describe, expect, it } from 'vitest';
import { createI18n } from '../../renderer/i18n/index.ts';
import { AMOUNT_FIELD, fieldText, PERCENT_FIELD, QUANTITY_FIELD, readField } from '../../renderer/i18n/number-fields.ts';
import {
  MONEY,
  PERCENT,
  PRICE,
  QUANTITY,
  SIGNED_QUANTITY,
  canonicalPattern,
  readTypedNumber,
  separatorsOf,
  typedForm,
  type NumberRule,
} from '../../renderer/i18n/typed-number.ts';

const value = (typed: string, locale: string, rule: NumberRule = MONEY) => {
  const read = readTypedNumber(typed, locale, rule);
  return read.ok ? read.value : `refused: ${read.problem}`;
};

describe('the separators of each locale', () => {
  it('come from Intl: a decimal comma and dot grouping in Colombia and Argentina, the other way round in Mexico and English', () => {
    expect(separatorsOf('es-CO')).toEqual({ decimal: ',', group: '.' });
    expect(separatorsOf('es-AR')).toEqual({ decimal: ',', group: '.' });
    expect(separatorsOf('es-MX')).toEqual({ decimal: '.', group: ',' });
    expect(separatorsOf('en-US')).toEqual({ decimal: '.', group: ',' });
  });
});

describe('an amount typed in Argentina or Colombia', () => {
  for (const locale of ['es-AR', 'es-CO']) {
    it(`reads a decimal comma and dots between thousands into the engine's string (${locale})`, () => {
      expect(value('1.234,50', locale)).toBe('1234.50');
      expect(value('1300,50', locale)).toBe('1300.50');
      expect(value('1.300,00', locale)).toBe('1300.00');
      expect(value('12,5', locale)).toBe('12.5');
      expect(value('0,50', locale)).toBe('0.50');
      expect(value('1234', locale)).toBe('1234');
      expect(value('1.234.567,89', locale)).toBe('1234567.89');
    });

    it(`reads a dot followed by three digits as thousands, never as a decimal point (${locale})`, () => {
      expect(value('50.000', locale)).toBe('50000');
      expect(value('1.300', locale)).toBe('1300');
      expect(value('100.000', locale)).toBe('100000');
    });

    it(`refuses a dot where a decimal comma belongs rather than guess (${locale})`, () => {
      expect(value('12.50', locale)).toBe('refused: GROUPING');
      expect(value('1234.5', locale)).toBe('refused: GROUPING');
      expect(value('1.2345', locale)).toBe('refused: GROUPING');
      expect(value('12.34.567', locale)).toBe('refused: GROUPING');
      expect(value('.300', locale)).toBe('refused: GROUPING');
      expect(value('0.500', locale)).toBe('refused: GROUPING');
      expect(value('1,234.50', locale)).toBe('refused: GROUPING');
    });

    it(`refuses a second decimal comma, a third decimal and a comma with nothing after it (${locale})`, () => {
      expect(value('1,2,3', locale)).toBe('refused: TWO_DECIMAL_SEPARATORS');
      expect(value('12,505', locale)).toBe('refused: TOO_MANY_DECIMALS');
      expect(value('12,', locale)).toBe('refused: NOT_A_NUMBER');
      expect(value(',50', locale)).toBe('refused: NOT_A_NUMBER');
    });
  }
});

describe('an amount typed in Mexico or in English', () => {
  for (const locale of ['es-MX', 'en-US']) {
    it(`reads a decimal point and commas between thousands into the engine's string (${locale})`, () => {
      expect(value('1,234.50', locale)).toBe('1234.50');
      expect(value('1234.50', locale)).toBe('1234.50');
      expect(value('125.5', locale)).toBe('125.5');
      expect(value('1,300', locale)).toBe('1300');
      expect(value('50,000', locale)).toBe('50000');
    });

    it(`refuses a comma where the decimal point belongs rather than guess (${locale})`, () => {
      expect(value('12,50', locale)).toBe('refused: GROUPING');
      expect(value('1300,50', locale)).toBe('refused: GROUPING');
      expect(value('1.234,50', locale)).toBe('refused: GROUPING');
      expect(value('1.2.3', locale)).toBe('refused: TWO_DECIMAL_SEPARATORS');
      expect(value('1.300', locale)).toBe('refused: TOO_MANY_DECIMALS');
    });
  }
});

describe('whatever the locale', () => {
  for (const locale of ['es-MX', 'es-CO', 'es-AR', 'en']) {
    it(`trims the spaces around what was typed and refuses nothing, letters, signs and spaces inside (${locale})`, () => {
      expect(value('  125  ', locale)).toBe('125');
      expect(value('', locale)).toBe('refused: EMPTY');
      expect(value('   ', locale)).toBe('refused: EMPTY');
      expect(value('1OO', locale)).toBe('refused: NOT_A_NUMBER');
      expect(value('12 50', locale)).toBe('refused: NOT_A_NUMBER');
      expect(value('$100', locale)).toBe('refused: NOT_A_NUMBER');
      expect(value('1e3', locale)).toBe('refused: NOT_A_NUMBER');
      expect(value('-5', locale)).toBe('refused: NEGATIVE');
    });

    it(`keeps each field's limits: thirteen whole digits for money, cents, grams, four places for a price (${locale})`, () => {
      expect(value('9999999999999', locale)).toBe('9999999999999');
      expect(value('10000000000000', locale)).toBe('refused: TOO_LARGE');
      expect(value('0000125', locale)).toBe('125');
      expect(value('999999', locale, QUANTITY)).toBe('999999');
      expect(value('1000000', locale, QUANTITY)).toBe('refused: TOO_LARGE');
      expect(value(typedForm('0.750', locale), locale, QUANTITY)).toBe('0.750');
      expect(value(typedForm('0.7505', locale), locale, QUANTITY)).toBe('refused: TOO_MANY_DECIMALS');
      expect(value(typedForm('24.1234', locale), locale, PRICE)).toBe('24.1234');
      expect(value(typedForm('12.5', locale), locale, PERCENT)).toBe('12.5');
    });

    it(`takes a minus sign only where a field may take away, and never sends minus zero (${locale})`, () => {
      expect(value(typedForm('-1.5', locale), locale, SIGNED_QUANTITY)).toBe('-1.5');
      expect(value('-0', locale, SIGNED_QUANTITY)).toBe('0');
      expect(value('-3', locale, QUANTITY)).toBe('refused: NEGATIVE');
    });

    it(`writes an engine value the way this locale types it, and reads it back to the same value (${locale})`, () => {
      for (const engine of ['0.50', '125.50', '1234.50', '1300.00', '100000', '1234567.89', '-1.250']) {
        const typed = typedForm(engine, locale);
        expect(value(typed, locale, { integerDigits: 13, decimals: 4, signed: true })).toBe(engine);
        expect(canonicalPattern({ integerDigits: 13, decimals: 4, signed: true }).test(engine)).toBe(true);
      }
    });
  }

  it("writes thousands and decimals with the locale's own separators", () => {
    expect(typedForm('1234.50', 'es-AR')).toBe('1.234,50');
    expect(typedForm('100000', 'es-CO')).toBe('100.000');
    expect(typedForm('1234.50', 'es-MX')).toBe('1,234.50');
    expect(typedForm('1234.50', 'en-US')).toBe('1,234.50');
    expect(typedForm('999.5', 'es-AR')).toBe('999,5');
  });

  it("reads a space-grouping locale's thousands whichever space the keyboard gives", () => {
    expect(value('1 234,50', 'fr-FR')).toBe('1234.50');
    expect(value('1\u202f234,50', 'fr-FR')).toBe('1234.50');
    expect(value('12 34', 'fr-FR')).toBe('refused: GROUPING');
  });
});

describe("the engine's form of a field", () => {
  it("is digits and a point with at most the field's places, as the register sends it", () => {
    expect(canonicalPattern(MONEY).test('1234.50')).toBe(true);
    expect(canonicalPattern(MONEY).test('1234.505')).toBe(false);
    expect(canonicalPattern(MONEY).test('1.234,50')).toBe(false);
    expect(canonicalPattern(SIGNED_QUANTITY).test('-1.250')).toBe(true);
    expect(canonicalPattern(QUANTITY).test('-1.250')).toBe(false);
  });
});

describe('a number field on screen', () => {
  const ar = createI18n('es-AR', 'ARS', 'America/Argentina/Buenos_Aires');
  const co = createI18n('es-CO', 'COP', 'America/Bogota');
  const mx = createI18n('es-MX', 'MXN', 'America/Mexico_City');
  const en = createI18n('en', 'MXN', 'America/Mexico_City');

  it("gives the engine's value for what the cashier typed, and says nothing while the field is empty", () => {
    expect(readField(ar, AMOUNT_FIELD, '1.300,00')).toEqual({ value: '1300.00', problem: null });
    expect(readField(co, AMOUNT_FIELD, '100.000')).toEqual({ value: '100000', problem: null });
    expect(readField(mx, AMOUNT_FIELD, '1,300.50')).toEqual({ value: '1300.50', problem: null });
    expect(readField(ar, AMOUNT_FIELD, '')).toEqual({ value: null, problem: null });
  });

  it("explains a refusal in the cashier's language with an example written the locale's way", () => {
    expect(readField(ar, AMOUNT_FIELD, '12.50').problem).toBe('Escriba una cantidad como 125,50, solo números y una coma.');
    expect(readField(co, AMOUNT_FIELD, 'mil').problem).toBe('Escriba una cantidad como 125,50, solo números y una coma.');
    expect(readField(mx, AMOUNT_FIELD, '12,50').problem).toBe('Escriba una cantidad como 125.50, solo números y un punto.');
    expect(readField(en, AMOUNT_FIELD, '12,50').problem).toBe('Type an amount such as 125.50: digits and one point only.');
    expect(readField(ar, QUANTITY_FIELD, '0.750').problem).toBe('Escriba una cantidad como 3 o un peso como 0,750.');
    expect(readField(ar, PERCENT_FIELD, '12.5').problem).toBe('Escriba un porcentaje de 0 a 100, como 10 o 12,5.');
  });

  it('fills in an engine value as the cashier would type it', () => {
    expect(fieldText(ar, '1234.50')).toBe('1.234,50');
    expect(fieldText(mx, '1234.50')).toBe('1,234.50');
    expect(fieldText(en, '0.750')).toBe('0.750');
  });
});
