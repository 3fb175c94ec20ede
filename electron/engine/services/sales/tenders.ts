// How the tenders a cashier took settle a sale: what each pays, the change from cash, and
// every way that can be wrong. Pure.
import { Decimal } from 'decimal.js';
import type { TENDER_KINDS } from '#db/schema/payments.ts';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export type TenderKind = (typeof TENDER_KINDS)[number];

/** Cash gives `tendered` (what the customer handed over); every other tender gives `amount`. */
export type TenderInput = {
  kind: TenderKind;
  methodId: string;
  amount?: string;
  tendered?: string;
};

export type SettledTender = TenderInput & { amount: string; tenderedAmount: string | null; changeAmount: string | null };

export type Settlement = { tenders: SettledTender[]; paid: string; change: string };

export type TenderProblem =
  | { code: 'TENDER_SHORT'; remaining: string }
  | { code: 'TENDER_TOO_LARGE'; index: number; remaining: string }
  | { code: 'TENDER_INVALID'; index: number; reason: string };

export class TenderError extends Error {
  override name = 'TenderError';
  constructor(
    readonly problem: TenderProblem,
    message: string,
  ) {
    super(message);
  }
}

const fmt = (d: Decimal) => (d.isZero() ? '0.0000' : d.toFixed(4));

/**
 * Non-cash tenders pay exactly what they say and may not exceed what is still due (a card
 * gives no change); cash goes last, pays what is left and gives the rest back as change.
 */
export function settleTenders(payable: string, tenders: readonly TenderInput[], minorUnits: number): Settlement {
  if (tenders.length === 0) throw new TenderError({ code: 'TENDER_SHORT', remaining: fmt(new D(payable)) }, 'no tender was given');
  let remaining = new D(payable);
  const cashIndexes = tenders.flatMap((t, i) => (t.kind === 'CASH' ? [i] : []));
  if (cashIndexes.length > 1) {
    throw new TenderError(
      { code: 'TENDER_INVALID', index: cashIndexes[1]!, reason: 'ONE_CASH' },
      'take cash once: enter everything the customer handed over',
    );
  }
  const settled: SettledTender[] = new Array(tenders.length);
  const amountOf = (value: string | undefined, index: number, field: string) => {
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) {
      throw new TenderError(
        { code: 'TENDER_INVALID', index, reason: 'AMOUNT' },
        `tender ${index + 1}: ${field} must be an amount such as 100.00`,
      );
    }
    const d = new D(value);
    if (d.decimalPlaces() > minorUnits) {
      throw new TenderError(
        { code: 'TENDER_INVALID', index, reason: 'AMOUNT' },
        `tender ${index + 1}: ${field} has more than ${minorUnits} decimals`,
      );
    }
    if (d.isZero())
      throw new TenderError({ code: 'TENDER_INVALID', index, reason: 'ZERO' }, `tender ${index + 1}: ${field} must be more than zero`);
    return d;
  };
  tenders.forEach((t, i) => {
    if (t.kind === 'CASH') return;
    const amount = amountOf(t.amount, i, 'amount');
    if (amount.greaterThan(remaining)) {
      throw new TenderError(
        { code: 'TENDER_TOO_LARGE', index: i, remaining: fmt(remaining) },
        `tender ${i + 1} pays ${amount.toFixed(2)} but only ${remaining.toFixed(2)} is due; only cash gives change`,
      );
    }
    remaining = remaining.minus(amount);
    settled[i] = { ...t, amount: fmt(amount), tenderedAmount: null, changeAmount: null };
  });
  let change = new D(0);
  for (const i of cashIndexes) {
    const t = tenders[i]!;
    const tendered = amountOf(t.tendered, i, 'tendered');
    if (remaining.isZero()) {
      throw new TenderError({ code: 'TENDER_INVALID', index: i, reason: 'NOTHING_DUE' }, 'the other tenders already pay the whole sale');
    }
    const applied = Decimal.min(tendered, remaining);
    change = tendered.minus(applied);
    remaining = remaining.minus(applied);
    settled[i] = { ...t, amount: fmt(applied), tenderedAmount: fmt(tendered), changeAmount: fmt(change) };
  }
  if (remaining.greaterThan(0)) {
    throw new TenderError({ code: 'TENDER_SHORT', remaining: fmt(remaining) }, `${remaining.toFixed(2)} is still due`);
  }
  const paid = settled.reduce((acc, t) => acc.plus(t.tenderedAmount ?? t.amount), new D(0));
  return { tenders: settled, paid: fmt(paid), change: fmt(change) };
}
