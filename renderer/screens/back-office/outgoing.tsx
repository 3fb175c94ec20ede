// What central could not send for this business (a receipt the customer's mail server refused,
// an alert the SMS provider turned down), as of this register's last pull, and a retry for a
// failed one. The register never sends anything itself: a retry is a request that sync carries
// to central, whose workers send it again; the row says so until the next pull tells how it went.
// Alt+A asks central for news; the list follows each pull while it is open. "Avisos en mi
// teléfono" asks central to e-mail the person a link that subscribes their phone to its alerts.
import { useEffect } from 'react';
import type { I18n } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import type { Outgoing } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';

const CHANNEL: Record<Outgoing['channel'], MessageKey> = {
  EMAIL: 'bo.outgoing.channel.EMAIL',
  SMS: 'bo.outgoing.channel.SMS',
  WHATSAPP: 'bo.outgoing.channel.WHATSAPP',
  PUSH: 'bo.outgoing.channel.PUSH',
};

const STATUS: Record<Outgoing['status'], MessageKey> = {
  PENDING: 'bo.outgoing.status.PENDING',
  PROCESSING: 'bo.outgoing.status.PROCESSING',
  SENT: 'bo.outgoing.status.SENT',
  FAILED: 'bo.outgoing.status.FAILED',
  CANCELLED: 'bo.outgoing.status.CANCELLED',
};

/** The templates central sends from (resources/notification-templates), in the manager's words. */
const TEMPLATE: Record<string, MessageKey> = {
  'sale.receipt': 'bo.outgoing.template.sale.receipt',
  'shift.variance': 'bo.outgoing.template.shift.variance',
  'register.silent': 'bo.outgoing.template.register.silent',
  'stock.low': 'bo.outgoing.template.stock.low',
  'sync.quarantine': 'bo.outgoing.template.sync.quarantine',
  'auth.lockout': 'bo.outgoing.template.auth.lockout',
  'auth.new_device': 'bo.outgoing.template.auth.new_device',
  'push.phone_link': 'bo.outgoing.template.push.phone_link',
};

/** A template's code in the manager's words; one added at central after this register was built shows as its code. */
export function templateLabel(i18n: I18n, code: string): string {
  const key = Object.hasOwn(TEMPLATE, code) ? TEMPLATE[code] : undefined;
  return key ? i18n.t(key) : code;
}

/** Alt+A asks central again, on the tabs whose list is central's. */
export function RefreshShortcut({ onRefresh }: { onRefresh(): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && (e.key === 'a' || e.key === 'A')) {
        e.preventDefault();
        onRefresh();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onRefresh]);
  return null;
}

