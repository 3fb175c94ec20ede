// Sales set aside to serve the next customer: holding one, taking one up again, and cancelling
// one a customer left behind.
import type { Parked, RegisterKit, RegisterSlice } from '../register.ts';

export type ParkedSlice = {
  parked: Parked[];
  park(): Promise<void>;
  recall(saleId: string): Promise<void>;
  /** Cancels a sale on hold (a manager authorises the void); true when it is cancelled. */
  cancelParked(saleId: string, reason: string): Promise<boolean>;
};

export const createParkedSlice =
  ({ client, i18n, run }: RegisterKit): RegisterSlice<ParkedSlice> =>
  (set, get) => ({
    parked: [],

    async park() {
      const sale = get().sale;
      if (!sale?.lines.length || get().busy) return;
      // A sale partly paid (a card already charged) is finished, not set aside.
      if (get().tenders.length > 0) return set({ message: i18n.t('pay.problem.PARKED_PAID') });
      const parked = await run((o) => client.send('sales.park', { saleId: sale.id }, { override: o }));
      if (parked) set({ sale: null, notice: i18n.t('parked.done', { amount: i18n.money(parked.totals.total) }) });
    },

    async recall(saleId) {
      if (get().sale?.lines.length) {
        await get().park();
        if (get().sale) return;
      }
      const sale = await run((o) => client.send('sales.recall', { saleId }, { override: o }));
      // Taken off the list at once: the close reads the list again, but warns from this one
      // until that answer comes.
      if (sale) set({ sale, panel: 'sell', notice: null, parked: get().parked.filter((p) => p.id !== saleId) });
    },

    async cancelParked(saleId, reason) {
      if (get().busy) return false;
      if (get().sale?.lines.length) {
        await get().park();
        if (get().sale) return false;
      }
      // Taken up first, so the cancellation counts in the Z of the shift where it is done, not
      // in the closed shift that parked it.
      const sale = await run((o) => client.send('sales.recall', { saleId }, { override: o }));
      if (!sale) return false;
      const voided = await run((o) => client.send('sales.void', { saleId, reason }, { override: o }));
      // Not cancelled (no manager): the sale stays taken up, on screen, with the reason why.
      if (!voided) {
        set({ sale, panel: 'sell' });
        return false;
      }
      set({ notice: i18n.t('parked.cancelled', { amount: i18n.money(sale.totals.total) }) });
      const parked = await run((o) => client.send('sales.parked', {}, { override: o }));
      set({ parked: parked ?? [] });
      return true;
    },
  });
