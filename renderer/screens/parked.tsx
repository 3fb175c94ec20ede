// Sales put on hold (a customer went back for the milk): pick one to carry on with it. Each row
// says who parked it, what is in it and how long it has waited; sales left from an earlier
// shift are marked, since they stay here after a close until someone finishes them. The arrow
// keys move between rows and Enter takes the one chosen. A sale the customer abandoned is
// cancelled from here with a reason and a manager's authorisation, so the list does not grow
// forever. A sale in progress is put on hold first, so nothing is lost by switching.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import type { I18n } from '../i18n/index.ts';
import { ageOf, movedTo } from './parked-list.ts';
import '../components/shift-report-view.css';

export const ageText = (i18n: I18n, sinceIso: string, now: Date) => {
  const age = ageOf(sinceIso, now);
  return age.unit === 'now' ? i18n.t('parked.age.now') : i18n.t(`parked.age.${age.unit}`, { n: age.n });
};

export function ParkedScreen({ useRegister, i18n }: ScreenProps) {
  const parked = useRegister((s) => s.parked);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const notice = useRegister((s) => s.notice);
  const { recall, cancelParked, show } = useRegister.getState();
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const rows = useRef<(HTMLButtonElement | null)[]>([]);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    // The ages move on while the list is open.
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    rows.current[0]?.focus();
  }, [parked]);
  const onKeyDown = (e: KeyboardEvent) => {
    // Only between rows: in the reason's field the arrows, Home and End move the caret.
    if (!(e.target instanceof HTMLElement) || !e.target.classList.contains('parked-row')) return;
    const at = rows.current.findIndex((r) => r === document.activeElement);
    const next = movedTo(Math.max(0, at), e.key, parked.length);
    if (next === null) return;
    e.preventDefault();
    rows.current[next]?.focus();
  };
  return (
    <section className="panel wide" aria-labelledby="parked-title">
      <h1 id="parked-title">{i18n.t('parked.title')}</h1>
      {parked.length === 0 ? (
        <p>{i18n.t('parked.none')}</p>
      ) : (
        <>
          <p>{i18n.t('parked.hint')}</p>
          <ul className="parked-list" onKeyDown={onKeyDown}>
            {parked.map((p, i) => {
              const age = ageText(i18n, p.parkedAt, now);
              const lines = p.lines === 1 ? i18n.t('parked.lines.one') : i18n.t('parked.lines', { n: p.lines });
              return (
                <li key={p.id}>
                  <button
                    type="button"
                    className="parked-row"
                    ref={(el) => {
                      rows.current[i] = el;
                    }}
                    disabled={busy}
                    onClick={() => void recall(p.id)}
                    aria-label={i18n.t('parked.recallRow', { amount: i18n.money(p.total), lines, cashier: p.employeeName, age })}
                  >
                    <span>
                      <strong>{p.employeeName}</strong> · {age}
                      {p.earlierShift ? <span className="earlier"> · {i18n.t('parked.earlier')}</span> : null}
                    </span>
                    <strong>{i18n.money(p.total)}</strong>
                    <span className="what">
                      {lines}: {p.names.join(', ')}
                      {p.lines > p.names.length ? '…' : ''}
                    </span>
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={i18n.t('parked.cancelRow', { amount: i18n.money(p.total) })}
                    onClick={() => {
                      setCancelling(p.id);
                      setReason('');
                    }}
                  >
                    {i18n.t('parked.cancel')}
                  </button>
                  {cancelling === p.id ? (
                    <form
                      className="parked-cancel"
                      onSubmit={async (e) => {
                        e.preventDefault();
                        if (!reason.trim() || busy) return;
                        if (await cancelParked(p.id, reason.trim())) setCancelling(null);
                      }}
                    >
                      <label htmlFor={`cancel-${p.id}`}>{i18n.t('parked.cancelReason')}</label>
                      <input id={`cancel-${p.id}`} autoFocus value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
                      <button type="submit" disabled={busy || !reason.trim()}>
                        {i18n.t('parked.cancelConfirm')}
                      </button>
                      <button type="button" onClick={() => setCancelling(null)}>
                        {i18n.t('parked.cancelKeep')}
                      </button>
                    </form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>
        {i18n.t('menu.back')} <kbd>Esc</kbd>
      </button>
    </section>
  );
}
