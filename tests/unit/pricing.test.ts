import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  allocateDiscount,
  changeDue,
  CURRENCY_RULES,
  priceLine,
  PricingError,
  splitEvenly,
  totalSale,
  type CurrencyRules,
  type LineInput,
  type SaleLine,
} from '#engine/services/sales/pricing.ts';
import { scaled } from '../support/money-arbitraries.ts';
import { seededRandom } from '../support/seeded-random.ts';

// Expected values are written out by hand; where a test needs arithmetic it
// uses decimal.js, never JavaScript numbers.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

const MXN = CURRENCY_RULES.MXN;
const COP = CURRENCY_RULES.COP;
const ARS = CURRENCY_RULES.ARS;
const MXN_CASH: CurrencyRules = { ...MXN, cashIncrement: '0.50' };
const COP_CASH: CurrencyRules = { ...COP, cashIncrement: '50' };

const FOUR_DECIMALS = /^\d+\.\d{4}$/;

function mxLine(unitPrice: string, overrides: Partial<LineInput> = {}): LineInput {
  return { unitPrice, quantity: '1', taxRate: '0.160000', pricesIncludeTax: true, ...overrides };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof PricingError) return err.code;
    throw err;
  }
  return undefined;
}

/** A sale line with a given total and no tax, for rounding and summary tests. */
function untaxedLine(total: string): SaleLine {
  return { gross: total, discountAmount: '0.0000', subtotal: total, taxAmount: '0.0000', total, taxCode: 'IVA0', taxRate: '0' };
}

describe('CURRENCY_RULES', () => {
  it('gives Mexican, Colombian and Argentine pesos two minor units', () => {
    expect(MXN.minorUnits).toBe(2);
    expect(COP.minorUnits).toBe(2);
    expect(ARS.minorUnits).toBe(2);
  });

  it('leaves cash rounding off until a store configures an increment', () => {
    expect(MXN.cashIncrement).toBeUndefined();
    expect(COP.cashIncrement).toBeUndefined();
    expect(ARS.cashIncrement).toBeUndefined();
  });
});

describe('priceLine with Mexican IVA 16 % included in the shelf price', () => {
  it('splits a 116.00 item into a 100.0000 subtotal and 16.0000 of tax', () => {
    expect(priceLine(mxLine('116.00'), MXN)).toEqual({
      gross: '116.0000',
      discountAmount: '0.0000',
      subtotal: '100.0000',
      taxAmount: '16.0000',
      total: '116.0000',
    });
  });

  it('splits a 19.90 item into 17.1600 and 2.7400, taking the tax as the difference', () => {
    expect(priceLine(mxLine('19.90'), MXN)).toEqual({
      gross: '19.9000',
      discountAmount: '0.0000',
      subtotal: '17.1600',
      taxAmount: '2.7400',
      total: '19.9000',
    });
  });

  it('computes tax on the whole line, not per unit, for three 19.90 items', () => {
    // 59.70 / 1.16 = 51.4655… → 51.47, so the tax is 8.23 (three times 2.74 would be 8.22).
    const line = priceLine(mxLine('19.90', { quantity: '3' }), MXN);
    expect(line).toMatchObject({ gross: '59.7000', subtotal: '51.4700', taxAmount: '8.2300', total: '59.7000' });
  });

  it('rounds a weighed 1.234 kg at 38.90/kg to a 48.0000 gross before splitting out the tax', () => {
    // 1.234 × 38.90 = 48.0026 → 48.00; 48.00 / 1.16 = 41.3793… → 41.38.
    const line = priceLine(mxLine('38.90', { quantity: '1.234' }), MXN);
    expect(line).toEqual({
      gross: '48.0000',
      discountAmount: '0.0000',
      subtotal: '41.3800',
      taxAmount: '6.6200',
      total: '48.0000',
    });
  });

  it('rounds a weighed gross that lands on half a centavo up', () => {
    // 0.250 × 38.90 = 9.725 → 9.73 (banker's rounding would give 9.72).
    expect(priceLine(mxLine('38.90', { quantity: '0.250', taxRate: '0' }), MXN).gross).toBe('9.7300');
  });

  it('charges no tax on a weighed IVA 0 % line', () => {
    const line = priceLine(mxLine('38.90', { quantity: '1.234', taxRate: '0' }), MXN);
    expect(line).toEqual({
      gross: '48.0000',
      discountAmount: '0.0000',
      subtotal: '48.0000',
      taxAmount: '0.0000',
      total: '48.0000',
    });
  });

  it('charges no tax on an EXENTO line', () => {
    const line = priceLine(mxLine('350.00', { taxRate: '0.000000', quantity: '2' }), MXN);
    expect(line).toMatchObject({ gross: '700.0000', subtotal: '700.0000', taxAmount: '0.0000', total: '700.0000' });
  });

  it('prices a free item at zero throughout', () => {
    expect(priceLine(mxLine('0'), MXN)).toEqual({
      gross: '0.0000',
      discountAmount: '0.0000',
      subtotal: '0.0000',
      taxAmount: '0.0000',
      total: '0.0000',
    });
  });
});

