import { describe, expect, it } from 'vitest';
import { settleTenders, TenderError } from '#engine/services/sales/tenders.ts';

const CASH = { kind: 'CASH' as const, methodId: 'cash' };
const CARD = { kind: 'CARD' as const, methodId: 'card' };

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof TenderError) return err.problem;
    throw err;
  }
  throw new Error('expected a TenderError');
};

describe('settleTenders', () => {
  it('gives change from cash', () => {
    expect(settleTenders('163.0000', [{ ...CASH, tendered: '200' }], 2)).toEqual({
      tenders: [{ ...CASH, tendered: '200', amount: '163.0000', tenderedAmount: '200.0000', changeAmount: '37.0000' }],
      paid: '200.0000',
      change: '37.0000',
    });
  });

  it('splits between card and cash, the card first and cash for the rest', () => {
    const s = settleTenders(
      '163.0000',
      [
        { ...CASH, tendered: '100' },
        { ...CARD, amount: '100.00' },
      ],
      2,
    );
    expect(s.tenders.map((t) => [t.kind, t.amount, t.changeAmount])).toEqual([
      ['CASH', '63.0000', '37.0000'],
      ['CARD', '100.0000', null],
    ]);
    expect(s.change).toBe('37.0000');
  });

  it('says how much is still due when the tenders fall short', () => {
    expect(problem(() => settleTenders('163.0000', [{ ...CASH, tendered: '100' }], 2))).toEqual({
      code: 'TENDER_SHORT',
      remaining: '63.0000',
    });
  });

  it('refuses a card for more than is due, since a card gives no change', () => {
    expect(problem(() => settleTenders('50.0000', [{ ...CARD, amount: '60' }], 2))).toEqual({
      code: 'TENDER_TOO_LARGE',
      index: 0,
      remaining: '50.0000',
    });
  });

  it('refuses amounts that are not money', () => {
    for (const bad of ['-5', '1e3', 'abc', '', '10.001', '0']) {
      expect(problem(() => settleTenders('10.0000', [{ ...CASH, tendered: bad }], 2))).toMatchObject({ code: 'TENDER_INVALID', index: 0 });
    }
  });

  it('refuses two cash tenders and cash when nothing is left to pay', () => {
    expect(
      problem(() =>
        settleTenders(
          '10.0000',
          [
            { ...CASH, tendered: '5' },
            { ...CASH, tendered: '5' },
          ],
          2,
        ),
      ),
    ).toMatchObject({ reason: 'ONE_CASH' });
    expect(
      problem(() =>
        settleTenders(
          '10.0000',
          [
            { ...CARD, amount: '10' },
            { ...CASH, tendered: '5' },
          ],
          2,
        ),
      ),
    ).toMatchObject({ reason: 'NOTHING_DUE' });
  });

  it('refuses a sale with no tender at all', () => {
    expect(problem(() => settleTenders('10.0000', [], 2))).toMatchObject({ code: 'TENDER_SHORT' });
  });
});