export function OutgoingTab({ useBackOffice, i18n }: BackOfficeProps) {
  const rows = useBackOffice((s) => s.outgoing);
  const failedOnly = useBackOffice((s) => s.outgoingFailedOnly);
  const asOf = useBackOffice((s) => s.outgoingAsOf);
  const central = useBackOffice((s) => s.outgoingCentral);
  const busy = useBackOffice((s) => s.busy);
  const { refreshOutgoing, setOutgoingFailedOnly, retryOutgoing, followPulls, requestPhoneLink } = useBackOffice.getState();
  useEffect(() => followPulls(), [followPulls]);
  const refresh = () => void refreshOutgoing();
  return (
    <>
      <RefreshShortcut onRefresh={refresh} />
      <div className="bo-toolbar">
        <button type="button" aria-keyshortcuts="Alt+A" disabled={busy} onClick={refresh}>
          {i18n.t('bo.outgoing.refresh')} <kbd>Alt+A</kbd>
        </button>
        <label className="choice">
          <input
            type="checkbox"
            checked={failedOnly}
            onChange={(e) => void setOutgoingFailedOnly(e.target.checked)}
            // Where the keyboard starts: Space filters, and Tab goes on to the first row's retry.
            autoFocus
          />
          {i18n.t('bo.outgoing.failedOnly')}
        </label>
        {central ? (
          <span className="muted bo-outgoing-as-of" role="status">
            {asOf ? i18n.t('bo.outgoing.asOf', { when: i18n.dateTime(asOf) }) : i18n.t('bo.outgoing.neverPulled')}
          </span>
        ) : null}
      </div>
      {rows !== null && rows.length === 0 ? (
        <p className="bo-empty" role="status">
          {i18n.t(!central ? 'bo.outgoing.noCentral' : failedOnly ? 'bo.outgoing.noneFailed' : 'bo.outgoing.none')}
        </p>
      ) : (
        <div className="bo-table-wrap">
          <table className="bo-table bo-outgoing" aria-label={i18n.t('bo.tab.outgoing')}>
            <thead>
              <tr>
                <th scope="col">{i18n.t('bo.outgoing.channel')}</th>
                <th scope="col">{i18n.t('bo.outgoing.what')}</th>
                <th scope="col">{i18n.t('bo.outgoing.recipient')}</th>
                <th scope="col">{i18n.t('bo.outgoing.status')}</th>
                <th scope="col" className="amount">
                  {i18n.t('bo.outgoing.attempts')}
                </th>
                <th scope="col">{i18n.t('bo.outgoing.reason')}</th>
                <th scope="col">{i18n.t('bo.outgoing.when')}</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr key={r.id} className={r.status === 'FAILED' && !r.retryRequested ? 'failed' : ''}>
                  <td>{i18n.t(CHANNEL[r.channel])}</td>
                  <td>{templateLabel(i18n, r.template)}</td>
                  <td className="code">{r.recipient}</td>
                  <td>
                    <StatusCell row={r} i18n={i18n} busy={busy} onRetry={() => void retryOutgoing(r)} />
                  </td>
                  <td className="amount">{r.attempts}</td>
                  <td className="bo-outgoing-reason">{r.lastError ?? '—'}</td>
                  <td className="bo-outgoing-when">
                    <When i18n={i18n} iso={r.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {central ? (
        // After the list, so Tab goes from the filter to the first retry. Central e-mails the
        // person a link their phone opens to subscribe; the register holds no push key.
        <div className="bo-phone-link">
          <button type="button" disabled={busy} onClick={() => void requestPhoneLink()}>
            {i18n.t('bo.outgoing.phoneLink')}
          </button>
          <span className="muted">{i18n.t('bo.outgoing.phoneLinkHint')}</span>
        </div>
      ) : null}
    </>
  );
}

/** The state in words; a failed one that nobody has asked to retry carries its retry here, where the eye already is. */
function StatusCell({ row, i18n, busy, onRetry }: { row: Outgoing; i18n: I18n; busy: boolean; onRetry(): void }) {
  if (row.status === 'FAILED' && row.retryRequested) {
    return (
      <>
        <span className="badge">{i18n.t('bo.outgoing.status.retryRequested')}</span>
        <small className="bo-outgoing-hint">{i18n.t('bo.outgoing.retryHint')}</small>
      </>
    );
  }
  const tone = row.status === 'SENT' ? 'ok' : row.status === 'FAILED' ? 'warn' : '';
  return (
    <>
      <span className={`badge ${tone}`.trim()}>{i18n.t(STATUS[row.status])}</span>
      {row.status === 'FAILED' ? (
        <button
          type="button"
          className="bo-outgoing-retry"
          disabled={busy}
          aria-label={i18n.t('bo.outgoing.retryFor', { what: templateLabel(i18n, row.template), recipient: row.recipient })}
          onClick={onRetry}
        >
          {i18n.t('bo.outgoing.retry')}
        </button>
      ) : null}
    </>
  );
}

/** The date and the time, each kept whole: at 1024 px the column breaks between them, never inside "4:38 p.m.". */
export function When({ i18n, iso }: { i18n: I18n; iso: string }) {
  const text = i18n.dateTime(iso);
  const cut = text.indexOf(', ');
  if (cut < 0) return <span className="bo-nowrap">{text}</span>;
  return (
    <>
      <span className="bo-nowrap">{text.slice(0, cut + 1)}</span> <span className="bo-nowrap">{text.slice(cut + 2)}</span>
    </>
  );
}
