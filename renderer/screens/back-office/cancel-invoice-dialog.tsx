// Asking the SAT to cancel a stamped invoice: the motive among those the SAT takes for it (02 and
// 03, and 04 for a factura global), in the SAT's own words, and why, which stays on record. The
// keyboard starts on the motives: ↑ ↓ or Space choose, Enter takes the one it is on and goes to
// the reason, Enter there asks, Esc goes back without reaching the back office's own Esc. A refusal is said here; a request written closes it.
import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/messages.ts';
import { type CancelMotive, cancelMotivesFor } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';

export function CancelInvoiceDialog({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const cancelling = useBackOffice((s) => s.cancelling);
  if (!cancelling) return null;
  // A fresh form for each invoice asked about.
  return <CancelForm key={cancelling.invoice.id} useBackOffice={useBackOffice} i18n={i18n} onClose={onClose} />;
}

function CancelForm({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const { invoice, problem } = useBackOffice((s) => s.cancelling)!;
  const busy = useBackOffice((s) => s.busy);
  const [motive, setMotive] = useState<CancelMotive | null>(null);
  const [reason, setReason] = useState('');
  const reasonField = useRef<HTMLInputElement>(null);
  const ready = motive !== null && reason.trim() !== '' && !busy;
  const back = () => {
    useBackOffice.getState().openCancel(null);
    onClose();
  };
  // Written: the dialog is gone and the row shows the request; the keyboard goes back to it.
  useEffect(
    () =>
      useBackOffice.subscribe((now, before) => {
        if (before.cancelling !== null && now.cancelling === null) onClose();
      }),
    [useBackOffice, onClose],
  );
  return (
    <div className="overlay bo-overlay">
      <section
        role="dialog"
        aria-modal="true"
        aria-labelledby="bo-cancel-title"
        aria-describedby="bo-cancel-what"
        className="panel bo-cancel"
        onKeyDown={(e) => {
          // The tabs' Alt shortcuts stay behind the dialog.
          if (e.altKey) e.stopPropagation();
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          back();
        }}
      >
        <h1 id="bo-cancel-title">{i18n.t('bo.invoices.cancel.title', { series: invoice.series, folio: invoice.folio })}</h1>
        <p id="bo-cancel-what">
          {i18n.t('bo.invoices.cancel.what', {
            receiver: invoice.receiverName,
            total: i18n.money(invoice.total),
            uuid: invoice.fiscalId ?? '',
          })}
        </p>
        {problem ? (
          <p role="alert" className="message">
            {problem}
          </p>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) void useBackOffice.getState().cancelInvoice(motive, reason.trim());
          }}
        >
          <fieldset className="bo-cancel-motives">
            <legend>{i18n.t('bo.invoices.cancel.motive')}</legend>
            {cancelMotivesFor(invoice.kind).map((m, i) => (
              <label key={m} className="bo-cancel-motive">
                <input
                  type="radio"
                  name="bo-cancel-motive"
                  value={m}
                  checked={motive === m}
                  onChange={() => setMotive(m)}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter') return;
                    e.preventDefault();
                    setMotive(m);
                    reasonField.current?.focus();
                  }}
                  required
                  // Where the keyboard starts: ↑ ↓ choose among the motives.
                  autoFocus={i === 0}
                />
                <span>
                  <b>{m}</b> {i18n.t(`bo.invoices.cancel.motive.${m}` as MessageKey)}
                  <small className="muted">{i18n.t(`bo.invoices.cancel.motiveHint.${m}` as MessageKey)}</small>
                </span>
              </label>
            ))}
          </fieldset>
          <label htmlFor="bo-cancel-reason">{i18n.t('bo.invoices.cancel.reason')}</label>
          <input
            id="bo-cancel-reason"
            ref={reasonField}
            type="text"
            autoComplete="off"
            required
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <p className="muted bo-cancel-hint">{i18n.t('bo.invoices.cancel.hint')}</p>
          <div className="actions">
            <button type="submit" className="primary" disabled={!ready}>
              {i18n.t('bo.invoices.cancel.confirm')} <kbd>Enter</kbd>
            </button>
            <button type="button" aria-keyshortcuts="Escape" onClick={back}>
              {i18n.t('bo.invoices.cancel.back')} <kbd>Esc</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
