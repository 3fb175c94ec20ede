// What the back office's fields accept, checked in place before anything is sent: a role's maximum
// discount as a percentage on screen and a fraction for the engine, a PIN typed twice. Amounts and
// quantities typed in the manager's locale are read by i18n/number-fields.ts (never through a
// floating-point number); what comes here is already in the engine's form.
import { Decimal } from 'decimal.js';

export const PIN = /^\d{4,8}$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;

/** "30" (per cent, the engine's form) → "0.300000"; null when it is not a percentage from 0 to 100. */
export function percentToRate(percent: string): string | null {
  const typed = percent.trim();
  if (!PERCENT.test(typed) || new Decimal(typed).gt(100)) return null;
  return new Decimal(typed).div(100).toFixed(6);
}

/** "0.300000" → "30". */
export const rateToPercent = (rate: string) =>
  new Decimal(rate || '0')
    .times(100)
    .toFixed()
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

/** Why two PIN entries cannot be set, or null when they can. */
export function pinProblem(pin: string, again: string): 'format' | 'mismatch' | null {
  if (!PIN.test(pin)) return 'format';
  return pin === again ? null : 'mismatch';
}

/** A decimal string without the trailing zeros numeric(19,4) adds: "24.5000" → "24.5". */
export const trimZeros = (value: string) => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);