describe('priceLine with prices that exclude tax', () => {
  it('adds Colombian IVA 19 % of 1900 to a 10000 peso item', () => {
    const line = priceLine({ unitPrice: '10000', quantity: '1', taxRate: '0.190000', pricesIncludeTax: false }, COP);
    expect(line).toEqual({
      gross: '10000.0000',
      discountAmount: '0.0000',
      subtotal: '10000.0000',
      taxAmount: '1900.0000',
      total: '11900.0000',
    });
  });

  it('rounds a tax of exactly half a centavo up (Argentine IVA 21 % on 10.50 is 2.205 → 2.21)', () => {
    const line = priceLine({ unitPrice: '10.50', quantity: '1', taxRate: '0.210000', pricesIncludeTax: false }, ARS);
    expect(line).toMatchObject({ subtotal: '10.5000', taxAmount: '2.2100', total: '12.7100' });
  });

  it('rounds half up rather than to even (IVA 19 % on 101.50 is 19.285 → 19.29)', () => {
    const line = priceLine({ unitPrice: '101.50', quantity: '1', taxRate: '0.19', pricesIncludeTax: false }, COP);
    expect(line.taxAmount).toBe('19.2900');
  });

  it('taxes the amount left after the line discount', () => {
    const line = priceLine(
      { unitPrice: '10000', quantity: '1', taxRate: '0.190000', pricesIncludeTax: false, discount: { kind: 'amount', value: '1500' } },
      COP,
    );
    expect(line).toEqual({
      gross: '10000.0000',
      discountAmount: '1500.0000',
      subtotal: '8500.0000',
      taxAmount: '1615.0000',
      total: '10115.0000',
    });
  });
});

