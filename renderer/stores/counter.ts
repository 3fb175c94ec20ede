// Which of the counter's dialogs is open over the sell screen: cancelling the whole sale, an
// open-price item, a gift card sold, or opening the drawer without a sale. One at a time; the calls themselves go
// through the register's store (its errors, its manager approvals).
import { create } from 'zustand';

export type CounterDialog = 'cancel' | 'openPrice' | 'noSale' | 'giftCard';

export type Counter = {
  dialog: CounterDialog | null;
  open(dialog: CounterDialog): void;
  close(): void;
};

export const useCounter = create<Counter>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
