// Whether cash typed as received makes sense for what is due. A customer hands over what they
// have: any amount up to the change one large banknote gives is ordinary ($500 for $8.50).
// Beyond that and beyond a multiple of what is due (the store's setting) the cashier is asked
// to confirm; beyond a ceiling for the currency nobody hands over at a counter, it is refused.
import { Decimal } from 'decimal.js';

/** The banknotes a customer hands over, by currency (Banxico, Banco de la República, BCRA). */
export const NOTES: Record<string, number[]> = {
  MXN: [20, 50, 100, 200, 500, 1000],
  COP: [2000, 5000, 10000, 20000, 50000, 100000],
  ARS: [100, 200, 500, 1000, 2000, 10000, 20000],
};

/** More cash than this in one tender is a typing slip, not a customer: a hundred of the largest banknotes. */
export function cashCeiling(currency: string): string {
  const notes = NOTES[currency] ?? NOTES.MXN!;
  return new Decimal(notes.at(-1)!).times(100).toFixed(2);
}

export type CashSense = { kind: 'ok' } | { kind: 'confirm' } | { kind: 'ceiling'; ceiling: string };

export function cashSense(tendered: string, due: string, currency: string, confirmMultiple: string): CashSense {
  const cash = new Decimal(tendered);
  const ceiling = cashCeiling(currency);
  if (cash.greaterThan(ceiling)) return { kind: 'ceiling', ceiling };
  const largest = (NOTES[currency] ?? NOTES.MXN!).at(-1)!;
  const unusual = cash.greaterThan(new Decimal(due).times(confirmMultiple)) && cash.minus(due).greaterThan(largest);
  return unusual ? { kind: 'confirm' } : { kind: 'ok' };
}