describe('priceLine line discounts', () => {
  it('takes a 10 % discount off the gross before splitting out the included tax', () => {
    const line = priceLine(mxLine('116.00', { discount: { kind: 'rate', value: '0.10' } }), MXN);
    expect(line).toEqual({
      gross: '116.0000',
      discountAmount: '11.6000',
      subtotal: '90.0000',
      taxAmount: '14.4000',
      total: '104.4000',
    });
  });

  it('rounds a rate discount to centavos half up (15 % of 19.90 is 2.985 → 2.99)', () => {
    // 19.90 − 2.99 = 16.91; 16.91 / 1.16 = 14.5775… → 14.58; tax 2.33.
    const line = priceLine(mxLine('19.90', { discount: { kind: 'rate', value: '0.15' } }), MXN);
    expect(line).toEqual({
      gross: '19.9000',
      discountAmount: '2.9900',
      subtotal: '14.5800',
      taxAmount: '2.3300',
      total: '16.9100',
    });
  });

  it('takes a fixed amount off the line gross', () => {
    // 2 × 58.00 = 116.00; − 20.00 = 96.00; 96.00 / 1.16 = 82.7586… → 82.76.
    const line = priceLine(mxLine('58.00', { quantity: '2', discount: { kind: 'amount', value: '20.00' } }), MXN);
    expect(line).toEqual({
      gross: '116.0000',
      discountAmount: '20.0000',
      subtotal: '82.7600',
      taxAmount: '13.2400',
      total: '96.0000',
    });
  });

  it('rounds an amount discount to centavos', () => {
    expect(priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '5.005' } }), MXN).discountAmount).toBe('5.0100');
  });

  it('allows a discount equal to the whole gross', () => {
    expect(priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '116.00' } }), MXN)).toMatchObject({
      discountAmount: '116.0000',
      subtotal: '0.0000',
      taxAmount: '0.0000',
      total: '0.0000',
    });
    expect(priceLine(mxLine('116.00', { discount: { kind: 'rate', value: '1' } }), MXN).total).toBe('0.0000');
  });

  it('rejects an amount discount larger than the gross', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '116.01' } }), MXN))).toBe('DISCOUNT_TOO_LARGE');
  });

  it('rejects an amount discount that rounds above the gross', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '116.005' } }), MXN))).toBe('DISCOUNT_TOO_LARGE');
  });

  it('rejects a rate discount above 100 %', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { discount: { kind: 'rate', value: '1.5' } }), MXN))).toBe('DISCOUNT_TOO_LARGE');
  });

  it('explains a rejected discount in plain English', () => {
    expect(() => priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '200' } }), MXN)).toThrow(
      "discount of 200.0000 exceeds the line's gross amount of 116.0000",
    );
  });

  it('rejects negative discounts', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { discount: { kind: 'amount', value: '-1.00' } }), MXN))).toBe('NEGATIVE');
    expect(codeOf(() => priceLine(mxLine('116.00', { discount: { kind: 'rate', value: '-0.10' } }), MXN))).toBe('NEGATIVE');
  });
});

describe('priceLine input validation', () => {
  it.each([
    ['a word', 'abc'],
    ['an empty string', ''],
    ['exponent notation', '1e3'],
    ['surrounding spaces', ' 1.00'],
    ['a thousands separator', '1,000.00'],
    ['a bare leading point', '.5'],
    ['a trailing point', '1.'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['a plus sign', '+1'],
  ])('rejects a unit price written as %s', (_label, unitPrice) => {
    expect(codeOf(() => priceLine(mxLine(unitPrice), MXN))).toBe('BAD_NUMBER');
  });

  it('rejects a JavaScript number where a decimal string belongs', () => {
    const line = { ...mxLine('1.00'), quantity: 2 as unknown as string };
    expect(codeOf(() => priceLine(line, MXN))).toBe('BAD_NUMBER');
  });

  it('rejects garbage in the quantity, tax rate and discount', () => {
    expect(codeOf(() => priceLine(mxLine('1.00', { quantity: '2 kg' }), MXN))).toBe('BAD_NUMBER');
    expect(codeOf(() => priceLine(mxLine('1.00', { taxRate: '16%' }), MXN))).toBe('BAD_NUMBER');
    expect(codeOf(() => priceLine(mxLine('1.00', { discount: { kind: 'rate', value: '10%' } }), MXN))).toBe('BAD_NUMBER');
  });

  it('rejects a negative unit price', () => {
    expect(codeOf(() => priceLine(mxLine('-116.00'), MXN))).toBe('NEGATIVE');
  });

  it('rejects a negative quantity', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { quantity: '-1' }), MXN))).toBe('NEGATIVE');
  });

  it('rejects a zero quantity', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { quantity: '0.000' }), MXN))).toBe('BAD_NUMBER');
  });

  it('rejects a negative tax rate', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { taxRate: '-0.16' }), MXN))).toBe('NEGATIVE');
  });

  it('rejects a tax rate of 1 or more, such as 16 written as a percentage', () => {
    expect(codeOf(() => priceLine(mxLine('116.00', { taxRate: '16' }), MXN))).toBe('BAD_NUMBER');
    expect(codeOf(() => priceLine(mxLine('116.00', { taxRate: '1' }), MXN))).toBe('BAD_NUMBER');
  });

  it('throws PricingError, an Error naming the offending field', () => {
    let caught: unknown;
    try {
      priceLine(mxLine('12,50'), MXN);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PricingError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as PricingError).name).toBe('PricingError');
    expect((caught as PricingError).message).toContain('unitPrice');
    expect((caught as PricingError).message).toContain("'12,50'");
  });

  it('leaves the global decimal.js configuration untouched', () => {
    const before = { precision: Decimal.precision, rounding: Decimal.rounding };
    priceLine(mxLine('19.90', { quantity: '3' }), MXN);
    expect({ precision: Decimal.precision, rounding: Decimal.rounding }).toEqual(before);
  });
});

