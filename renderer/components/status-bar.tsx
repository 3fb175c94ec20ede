// Always visible: who is selling, the printer, one state for central (standalone, online, offline
// since when, needs attention) and the bell. Whether the screen reaches its engine is said only
// when it does not, and then instead of central's state, which the screen can no longer know.
// The printer's badge follows its 'printer.queue' events; when it is not ready the badge is a
// button that tries it again, and receipts whose printing is unknown are asked about beside it
// (the question's dialog is the app's, over every screen: uncertain-prints-dialog.tsx).
// Alt+I does the more pressing of the two from anywhere the keyboard is not held by a dialog.
import { useEffect } from 'react';
import type { ScreenProps } from '../app.tsx';
import type { SyncStore } from '../stores/sync.ts';
import { NotificationsBell } from './notifications-bell.tsx';
import { printerBadge, uncertainQuestion } from './printer-words.ts';
import { SyncBadge } from './sync-badge.tsx';

/** The printer's key: a chord no scanner sends and no screen uses (I for impresora). */
export const PRINTER_KEY = 'Alt+I';

export function StatusBar({ useRegister, useSync, i18n }: ScreenProps & { useSync: SyncStore }) {
  const employee = useRegister((s) => s.employee);
  const online = useRegister((s) => s.online);
  const signOut = useRegister((s) => s.signOut);
  return (
    <header className="status-bar">
      <strong>{i18n.t('app.title')}</strong>
      {employee ? <span>{employee.displayName}</span> : null}
      {employee ? <PrinterStatus useRegister={useRegister} i18n={i18n} /> : null}
      {employee && !online ? (
        <span role="status" className="badge warn">
          {i18n.t('status.linkLost')}
        </span>
      ) : null}
      {employee && online ? <SyncBadge useSync={useSync} i18n={i18n} /> : null}
      {employee ? (
        // Together at the end, on the next line with each other when the bar is too full for one.
        <span className="status-end">
          <NotificationsBell useSync={useSync} i18n={i18n} />
          <button type="button" className="quiet" onClick={() => void signOut()}>
            {i18n.t('signOut')}
          </button>
        </span>
      ) : null}
    </header>
  );
}

function PrinterStatus({ useRegister, i18n }: ScreenProps) {
  const printer = useRegister((s) => s.printer);
  const retrying = useRegister((s) => s.printerRetrying);
  const { retryPrinter, openPrintCheck } = useRegister.getState();
  const badge = printerBadge(i18n, printer);
  const question = uncertainQuestion(i18n, printer?.uncertain ?? 0);
  const keyAsks = question !== null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.key.toLowerCase() !== 'i') return;
      const s = useRegister.getState();
      if (!s.token || s.approval || s.printCheckOpen) return;
      const p = s.printer;
      if ((p?.uncertain ?? 0) > 0) {
        e.preventDefault();
        void s.openPrintCheck();
      } else if (printerBadge(i18n, p).retry) {
        e.preventDefault();
        void s.retryPrinter();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useRegister, i18n]);
  const words = (
    <>
      <PrinterIcon />
      <span className="printer-word">{retrying ? i18n.t('status.printer.retrying') : badge.text}</span>
      {badge.waiting ? <span className="printer-waiting">{badge.waiting}</span> : null}
    </>
  );
  return (
    <>
      {/* One live region: the badge's words are read out when they change. */}
      <span role="status" className="printer-status">
        {badge.retry ? (
          <button
            type="button"
            className={`badge printer-badge ${badge.tone}`}
            title={keyAsks ? i18n.t('status.printer.retry') : `${i18n.t('status.printer.retry')} (${PRINTER_KEY})`}
            aria-keyshortcuts={keyAsks ? undefined : PRINTER_KEY}
            onClick={() => void retryPrinter()}
          >
            {words}
            {/* Its key in the tooltip: the bar has no room for one more hint on a 1024 px screen. */}
            <span className="printer-retry">{i18n.t('status.printer.retry')}</span>
          </button>
        ) : (
          <span className={`badge printer-badge ${badge.tone}`}>{words}</span>
        )}
      </span>
      {question ? (
        <button
          type="button"
          className="badge printer-badge printer-question warn"
          aria-haspopup="dialog"
          aria-keyshortcuts={PRINTER_KEY}
          onClick={() => void openPrintCheck()}
        >
          {question}
          <kbd>{PRINTER_KEY}</kbd>
        </button>
      ) : null}
    </>
  );
}

function PrinterIcon() {
  return (
    <svg className="printer-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M7 3h10v4H7V3Zm-2 5h14a3 3 0 0 1 3 3v6h-4v4H6v-4H2v-6a3 3 0 0 1 3-3Zm3 8v3h8v-3H8Zm10-5.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z"
      />
    </svg>
  );
}
