// The customer sees what they paid and their change as soon as the sale is on record: on the
// pole display and on a customer-facing window alike (the 'customer.view' event). A sale that
// is no longer fresh when it is reached (after a restart) is shown to nobody.
import type { Fact } from '#db/journal.ts';
import type { EngineContainer } from '../container.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import type { Reaction } from './fact-reactions.ts';
import { happenedWithin } from './happened-at.ts';

export const CUSTOMER_DISPLAY = 'customer-display';
const PAID_FRESH_MS = 10_000;

export function customerDisplayReaction(services: EngineContainer): Reaction {
  return {
    name: CUSTOMER_DISPLAY,
    purpose: 'mostrar el cambio al cliente',
    kinds: [SALE_COMPLETED],
    async handle(fact: Fact) {
      if (!happenedWithin(fact, services.now(), PAID_FRESH_MS)) return;
      const sale = (fact.payload as CompletedSaleFact).sale;
      services.events.emit('customer.view', {
        kind: 'paid',
        total: String(sale.total),
        paid: String(sale.paid_total),
        change: String(sale.change_total),
        currency: String(sale.currency),
      });
    },
  };
}
