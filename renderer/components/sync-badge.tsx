// Always visible once someone is signed in: whether this register reaches central, how many
// records wait to go up and since when, and why not when it cannot.
import type { I18n } from '../i18n/index.ts';
import type { SyncStore } from '../stores/sync.ts';

export function SyncBadge({ useSync, i18n }: { useSync: SyncStore; i18n: I18n }) {
  const status = useSync((s) => s.status);
  if (!status) return null;
  if (!status.configured)
    return (
      <span role="status" className="badge">
        {i18n.t('sync.standalone')}
      </span>
    );
  // Facts central refused, or a pass that failed while central answered (a lock held past
  // lock_timeout), need a person as much as a blocked setup does: the same words, and why below.
  const words = status.state === 'attention' ? 'blocked' : status.state;
  const text = [
    status.state === 'offline' && status.failingSince
      ? i18n.t('sync.offlineSince', { when: i18n.dateTime(status.failingSince) })
      : i18n.t(`sync.${words}`),
    status.pending > 0 ? i18n.t('sync.pending', { count: status.pending }) : i18n.t('sync.upToDate'),
    status.quarantined.length > 0 ? i18n.t('sync.quarantined', { count: status.quarantined.length }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // The details a manager needs, on hover and for assistive technology; the badge stays one line.
  const details = [
    text,
    status.pending > 0 && status.oldestPendingAt ? i18n.t('sync.since', { when: i18n.dateTime(status.oldestPendingAt) }) : null,
    status.blocked ?? status.lastError,
    status.attention,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <span role="status" aria-label={details} title={details} className={status.state === 'online' ? 'badge ok' : 'badge warn'}>
      {text}
    </span>
  );
}
