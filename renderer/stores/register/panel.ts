// The side task on screen beside the sale (returns, cash, the close, a search, the category
// grid, the devices, the history, the back office) and the short confirmation shown on it.
import type { Panel, RegisterKit, RegisterSlice } from '../register.ts';

export type PanelSlice = {
  panel: Panel;
  /** A short confirmation on the panel in use (saved, sent). */
  notice: string | null;
  show(panel: Panel): void;
};

export const createPanelSlice =
  ({ client, run }: RegisterKit): RegisterSlice<PanelSlice> =>
  (set, get) => ({
    panel: 'sell',
    notice: null,

    show(panel) {
      if (get().sale?.lines.length && panel === 'close') return;
      set({
        panel,
        message: null,
        notice: null,
        returnable: null,
        returned: null,
        hits: [],
        weighing: null,
        browsing: null,
        editing: null,
      });
      if (panel === 'devices') void get().loadDevices();
      if (panel === 'browse') void get().loadCategories();
      // The close warns about sales still on hold, so it reads them too.
      if (panel === 'parked' || panel === 'close') {
        void run((o) => client.send('sales.parked', {}, { override: o })).then((parked) => set({ parked: parked ?? [] }));
      }
    },
  });
