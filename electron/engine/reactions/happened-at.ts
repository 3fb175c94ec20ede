// When what a fact records happened (the sale paid, the refund given), by the engine's clock:
// what a drawer or a display decides staleness by. Not when it was journaled: a sale the journal
// only got at the next start (a crash between PGlite and the journal) happened before that.
import type { Fact } from '#db/journal.ts';

export function happenedAt(fact: Fact): Date {
  const payload = fact.payload as { sale?: { completed_at?: unknown }; ret?: { occurred_at?: unknown } };
  const at = payload.sale?.completed_at ?? payload.ret?.occurred_at;
  const parsed = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return new Date(Number.isNaN(parsed) ? Date.parse(fact.recordedAt) : parsed);
}

/** Whether the fact happened within `ms` of now: a cashier and a customer are still at the till. */
export const happenedWithin = (fact: Fact, now: Date, ms: number) => now.getTime() - happenedAt(fact).getTime() <= ms;
