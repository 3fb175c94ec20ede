// The paper a fact calls for: a completed sale's receipt, a return's, the Z report of a closed
// shift. Each is kept as a print job once per fact, in the transaction that moves this
// reaction's cursor, and comes out after the drawer has opened for it.
import type { Fact } from '#db/journal.ts';
import type { EngineContainer } from '../container.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { queueReturnReceipt } from '../services/sales/return-receipt.ts';
import { RETURN_RECORDED, type ReturnFact } from '../services/sales/returns.ts';
import { queueSaleReceipt } from '../services/sales/sale-receipt.ts';
import { SHIFT_CLOSED, type ShiftFact } from '../services/shifts/shift-facts.ts';
import { queueZReport } from '../services/shifts/shift-report-print.ts';
import type { Handled, Reaction } from './fact-reactions.ts';
import { CASH_DRAWER } from './cash-drawer.ts';

export const RECEIPTS = 'receipts';

export function receiptsReaction(services: EngineContainer): Reaction {
  return {
    name: RECEIPTS,
    purpose: 'preparar los tickets y cortes para imprimir',
    kinds: [SALE_COMPLETED, RETURN_RECORDED, SHIFT_CLOSED],
    // The change is due before the paper: the drawer's pulse goes first in the printer's lane.
    after: CASH_DRAWER,
    async handle(fact: Fact, handled: Handled) {
      switch (fact.kind) {
        case SALE_COMPLETED:
          return queueSaleReceipt(services, fact.payload as CompletedSaleFact, handled);
        case RETURN_RECORDED:
          return queueReturnReceipt(services, fact.payload as ReturnFact, handled);
        case SHIFT_CLOSED:
          return queueZReport(services, (fact.payload as ShiftFact).shift, handled);
      }
    },
  };
}
