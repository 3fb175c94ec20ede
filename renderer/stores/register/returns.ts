// A return: the sale found by its receipt, and the items given back with the refund's method.
import type { RegisterKit, RegisterSlice, ReturnDone, Returnable } from '../register.ts';
import { key } from './calls.ts';

export type ReturnsSlice = {
  returnable: Returnable | null;
  returned: ReturnDone | null;
  lookUpReturn(code: string): Promise<void>;
  createReturn(
    lines: { saleItemId: string; quantity: string }[],
    refundMethodId: string,
    reason: string,
    reference?: string,
  ): Promise<void>;
};

export const createReturnsSlice =
  ({ client, run }: RegisterKit): RegisterSlice<ReturnsSlice> =>
  (set, get) => ({
    returnable: null,
    returned: null,

    async lookUpReturn(code) {
      const returnable = await run((o) => client.send('returns.lookup', { code: code.trim() }, { override: o }));
      set({ returnable, returned: null });
    },

    async createReturn(lines, refundMethodId, reason, reference) {
      const returnable = get().returnable;
      if (!returnable || get().busy) return;
      const idempotencyKey = key('return');
      const input = { saleId: returnable.saleId, lines, refundMethodId, reason, idempotencyKey, ...(reference ? { reference } : {}) };
      const returned = await run((o) => client.send('returns.create', input, { override: o }));
      if (returned) set({ returned, returnable: null });
    },
  });
