// Several tenders in one payment, as the cashier takes them: part on a card, part by transfer,
// the rest in cash. What is still owed is always known; only cash gives change; a card, a
// transfer or a credit slip may never pay more than is still owed (nor a slip more than it holds). The engine settles the same way
// (services/sales/tenders.ts) and has the last word; this is what the screen shows before it asks.
// Money stays in decimal.js and strings, never a JavaScript number.
import { Decimal } from 'decimal.js';
import { canonicalPattern, MONEY } from '../i18n/typed-number.ts';

/** TERMINAL: the register's card terminal, its charge approved through the provider (payments.startCharge). */
export type TenderKind = 'CASH' | 'CARD' | 'TERMINAL' | 'TRANSFER' | 'STORE_CREDIT' | 'GIFT_CARD';

/** A tender taken but not yet sent: cash gives `tendered` (what was handed over), the rest `amount`. */
export type PendingTender =
  | { kind: 'CASH'; methodId: string; method: string; tendered: string }
  | { kind: 'CARD'; methodId: string; method: string; amount: string; cardLast4: string; approvalCode: string }
  /** An approved charge of the register's terminal: money already taken, so it leaves the list only refunded. */
  | { kind: 'TERMINAL'; methodId: string; method: string; amount: string; chargeId: string; cardLast4: string | null }
  | { kind: 'TRANSFER'; methodId: string; method: string; amount: string; reference: string }
  /** A credit slip: `available` is what the engine said it held when the cashier looked it up. */
  | { kind: 'STORE_CREDIT'; methodId: string; method: string; amount: string; balanceCode: string; available: string }
  /** A gift card: `available` is what the engine said could be spent of it when the cashier looked it up. */
  | { kind: 'GIFT_CARD'; methodId: string; method: string; amount: string; balanceCode: string; available: string };

export type SplitProblem =
  | 'AMOUNT' // not an amount in the engine's form (the screen reads the cashier's "1.234,50" into "1234.50")
  | 'ZERO' // nothing
  | 'TOO_LARGE' // a card or a transfer for more than is still owed
  | 'NOTHING_DUE' // the sale is already paid
  | 'CARD_DETAILS' // the card's last 4 digits or the approval code missing
  | 'REFERENCE' // a transfer without its reference
  | 'BALANCE_CODE' // store credit without the slip's code
  | 'BALANCE_LOW' // more than the slip holds
  | 'SLIP_TAKEN'; // the same slip twice in one payment (the engine refuses it too)

export type SplitState = {
  /** What the sale costs. */
  total: string;
  /** Paid by the tenders taken so far (cash counted up to what was owed when it came). */
  paid: string;
  /** Still owed; zero once the tenders cover the total. */
  remaining: string;
  /** What goes back to the customer, from cash only. */
  change: string;
  /**
   * Cards and transfers beyond the total: only when the cart shrank after they were taken (the
   * cashier went back to the sale). One must be taken off; the engine refuses it as it stands.
   */
  excess: string;
  /** The tenders cover the total exactly as the engine will take them: the payment can be sent. */
  covered: boolean;
};

/** Tenders arrive in the engine's form: the pay screen has already read what the cashier typed. */
const AMOUNT = canonicalPattern(MONEY);
const fmt = (d: Decimal) => d.toFixed(2);
const tenderValue = (t: PendingTender) => new Decimal(t.kind === 'CASH' ? t.tendered : t.amount);

/**
 * Where a payment stands. Cards and transfers pay what they say; cash pays what they leave and
 * the rest is change. The order they were taken in does not matter (the engine applies cash last).
 */
