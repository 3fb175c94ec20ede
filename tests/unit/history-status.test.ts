// Where a sale stands in the shift's history, and which receipt a typed or scanned code asks for.
import { describe, expect, it } from 'vitest';
import { historyStatus, receiptNumberAsked } from '#engine/services/sales/history-status.ts';

describe('a sale in the shift history', () => {
  it('is completed until something comes back, partly returned while units remain, returned when none do', () => {
    expect(historyStatus('COMPLETED', '3.0000', '0')).toBe('COMPLETED');
    expect(historyStatus('COMPLETED', '3.0000', '0.0000')).toBe('COMPLETED');
    expect(historyStatus('COMPLETED', '3.0000', '1.0000')).toBe('PARTLY_RETURNED');
    expect(historyStatus('COMPLETED', '1.2500', '1.2490')).toBe('PARTLY_RETURNED');
    expect(historyStatus('COMPLETED', '1.2500', '1.2500')).toBe('RETURNED');
  });

  it('stays voided whatever its lines say', () => {
    expect(historyStatus('VOIDED', '2.0000', '0')).toBe('VOIDED');
  });
});

describe('the receipt a code asks for', () => {
  it("takes a number as this register's, a barcode of this register by its number, and sets another register's apart", () => {
    expect(receiptNumberAsked({ kind: 'text', text: '12' }, '12', 'CAJA-1')).toEqual({ number: 12 });
    expect(receiptNumberAsked({ kind: 'receipt', registerCode: 'CAJA-1', number: '12' }, 'RCAJA-1-000012', 'CAJA-1')).toEqual({
      number: 12,
    });
    expect(receiptNumberAsked({ kind: 'receipt', registerCode: 'CAJA-2', number: '12' }, 'RCAJA-2-000012', 'CAJA-1')).toEqual({
      otherRegister: true,
    });
  });

  it('refuses what is neither', () => {
    expect(receiptNumberAsked({ kind: 'text', text: 'arroz' }, 'arroz', 'CAJA-1')).toBeNull();
    expect(receiptNumberAsked(null, '', 'CAJA-1')).toBeNull();
  });
});
