// What a cashier counts on when a sale is paid and an accountant when part of it comes back,
// checked over generated payments and returns. The seed is fixed, so a failure names amounts
// that replay exactly.
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { returnAmounts, type Returned, type SoldLine } from '#engine/services/sales/return-amounts.ts';
import { changeDue, CURRENCY_RULES, splitEvenly } from '#engine/services/sales/pricing.ts';
import { settleTenders, TenderError, type TenderInput, type TenderProblem } from '#engine/services/sales/tenders.ts';
import { amount, pesos, scaled, WHOLE_CENTAVOS } from '../support/money-arbitraries.ts';

fc.configureGlobal({ seed: 20261204, numRuns: 200 });

const D = Decimal;
const sum = (values: readonly string[]) => values.reduce((acc, v) => acc.plus(v), new D(0));
const CENTAVO = new D('0.01');
/** A sale's payable as the totals carry it: 4 decimals, whole centavos. */
const stored = (centavos: number) => `${pesos(centavos)}00`;

const CASH = { kind: 'CASH' as const, methodId: 'cash' };
const OTHERS = [
  { kind: 'CARD' as const, methodId: 'card' },
  { kind: 'TRANSFER' as const, methodId: 'transfer' },
  { kind: 'VOUCHER' as const, methodId: 'voucher' },
];

function problem(settle: () => unknown): TenderProblem {
  try {
    settle();
  } catch (err) {
    if (err instanceof TenderError) return err.problem;
    throw err;
  }
  throw new Error('expected the tenders to be refused');
}

/**
 * A payment split any way: some non-cash tenders, then cash for what they leave (if anything),
 * handed over with or without change to give, at any place in the list the cashier typed it.
 */
type Split = { others: { method: (typeof OTHERS)[number]; centavos: number }[]; cashDue: number; change: number; cashAt: number };
const split = (): fc.Arbitrary<Split> =>
  fc
    .record({
      others: fc.array(fc.record({ method: fc.constantFrom(...OTHERS), centavos: fc.integer({ min: 1, max: 2_000_000 }) }), {
        maxLength: 3,
      }),
      cashDue: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000_000 })),
      change: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
      cashAt: fc.nat(),
    })
    .filter((s) => s.others.length > 0 || s.cashDue > 0);

function tendersOf(s: Split) {
  const tenders: TenderInput[] = s.others.map((o) => ({ ...o.method, amount: pesos(o.centavos) }));
  if (s.cashDue > 0) tenders.splice(s.cashAt % (tenders.length + 1), 0, { ...CASH, tendered: pesos(s.cashDue + s.change) });
  const payable = s.others.reduce((acc, o) => acc + o.centavos, s.cashDue);
  return { tenders, payable: stored(payable) };
}

describe('settling a sale with any split of tenders that covers it', () => {
  it('takes exactly what is due across the tenders, and the cash only for what the others leave', () => {
    fc.assert(
      fc.property(split(), (s) => {
        const { tenders, payable } = tendersOf(s);
        const settled = settleTenders(payable, tenders, 2);
        expect(sum(settled.tenders.map((t) => t.amount)).equals(payable)).toBe(true);
        settled.tenders.forEach((t, i) => {
          expect(t.amount).toMatch(WHOLE_CENTAVOS);
          if (t.kind !== 'CASH') expect(new D(t.amount).equals(tenders[i]!.amount!)).toBe(true);
          else expect(new D(t.amount).equals(pesos(s.cashDue))).toBe(true);
        });
      }),
    );
  });

  it('gives as change what the cash handed over exceeds what was still due, never less than nothing', () => {
    fc.assert(
      fc.property(split(), (s) => {
        const { tenders, payable } = tendersOf(s);
        const settled = settleTenders(payable, tenders, 2);
        const cash = settled.tenders.find((t) => t.kind === 'CASH');
        const dueForCash = new D(payable).minus(sum(settled.tenders.filter((t) => t.kind !== 'CASH').map((t) => t.amount)));
        const expected = cash ? new D(cash.tenderedAmount!).minus(dueForCash) : new D(0);
        expect(new D(settled.change).equals(expected)).toBe(true);
        expect(new D(settled.change).isNegative()).toBe(false);
        expect(new D(settled.paid).minus(settled.change).equals(payable)).toBe(true);
        if (cash) expect(cash.changeAmount).toBe(settled.change);
      }),
    );
  });

  it('refuses to settle while anything is still due, and says exactly how much', () => {
    fc.assert(
      fc.property(split(), fc.integer({ min: 1, max: 100_000 }), (s, short) => {
        const { tenders, payable } = tendersOf({ ...s, change: 0 });
        const more = new D(payable).plus(pesos(short)).toFixed(4);
        expect(problem(() => settleTenders(more, tenders, 2))).toEqual({ code: 'TENDER_SHORT', remaining: stored(short) });
      }),
    );
  });

  it('refuses a non-cash tender for more than is still due, since it cannot give change', () => {
    fc.assert(
      fc.property(
        split(),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(...OTHERS),
        (s, due, over, method) => {
          const { tenders } = tendersOf({ ...s, cashDue: 0 });
          const payable = sum(tenders.map((t) => t.amount!))
            .plus(pesos(due))
            .toFixed(4);
          const all = [...tenders, { ...method, amount: pesos(due + over) }];
          expect(problem(() => settleTenders(payable, all, 2))).toEqual({
            code: 'TENDER_TOO_LARGE',
            index: all.length - 1,
            remaining: stored(due),
          });
        },
      ),
    );
  });
});