describe('totalSale', () => {
  function mixedSale(): SaleLine[] {
    const iva16 = { taxCode: 'IVA', taxRate: '0.160000' };
    return [
      { ...priceLine(mxLine('116.00'), MXN), ...iva16 },
      { ...priceLine(mxLine('19.90'), MXN), taxCode: 'IVA', taxRate: '0.16' },
      { ...priceLine(mxLine('116.00', { discount: { kind: 'rate', value: '0.10' } }), MXN), ...iva16 },
      { ...priceLine(mxLine('54.00', { taxRate: '0.080000' }), MXN), taxCode: 'IVA', taxRate: '0.080000' },
      { ...priceLine(mxLine('38.90', { quantity: '1.234', taxRate: '0' }), MXN), taxCode: 'IVA0', taxRate: '0' },
      { ...priceLine(mxLine('35.00', { taxRate: '0' }), MXN), taxCode: 'EXENTO', taxRate: '0' },
    ];
  }

  it('sums the rounded line amounts of a sale with mixed rates', () => {
    const totals = totalSale(mixedSale(), MXN);
    // Subtotals 100 + 17.16 + 90 + 50 + 48 + 35; taxes 16 + 2.74 + 14.40 + 4.
    expect(totals).toMatchObject({
      subtotal: '340.1600',
      discountTotal: '11.6000',
      taxTotal: '37.1400',
      total: '377.3000',
      rounding: '0.0000',
      payable: '377.3000',
    });
  });

  it('summarises taxes once per tax code and rate, sorted by code, with the subtotals as base', () => {
    expect(totalSale(mixedSale(), MXN).taxes).toEqual([
      { taxCode: 'EXENTO', rate: '0.000000', base: '35.0000', amount: '0.0000' },
      { taxCode: 'IVA', rate: '0.080000', base: '50.0000', amount: '4.0000' },
      { taxCode: 'IVA', rate: '0.160000', base: '207.1600', amount: '33.1400' },
      { taxCode: 'IVA0', rate: '0.000000', base: '48.0000', amount: '0.0000' },
    ]);
  });

  it('gives zeros and no tax entries for an empty sale', () => {
    expect(totalSale([], MXN_CASH, { cashRounding: true })).toEqual({
      subtotal: '0.0000',
      discountTotal: '0.0000',
      taxTotal: '0.0000',
      total: '0.0000',
      rounding: '0.0000',
      payable: '0.0000',
      taxes: [],
    });
  });

  it('rejects line amounts that are not decimal strings', () => {
    expect(codeOf(() => totalSale([untaxedLine('12.5.0')], MXN))).toBe('BAD_NUMBER');
  });
});

