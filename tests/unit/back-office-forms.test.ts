import { describe, expect, it } from 'vitest';
import { percentToRate, pinProblem, rateToPercent, trimZeros } from '../../renderer/screens/back-office/forms.ts';

describe("a role's maximum discount", () => {
  it('is typed as a percentage and sent as a fraction, exactly', () => {
    expect(percentToRate('30')).toBe('0.300000');
    expect(percentToRate('12.5')).toBe('0.125000');
    expect(percentToRate('100')).toBe('1.000000');
    expect(percentToRate('0')).toBe('0.000000');
  });

  it('is refused over 100 % or when it is not a number', () => {
    expect(percentToRate('101')).toBeNull();
    expect(percentToRate('treinta')).toBeNull();
    expect(percentToRate('-5')).toBeNull();
  });

  it('shows the fraction the engine keeps as a percentage', () => {
    expect(rateToPercent('0.300000')).toBe('30');
    expect(rateToPercent('0.050000')).toBe('5');
    expect(rateToPercent('0.125000')).toBe('12.5');
  });
});

describe('a PIN set in the back office', () => {
  it('is 4 to 8 digits, typed the same twice', () => {
    expect(pinProblem('4321', '4321')).toBeNull();
    expect(pinProblem('432', '432')).toBe('format');
    expect(pinProblem('12a4', '12a4')).toBe('format');
    expect(pinProblem('4321', '4312')).toBe('mismatch');
  });
});

describe('quantities on screen', () => {
  it('lose the zeros the database pads them with, and only those', () => {
    expect(trimZeros('24.5000')).toBe('24.5');
    expect(trimZeros('40.0000')).toBe('40');
    expect(trimZeros('100')).toBe('100');
  });
});