describe('the change the till shows while tenders are typed', () => {
  it('shows change or what is still due, never both, and they reconcile with what was paid', () => {
    fc.assert(
      fc.property(amount(0, 5_000_000), fc.array(amount(0, 2_000_000), { maxLength: 4 }), (payable, tendered) => {
        const shown = changeDue(payable, tendered);
        expect(new D(shown.paid).equals(sum(tendered))).toBe(true);
        expect(new D(shown.change).isZero() || new D(shown.remaining).isZero()).toBe(true);
        expect(new D(shown.change).isNegative() || new D(shown.remaining).isNegative()).toBe(false);
        expect(new D(shown.paid).minus(shown.change).plus(shown.remaining).equals(payable)).toBe(true);
      }),
    );
  });
});

describe('a bill split evenly between people', () => {
  it('adds up to the bill exactly, the shares a centavo apart at most and the earlier ones never smaller', () => {
    fc.assert(
      fc.property(amount(0, 5_000_000), fc.integer({ min: 1, max: 30 }), (bill, people) => {
        const shares = splitEvenly(bill, people, CURRENCY_RULES.MXN);
        expect(shares).toHaveLength(people);
        expect(sum(shares).equals(bill)).toBe(true);
        for (const share of shares) expect(share).toMatch(WHOLE_CENTAVOS);
        shares.slice(1).forEach((share, i) => {
          const gap = new D(shares[i]!).minus(share);
          expect(gap.isNegative()).toBe(false);
          expect(gap.lessThanOrEqualTo(CENTAVO)).toBe(true);
        });
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Returns

const TAX_RATES = ['0', '0.080000', '0.160000', '0.190000', '0.210000'];

/**
 * A sold line and the parts in which it comes back: its quantity in pieces or in grams, and
 * return after return of some of it, as long as any is left.
 */
const returnedInParts = () =>
  fc
    .record({
      subtotal: fc.integer({ min: 1, max: 2_000_000 }),
      taxRate: fc.constantFrom(...TAX_RATES),
      weighed: fc.boolean(),
      units: fc.integer({ min: 1, max: 60 }),
      parts: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 12 }),
    })
    .map(({ subtotal, taxRate, weighed, units, parts }) => {
      const places = weighed ? 3 : 0;
      // A weighed line is sold by the gram: 60 units of 1..25 grams, so parts can be small.
      const soldUnits = weighed ? units * 25 : units;
      const taxAmount = new D(pesos(subtotal)).times(taxRate).toDecimalPlaces(2, D.ROUND_HALF_UP);
      const sold: SoldLine = {
        quantity: scaled(soldUnits, places),
        subtotal: stored(subtotal),
        taxAmount: taxAmount.toFixed(4),
        total: new D(pesos(subtotal)).plus(taxAmount).toFixed(4),
      };
      const quantities: string[] = [];
      let left = soldUnits;
      for (const part of parts) {
        if (left === 0) break;
        const q = Math.min(part, left);
        quantities.push(scaled(q, places));
        left -= q;
      }
      return { sold, quantities };
    });

function returnAll(sold: SoldLine, quantities: readonly string[]): Returned[] {
  const done: Returned[] = [];
  for (const q of quantities) done.push(returnAmounts(sold, done, q, 2));
  return done;
}

describe('a line returned in parts', () => {
  it('never gives back more than the line was paid, nor a negative amount on any return', () => {
    fc.assert(
      fc.property(returnedInParts(), ({ sold, quantities }) => {
        const done = returnAll(sold, quantities);
        done.forEach((r, i) => {
          for (const value of [r.subtotal, r.taxAmount, r.total]) expect(value).toMatch(WHOLE_CENTAVOS);
          expect(new D(r.subtotal).plus(r.taxAmount).equals(r.total)).toBe(true);
          const soFar = done.slice(0, i + 1);
          expect(sum(soFar.map((x) => x.total)).lessThanOrEqualTo(sold.total)).toBe(true);
          expect(sum(soFar.map((x) => x.subtotal)).lessThanOrEqualTo(sold.subtotal)).toBe(true);
          expect(sum(soFar.map((x) => x.taxAmount)).lessThanOrEqualTo(sold.taxAmount)).toBe(true);
        });
      }),
    );
  });

  it('gives back for what has come back so far its share of the line, to the centavo', () => {
    fc.assert(
      fc.property(returnedInParts(), ({ sold, quantities }) => {
        const done = returnAll(sold, quantities);
        done.forEach((_, i) => {
          const soFar = done.slice(0, i + 1);
          const share = sum(soFar.map((x) => x.quantity)).dividedBy(sold.quantity);
          const exact = new D(sold.total).times(share);
          expect(
            sum(soFar.map((x) => x.total))
              .minus(exact)
              .abs()
              .lessThanOrEqualTo(CENTAVO),
          ).toBe(true);
        });
      }),
    );
  });

  it('gives back exactly what the line was paid once all of it has come back', () => {
    fc.assert(
      fc.property(returnedInParts(), ({ sold, quantities }) => {
        const done = returnAll(sold, quantities);
        if (!sum(done.map((r) => r.quantity)).equals(sold.quantity)) return;
        expect(sum(done.map((r) => r.total)).equals(sold.total)).toBe(true);
        expect(sum(done.map((r) => r.subtotal)).equals(sold.subtotal)).toBe(true);
        expect(sum(done.map((r) => r.taxAmount)).equals(sold.taxAmount)).toBe(true);
        expect(() => returnAmounts(sold, done, quantities.at(-1)!, 2)).toThrow(/only 0 of this line/);
      }),
    );
  });
});