describe('totalSale cash rounding', () => {
  it.each([
    ['127.30', '127.5000', '0.2000'],
    ['127.20', '127.0000', '-0.2000'],
    ['127.25', '127.5000', '0.2500'],
    ['127.75', '128.0000', '0.2500'],
    ['127.50', '127.5000', '0.0000'],
  ])('rounds a %s MXN total to the nearest 0.50, half up: payable %s, rounding %s', (total, payable, rounding) => {
    expect(totalSale([untaxedLine(total)], MXN_CASH, { cashRounding: true })).toMatchObject({ total: `${total}00`, payable, rounding });
  });

  it.each([
    ['12345', '12350.0000', '5.0000'],
    ['12320', '12300.0000', '-20.0000'],
    ['12325', '12350.0000', '25.0000'],
    ['11900', '11900.0000', '0.0000'],
  ])('rounds a %s COP total to the nearest 50 pesos: payable %s, rounding %s', (total, payable, rounding) => {
    expect(totalSale([untaxedLine(total)], COP_CASH, { cashRounding: true })).toMatchObject({ payable, rounding });
  });

  it('leaves the total alone when cash rounding is not asked for', () => {
    expect(totalSale([untaxedLine('127.30')], MXN_CASH)).toMatchObject({ payable: '127.3000', rounding: '0.0000' });
  });

  it('leaves the total alone when the currency has no cash increment configured', () => {
    expect(totalSale([untaxedLine('127.30')], MXN, { cashRounding: true })).toMatchObject({
      payable: '127.3000',
      rounding: '0.0000',
    });
  });

  it('does not change the tax amounts when rounding cash', () => {
    const totals = totalSale([{ ...priceLine(mxLine('127.30'), MXN), taxCode: 'IVA', taxRate: '0.16' }], MXN_CASH, {
      cashRounding: true,
    });
    expect(totals).toMatchObject({ subtotal: '109.7400', taxTotal: '17.5600', total: '127.3000', payable: '127.5000' });
  });
});

describe('changeDue', () => {
  it('gives change when the tender exceeds the amount payable', () => {
    expect(changeDue('127.50', ['200.00'])).toEqual({ paid: '200.0000', change: '72.5000', remaining: '0.0000' });
  });

  it('gives neither change nor remaining on an exact payment', () => {
    expect(changeDue('116.0000', ['116'])).toEqual({ paid: '116.0000', change: '0.0000', remaining: '0.0000' });
  });

  it('adds up split tenders and reports what is still owed', () => {
    expect(changeDue('127.50', ['100.00', '20.00'])).toEqual({ paid: '120.0000', change: '0.0000', remaining: '7.5000' });
  });

  it('gives change from the sum of several tenders', () => {
    expect(changeDue('127.50', ['100.00', '50.00'])).toEqual({ paid: '150.0000', change: '22.5000', remaining: '0.0000' });
  });

  it('owes the whole amount when nothing has been tendered', () => {
    expect(changeDue('127.50', [])).toEqual({ paid: '0.0000', change: '0.0000', remaining: '127.5000' });
  });

  it('rejects negative and garbage tenders', () => {
    expect(codeOf(() => changeDue('127.50', ['-10.00']))).toBe('NEGATIVE');
    expect(codeOf(() => changeDue('127.50', ['$100']))).toBe('BAD_NUMBER');
    expect(codeOf(() => changeDue('127.50', ['100.00001']))).toBe('BAD_NUMBER');
  });
});

describe('splitEvenly', () => {
  it('splits 100.00 three ways as 33.34, 33.33, 33.33', () => {
    expect(splitEvenly('100.00', 3, MXN)).toEqual(['33.3400', '33.3300', '33.3300']);
  });

  it('gives the extra centavos to the earlier parts', () => {
    expect(splitEvenly('0.05', 3, MXN)).toEqual(['0.0200', '0.0200', '0.0100']);
    expect(splitEvenly('0.01', 3, MXN)).toEqual(['0.0100', '0.0000', '0.0000']);
  });

  it('splits evenly when the amount divides exactly', () => {
    expect(splitEvenly('100.00', 4, MXN)).toEqual(['25.0000', '25.0000', '25.0000', '25.0000']);
    expect(splitEvenly('11900', 1, COP)).toEqual(['11900.0000']);
  });

  it('rejects a part count that is not a whole number of at least 1', () => {
    expect(codeOf(() => splitEvenly('100.00', 0, MXN))).toBe('BAD_NUMBER');
    expect(codeOf(() => splitEvenly('100.00', -2, MXN))).toBe('BAD_NUMBER');
    expect(codeOf(() => splitEvenly('100.00', 1.5, MXN))).toBe('BAD_NUMBER');
  });

  it('rejects an amount finer than the currency minor unit', () => {
    expect(codeOf(() => splitEvenly('100.005', 2, MXN))).toBe('BAD_NUMBER');
  });
});

