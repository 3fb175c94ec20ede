// A shift's card-terminal tenders set against the providers' own lists. Pure: the tenders, the
// providers' answers and what else we know of their payments are read in reconcile-cards.ts.
//
// A payment is the same on both sides by the provider's payment id (what the tender keeps), or
// failing that by the provider's charge reference. Amounts are compared net of refunds: ours of
// the refunds recorded against the tender, theirs of what the provider says it gave back. What
// only the provider has counts as unknown to us only on a terminal this shift used (the account
// may have other registers' terminals), only within the shift's span (the provider was asked a
// little around it, for clocks that differ), and never when it is another shift's tender.
import { Decimal } from 'decimal.js';
import type { ProviderReconciliation, ReconciledPayment, TerminalReconciliation } from '#contract/card-reconciliation.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import type { ProviderPayment } from '#engine/payments/card-terminals/card-terminal.ts';

export type OurCardTender = {
  provider: CardProvider;
  terminalId: string;
  saleId: string;
  /** The provider's payment id, when the tender kept it. */
  paymentId: string | null;
  /** The provider's charge reference. */
  reference: string | null;
  amount: string;
  /** Refunded against this tender so far. */
  refunded: string;
};

export type ProviderList =
  | { provider: CardProvider; payments: readonly ProviderPayment[] }
  | { provider: CardProvider; failure: string; message: string };

export type ReconcileInput = {
  ours: readonly OurCardTender[];
  lists: readonly ProviderList[];
  /** The shift's own span: unknown payments outside it are another shift's business. */
  span: { from: Date; to: Date };
  /** Terminals the shift used besides those of its tenders: the register's own. */
  terminals: readonly { provider: CardProvider; terminalId: string }[];
  /** Provider payment ids that are tenders of other shifts. */
  tenderedElsewhere: ReadonlySet<string>;
  /** Provider payment id → our approved charge that never became a tender. */
  untendered: ReadonlyMap<string, string>;
};

const two = (d: Decimal) => d.toFixed(2);
const net = (amount: string, refunded: string) => new Decimal(amount).minus(refunded);
const sum = (entries: readonly ReconciledPayment[], side: 'ours' | 'theirs') =>
  entries.reduce((s, e) => s.plus(e[side] ?? '0'), new Decimal(0));

export function reconcileCards(input: ReconcileInput): ProviderReconciliation[] {
  const providers = [...new Set([...input.lists.map((l) => l.provider)])].sort();
  return providers.map((provider) => {
    const list = input.lists.find((l) => l.provider === provider)!;
    const ours = input.ours.filter((t) => t.provider === provider);
    const terminalIds = [
      ...new Set([...ours.map((t) => t.terminalId), ...input.terminals.filter((t) => t.provider === provider).map((t) => t.terminalId)]),
    ].sort();
    const oursOf = (terminalId: string) => ours.filter((t) => t.terminalId === terminalId);
    const oursTotal = (terminalId: string) => {
      const mine = oursOf(terminalId);
      return { count: mine.length, amount: two(mine.reduce((s, t) => s.plus(net(t.amount, t.refunded)), new Decimal(0))) };
    };

    if ('failure' in list) {
      const terminals: TerminalReconciliation[] = terminalIds.map((terminalId) => ({
        terminalId,
        status: 'UNCHECKED',
        ours: oursTotal(terminalId),
        theirs: null,
        matched: [],
        differing: [],
        missingAtProvider: [],
        unknownToUs: [],
      }));
      return {
        provider,
        reachable: false,
        failure: list.failure,
        message: list.message,
        terminals,
        unattributed: { count: 0, amount: '0.00' },
      };
    }

    const byId = new Map(list.payments.map((p) => [p.id, p]));
    const byReference = new Map(list.payments.filter((p) => p.reference).map((p) => [p.reference!, p]));
    const claimed = new Set<string>();
    const results = new Map<string, TerminalReconciliation>();
    for (const terminalId of terminalIds) {
      results.set(terminalId, {
        terminalId,
        status: 'BALANCED',
        ours: oursTotal(terminalId),
        theirs: { count: 0, amount: '0.00' },
        matched: [],
        differing: [],
        missingAtProvider: [],
        unknownToUs: [],
      });
    }

    for (const tender of ours) {
      const theirs =
        (tender.paymentId ? byId.get(tender.paymentId) : undefined) ?? (tender.reference ? byReference.get(tender.reference) : undefined);
      const result = results.get(tender.terminalId)!;
      const mine = two(net(tender.amount, tender.refunded));
      const entry: ReconciledPayment = {
        paymentId: theirs?.id ?? tender.paymentId ?? tender.reference ?? '',
        reference: tender.reference ?? theirs?.reference ?? null,
        saleId: tender.saleId,
        chargeId: null,
        ours: mine,
        theirs: theirs ? two(net(theirs.amount, theirs.refunded)) : null,
        at: theirs?.createdAt ?? null,
      };
      if (!theirs) result.missingAtProvider.push(entry);
      else {
        claimed.add(theirs.id);
        (new Decimal(entry.theirs!).eq(mine) ? result.matched : result.differing).push(entry);
      }
    }

    let unattributed = { count: 0, amount: new Decimal(0) };
    const from = input.span.from.getTime();
    const to = input.span.to.getTime();
    for (const payment of list.payments) {
      if (claimed.has(payment.id) || input.tenderedElsewhere.has(payment.id)) continue;
      const at = Date.parse(payment.createdAt);
      if (at < from || at >= to) continue;
      const theirs = net(payment.amount, payment.refunded);
      if (payment.terminalId === null) {
        unattributed = { count: unattributed.count + 1, amount: unattributed.amount.plus(theirs) };
        continue;
      }
      const result = results.get(payment.terminalId);
      if (!result) continue;
      result.unknownToUs.push({
        paymentId: payment.id,
        reference: payment.reference,
        saleId: null,
        chargeId: input.untendered.get(payment.id) ?? null,
        ours: null,
        theirs: two(theirs),
        at: payment.createdAt,
      });
    }

    for (const result of results.values()) {
      const theirsEntries = [...result.matched, ...result.differing, ...result.unknownToUs];
      result.theirs = { count: theirsEntries.length, amount: two(sum(theirsEntries, 'theirs')) };
      const off = result.differing.length + result.missingAtProvider.length + result.unknownToUs.length;
      result.status = off === 0 ? 'BALANCED' : 'DIFFERENT';
    }
    return {
      provider,
      reachable: true,
      failure: null,
      message: null,
      terminals: [...results.values()],
      unattributed: { count: unattributed.count, amount: two(unattributed.amount) },
    };
  });
}
