// What the back office's fields accept, checked in place before anything is sent: amounts and
// quantities as the person typed them (never through a floating-point number), a role's maximum
// discount as a percentage on screen and a fraction for the engine, a PIN typed twice.
import { Decimal } from 'decimal.js';

export const PRICE = /^\d{1,13}(\.\d{1,4})?$/;
export const QUANTITY = /^\d{1,6}(\.\d{1,3})?$/;
export const SIGNED_QUANTITY = /^-?\d{1,6}(\.\d{1,3})?$/;
export const PIN = /^\d{4,8}$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;

/** "30" (per cent) → "0.300000"; null when it is not a percentage from 0 to 100. */
export function percentToRate(percent: string): string | null {
  const typed = percent.trim();
  if (!PERCENT.test(typed) || new Decimal(typed).gt(100)) return null;
  return new Decimal(typed).div(100).toFixed(6);
}

/** "0.300000" → "30". */
export const rateToPercent = (rate: string) => new Decimal(rate || '0').times(100).toFixed().replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** Why two PIN entries cannot be set, or null when they can. */
export function pinProblem(pin: string, again: string): 'format' | 'mismatch' | null {
  if (!PIN.test(pin)) return 'format';
  return pin === again ? null : 'mismatch';
}

/** A decimal string without the trailing zeros numeric(19,4) adds: "24.5000" → "24.5". */
export const trimZeros = (value: string) => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);
