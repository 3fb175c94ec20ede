// Prices a whole cart: each line's own discount, then a sale discount spread over the lines
// in proportion to what is left of them, then tax per line and the sale totals. Pure: the
// cart handlers call it after every change and store what it returns.
import { Decimal } from 'decimal.js';
import { allocateDiscount, priceLine, PricingError, totalSale, type CurrencyRules, type LineAmounts, type SaleTotals } from './pricing.ts';

export type Discount = { kind: 'rate'; value: string } | { kind: 'amount'; value: string };

export type CartLine<C extends string = string> = {
  id: string;
  unitPrice: string;
  quantity: string;
  taxCode: C;
  taxRate: string;
  discount: Discount | null;
};

export type PricedLine<C extends string = string> = LineAmounts & { id: string; taxCode: C; taxRate: string; ownDiscount: string };

export type PricedCart<C extends string = string> = { lines: PricedLine<C>[]; totals: SaleTotals<C>; saleDiscount: string };

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export function priceCart<C extends string>(
  lines: readonly CartLine<C>[],
  saleDiscount: Discount | null,
  rules: CurrencyRules,
  opts: { pricesIncludeTax: boolean; cashRounding?: boolean },
): PricedCart<C> {
  const own = lines.map((line) => ({
    line,
    amounts: priceLine({ ...line, discount: line.discount ?? undefined, pricesIncludeTax: opts.pricesIncludeTax }, rules),
  }));
  const remaining = own.map(({ amounts }) => new D(amounts.gross).minus(amounts.discountAmount).toFixed(rules.minorUnits));
  const saleAmount = saleDiscountAmount(saleDiscount, remaining, rules);
  const shares = lines.length === 0 ? [] : allocateSaleDiscount(lines, remaining, saleAmount, rules);

  const priced = own.map(({ line, amounts }, i): PricedLine<C> => {
    const share = shares[i] ?? '0';
    const discount = new D(amounts.discountAmount).plus(share);
    const final = discount.isZero()
      ? amounts
      : priceLine(
          {
            unitPrice: line.unitPrice,
            quantity: line.quantity,
            taxRate: line.taxRate,
            pricesIncludeTax: opts.pricesIncludeTax,
            discount: { kind: 'amount', value: discount.toFixed(rules.minorUnits) },
          },
          rules,
        );
    return { ...final, id: line.id, taxCode: line.taxCode, taxRate: line.taxRate, ownDiscount: amounts.discountAmount };
  });
  return {
    lines: priced,
    totals: totalSale(priced, rules, opts.cashRounding ? { cashRounding: true } : undefined),
    saleDiscount: new D(saleAmount).toFixed(4),
  };
}

/**
 * allocateDiscount hands leftover centavos to the largest remainders and, between equal ones, to
 * the earlier line; where that centavo lands can move a line's tax rounding by a centavo. Given
 * the lines in scanning order, the same items rung up in another order could then cost a
 * centavo more or less. So they go to it ordered by what they are (what is left of them, then
 * tax rate and code): lines equal on all of those are interchangeable for every total.
 */
function allocateSaleDiscount(
  lines: readonly CartLine[],
  remaining: readonly string[],
  saleAmount: string,
  rules: CurrencyRules,
): string[] {
  const order = lines
    .map((_, i) => i)
    .sort(
      (a, b) =>
        new D(remaining[b]!).comparedTo(remaining[a]!) ||
        new D(lines[b]!.taxRate).comparedTo(lines[a]!.taxRate) ||
        (lines[a]!.taxCode < lines[b]!.taxCode ? -1 : lines[a]!.taxCode > lines[b]!.taxCode ? 1 : 0),
    );
  const inOrder = allocateDiscount(
    order.map((i) => remaining[i]!),
    saleAmount,
    rules,
  );
  const shares: string[] = new Array(lines.length);
  order.forEach((line, k) => {
    shares[line] = inOrder[k]!;
  });
  return shares;
}

function saleDiscountAmount(discount: Discount | null, remaining: readonly string[], rules: CurrencyRules): string {
  if (!discount) return '0';
  const base = remaining.reduce((acc, r) => acc.plus(r), new D(0));
  const amount =
    discount.kind === 'rate'
      ? base.times(discount.value).toDecimalPlaces(rules.minorUnits, D.ROUND_HALF_UP)
      : new D(discount.value).toDecimalPlaces(rules.minorUnits, D.ROUND_HALF_UP);
  if (amount.greaterThan(base)) {
    throw new PricingError(
      'DISCOUNT_TOO_LARGE',
      `a sale discount of ${amount.toFixed(2)} exceeds what the lines add up to (${base.toFixed(2)})`,
    );
  }
  return amount.toFixed(rules.minorUnits);
}

/** The share of `gross` a discount takes, as a fraction: what the role limit is compared with. */
export function discountRate(discountAmount: string, gross: string): string {
  const g = new D(gross);
  if (g.isZero()) return '0';
  return new D(discountAmount).dividedBy(g).toFixed(6, D.ROUND_UP);
}

/** Whether a discount of `rate` fits a role whose limit is `maxRate` (both fractions). */
export const withinLimit = (rate: string, maxRate: string) => new D(rate).lessThanOrEqualTo(maxRate);
