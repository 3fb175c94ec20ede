// What a cashier and an accountant rely on when a cart is priced, checked over generated carts:
// any mix of quantities, prices, line discounts, a sale discount and tax codes. The seed is
// fixed, so a failure names a cart that replays exactly.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart, type CartLine, type Discount, type PricedCart } from '#engine/services/sales/cart-pricing.ts';
import { CURRENCY_RULES, priceLine, type CurrencyRules } from '#engine/services/sales/pricing.ts';
import { amount, fraction, pesos, quantity, WHOLE_CENTAVOS } from '../support/money-arbitraries.ts';

fc.configureGlobal({ seed: 20261203, numRuns: 100 });

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
const sum = (values: readonly string[]) => values.reduce((acc, v) => acc.plus(v), new D(0));
const CENTAVO = new D('0.01');
const HALF_CENTAVO = new D('0.005');

const MXN = CURRENCY_RULES.MXN;
const TAXES = [
  { taxCode: 'IVA16', taxRate: '0.160000' },
  { taxCode: 'IVA8', taxRate: '0.080000' },
  { taxCode: 'IVA0', taxRate: '0.000000' },
  { taxCode: 'EXENTO', taxRate: '0' },
  { taxCode: 'IVA19', taxRate: '0.190000' },
  { taxCode: 'IVA21', taxRate: '0.210000' },
  { taxCode: 'IVA105', taxRate: '0.105000' },
  { taxCode: 'INC8', taxRate: '0.080000' },
] as const;

/** A discount as it is asked for: a rate, or a share of what it applies to that the test turns into an amount. */
type DiscountAsk = { kind: 'rate'; value: string } | { kind: 'share'; value: string } | null;
const discountAsk = (): fc.Arbitrary<DiscountAsk> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    fraction().map((value) => ({ kind: 'rate' as const, value })),
    fraction().map((value) => ({ kind: 'share' as const, value })),
  );

/** An amount discount is a share of `base`, rounded down to the centavo so it never exceeds it. */
function discountOf(ask: DiscountAsk, base: string): Discount | null {
  if (!ask) return null;
  if (ask.kind === 'rate') return ask;
  return { kind: 'amount', value: new D(base).times(ask.value).toDecimalPlaces(2, D.ROUND_DOWN).toFixed(2) };
}

type CartAsk = {
  lines: { unitPrice: string; quantity: string; tax: (typeof TAXES)[number]; discount: DiscountAsk }[];
  saleDiscount: DiscountAsk;
  pricesIncludeTax: boolean;
};

/**
 * Carts are rung up from a small shelf, as real ones are: the same product twice, or two
 * products at one price, and where a sale discount's leftover centavo lands between such equal
 * lines is exactly where totals could come to depend on the order of scanning.
 */
