// Always visible: who is selling, whether the register reaches its engine, central (with what
// waits to go up) and the printer, and the bell.
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
  const condition = (['PAPER_END', 'COVER_OPEN', 'OFFLINE', 'PAPER_NEAR_END', 'DRAWER_OPEN'] as const).find((c) => printer?.conditions.includes(c));
  const printerText = !printer ? i18n.t('status.printer.none')
    : condition ? i18n.t(`status.printer.${condition}`)
    : printer.lastError ? i18n.t('status.printer.unreachable')
    : printer.pending > 0 ? i18n.t('status.printer.pending', { count: printer.pending }) : i18n.t('status.printer.ok');
  return (
    <header className="status-bar">
      <strong>{i18n.t('app.title')}</strong>
      {employee ? <span>{employee.displayName}</span> : null}
      <span role="status" aria-label={online ? i18n.t('status.online') : i18n.t('status.offline')} className={online ? 'badge ok' : 'badge warn'}>
        {online ? i18n.t('status.online') : i18n.t('status.offline')}
      </span>
      {employee ? <span role="status" className={printer?.lastError || condition ? 'badge warn' : 'badge'} title={printer?.lastError ?? ''}>{printerText}</span> : null}
      {employee ? <SyncBadge useSync={useSync} i18n={i18n} /> : null}
      {employee ? <NotificationsBell useSync={useSync} i18n={i18n} /> : null}
      {employee ? <button type="button" className="quiet" onClick={() => void signOut()}>{i18n.t('signOut')}</button> : null}
    </header>
  );
}
