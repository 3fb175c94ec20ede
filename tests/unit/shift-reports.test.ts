import { describe, expect, it } from 'vitest';
import type { PrintableReport } from '#contract/report-document.ts';
import { receiptRange, shiftReportDocument } from '#engine/services/shifts/shift-report-document.ts';
import { moneyFormat } from '#contract/receipt-document.ts';
import { countLines, overCashLimit } from '#engine/services/shifts/cash-count.ts';
import { ageOf, movedTo } from '../../renderer/screens/parked-list.ts';

const DENOMINATIONS = ['1000', '500', '200', '100', '50', '20', '10', '5', '2', '1', '0.50'];

describe('the count by denomination on the Z', () => {
  it('lists each denomination counted, largest first, with what it adds up to, and leaves out the empty ones', () => {
    expect(countLines({ '0.5': 3, '20': 0, '500': 1, '100': 2 }, DENOMINATIONS)).toEqual([
      { denomination: '500', pieces: 1, amount: '500.0000' },
      { denomination: '100', pieces: 2, amount: '200.0000' },
      { denomination: '0.50', pieces: 3, amount: '1.5000' },
    ]);
  });
});

describe('the store limits on cash movements and floats', () => {
  const limits = { payIn: '2000', payOut: '1000', openingFloat: '1500' };
  it('names the limit an amount goes over, and none for an amount at the limit', () => {
    expect(overCashLimit('PAY_OUT', '1000.00', limits)).toBeNull();
    expect(overCashLimit('PAY_OUT', '1000.01', limits)).toBe('1000.0000');
    expect(overCashLimit('PAY_IN', '2000.0001', limits)).toBe('2000.0000');
    expect(overCashLimit('FLOAT', '1500.5', limits)).toBe('1500.0000');
  });
  it('puts no limit on safe drops, nor where the store set none', () => {
    expect(overCashLimit('DROP', '999999', limits)).toBeNull();
    expect(overCashLimit('PAY_OUT', '999999', { payIn: null, payOut: null, openingFloat: null })).toBeNull();
  });
});

describe('the parked list', () => {
  const now = new Date('2026-11-25T18:00:00Z');
  it('says how long a sale has waited in the largest whole unit', () => {
    expect(ageOf('2026-11-25T17:59:30Z', now)).toEqual({ unit: 'now', n: 0 });
    expect(ageOf('2026-11-25T17:12:00Z', now)).toEqual({ unit: 'minutes', n: 48 });
    expect(ageOf('2026-11-25T15:01:00Z', now)).toEqual({ unit: 'hours', n: 2 });
    expect(ageOf('2026-11-22T17:00:00Z', now)).toEqual({ unit: 'days', n: 3 });
    // A clock a little behind the engine's is not a negative age.
    expect(ageOf('2026-11-25T18:00:05Z', now)).toEqual({ unit: 'now', n: 0 });
  });
  it('moves the choice with the arrows, stopping at the ends, and jumps with Home and End', () => {
    expect(movedTo(0, 'ArrowDown', 3)).toBe(1);
    expect(movedTo(2, 'ArrowDown', 3)).toBe(2);
    expect(movedTo(0, 'ArrowUp', 3)).toBe(0);
    expect(movedTo(1, 'End', 3)).toBe(2);
    expect(movedTo(2, 'Home', 3)).toBe(0);
    expect(movedTo(0, 'Enter', 3)).toBeNull();
    expect(movedTo(0, 'ArrowDown', 0)).toBeNull();
  });
});

describe('the Z report on paper', () => {
  const report: PrintableReport = {
    shiftId: 's',
    registerId: 'r',
    businessDate: '2026-11-25',
    openedAt: '2026-11-25T15:00:00Z',
    openingFloat: '500.0000',
    sales: { count: 2, subtotal: '38.8300', discounts: '0.0000', tax: '1.1700', total: '40.0000', rounding: '0.0000' },
    tenders: [{ method: 'Efectivo', kind: 'CASH', count: 2, amount: '40.0000', refunded: '0.0000' }],
    taxes: [{ taxCode: 'IVA16', rate: '0.16', base: '7.3300', amount: '1.1700' }],
    voids: { count: 0, total: '0.0000' },
    returns: { count: 0, total: '0.0000' },
    cash: {
      sales: '40.0000',
      refunds: '0.0000',
      payIns: '0.0000',
      payOuts: '250.0000',
      drops: '0.0000',
      noSaleOpens: 0,
      expected: '290.0000',
      payInCount: 0,
      payOutCount: 1,
      dropCount: 0,
    },
    receipts: { first: 12, last: 15 },
    parked: { count: 1, total: '31.5000', oldestAt: '2026-11-25T16:00:00Z' },
    zNumber: 7,
    closedAt: '2026-11-25T23:00:00Z',
    counted: '290.0000',
    variance: '0.0000',
    countedBy: [
      { denomination: '200', pieces: 1, amount: '200.0000' },
      { denomination: '20', pieces: 2, amount: '40.0000' },
    ],
  };
  const text = (r: PrintableReport) =>
    shiftReportDocument(
      r,
      { business: 'Abarrotes', branch: 'Coyoacán', registerCode: 'CAJA-1', printedBy: 'Ángela', printedAt: '2026-11-25T23:00:00Z' },
      { paperWidth: 80, money: moneyFormat('es-MX', 'MXN'), when: (iso) => iso.slice(0, 16) },
    ).blocks.flatMap((b) => (b.type === 'row' ? [`${b.left} | ${b.right}`] : b.type === 'text' ? [b.text] : []));

  it('prints the receipt range, the movements with their counts, the count by note, and the sales left on hold', () => {
    const lines = text(report);
    expect(lines).toContain('CORTE Z No. 7');
    expect(lines).toContain('Cierre | 2026-11-25T23:00');
    expect(lines).toContain('Folios | 12 a 15');
    expect(lines).toContain('Salidas (1) | -$250.00');
    expect(lines).toContain('  1 x $200.00 | $200.00');
    expect(lines).toContain('  2 x $20.00 | $40.00');
    expect(lines).toContain('EN ESPERA (1) | $31.50');
    expect(lines).toContain('La más antigua | 2026-11-25T16:00');
    expect(lines).toContain('Siguen en espera para el siguiente turno');
  });

  it('says a shift sold nothing with a dash for the receipt range, and has nothing on hold to carry over', () => {
    const lines = text({ ...report, receipts: { first: null, last: null }, parked: { count: 0, total: '0.0000', oldestAt: null } });
    expect(lines).toContain('Folios | —');
    expect(lines).toContain('EN ESPERA (0) | $0.00');
    expect(lines.some((l) => l.startsWith('Siguen en espera'))).toBe(false);
    expect(receiptRange({ first: 4, last: 4 })).toBe('4');
  });
});