const cartAsk = (): fc.Arbitrary<CartAsk> =>
  fc
    .record({
      shelf: fc.array(
        fc.record({
          unitPrice: fc.oneof(amount(0, 2_000_000), amount(1, 999), fc.constantFrom('10.00', '25.50', '99.90')),
          tax: fc.constantFrom(...TAXES),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      picks: fc.array(fc.record({ product: fc.nat(), quantity: quantity(), discount: discountAsk() }), { minLength: 1, maxLength: 12 }),
      saleDiscount: discountAsk(),
      pricesIncludeTax: fc.boolean(),
    })
    .map(({ shelf, picks, saleDiscount, pricesIncludeTax }) => ({
      lines: picks.map(({ product, quantity, discount }) => ({ ...shelf[product % shelf.length]!, quantity, discount })),
      saleDiscount,
      pricesIncludeTax,
    }));

/** The cart the ask describes: amount discounts come out as shares of what they apply to. */
function cartOf(ask: CartAsk): { lines: CartLine[]; saleDiscount: Discount | null } {
  const lines = ask.lines.map((l, i): CartLine => {
    const { gross } = priceLine(
      { unitPrice: l.unitPrice, quantity: l.quantity, taxRate: l.tax.taxRate, pricesIncludeTax: ask.pricesIncludeTax },
      MXN,
    );
    return { id: `line-${i}`, unitPrice: l.unitPrice, quantity: l.quantity, ...l.tax, discount: discountOf(l.discount, gross) };
  });
  const beforeSaleDiscount = priceCart(lines, null, MXN, { pricesIncludeTax: ask.pricesIncludeTax });
  const left = sum(beforeSaleDiscount.lines.map((l) => new D(l.gross).minus(l.discountAmount).toFixed(4))).toFixed(2);
  return { lines, saleDiscount: discountOf(ask.saleDiscount, left) };
}

function price(ask: CartAsk, rules: CurrencyRules = MXN, cashRounding = false): PricedCart {
  const { lines, saleDiscount } = cartOf(ask);
  return priceCart(lines, saleDiscount, rules, { pricesIncludeTax: ask.pricesIncludeTax, cashRounding });
}

/** What the customer is charged for a line before tax is added (tax included: the whole of it). */
const charged = (line: { subtotal: string; total: string }, pricesIncludeTax: boolean) => (pricesIncludeTax ? line.total : line.subtotal);

describe('a priced cart, for any mix of quantities, prices, discounts and tax codes', () => {
  it('writes every amount in whole centavos with 4 decimals, none of them negative', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        const cart = price(ask);
        for (const line of cart.lines) {
          for (const value of [line.gross, line.discountAmount, line.ownDiscount, line.subtotal, line.taxAmount, line.total])
            expect(value).toMatch(WHOLE_CENTAVOS);
        }
        const { subtotal, discountTotal, taxTotal, total, payable } = cart.totals;
        for (const value of [subtotal, discountTotal, taxTotal, total, payable, cart.saleDiscount]) expect(value).toMatch(WHOLE_CENTAVOS);
      }),
    );
  });

  it('charges each line its price times its quantity, to the half centavo', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        price(ask).lines.forEach((line, i) => {
          const exact = new D(ask.lines[i]!.unitPrice).times(ask.lines[i]!.quantity);
          expect(new D(line.gross).minus(exact).abs().lessThanOrEqualTo(HALF_CENTAVO)).toBe(true);
        });
      }),
    );
  });

  it('never lets a discount take more than a line is worth, so no line goes negative', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        for (const line of price(ask).lines) {
          expect(new D(line.discountAmount).lessThanOrEqualTo(line.gross)).toBe(true);
          expect(new D(line.ownDiscount).lessThanOrEqualTo(line.discountAmount)).toBe(true);
          expect(new D(line.gross).minus(line.discountAmount).equals(charged(line, ask.pricesIncludeTax))).toBe(true);
        }
      }),
    );
  });

  it('makes each line its subtotal plus its tax, the tax within half a centavo of the exact tax', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        for (const line of price(ask).lines) {
          expect(new D(line.subtotal).plus(line.taxAmount).equals(line.total)).toBe(true);
          const rate = new D(line.taxRate);
          const exact = ask.pricesIncludeTax ? new D(line.total).times(rate).dividedBy(rate.plus(1)) : new D(line.subtotal).times(rate);
          expect(new D(line.taxAmount).minus(exact).abs().lessThanOrEqualTo(HALF_CENTAVO)).toBe(true);
        }
      }),
    );
  });

  it('adds the lines up to the sale totals to the centavo, and the totals to subtotal plus tax', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        const { lines, totals } = price(ask);
        expect(sum(lines.map((l) => l.subtotal)).equals(totals.subtotal)).toBe(true);
        expect(sum(lines.map((l) => l.taxAmount)).equals(totals.taxTotal)).toBe(true);
        expect(sum(lines.map((l) => l.total)).equals(totals.total)).toBe(true);
        expect(sum(lines.map((l) => l.discountAmount)).equals(totals.discountTotal)).toBe(true);
        expect(new D(totals.subtotal).plus(totals.taxTotal).equals(totals.total)).toBe(true);
        expect(totals.payable).toBe(totals.total);
        expect(totals.rounding).toBe('0.0000');
      }),
    );
  });

  it('neither loses nor invents a centavo when it spreads a sale discount over the lines', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        const cart = price(ask);
        const ownDiscounts = sum(cart.lines.map((l) => l.ownDiscount));
        expect(ownDiscounts.plus(cart.saleDiscount).equals(cart.totals.discountTotal)).toBe(true);
        const grosses = sum(cart.lines.map((l) => l.gross));
        expect(grosses.minus(cart.totals.discountTotal).equals(sum(cart.lines.map((l) => charged(l, ask.pricesIncludeTax))))).toBe(true);
      }),
    );
  });

  it('gives each line its share of a sale discount in proportion to what is left of it, to within a centavo', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        const cart = price(ask);
        const left = cart.lines.map((l) => new D(l.gross).minus(l.ownDiscount));
        const base = left.reduce((acc, l) => acc.plus(l), new D(0));
        cart.lines.forEach((line, i) => {
          const share = new D(line.discountAmount).minus(line.ownDiscount);
          expect(share.lessThanOrEqualTo(left[i]!)).toBe(true);
          if (base.isZero()) return expect(share.isZero()).toBe(true);
          const exact = new D(cart.saleDiscount).times(left[i]!).dividedBy(base);
          expect(share.minus(exact).abs().lessThan(CENTAVO)).toBe(true);
        });
      }),
    );
  });

  it('sums the tax summary to the sale subtotal and tax, each code and rate holding exactly its own lines', () => {
    fc.assert(
      fc.property(cartAsk(), (ask) => {
        const { lines, totals } = price(ask);
        expect(sum(totals.taxes.map((t) => t.base)).equals(totals.subtotal)).toBe(true);
        expect(sum(totals.taxes.map((t) => t.amount)).equals(totals.taxTotal)).toBe(true);
        for (const group of totals.taxes) {
          const own = lines.filter((l) => l.taxCode === group.taxCode && new D(l.taxRate).equals(group.rate));
          expect(sum(own.map((l) => l.subtotal)).equals(group.base)).toBe(true);
          expect(sum(own.map((l) => l.taxAmount)).equals(group.amount)).toBe(true);
        }
        expect(new Set(totals.taxes.map((t) => `${t.taxCode} ${new D(t.rate).toString()}`)).size).toBe(totals.taxes.length);
      }),
    );
  });

  it('costs the same whatever order the items were scanned in', () => {
    // Carts where it once did not, prices before tax: two lines equal but for their tax rate, or
    // of one rate but different amounts, tied for the sale discount's leftover centavo.
    const tiedForACentavo: [CartAsk, number[]][] = [
      [
        {
          lines: [
            { unitPrice: '10.00', quantity: '1', tax: TAXES[0], discount: null },
            { unitPrice: '10.00', quantity: '1', tax: TAXES[2], discount: null },
          ],
          saleDiscount: { kind: 'share', value: '0.0035' },
          pricesIncludeTax: false,
        },
        [1, 0],
      ],
      [
        {
          lines: [
            { unitPrice: '16524.43', quantity: '1', tax: TAXES[0], discount: { kind: 'rate', value: '0.0000' } },
            { unitPrice: '16524.43', quantity: '15', tax: TAXES[0], discount: { kind: 'share', value: '0.6149' } },
            { unitPrice: '16524.43', quantity: '1', tax: TAXES[0], discount: { kind: 'share', value: '0.0000' } },
            { unitPrice: '16524.43', quantity: '1', tax: TAXES[0], discount: null },
          ],
          saleDiscount: { kind: 'rate', value: '0.5000' },
          pricesIncludeTax: false,
        },
        [0, 6, 0, 0],
      ],
    ];
    fc.assert(
      fc.property(cartAsk(), fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (ask, keys) => {
        const order = ask.lines.map((_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
        const a = price(ask);
        const b = price({ ...ask, lines: order.map((i) => ask.lines[i]!) });
        const { subtotal, discountTotal, taxTotal, total, taxes } = a.totals;
        expect(b.totals).toMatchObject({ subtotal, discountTotal, taxTotal, total, taxes });
      }),
      { examples: tiedForACentavo },
    );
  });

  it('rounds a cash payment to the store increment by at most half of it, and says by how much', () => {
    const increments = ['0.10', '0.50', '1.00', '5.00'];
    fc.assert(
      fc.property(cartAsk(), fc.constantFrom(...increments), (ask, cashIncrement) => {
        const { totals } = price(ask, { ...MXN, cashIncrement }, true);
        expect(new D(totals.total).plus(totals.rounding).equals(totals.payable)).toBe(true);
        expect(new D(totals.payable).modulo(cashIncrement).isZero()).toBe(true);
        expect(new D(totals.rounding).abs().lessThanOrEqualTo(new D(cashIncrement).dividedBy(2))).toBe(true);
        expect(totals.payable).toMatch(WHOLE_CENTAVOS);
      }),
    );
  });
});

