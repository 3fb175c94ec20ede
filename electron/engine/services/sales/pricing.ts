// Line pricing, sale totals and tender math. Pure functions, no I/O.
//
// House money rule: amounts cross every boundary as decimal strings and are
// computed with decimal.js, never with JavaScript numbers. Every amount this
// module returns has exactly 4 decimal places, matching the numeric(19,4)
// money columns; the value itself is rounded to the currency's minor units.
//
// Tax is computed per line and rounded half-up to the currency's minor units;
// sale totals are sums of the already-rounded line amounts, so the receipt
// always adds up line by line.

// Named import: the package's types are CommonJS-flavoured, so under NodeNext the
// default import types as the module namespace; the ESM build exports both.
import { Decimal } from 'decimal.js';

// A private clone so the global Decimal configuration is never touched.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

export type CurrencyRules = {
  currency: string;
  /** Decimal places of the currency's smallest unit (2 for centavos). */
  minorUnits: number;
  /** Smallest cash amount the store hands out, e.g. '0.50' MXN or '50' COP. Unset: no cash rounding. */
  cashIncrement?: string;
};

// Cash increments are a per-store setting, so none is set by default; a store
// that rounds cash copies the rules with its own `cashIncrement`.
export const CURRENCY_RULES: Record<'MXN' | 'COP' | 'ARS', CurrencyRules> = {
  MXN: { currency: 'MXN', minorUnits: 2 },
  COP: { currency: 'COP', minorUnits: 2 },
  ARS: { currency: 'ARS', minorUnits: 2 },
};

export type PricingErrorCode = 'DISCOUNT_TOO_LARGE' | 'NEGATIVE' | 'BAD_NUMBER';

export class PricingError extends Error {
  readonly code: PricingErrorCode;

  constructor(code: PricingErrorCode, message: string) {
    super(message);
    this.name = 'PricingError';
    this.code = code;
  }
}

export type LineInput = {
  /** Shelf price per unit or per kg, as a decimal string. */
  unitPrice: string;
  /** Greater than zero; weighed quantities have up to 3 decimals. */
  quantity: string;
  /** Fraction, e.g. '0.160000'; '0' for IVA0 and EXENTO. */
  taxRate: string;
  /** rate = fraction of the line's gross; amount in currency; must not exceed the gross. */
  discount?: { kind: 'amount'; value: string } | { kind: 'rate'; value: string };
  pricesIncludeTax: boolean;
};

export type LineAmounts = {
  gross: string;
  discountAmount: string;
  subtotal: string;
  taxAmount: string;
  total: string;
};

// C: the tax codes the lines carry. Pricing treats them as opaque labels; the cart's are the
// contract's TAX_CODES, and its totals say so without a cast.
export type SaleLine<C extends string = string> = LineAmounts & { taxCode: C; taxRate: string };

export type TaxSummary<C extends string = string> = { taxCode: C; rate: string; base: string; amount: string };

export type SaleTotals<C extends string = string> = {
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  /** payable − total; '0.0000' unless cash rounding applied. */
  rounding: string;
  payable: string;
  /** One entry per (taxCode, rate), sorted by taxCode then rate; base = sum of line subtotals. */
  taxes: TaxSummary<C>[];
};

export type ChangeDue = { paid: string; change: string; remaining: string };

// ---------------------------------------------------------------------------
// Helpers

const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;
const AMOUNT_PLACES = 4;

/** Parses a decimal string; anything else (numbers, exponents, blanks) is BAD_NUMBER. */
function parse(value: unknown, field: string): Dec {
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
    throw new PricingError('BAD_NUMBER', `${field} must be a decimal string such as '12.50', got ${describe(value)}`);
  }
  return new D(value);
}

function parseNonNegative(value: unknown, field: string): Dec {
  const d = parse(value, field);
  if (d.isNegative() && !d.isZero()) {
    throw new PricingError('NEGATIVE', `${field} must not be negative, got '${String(value)}'`);
  }
  return d;
}

/** A money amount as stored: at most 4 decimal places. */
function parseAmount(value: unknown, field: string): Dec {
  const d = parseNonNegative(value, field);
  if (d.decimalPlaces() > AMOUNT_PLACES) {
    throw new PricingError('BAD_NUMBER', `${field} must have at most ${AMOUNT_PLACES} decimal places, got '${String(value)}'`);
  }
  return d;
}

/** A money amount that must be a whole number of the currency's minor units. */
function parseMinorAmount(value: unknown, field: string, rules: CurrencyRules): Dec {
  const d = parseNonNegative(value, field);
  if (d.decimalPlaces() > rules.minorUnits) {
    throw new PricingError(
      'BAD_NUMBER',
      `${field} must be a whole number of ${rules.currency} minor units (${rules.minorUnits} decimal places), got '${String(value)}'`,
    );
  }
  return d;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : `${typeof value} ${String(value)}`;
}