describe('allocateDiscount', () => {
  it('spreads a sale discount in proportion to the line grosses', () => {
    expect(allocateDiscount(['100.00', '50.00', '50.00'], '10.00', MXN)).toEqual(['5.0000', '2.5000', '2.5000']);
  });

  it('gives leftover centavos to the largest remainders so the parts sum exactly', () => {
    // Exact shares 0.1666…, 0.3333…, 0.50: floors sum to 0.99, the 0.0066… remainder wins the last centavo.
    expect(allocateDiscount(['1.00', '2.00', '3.00'], '1.00', MXN)).toEqual(['0.1700', '0.3300', '0.5000']);
    // Exact shares 0.0025, 0.0025, 0.005: the single centavo goes to the largest line, not the first.
    expect(allocateDiscount(['1.00', '1.00', '2.00'], '0.01', MXN)).toEqual(['0.0000', '0.0000', '0.0100']);
  });

  it('breaks ties between equal remainders in favour of the earlier line', () => {
    expect(allocateDiscount(['10.00', '10.00', '10.00'], '10.00', MXN)).toEqual(['3.3400', '3.3300', '3.3300']);
  });

  it('allocates nothing to a zero-gross line and zero when there is no discount', () => {
    expect(allocateDiscount(['0.00', '30.00'], '3.00', MXN)).toEqual(['0.0000', '3.0000']);
    expect(allocateDiscount(['10.00', '20.00'], '0', MXN)).toEqual(['0.0000', '0.0000']);
    expect(allocateDiscount([], '0.00', MXN)).toEqual([]);
  });

  it('rejects a discount larger than the sum of the grosses', () => {
    expect(codeOf(() => allocateDiscount(['10.00', '20.00'], '30.01', MXN))).toBe('DISCOUNT_TOO_LARGE');
    expect(codeOf(() => allocateDiscount([], '0.01', MXN))).toBe('DISCOUNT_TOO_LARGE');
  });

  it('rejects negative and off-grid amounts', () => {
    expect(codeOf(() => allocateDiscount(['10.00'], '-1.00', MXN))).toBe('NEGATIVE');
    expect(codeOf(() => allocateDiscount(['-10.00', '20.00'], '1.00', MXN))).toBe('NEGATIVE');
    expect(codeOf(() => allocateDiscount(['10.00'], '1.005', MXN))).toBe('BAD_NUMBER');
  });
});

// ---------------------------------------------------------------------------
// Property-style checks over deterministic pseudo-random inputs.

const RATES = ['0.160000', '0.080000', '0', '0.190000', '0.050000', '0.210000', '0.105000', '0.270000'];
const TAX_CODES = ['IVA', 'IVA0', 'EXENTO', 'INC'];
const DISCOUNT_RATES = ['0.05', '0.10', '0.125', '0.333333', '0.5'];