describe('a single line priced on its own', () => {
  it('refuses an amount discount even one centavo above the line, and takes one equal to it', () => {
    fc.assert(
      fc.property(amount(1, 2_000_000), quantity(), fc.constantFrom(...TAXES), fc.boolean(), (unitPrice, qty, tax, pricesIncludeTax) => {
        const line = { unitPrice, quantity: qty, taxRate: tax.taxRate, pricesIncludeTax };
        const { gross } = priceLine(line, MXN);
        const whole = priceLine({ ...line, discount: { kind: 'amount', value: gross } }, MXN);
        expect([whole.subtotal, whole.taxAmount, whole.total]).toEqual(['0.0000', '0.0000', '0.0000']);
        const over = new D(gross).plus(CENTAVO).toFixed(2);
        expect(() => priceLine({ ...line, discount: { kind: 'amount', value: over } }, MXN)).toThrow(/exceeds/);
      }),
    );
  });

  it('prices a line with the same amounts whether its money comes as 2 or 4 decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        quantity(),
        fc.constantFrom(...TAXES),
        fc.boolean(),
        (centavos, qty, tax, pricesIncludeTax) => {
          const short = priceLine({ unitPrice: pesos(centavos), quantity: qty, taxRate: tax.taxRate, pricesIncludeTax }, MXN);
          const long = priceLine({ unitPrice: `${pesos(centavos)}00`, quantity: qty, taxRate: tax.taxRate, pricesIncludeTax }, MXN);
          expect(long).toEqual(short);
        },
      ),
    );
  });
});
