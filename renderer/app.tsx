// Which screen shows follows from the register's state alone: nobody signed in, no shift, a
// sale (and paying it), or the receipt of the one just paid. The status bar is always there.
import { useEffect } from 'react';
import type { I18n } from './i18n/index.ts';
import { MENU } from './menu.ts';
import type { RegisterStore } from './stores/register.ts';
import { OpenShiftScreen } from './screens/open-shift.tsx';
import { PayScreen } from './screens/pay.tsx';
import { ReceiptScreen } from './screens/receipt.tsx';
import { SellScreen } from './screens/sell.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { StatusBar } from './components/status-bar.tsx';
import { ApprovalDialog } from './components/approval-dialog.tsx';
import { DiscountDialog } from './components/discount-dialog.tsx';
import { CashMovementScreen } from './screens/cash-movement.tsx';
import { CloseShiftScreen } from './screens/close-shift.tsx';
import { ReturnsScreen } from './screens/returns.tsx';
import { ParkedScreen } from './screens/parked.tsx';
import { DevicesScreen } from './screens/devices.tsx';
import { BackOfficeScreen } from './screens/back-office/back-office.tsx';
import { mayOpenBackOffice, type BackOfficeStore } from './stores/back-office.ts';
import type { SyncStore } from './stores/sync.ts';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { ScanNotice } from './components/scan-notice.tsx';
import { DrawerAlert } from './components/drawer-alert.tsx';
import { UncertainPrintsDialog } from './components/uncertain-prints-dialog.tsx';
import { useScanGuard } from './scan/use-scan-guard.ts';
import { HistoryScreen } from './screens/history.tsx';

export type ScreenProps = { useRegister: RegisterStore; i18n: I18n };

export function App({ useRegister, useBackOffice, useSync, i18n }: ScreenProps & { useBackOffice: BackOfficeStore; useSync: SyncStore }) {
  const token = useRegister((s) => s.token);
  const shift = useRegister((s) => s.shift);
  const ready = useRegister((s) => s.ready);
  const paying = useRegister((s) => s.paying);
  const receipt = useRegister((s) => s.receipt);
  const panel = useRegister((s) => s.panel);
  const closed = useRegister((s) => s.closed);
  const permissions = useRegister((s) => s.permissions);
  useEffect(() => {
    void useRegister.getState().loadStaff();
  }, [useRegister]);
  useScanGuard(useRegister);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const state = useRegister.getState();
      if (state.discounting && !state.approval && e.key === 'Escape') {
        state.startDiscount(null);
        return;
      }
      // A line's dialog or the employee switch has the keyboard until it closes (Esc closes it, not the panel).
      const busyElsewhere =
        state.paying || state.approval || state.discounting || state.editing || state.switching || state.receipt || state.closed;
      // The back office needs no shift: an owner or manager opens it from the opening-float screen too.
      if (
        e.ctrlKey &&
        !e.altKey &&
        !e.metaKey &&
        e.key.toUpperCase() === 'B' &&
        state.token &&
        state.ready &&
        !busyElsewhere &&
        mayOpenBackOffice(state.permissions)
      ) {
        e.preventDefault();
        state.show('backOffice');
        return;
      }
      if (
        !state.token ||
        !state.shift ||
        state.paying ||
        state.approval ||
        state.discounting ||
        state.editing ||
        state.switching ||
        state.receipt ||
        state.closed
      )
        return;
      const pressed = e.ctrlKey && !e.altKey && !e.metaKey ? `Ctrl+${e.key.toUpperCase()}` : e.key;
      const item = MENU.find((m) => m.key === pressed && (!('permission' in m) || state.permissions.includes(m.permission)));
      if (e.key === 'F6') {
        e.preventDefault();
        void state.park();
      } else if (item) {
        e.preventDefault();
        state.show(item.panel);
      } else if (e.key === 'Escape' && state.panel !== 'sell') {
        state.show('sell');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useRegister]);
  const props = { useRegister, i18n };
  let screen;
  if (!token) screen = <SignInScreen {...props} />;
  else if (closed) screen = <CloseShiftScreen {...props} />;
  else if (!ready)
    screen = (
      <p className="panel" role="status">
        {i18n.t('session.loading')}
      </p>
    );
  else if (panel === 'backOffice' && mayOpenBackOffice(permissions)) screen = <BackOfficeScreen {...props} useBackOffice={useBackOffice} />;
  else if (!shift) screen = <OpenShiftScreen {...props} />;
  else if (receipt) screen = <ReceiptScreen {...props} useSync={useSync} />;
  else if (panel === 'devices') screen = <DevicesScreen {...props} />;
  else if (panel === 'parked') screen = <ParkedScreen {...props} />;
  else if (panel === 'returns') screen = <ReturnsScreen {...props} />;
  else if (panel === 'cash') screen = <CashMovementScreen {...props} />;
  else if (panel === 'close') screen = <CloseShiftScreen {...props} />;
  else if (panel === 'history') screen = <HistoryScreen {...props} />;
  else screen = <SellScreen {...props} />;
  return (
    <ErrorBoundary i18n={i18n}>
      <div className="app">
        <StatusBar {...props} useSync={useSync} />
        {token ? <DrawerAlert {...props} /> : null}
        <main className="screen">{screen}</main>
        {token && shift && paying && !receipt ? <PayScreen {...props} /> : null}
        <DiscountDialog {...props} />
        <UncertainPrintsDialog {...props} />
        <ApprovalDialog {...props} />
        <ScanNotice {...props} />
      </div>
    </ErrorBoundary>
  );
}
