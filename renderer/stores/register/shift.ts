// The cashier's shift: opened with a float, cash paid in and out, the X report on the way, and
// the close with its count (the Z), after which the day is done.
import type { CardReconciliation } from '#contract/card-reconciliation.ts';
import type { RegisterKit, RegisterSlice, Shift, ShiftClosed, XReport } from '../register.ts';
import { key } from './calls.ts';

export type ShiftSlice = {
  shift: Shift | null;
  closed: ShiftClosed | null;
  openShift(openingFloat: string): Promise<void>;
  moveCash(kind: 'PAY_IN' | 'PAY_OUT', amount: string, reason: string): Promise<boolean>;
  /** Prints the X report where there is a printer, and answers it to show on screen either way. */
  printXReport(): Promise<XReport | null>;
  /** The shift's card-terminal tenders against each provider's list: a manager's, asked for by PIN when the cashier is not one. */
  reconcileCards(): Promise<CardReconciliation | null>;
  closeShift(count: Record<string, number>): Promise<void>;
  finishDay(): Promise<void>;
};

export const createShiftSlice =
  ({ client, run }: RegisterKit): RegisterSlice<ShiftSlice> =>
  (set, get) => ({
    shift: null,
    closed: null,

    async openShift(openingFloat) {
      const opened = await run((o) => client.send('shifts.open', { idempotencyKey: key('shift'), openingFloat }, { override: o }));
      if (!opened) return;
      set({ shift: await run((o) => client.send('shifts.current', {}, { override: o })) });
    },

    async moveCash(kind, amount, reason) {
      const idempotencyKey = key('cash');
      return (await run((o) => client.send('shifts.cashMovement', { kind, amount, reason, idempotencyKey }, { override: o }))) !== null;
    },

    async printXReport() {
      return run((o) => client.send('shifts.printXReport', {}, { override: o }));
    },

    async reconcileCards() {
      return run((o) => client.send('shifts.reconcileCards', {}, { override: o }));
    },

    async closeShift(count) {
      if (get().busy) return;
      const idempotencyKey = key('close');
      const closed = await run((o) => client.send('shifts.close', { idempotencyKey, count }, { override: o }));
      if (closed) set({ closed });
    },

    async finishDay() {
      set({ closed: null, panel: 'sell' });
      await get().signOut();
    },
  });
