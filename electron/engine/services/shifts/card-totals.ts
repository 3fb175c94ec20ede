// What each integrated card terminal took in a shift, beside the per-method totals: the tenders
// that are terminal charges, per provider and terminal, and the refunds made of them. Pure: the
// rows are read in shift-report.ts, so the sums can be tried alone.
import { Decimal } from 'decimal.js';
import type { CardProvider } from '#contract/payment-vocabulary.ts';

export type CardTenderRow = { provider: CardProvider; terminalId: string; amount: string };
export type CardRefundRow = { provider: CardProvider; terminalId: string; amount: string };

export type CardTerminalTotal = { provider: CardProvider; terminalId: string; count: number; amount: string; refunded: string };

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Per provider and terminal: how many charges became tenders, their sum, and the sum refunded of
 * them, each to four places as the report's other figures. Sorted by provider, then terminal, so
 * two reads of one shift print alike. A terminal with refunds only (a charge of an earlier shift
 * given back in this one) is listed with a count of nought.
 */
export function cardTerminalTotals(tenders: readonly CardTenderRow[], refunds: readonly CardRefundRow[]): CardTerminalTotal[] {
  const byTerminal = new Map<string, { provider: CardProvider; terminalId: string; count: number; amount: Decimal; refunded: Decimal }>();
  const entry = (provider: CardProvider, terminalId: string) => {
    const key = `${provider}\u0000${terminalId}`;
    let found = byTerminal.get(key);
    if (!found) byTerminal.set(key, (found = { provider, terminalId, count: 0, amount: new Decimal(0), refunded: new Decimal(0) }));
    return found;
  };
  for (const t of tenders) {
    const e = entry(t.provider, t.terminalId);
    e.count++;
    e.amount = e.amount.plus(t.amount);
  }
  for (const r of refunds) {
    const e = entry(r.provider, r.terminalId);
    e.refunded = e.refunded.plus(r.amount);
  }
  return [...byTerminal.values()]
    .sort((a, b) => compare(a.provider, b.provider) || compare(a.terminalId, b.terminalId))
    .map((e) => ({
      provider: e.provider,
      terminalId: e.terminalId,
      count: e.count,
      amount: e.amount.toFixed(4),
      refunded: e.refunded.toFixed(4),
    }));
}
