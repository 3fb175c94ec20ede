// Asking the SAT to cancel a stamped invoice: the motive among those the SAT takes for it (02 and
// 03, and 04 for a factura global), in the SAT's own words, and why, which stays on record. The
// keyboard starts on the motives: ↑ ↓ or Space choose, Enter takes the one it is on and goes to
// the reason, Enter there asks, Esc goes back (invoice-action-dialog.tsx). A refusal is said
// here; a request written closes it.
import { useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/messages.ts';
import { type BackOfficeState, type CancelMotive, cancelMotivesFor } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { InvoiceActionDialog, useClosedWhenDone } from './invoice-action-dialog.tsx';

const part = (s: BackOfficeState) => s.cancelling;

export function CancelInvoiceDialog({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const cancelling = useBackOffice(part);
  // Written: the dialog is gone and the row shows the request; the keyboard goes back to it.
  useClosedWhenDone(useBackOffice, part, onClose);
  if (!cancelling) return null;
  // A fresh form for each invoice asked about.
  return <CancelForm key={cancelling.invoice.id} useBackOffice={useBackOffice} i18n={i18n} onClose={onClose} />;
}

function CancelForm({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const { invoice, problem } = useBackOffice(part)!;
  const busy = useBackOffice((s) => s.busy);
  const [motive, setMotive] = useState<CancelMotive | null>(null);
  const [reason, setReason] = useState('');
  const reasonField = useRef<HTMLInputElement>(null);
  return (
    <InvoiceActionDialog
      id="bo-cancel"
      title={i18n.t('bo.invoices.cancel.title', { series: invoice.series, folio: invoice.folio })}
      what={
        <p>
          {i18n.t('bo.invoices.cancel.what', {
            receiver: invoice.receiverName,
            total: i18n.money(invoice.total),
            uuid: invoice.fiscalId ?? '',
          })}
        </p>
      }
      problem={problem}
      reasonLabel={i18n.t('bo.invoices.cancel.reason')}
      reason={reason}
      onReason={setReason}
      reasonRef={reasonField}
      hint={i18n.t('bo.invoices.cancel.hint')}
      confirmLabel={i18n.t('bo.invoices.cancel.confirm')}
      backLabel={i18n.t('bo.invoices.cancel.back')}
      ready={motive !== null && reason.trim() !== '' && !busy}
      onConfirm={() => void useBackOffice.getState().cancelInvoice(motive!, reason.trim())}
      onBack={() => {
        useBackOffice.getState().openCancel(null);
        onClose();
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
    </InvoiceActionDialog>
  );
}
