// The bell: unread in-app notifications for whoever is signed in (a register that cannot reach
// central, for a manager), said in the screen's language when the engine names the message.
import type { I18n } from '../i18n/index.ts';
import type { SyncStore } from '../stores/sync.ts';

type Note = {
  id: string;
  severity: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
};

function describe(note: Note, i18n: I18n): { title: string; body: string } {
  if (note.data.code === 'sync.outage') {
    return {
      title: i18n.t('notification.syncOutage.title'),
      body: i18n.t('notification.syncOutage.body', {
        minutes: String(note.data.minutes ?? '?'),
        pending: String(note.data.pending ?? '?'),
      }),
    };
  }
  return { title: note.title, body: note.body };
}

export function NotificationsBell({ useSync, i18n }: { useSync: SyncStore; i18n: I18n }) {
  const notifications = useSync((s) => s.notifications);
  const open = useSync((s) => s.bellOpen);
  const toggle = useSync((s) => s.toggleBell);
  const markAllRead = useSync((s) => s.markAllRead);
  if (!notifications) return null;
  const label = i18n.t('notifications.label', { count: notifications.unread });
  return (
    <span className="bell">
      <button
        type="button"
        className={notifications.unread > 0 ? 'quiet bell-button unread' : 'quiet bell-button'}
        aria-label={label}
        aria-expanded={open}
        onClick={toggle}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {notifications.unread > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {notifications.unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div role="dialog" aria-label={i18n.t('notifications.title')} className="bell-panel">
          <h2>{i18n.t('notifications.title')}</h2>
          {notifications.items.length === 0 ? (
            <p>{i18n.t('notifications.none')}</p>
          ) : (
            <ul>
              {notifications.items.map((note) => {
                const text = describe(note, i18n);
                return (
                  <li key={note.id} className={note.readAt ? 'read' : `unread ${note.severity.toLowerCase()}`}>
                    <strong>{text.title}</strong>
                    <p>{text.body}</p>
                    <small>{i18n.dateTime(note.createdAt)}</small>
                  </li>
                );
              })}
            </ul>
          )}
          <div className="actions">
            {notifications.unread > 0 ? (
              <button type="button" onClick={() => void markAllRead()}>
                {i18n.t('notifications.markAllRead')}
              </button>
            ) : null}
            <button type="button" className="quiet" onClick={toggle}>
              {i18n.t('notifications.close')}
            </button>
          </div>
        </div>
      ) : null}
    </span>
  );
}