export function splitState(total: string, tenders: readonly PendingTender[]): SplitState {
  const due = new Decimal(total);
  const nonCash = tenders.filter((t) => t.kind !== 'CASH').reduce((sum, t) => sum.plus(tenderValue(t)), new Decimal(0));
  const cash = tenders.filter((t) => t.kind === 'CASH').reduce((sum, t) => sum.plus(tenderValue(t)), new Decimal(0));
  const leftForCash = Decimal.max(0, due.minus(nonCash));
  const cashApplied = Decimal.min(cash, leftForCash);
  const remaining = leftForCash.minus(cashApplied);
  return {
    total: fmt(due),
    paid: fmt(nonCash.plus(cashApplied)),
    remaining: fmt(remaining),
    change: fmt(cash.minus(cashApplied)),
    excess: fmt(Decimal.max(0, nonCash.minus(due))),
    covered: remaining.isZero() && nonCash.lessThanOrEqualTo(due),
  };
}

/** Why this tender cannot be taken now, or null when it can. */
export function tenderProblem(total: string, taken: readonly PendingTender[], next: PendingTender): SplitProblem | null {
  const text = next.kind === 'CASH' ? next.tendered : next.amount;
  if (!AMOUNT.test(text)) return 'AMOUNT';
  const value = new Decimal(text);
  if (value.isZero()) return 'ZERO';
  const { remaining } = splitState(total, taken);
  if (new Decimal(remaining).isZero()) return 'NOTHING_DUE';
  if (next.kind !== 'CASH' && value.greaterThan(remaining)) return 'TOO_LARGE';
  if (next.kind === 'CARD' && (!/^\d{4}$/.test(next.cardLast4) || !/^[A-Za-z0-9]{1,12}$/.test(next.approvalCode))) return 'CARD_DETAILS';
  if (next.kind === 'TRANSFER' && !/^\S.{0,59}$/.test(next.reference.trim())) return 'REFERENCE';
  if (next.kind === 'STORE_CREDIT' || next.kind === 'GIFT_CARD') {
    const code = next.balanceCode.trim();
    if (code === '') return 'BALANCE_CODE';
    if (value.greaterThan(next.available)) return 'BALANCE_LOW';
    if (taken.some((t) => t.kind === next.kind && t.balanceCode.trim() === code)) return 'SLIP_TAKEN';
  }
  return null;
}

/**
 * The tenders with `next` taken. Cash handed over in two goes ("here is 100… and 50 more") is one
 * cash tender of the sum, as the engine takes cash once.
 */
export function takeTender(taken: readonly PendingTender[], next: PendingTender): PendingTender[] {
  const cash = taken.findIndex((t) => t.kind === 'CASH');
  if (next.kind === 'CASH' && cash >= 0) {
    const before = taken[cash] as Extract<PendingTender, { kind: 'CASH' }>;
    const merged = { ...before, tendered: new Decimal(before.tendered).plus(next.tendered).toFixed(2) };
    return taken.map((t, i) => (i === cash ? merged : t));
  }
  return [...taken, next];
}

/** The tenders as sales.complete takes them. */
export function tendersForEngine(tenders: readonly PendingTender[]) {
  return tenders.map((t) => {
    switch (t.kind) {
      case 'CASH':
        return { methodId: t.methodId, tendered: t.tendered };
      case 'CARD':
        return { methodId: t.methodId, amount: t.amount, cardLast4: t.cardLast4, approvalCode: t.approvalCode };
      case 'TERMINAL':
        return { methodId: t.methodId, chargeId: t.chargeId };
      case 'TRANSFER':
        return { methodId: t.methodId, amount: t.amount, reference: t.reference.trim() };
      case 'STORE_CREDIT':
      case 'GIFT_CARD':
        return { methodId: t.methodId, amount: t.amount, balanceCode: t.balanceCode.trim() };
      default:
        return unknownTender(t);
    }
  });
}

/** A total to two places, as a person types it ("144.9600" → "144.96"). */
export const toCents = (amount: string) => new Decimal(amount).toFixed(2);

function unknownTender(t: never): never {
  throw new Error(`a tender of an unknown kind: ${JSON.stringify(t)}`);
}
