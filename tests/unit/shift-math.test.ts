import { describe, expect, it } from 'vitest';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { countTotal, expectedCash, overTolerance, variance } from '#engine/services/shifts/cash-count.ts';
import { returnAmounts } from '#engine/services/sales/return-amounts.ts';

const DENOMINATIONS = ['1000', '500', '200', '100', '50', '20', '10', '5', '2', '1', '0.50'];

describe('the business day', () => {
  it('follows the branch clock, not UTC, around midnight', () => {
    expect(businessDate(new Date('2026-11-25T05:30:00Z'), 'America/Mexico_City')).toBe('2026-11-24');
    expect(businessDate(new Date('2026-11-25T06:30:00Z'), 'America/Mexico_City')).toBe('2026-11-25');
    expect(businessDate(new Date('2026-11-25T04:59:00Z'), 'America/Bogota')).toBe('2026-11-24');
    expect(businessDate(new Date('2026-11-25T03:00:00Z'), 'America/Argentina/Buenos_Aires')).toBe('2026-11-25');
  });
});

describe('counting the drawer', () => {
  it('adds up a count by denomination exactly, coins included', () => {
    expect(countTotal({ '500': 1, '200': 2, '0.50': 3 }, DENOMINATIONS)).toBe('901.5000');
    expect(countTotal({ '0.5': 1 }, DENOMINATIONS)).toBe('0.5000');
  });

  it('refuses a denomination the store does not count and impossible piece counts', () => {
    expect(() => countTotal({ '3': 1 }, DENOMINATIONS)).toThrow(/not a denomination/);
    expect(() => countTotal({ '100': -1 }, DENOMINATIONS)).toThrow(/whole number/);
    expect(() => countTotal({ '100': 1.5 }, DENOMINATIONS)).toThrow(/whole number/);
  });

  it('expects float + cash sales − refunds + pay-ins − pay-outs − drops, and judges the variance both ways', () => {
    const expected = expectedCash({
      openingFloat: '500',
      cashSales: '1234.50',
      cashRefunds: '34.50',
      payIns: '100',
      payOuts: '45.50',
      drops: '1000',
    });
    expect(expected).toBe('754.5000');
    expect(variance('740.00', expected)).toBe('-14.5000');
    expect(overTolerance('-14.5000', '20.00')).toBe(false);
    expect(overTolerance('-20.0100', '20.00')).toBe(true);
    expect(overTolerance('20.0100', '20.00')).toBe(true);
  });
});

describe('what a return gives back', () => {
  const sold = { quantity: '3.0000', subtotal: '21.9800', taxAmount: '3.5200', total: '25.5000' };

  it('returns a share of the line, and the last of it exactly what is left', () => {
    const first = returnAmounts(sold, [], '1', 2);
    expect(first).toEqual({ quantity: '1.0000', subtotal: '7.3300', taxAmount: '1.1700', total: '8.5000' });
    // Two thirds of the line are worth 14.65 + 2.35: the second third gives that less the first.
    const second = returnAmounts(sold, [first], '1', 2);
    expect(second).toEqual({ quantity: '1.0000', subtotal: '7.3200', taxAmount: '1.1800', total: '8.5000' });
    const last = returnAmounts(sold, [first, second], '1', 2);
    expect([first, second, last].reduce((a, r) => a + Number(r.total) * 100, 0)).toBe(2550);
    expect(last).toEqual({ quantity: '1.0000', subtotal: '7.3300', taxAmount: '1.1700', total: '8.5000' });
  });

  it('refuses more than is left of a line and nothing at all', () => {
    const all = returnAmounts(sold, [], '3', 2);
    expect(() => returnAmounts(sold, [all], '1', 2)).toThrow(/only 0 of this line/);
    expect(() => returnAmounts(sold, [], '0', 2)).toThrow(/more than zero/);
  });
});