function checkRules(rules: CurrencyRules): void {
  if (!Number.isSafeInteger(rules.minorUnits) || rules.minorUnits < 0 || rules.minorUnits > AMOUNT_PLACES) {
    throw new PricingError(
      'BAD_NUMBER',
      `${rules.currency} minorUnits must be an integer from 0 to ${AMOUNT_PLACES}, got ${String(rules.minorUnits)}`,
    );
  }
}

function roundMinor(d: Dec, rules: CurrencyRules): Dec {
  return d.toDecimalPlaces(rules.minorUnits, D.ROUND_HALF_UP);
}

/** The 4-decimal string form of an amount; never '-0.0000'. */
function fmt(d: Dec): string {
  return d.isZero() ? '0.0000' : d.toFixed(AMOUNT_PLACES);
}

function sum(values: readonly Dec[]): Dec {
  return values.reduce<Dec>((acc, v) => acc.plus(v), new D(0));
}

// ---------------------------------------------------------------------------
// Lines

export function priceLine(line: LineInput, rules: CurrencyRules): LineAmounts {
  checkRules(rules);
  const unitPrice = parseNonNegative(line.unitPrice, 'unitPrice');
  const quantity = parseNonNegative(line.quantity, 'quantity');
  if (quantity.isZero()) {
    throw new PricingError('BAD_NUMBER', `quantity must be greater than zero, got '${line.quantity}'`);
  }
  const taxRate = parseNonNegative(line.taxRate, 'taxRate');
  if (taxRate.greaterThanOrEqualTo(1)) {
    throw new PricingError('BAD_NUMBER', `taxRate must be a fraction below 1 (e.g. '0.160000' for 16 %), got '${line.taxRate}'`);
  }

  const gross = roundMinor(unitPrice.times(quantity), rules);
  const discountAmount = lineDiscount(line.discount, gross, rules);
  const after = gross.minus(discountAmount);

  let subtotal: Dec;
  let taxAmount: Dec;
  let total: Dec;
  if (line.pricesIncludeTax) {
    total = after;
    subtotal = roundMinor(total.dividedBy(taxRate.plus(1)), rules);
    taxAmount = total.minus(subtotal);
  } else {
    subtotal = after;
    taxAmount = roundMinor(subtotal.times(taxRate), rules);
    total = subtotal.plus(taxAmount);
  }

  return {
    gross: fmt(gross),
    discountAmount: fmt(discountAmount),
    subtotal: fmt(subtotal),
    taxAmount: fmt(taxAmount),
    total: fmt(total),
  };
}

function lineDiscount(discount: LineInput['discount'], gross: Dec, rules: CurrencyRules): Dec {
  if (discount === undefined) return new D(0);
  let amount: Dec;
  if (discount.kind === 'amount') {
    amount = roundMinor(parseNonNegative(discount.value, 'discount amount'), rules);
  } else if (discount.kind === 'rate') {
    const rate = parseNonNegative(discount.value, 'discount rate');
    if (rate.greaterThan(1)) {
      throw new PricingError('DISCOUNT_TOO_LARGE', `discount rate must not exceed 1 (100 %), got '${discount.value}'`);
    }
    amount = roundMinor(gross.times(rate), rules);
  } else {
    throw new PricingError('BAD_NUMBER', `discount kind must be 'amount' or 'rate', got ${describe((discount as { kind: unknown }).kind)}`);
  }
  if (amount.greaterThan(gross)) {
    throw new PricingError('DISCOUNT_TOO_LARGE', `discount of ${fmt(amount)} exceeds the line's gross amount of ${fmt(gross)}`);
  }
  return amount;
}

// ---------------------------------------------------------------------------
// Sale totals

