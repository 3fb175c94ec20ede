import { describe, expect, it } from 'vitest';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import { globalPeriod } from '#engine/fiscal/mx/global-period.ts';

const span = (p: ReturnType<typeof globalPeriod>) => [p.from, p.to, p.meses, p.año];

describe('the period a factura global covers', () => {
  it('is the day itself when daily', () => {
    expect(span(globalPeriod('01', '2026-12-03'))).toEqual(['2026-12-03', '2026-12-03', '12', 2026]);
  });

  it('runs Monday to Sunday when weekly', () => {
    // 2026-12-03 is a Thursday.
    // Its Monday is November 30th: the period starts on the month's first.
    expect(span(globalPeriod('02', '2026-12-03'))).toEqual(['2026-12-01', '2026-12-06', '12', 2026]);
    expect(span(globalPeriod('02', '2026-12-09'))).toEqual(['2026-12-07', '2026-12-13', '12', 2026]);
    expect(span(globalPeriod('02', '2026-12-13'))).toEqual(['2026-12-07', '2026-12-13', '12', 2026]);
  });

  it('splits a week that straddles two months into one period in each', () => {
    expect(span(globalPeriod('02', '2026-11-30'))).toEqual(['2026-11-30', '2026-11-30', '11', 2026]);
    expect(span(globalPeriod('02', '2026-12-02'))).toEqual(['2026-12-01', '2026-12-06', '12', 2026]);
    expect(span(globalPeriod('02', '2026-12-31'))).toEqual(['2026-12-28', '2026-12-31', '12', 2026]);
  });

  it('is the 1st to the 15th or the 16th to the month’s end when fortnightly', () => {
    expect(span(globalPeriod('03', '2026-02-15'))).toEqual(['2026-02-01', '2026-02-15', '02', 2026]);
    expect(span(globalPeriod('03', '2026-02-16'))).toEqual(['2026-02-16', '2026-02-28', '02', 2026]);
    expect(span(globalPeriod('03', '2028-02-20'))).toEqual(['2028-02-16', '2028-02-29', '02', 2028]);
  });

  it('is the whole calendar month when monthly', () => {
    expect(span(globalPeriod('04', '2026-12-03'))).toEqual(['2026-12-01', '2026-12-31', '12', 2026]);
    expect(span(globalPeriod('04', '2027-01-31'))).toEqual(['2027-01-01', '2027-01-31', '01', 2027]);
  });

  it('refuses a day that is not a calendar date', () => {
    for (const day of ['2026-02-30', '2026-13-01', '3 de diciembre']) {
      expect(() => globalPeriod('01', day)).toThrow(FiscalMxError);
    }
  });
});
