import { describe, expect, it } from 'vitest';
import { cardRefundShares, RefundTooLarge } from '#engine/services/payments/refund-shares.ts';

const tender = (id: string, amount: string, refunded = '0') => ({ id, amount, refunded });

describe('a return’s share of the card tenders', () => {
  it('gives back only the return’s amount on a card that paid more', () => {
    expect(cardRefundShares('8.5000', [tender('t1', '30.0000')])).toEqual([{ tenderId: 't1', amount: '8.5000', whole: false }]);
  });

  it('counts the earlier refunds of a tender against what it has left', () => {
    expect(cardRefundShares('21.5000', [tender('t1', '30.0000', '8.5000')])).toEqual([{ tenderId: 't1', amount: '21.5000', whole: false }]);
    expect(() => cardRefundShares('21.5100', [tender('t1', '30.0000', '8.5000')])).toThrow(RefundTooLarge);
  });

  it('marks a share that is all of a tender never refunded as the whole refund', () => {
    expect(cardRefundShares('30', [tender('t1', '30.0000')])).toEqual([{ tenderId: 't1', amount: '30.0000', whole: true }]);
  });

  it('spreads a refund over the tenders in order, skipping one given back already', () => {
    expect(cardRefundShares('25', [tender('t1', '10', '10'), tender('t2', '20'), tender('t3', '15')])).toEqual([
      { tenderId: 't2', amount: '20.0000', whole: true },
      { tenderId: 't3', amount: '5.0000', whole: false },
    ]);
  });

  it('refuses more than the tenders have left, naming what the card can take back', () => {
    try {
      cardRefundShares('40', [tender('t1', '30', '5')]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RefundTooLarge);
      expect((err as RefundTooLarge).refundable).toBe('25.0000');
      expect((err as RefundTooLarge).message).toBe('the card can take back at most 25.00');
    }
  });
});