export function totalSale<C extends string>(
  lines: readonly Omit<SaleLine<C>, 'gross'>[],
  rules: CurrencyRules,
  opts?: { cashRounding?: boolean },
): SaleTotals<C> {
  checkRules(rules);
  const subtotals: Dec[] = [];
  const discounts: Dec[] = [];
  const taxAmounts: Dec[] = [];
  const totals: Dec[] = [];
  const groups = new Map<string, { taxCode: C; rate: Dec; base: Dec; amount: Dec }>();

  lines.forEach((line, i) => {
    const subtotal = parseAmount(line.subtotal, `lines[${i}].subtotal`);
    const taxAmount = parseAmount(line.taxAmount, `lines[${i}].taxAmount`);
    subtotals.push(subtotal);
    discounts.push(parseAmount(line.discountAmount, `lines[${i}].discountAmount`));
    taxAmounts.push(taxAmount);
    totals.push(parseAmount(line.total, `lines[${i}].total`));

    const rate = parseNonNegative(line.taxRate, `lines[${i}].taxRate`);
    // Keyed on the normalised value so '0.16' and '0.160000' are one rate.
    const key = `${line.taxCode}\u0000${rate.toString()}`;
    const group = groups.get(key);
    if (group) {
      group.base = group.base.plus(subtotal);
      group.amount = group.amount.plus(taxAmount);
    } else {
      groups.set(key, { taxCode: line.taxCode, rate, base: subtotal, amount: taxAmount });
    }
  });

  const total = sum(totals);
  let payable = total;
  if (opts?.cashRounding && rules.cashIncrement !== undefined) {
    const increment = parseNonNegative(rules.cashIncrement, `${rules.currency} cashIncrement`);
    if (increment.isZero()) {
      throw new PricingError('BAD_NUMBER', `${rules.currency} cashIncrement must be greater than zero`);
    }
    payable = total.dividedBy(increment).toDecimalPlaces(0, D.ROUND_HALF_UP).times(increment);
  }

  const taxes = [...groups.values()]
    .sort((a, b) => (a.taxCode < b.taxCode ? -1 : a.taxCode > b.taxCode ? 1 : a.rate.comparedTo(b.rate)))
    .map((g) => ({ taxCode: g.taxCode, rate: fmtRate(g.rate), base: fmt(g.base), amount: fmt(g.amount) }));

  return {
    subtotal: fmt(sum(subtotals)),
    discountTotal: fmt(sum(discounts)),
    taxTotal: fmt(sum(taxAmounts)),
    total: fmt(total),
    rounding: fmt(payable.minus(total)),
    payable: fmt(payable),
    taxes,
  };
}

/** Rates are reported with 6 decimals ('0.160000'), or more if the rate needs them. */
function fmtRate(rate: Dec): string {
  return rate.toFixed(Math.max(6, rate.decimalPlaces()));
}

// ---------------------------------------------------------------------------
// Tender

export function changeDue(payable: string, tendered: readonly string[]): ChangeDue {
  const due = parseAmount(payable, 'payable');
  const paid = sum(tendered.map((t, i) => parseAmount(t, `tendered[${i}]`)));
  if (paid.greaterThanOrEqualTo(due)) {
    return { paid: fmt(paid), change: fmt(paid.minus(due)), remaining: '0.0000' };
  }
  return { paid: fmt(paid), change: '0.0000', remaining: fmt(due.minus(paid)) };
}

/** Splits an amount into `parts` minor-unit shares that add up exactly; earlier parts take the extra units. */
export function splitEvenly(amount: string, parts: number, rules: CurrencyRules): string[] {
  checkRules(rules);
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new PricingError('BAD_NUMBER', `parts must be a whole number of at least 1, got ${String(parts)}`);
  }
  const scale = new D(10).toPower(rules.minorUnits);
  const units = parseMinorAmount(amount, 'amount', rules).times(scale);
  const base = units.dividedToIntegerBy(parts);
  const extra = units.minus(base.times(parts)); // units left over, fewer than `parts`
  const shares: string[] = [];
  for (let i = 0; i < parts; i++) {
    shares.push(fmt((extra.greaterThan(i) ? base.plus(1) : base).dividedBy(scale)));
  }
  return shares;
}

/**
 * Spreads a sale-level discount over lines in proportion to their gross,
 * rounded to minor units; leftover units go to the largest remainders (ties:
 * earlier line first), so the parts add up exactly and none exceeds its gross.
 */
export function allocateDiscount(lineGrosses: readonly string[], discount: string, rules: CurrencyRules): string[] {
  checkRules(rules);
  const scale = new D(10).toPower(rules.minorUnits);
  const grosses = lineGrosses.map((g, i) => parseMinorAmount(g, `lineGrosses[${i}]`, rules).times(scale));
  const target = parseMinorAmount(discount, 'discount', rules).times(scale);
  const totalGross = sum(grosses);
  if (target.greaterThan(totalGross)) {
    throw new PricingError(
      'DISCOUNT_TOO_LARGE',
      `discount of ${fmt(target.dividedBy(scale))} exceeds the lines' combined gross of ${fmt(totalGross.dividedBy(scale))}`,
    );
  }
  if (target.isZero()) return grosses.map(() => '0.0000');

  // Integer arithmetic in minor units: share = g × target / totalGross, split
  // into its whole units and the remainder's numerator (same denominator for all).
  const shares = grosses.map((g, index) => {
    const numerator = g.times(target);
    return { index, units: numerator.dividedToIntegerBy(totalGross), remainder: numerator.modulo(totalGross) };
  });
  let leftover = target.minus(sum(shares.map((s) => s.units))); // fewer units than there are lines
  const byRemainder = [...shares].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  for (const share of byRemainder) {
    if (!leftover.greaterThan(0)) break;
    share.units = share.units.plus(1);
    leftover = leftover.minus(1);
  }
  return shares.map((s) => fmt(s.units.dividedBy(scale)));
}
