// The drawer that did not open for a sale or a return paid in cash (the 'drawer.failed' event,
// which comes after the call's answer, or just before it): said on screen until the cashier
// dismisses it or the next sale starts, whatever screen they have gone on to meanwhile.
import type { DrawerFailed } from '#contract/drawer-kick.ts';
import type { RegisterKit, RegisterSlice } from '../register.ts';

export type DrawerSlice = {
  drawerFailure: DrawerFailed | null;
  dismissDrawerFailure(): void;
};

export const createDrawerSlice =
  ({ client }: RegisterKit): RegisterSlice<DrawerSlice> =>
  (set, get, store) => {
    // Every drawer.failed this screen hears is this register's: the engine serves one register.
    client.on('drawer.failed', (failure) => {
      // A sale's failure heard once the next sale is under way (a printer slow to give up) is old
      // news: the cashier has dealt with that drawer, and the alert would only push Cobrar away.
      const sale = get().sale;
      if (failure.saleId && sale && sale.id !== failure.saleId && sale.lines.length > 0) return;
      set({ drawerFailure: failure });
    });
    // A sale other than the one the drawer failed for is the next customer's: the alert goes.
    store.subscribe((now, before) => {
      if (now.drawerFailure && now.sale && now.sale.id !== before.sale?.id && now.sale.id !== now.drawerFailure.saleId)
        set({ drawerFailure: null });
    });
    return {
      drawerFailure: null,
      dismissDrawerFailure() {
        set({ drawerFailure: null });
      },
    };
  };
