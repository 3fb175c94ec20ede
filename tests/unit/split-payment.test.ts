import { describe, expect, it } from 'vitest';
import { settleTenders } from '#engine/services/sales/tenders.ts';
import { splitState, takeTender, tenderProblem, tendersForEngine, toCents, type PendingTender } from '../../renderer/screens/pay-split.ts';

const cash = (tendered: string): PendingTender => ({ kind: 'CASH', methodId: 'cash', method: 'Efectivo', tendered });
const card = (amount: string, cardLast4 = '4242', approvalCode = 'A1B2'): PendingTender => ({
  kind: 'CARD',
  methodId: 'card',
  method: 'Tarjeta',
  amount,
  cardLast4,
  approvalCode,
});
const transfer = (amount: string, reference = 'SPEI 123'): PendingTender => ({
  kind: 'TRANSFER',
  methodId: 'transfer',
  method: 'Transferencia',
  amount,
  reference,
});

describe('a payment split across tenders', () => {
  it('owes the whole total before anything is taken', () => {
    expect(splitState('144.9600', [])).toEqual({
      total: '144.96',
      paid: '0.00',
      remaining: '144.96',
      change: '0.00',
      excess: '0.00',
      covered: false,
    });
  });

  it('shows what is still owed after part is paid by card', () => {
    expect(splitState('144.96', [card('100')])).toMatchObject({ paid: '100.00', remaining: '44.96', change: '0.00', covered: false });
  });

  it('gives change only from the cash, after the card has paid its part', () => {
    expect(splitState('144.96', [card('100'), cash('50')])).toEqual({
      total: '144.96',
      paid: '144.96',
      remaining: '0.00',
      change: '5.04',
      excess: '0.00',
      covered: true,
    });
  });

  it('is not covered when the cart shrank below what the card already paid, and says by how much', () => {
    expect(splitState('80.00', [card('100'), cash('20')])).toMatchObject({
      remaining: '0.00',
      change: '20.00',
      excess: '20.00',
      covered: false,
    });
  });

  it('counts cash taken first the same way as cash taken last', () => {
    expect(splitState('144.96', [cash('50'), card('94.96')])).toMatchObject({ remaining: '0.00', change: '0.00', covered: true });
    expect(splitState('144.96', [cash('50'), transfer('90')])).toMatchObject({ remaining: '4.96', change: '0.00', covered: false });
  });

  it('adds to the penny without floating-point error', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in a JavaScript number.
    expect(splitState('0.30', [card('0.1'), transfer('0.2')])).toMatchObject({ paid: '0.30', remaining: '0.00', covered: true });
    expect(splitState('1000000000.01', [card('999999999.99'), cash('0.05')])).toMatchObject({ remaining: '0.00', change: '0.03' });
  });

  it("agrees with the engine's settlement on the change and what is paid", () => {
    const tenders = [card('60.50'), transfer('30'), cash('100')];
    const engine = settleTenders(
      '144.96',
      // The screen's TERMINAL is a card to the engine.
      tendersForEngine(tenders).map((t, i) => ({ ...t, kind: tenders[i]!.kind === 'TERMINAL' ? ('CARD' as const) : tenders[i]!.kind })),
      2,
    );
    const screen = splitState('144.96', tenders);
    expect(toCents(engine.change)).toBe(screen.change);
    expect(screen.covered).toBe(true);
  });
});

describe('taking one more tender', () => {
  it('refuses letters, too many decimals and nothing at all', () => {
    expect(tenderProblem('100', [], cash('1OO'))).toBe('AMOUNT');
    expect(tenderProblem('100', [], card('10.505'))).toBe('AMOUNT');
    expect(tenderProblem('100', [], cash('-5'))).toBe('AMOUNT');
    expect(tenderProblem('100', [], transfer('0.00'))).toBe('ZERO');
  });

  it('refuses a card or a transfer for more than is still owed, but not cash', () => {
    expect(tenderProblem('144.96', [card('100')], card('44.97'))).toBe('TOO_LARGE');
    expect(tenderProblem('144.96', [card('100')], transfer('50'))).toBe('TOO_LARGE');
    expect(tenderProblem('144.96', [card('100')], card('44.96'))).toBeNull();
    expect(tenderProblem('144.96', [card('100')], cash('500'))).toBeNull();
  });

  it('refuses anything once the sale is covered', () => {
    expect(tenderProblem('50', [card('50')], cash('10'))).toBe('NOTHING_DUE');
  });

  it("needs the card's last four digits and approval code, and the transfer's reference", () => {
    expect(tenderProblem('50', [], card('20', '42', 'A1'))).toBe('CARD_DETAILS');
    expect(tenderProblem('50', [], card('20', '4242', ''))).toBe('CARD_DETAILS');
    expect(tenderProblem('50', [], transfer('20', '   '))).toBe('REFERENCE');
  });

  it('adds cash handed over in two goes into one cash tender, as the engine takes cash once', () => {
    const taken = takeTender(takeTender([card('40')], cash('100')), cash('50.50'));
    expect(taken).toHaveLength(2);
    expect(taken[1]).toMatchObject({ kind: 'CASH', tendered: '150.50' });
    expect(splitState('144.96', taken)).toMatchObject({ remaining: '0.00', change: '45.54' });
  });

  it("sends each tender in the engine's shape, the transfer's reference trimmed", () => {
    expect(tendersForEngine([card('10'), transfer('5', ' SPEI 99 '), cash('20')])).toEqual([
      { methodId: 'card', amount: '10', cardLast4: '4242', approvalCode: 'A1B2' },
      { methodId: 'transfer', amount: '5', reference: 'SPEI 99' },
      { methodId: 'cash', tendered: '20' },
    ]);
  });
});
