// Replacing a stamped invoice to a customer by a corrected one (the SAT's motive 01): the receiver
// it has now, above the counter's receiver fields filled with it to correct (RFC, razón social,
// régimen, código postal, uso del CFDI; ↑ ↓ step through the claves the SAT's catalogs allow, as
// at the counter), then why, which stays on record with the cancellation. The keyboard starts on
// the RFC; Enter from any field asks, Esc goes back (invoice-action-dialog.tsx). What the engine
// refuses is said beside the field it names, or above the form; a substitute written closes it.
import { useState } from 'react';
import { ReceiverFields } from '../../components/receiver-fields.tsx';
import type { I18n } from '../../i18n/index.ts';
import { type FormField, steppedChoice } from '../../screens/invoice-form.ts';
import type { BackOfficeState, InvoiceRow } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { InvoiceActionDialog, useClosedWhenDone } from './invoice-action-dialog.tsx';

const part = (s: BackOfficeState) => s.substituting;

/** A receiver's fiscal data: no e-mail, which a CFDI does not carry. */
const RECEIVER_FIELDS: readonly FormField[] = ['taxId', 'legalName', 'taxRegime', 'postalCode', 'fiscalUse'];

export function SubstituteInvoiceDialog({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const substituting = useBackOffice(part);
  // Written: the dialog is gone and the list shows the substitute; the keyboard goes back to the row.
  useClosedWhenDone(useBackOffice, part, onClose);
  if (!substituting) return null;
  // A fresh reason for each invoice asked about.
  return <SubstituteForm key={substituting.invoice.id} useBackOffice={useBackOffice} i18n={i18n} onClose={onClose} />;
}

/** The receiver as the invoice has it now. */
function CurrentReceiver({ i18n, invoice }: { i18n: I18n; invoice: InvoiceRow }) {
  const data: [string, string | null][] = [
    [i18n.t('invoice.rfc'), invoice.receiverRfc],
    [i18n.t('invoice.legalName'), invoice.receiverName],
    [i18n.t('invoice.taxRegime'), invoice.receiverTaxRegime],
    [i18n.t('invoice.postalCode'), invoice.receiverPostalCode],
    [i18n.t('invoice.fiscalUse'), invoice.receiverCfdiUse],
  ];
  return (
    <>
      <p>{i18n.t('bo.invoices.substitute.what', { total: i18n.money(invoice.total), uuid: invoice.fiscalId ?? '' })}</p>
      <dl className="bo-substitute-now" aria-label={i18n.t('bo.invoices.substitute.current')}>
        {data.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function SubstituteForm({ useBackOffice, i18n, onClose }: BackOfficeProps & { onClose(): void }) {
  const { invoice, form, options, refusals, refused, problem } = useBackOffice(part)!;
  const busy = useBackOffice((s) => s.busy);
  const [reason, setReason] = useState('');
  const { editSubstitute, substituteInvoice, openSubstitute } = useBackOffice.getState();
  return (
    <InvoiceActionDialog
      id="bo-substitute"
      title={i18n.t('bo.invoices.substitute.title', { series: invoice.series, folio: invoice.folio })}
      what={<CurrentReceiver i18n={i18n} invoice={invoice} />}
      problem={problem}
      reasonLabel={i18n.t('bo.invoices.substitute.reason')}
      reason={reason}
      onReason={setReason}
      hint={i18n.t('bo.invoices.substitute.hint')}
      confirmLabel={i18n.t('bo.invoices.substitute.confirm')}
      backLabel={i18n.t('bo.invoices.cancel.back')}
      ready={reason.trim() !== '' && !busy}
      onConfirm={() => void substituteInvoice(reason.trim())}
      onBack={() => {
        void openSubstitute(null);
        onClose();
      }}
      onKeyDown={(e) => {
        // ↑ ↓ on the régimen or the uso step through the claves the SAT's catalogs allow.
        const field = (e.target as HTMLElement).dataset?.choice as 'taxRegime' | 'fiscalUse' | undefined;
        if (!field || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
        e.preventDefault();
        const next = steppedChoice(options, form, field, e.key === 'ArrowDown' ? 1 : -1);
        if (next !== null) editSubstitute({ [field]: next });
      }}
    >
      <fieldset className="invoice-form bo-substitute-fields">
        <legend>{i18n.t('bo.invoices.substitute.corrected')}</legend>
        <ReceiverFields
          i18n={i18n}
          form={form}
          options={options}
          refusals={refusals}
          refused={refused}
          fields={RECEIVER_FIELDS}
          idPrefix="bo-substitute"
          autoFocus="taxId"
          onEdit={editSubstitute}
        />
      </fieldset>
    </InvoiceActionDialog>
  );
}