describe('pricing properties over 400 pseudo-random lines', () => {
  const rand = seededRandom(20240611).int;
  const lines: SaleLine[] = [];
  const inputs: LineInput[] = [];
  for (let i = 0; i < 400; i++) {
    const weighed = rand(3) === 0;
    const quantity = weighed ? scaled(1 + rand(5000), 3) : String(1 + rand(12));
    const input: LineInput = {
      unitPrice: scaled(rand(2_000_000), 2),
      quantity,
      taxRate: RATES[rand(RATES.length)] ?? '0',
      pricesIncludeTax: rand(2) === 0,
    };
    const discountKind = rand(3);
    if (discountKind === 1) {
      input.discount = { kind: 'rate', value: DISCOUNT_RATES[rand(DISCOUNT_RATES.length)] ?? '0' };
    } else if (discountKind === 2) {
      const gross = priceLine(input, MXN).gross;
      const value = new D(gross).times(rand(101)).dividedBy(100).toDecimalPlaces(2, D.ROUND_DOWN).toFixed(2);
      input.discount = { kind: 'amount', value };
    }
    inputs.push(input);
    lines.push({ ...priceLine(input, MXN), taxCode: TAX_CODES[rand(TAX_CODES.length)] ?? 'IVA', taxRate: input.taxRate });
  }
  const amountKeys = ['gross', 'discountAmount', 'subtotal', 'taxAmount', 'total'] as const;

  it('writes every amount with exactly 4 decimals, rounded to whole centavos', () => {
    for (const line of lines) {
      for (const key of amountKeys) {
        expect(line[key]).toMatch(FOUR_DECIMALS);
        expect(line[key].endsWith('00')).toBe(true);
      }
    }
  });

  it('makes subtotal plus tax equal the total, and gross minus discount equal the amount charged', () => {
    lines.forEach((line, i) => {
      expect(new D(line.subtotal).plus(line.taxAmount).equals(line.total)).toBe(true);
      const charged = inputs[i]?.pricesIncludeTax ? line.total : line.subtotal;
      expect(new D(line.gross).minus(line.discountAmount).equals(charged)).toBe(true);
      expect(new D(line.discountAmount).lessThanOrEqualTo(line.gross)).toBe(true);
    });
  });

  it('keeps each line tax within half a centavo of the exact tax', () => {
    const halfCentavo = new D('0.005');
    lines.forEach((line, i) => {
      const rate = new D(inputs[i]?.taxRate ?? 'NaN');
      const exact = inputs[i]?.pricesIncludeTax ? new D(line.total).times(rate).dividedBy(rate.plus(1)) : new D(line.subtotal).times(rate);
      expect(new D(line.taxAmount).minus(exact).abs().lessThanOrEqualTo(halfCentavo)).toBe(true);
    });
  });

  it('makes the sale totals and the tax summary add up exactly', () => {
    const totals = totalSale(lines, MXN_CASH, { cashRounding: true });
    for (const value of [totals.subtotal, totals.discountTotal, totals.taxTotal, totals.total, totals.payable]) {
      expect(value).toMatch(FOUR_DECIMALS);
    }
    expect(totals.rounding).toMatch(/^-?\d+\.\d{4}$/);
    expect(new D(totals.subtotal).plus(totals.taxTotal).equals(totals.total)).toBe(true);
    expect(new D(totals.total).plus(totals.rounding).equals(totals.payable)).toBe(true);
    expect(new D(totals.payable).dividedBy('0.50').isInteger()).toBe(true);
    const bases = totals.taxes.reduce((acc, t) => acc.plus(t.base), new D(0));
    const amounts = totals.taxes.reduce((acc, t) => acc.plus(t.amount), new D(0));
    expect(bases.equals(totals.subtotal)).toBe(true);
    expect(amounts.equals(totals.taxTotal)).toBe(true);
    const codes = totals.taxes.map((t) => t.taxCode);
    expect(codes).toEqual([...codes].sort());
  });

  it('splits and allocates amounts into parts that sum exactly', () => {
    const r = seededRandom(7).int;
    for (let i = 0; i < 200; i++) {
      const grosses = Array.from({ length: 1 + r(8) }, () => scaled(r(500_000), 2));
      const sum = grosses.reduce((acc, g) => acc.plus(g), new D(0));
      const discount = sum.times(r(101)).dividedBy(100).toDecimalPlaces(2, D.ROUND_DOWN).toFixed(2);
      const parts = allocateDiscount(grosses, discount, MXN);
      expect(parts.reduce((acc, p) => acc.plus(p), new D(0)).equals(discount)).toBe(true);
      parts.forEach((p, j) => {
        expect(p).toMatch(FOUR_DECIMALS);
        expect(new D(p).lessThanOrEqualTo(grosses[j] ?? 'NaN')).toBe(true);
      });

      const amount = scaled(r(1_000_000), 2);
      const shares = splitEvenly(amount, 1 + r(12), MXN);
      expect(shares.reduce((acc, s) => acc.plus(s), new D(0)).equals(amount)).toBe(true);
      const first = new D(shares[0] ?? 'NaN');
      for (const s of shares) expect(first.minus(s).greaterThanOrEqualTo(0) && first.minus(s).lessThanOrEqualTo('0.01')).toBe(true);
    }
  });
});
