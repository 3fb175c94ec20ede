import { describe, expect, it } from 'vitest';
import { giftCardCode, giftCardExpiry, giftCardId, maskedCode, withinOfflineLimit } from '#engine/services/payments/gift-cards.ts';

describe('gift card rules', () => {
  it('reads a code as printed or scanned, ignoring spaces and dashes and case', () => {
    expect(giftCardCode(' 7701-0000 1111 ')).toBe('770100001111');
    expect(giftCardCode('gc-ab12cd')).toBe('GCAB12CD');
  });

  it('refuses what cannot be a card: too short, too long, or other characters', () => {
    expect(giftCardCode('AB-12')).toBeNull();
    expect(giftCardCode('1'.repeat(33))).toBeNull();
    expect(giftCardCode('7701*0000')).toBeNull();
  });

  it('gives the same card the same id at every register, and another business another id', () => {
    const business = '0192f3a1-0000-7000-8000-000000000001';
    expect(giftCardId(business, '770100001111')).toBe(giftCardId(business, '770100001111'));
    expect(giftCardId(business, '770100001111')).not.toBe(giftCardId(business, '770100001112'));
    expect(giftCardId('0192f3a1-0000-7000-8000-000000000002', '770100001111')).not.toBe(giftCardId(business, '770100001111'));
  });

  it('shows only the last four characters', () => {
    expect(maskedCode('770100001111')).toBe('****1111');
  });

  it('expires after whole months, on the last day of a shorter month', () => {
    expect(giftCardExpiry(new Date('2026-01-31T15:00:00Z'), 1)!.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(giftCardExpiry(new Date('2026-12-05T10:00:00Z'), 12)!.toISOString()).toBe('2027-12-05T10:00:00.000Z');
    expect(giftCardExpiry(new Date('2026-12-05T10:00:00Z'), null)).toBeNull();
  });

  it('lets a register cut off from central take a card only up to what its day limit leaves', () => {
    expect(withinOfflineLimit('0', '500.00', '500.00')).toEqual({ ok: true });
    expect(withinOfflineLimit('300.0000', '250.00', '500.00')).toEqual({ ok: false, left: '200.00' });
    expect(withinOfflineLimit('600', '1', '500')).toEqual({ ok: false, left: '0.00' });
    expect(withinOfflineLimit('0', '0.01', '0')).toEqual({ ok: false, left: '0.00' });
  });
});
