// Generated money for property tests. Amounts are drawn as whole numbers of minor units (an
// integer count, never a fractional JavaScript number) and written as the decimal strings the
// engine takes by string operations alone, so no float ever stands for money.
import fc from 'fast-check';

/** An integer count of 10^-places units as a decimal string: (12345, 2) -> '123.45'. */
export function scaled(units: number, places: number): string {
  if (!Number.isSafeInteger(units) || units < 0) throw new Error(`scaled: ${units} is not a whole count`);
  const digits = String(units).padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** Centavos as pesos: 12345 -> '123.45'. */
export const pesos = (centavos: number) => scaled(centavos, 2);

/** An amount from `min` to `max` centavos, as pesos. */
export const amount = (min: number, max: number) => fc.integer({ min, max }).map(pesos);

/** A quantity as the till takes it: mostly whole pieces, sometimes a weight in kg to the gram. */
export const quantity = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 48 }).map(String) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((grams) => scaled(grams, 3)) },
  );

/** A fraction in basis points as a decimal string: 1250 -> '0.1250'. */
export const fraction = (maxBasisPoints = 10_000) => fc.integer({ min: 0, max: maxBasisPoints }).map((bp) => scaled(bp, 4));

/** The engine's amounts: exactly 4 decimals, the value in whole centavos. */
export const WHOLE_CENTAVOS = /^\d+\.\d{2}00$/;
