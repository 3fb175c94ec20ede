import { describe, expect, it } from 'vitest';
import { cashCeiling, cashSense } from '../../renderer/screens/cash-sense.ts';

describe('cash received that makes sense', () => {
  it('takes a large banknote for a small sale without asking', () => {
    expect(cashSense('500.00', '8.50', 'MXN', '20')).toEqual({ kind: 'ok' });
    expect(cashSense('1000.00', '8.50', 'MXN', '20')).toEqual({ kind: 'ok' });
    expect(cashSense('100000.00', '3500.00', 'COP', '20')).toEqual({ kind: 'ok' });
  });

  it("asks before taking more than a banknote of change and the store's multiple of what is due", () => {
    expect(cashSense('2000.00', '8.50', 'MXN', '20')).toEqual({ kind: 'confirm' });
    expect(cashSense('2000.00', '8.50', 'MXN', '500')).toEqual({ kind: 'ok' });
    expect(cashSense('30000.00', '8.50', 'ARS', '20')).toEqual({ kind: 'confirm' });
  });

  it('refuses what no customer hands over: a scanned code read as pesos', () => {
    expect(cashSense('7505599000026.00', '31.50', 'MXN', '20')).toEqual({ kind: 'ceiling', ceiling: '100000.00' });
    expect(cashCeiling('COP')).toBe('10000000.00');
    expect(cashCeiling('ARS')).toBe('2000000.00');
  });

  it('keeps every figure exact: no floating point on the way', () => {
    expect(cashSense('100000.01', '0.01', 'MXN', '20')).toEqual({ kind: 'ceiling', ceiling: '100000.00' });
    expect(cashSense('100000.00', '99000.00', 'MXN', '20')).toEqual({ kind: 'ok' });
  });
});
