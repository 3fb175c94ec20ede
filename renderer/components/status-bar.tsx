// Always visible: who is selling, the printer, one state for central (standalone, online, offline
// since when, needs attention) and the bell. Whether the screen reaches its engine is said only
// when it does not, and then instead of central's state, which the screen can no longer know.
import type { ScreenProps } from '../app.tsx';
import type { SyncStore } from '../stores/sync.ts';
import { NotificationsBell } from './notifications-bell.tsx';
import { SyncBadge } from './sync-badge.tsx';

export function StatusBar({ useRegister, useSync, i18n }: ScreenProps & { useSync: SyncStore }) {
  const employee = useRegister((s) => s.employee);
  const online = useRegister((s) => s.online);
  const printer = useRegister((s) => s.printer);
  const signOut = useRegister((s) => s.signOut);
  // The printer's own words first (out of paper, cover open), then whether jobs are waiting.
  const condition = (['PAPER_END', 'COVER_OPEN', 'OFFLINE', 'PAPER_NEAR_END', 'DRAWER_OPEN'] as const).find((c) =>
    printer?.conditions.includes(c),
  );
  const printerText = !printer
    ? i18n.t('status.printer.none')
    : condition
      ? i18n.t(`status.printer.${condition}`)
      : printer.lastError
        ? i18n.t('status.printer.unreachable')
        : printer.pending > 0
          ? i18n.t('status.printer.pending', { count: printer.pending })
          : i18n.t('status.printer.ok');
  return (
    <header className="status-bar">
      <strong>{i18n.t('app.title')}</strong>
      {employee ? <span>{employee.displayName}</span> : null}
      {employee ? (
        <span role="status" className={printer?.lastError || condition ? 'badge warn' : 'badge'} title={printer?.lastError ?? ''}>
          {printerText}
        </span>
      ) : null}
      {employee && !online ? (
        <span role="status" className="badge warn">
          {i18n.t('status.linkLost')}
        </span>
      ) : null}
      {employee && online ? <SyncBadge useSync={useSync} i18n={i18n} /> : null}
      {employee ? <NotificationsBell useSync={useSync} i18n={i18n} /> : null}
      {employee ? (
        <button type="button" className="quiet" onClick={() => void signOut()}>
          {i18n.t('signOut')}
        </button>
      ) : null}
    </header>
  );
}
