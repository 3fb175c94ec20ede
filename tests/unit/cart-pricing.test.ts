import { describe, expect, it } from 'vitest';
import { discountRate, priceCart, withinLimit, type CartLine } from '#engine/services/sales/cart-pricing.ts';
import { CURRENCY_RULES } from '#engine/services/sales/pricing.ts';

const MXN = CURRENCY_RULES.MXN;
const line = (id: string, unitPrice: string, quantity = '1', taxRate = '0.160000', taxCode = 'IVA16'): CartLine => ({
  id,
  unitPrice,
  quantity,
  taxRate,
  taxCode,
  discount: null,
});

describe('priceCart', () => {
  it('prices lines with tax included and adds them up', () => {
    const cart = priceCart([line('a', '116.00'), line('b', '23.50', '2', '0', 'IVA0')], null, MXN, { pricesIncludeTax: true });
    expect(cart.lines.map((l) => [l.subtotal, l.taxAmount, l.total])).toEqual([
      ['100.0000', '16.0000', '116.0000'],
      ['47.0000', '0.0000', '47.0000'],
    ]);
    expect(cart.totals).toMatchObject({ subtotal: '147.0000', taxTotal: '16.0000', total: '163.0000', discountTotal: '0.0000' });
  });

  it('spreads a sale discount over the lines after their own discounts, so the parts add up exactly', () => {
    const lines = [
      { ...line('a', '100.00'), discount: { kind: 'amount' as const, value: '10.00' } },
      line('b', '50.00'),
      line('c', '50.00'),
    ];
    const cart = priceCart(lines, { kind: 'amount', value: '10.00' }, MXN, { pricesIncludeTax: true });
    expect(cart.lines.map((l) => l.discountAmount)).toEqual(['14.7400', '2.6300', '2.6300']);
    expect(cart.lines.map((l) => l.ownDiscount)).toEqual(['10.0000', '0.0000', '0.0000']);
    expect(cart.totals.discountTotal).toBe('20.0000');
    expect(cart.totals.total).toBe('180.0000');
    expect(cart.saleDiscount).toBe('10.0000');
  });

  it('takes a sale discount rate of what is left after line discounts', () => {
    const cart = priceCart([line('a', '80.00'), line('b', '20.00')], { kind: 'rate', value: '0.1' }, MXN, { pricesIncludeTax: true });
    expect(cart.totals.total).toBe('90.0000');
  });

  it('adds tax on top when shelf prices exclude it', () => {
    const cart = priceCart([line('a', '100.00')], null, MXN, { pricesIncludeTax: false });
    expect(cart.totals).toMatchObject({ subtotal: '100.0000', taxTotal: '16.0000', total: '116.0000' });
  });

  it('rounds the payable to the store coin only when asked for cash', () => {
    const rules = { ...MXN, cashIncrement: '0.50' };
    expect(priceCart([line('a', '10.27')], null, rules, { pricesIncludeTax: true, cashRounding: true }).totals).toMatchObject({
      total: '10.2700',
      payable: '10.5000',
      rounding: '0.2300',
    });
    expect(priceCart([line('a', '10.27')], null, rules, { pricesIncludeTax: true }).totals.payable).toBe('10.2700');
  });

  it('refuses a sale discount larger than the cart', () => {
    expect(() => priceCart([line('a', '10.00')], { kind: 'amount', value: '10.01' }, MXN, { pricesIncludeTax: true })).toThrow(
      /exceeds what the lines add up to/,
    );
  });

  it('prices an empty cart at zero', () => {
    expect(priceCart([], null, MXN, { pricesIncludeTax: true }).totals.total).toBe('0.0000');
  });
});

describe('discount limits', () => {
  it('rounds the effective rate up so a limit cannot be slipped past by a fraction of a centavo', () => {
    expect(discountRate('5.01', '100.00')).toBe('0.050100');
    expect(discountRate('1', '3')).toBe('0.333334');
    expect(withinLimit(discountRate('5.00', '100.00'), '0.050000')).toBe(true);
    expect(withinLimit(discountRate('5.01', '100.00'), '0.050000')).toBe(false);
  });
});
