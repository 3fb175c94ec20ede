// The settings the business's receipts follow, for whoever may change settings (Alt+7): for now
// the address of central's self-invoicing page, which a Mexican business's receipts print with a
// QR code. The field has the keyboard on the way in; Enter saves, and an empty field takes the
// page away. An address the receipts cannot use is refused beside the field, before anything is sent.
import { useEffect, useState } from 'react';
import type { BackOfficeProps } from './back-office.tsx';

export function SettingsTab({ useBackOffice, i18n }: BackOfficeProps) {
  const settings = useBackOffice((s) => s.receiptSettings);
  const problem = useBackOffice((s) => s.selfInvoicingProblem);
  const busy = useBackOffice((s) => s.busy);
  const { saveSelfInvoicing } = useBackOffice.getState();
  const [typed, setTyped] = useState('');
  // The field shows what is set once the engine has said so.
  useEffect(() => setTyped(settings?.selfInvoicingUrl ?? ''), [settings?.selfInvoicingUrl]);
  return (
    <form
      className="bo-card narrow bo-settings"
      aria-labelledby="bo-settings-receipts"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void saveSelfInvoicing(typed);
      }}
    >
      <h3 id="bo-settings-receipts">{i18n.t('bo.settings.receipts')}</h3>
      <label htmlFor="bo-self-invoicing">{i18n.t('bo.settings.selfInvoicing.label')}</label>
      <input
        id="bo-self-invoicing"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://factura.sutienda.mx"
        maxLength={300}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        aria-invalid={Boolean(problem)}
        aria-describedby={problem ? 'bo-self-invoicing-problem bo-self-invoicing-hint' : 'bo-self-invoicing-hint'}
        autoFocus
      />
      {problem ? (
        <p id="bo-self-invoicing-problem" className="message" role="alert">
          {problem}
        </p>
      ) : null}
      <p id="bo-self-invoicing-hint" className="muted bo-settings-hint">
        {i18n.t('bo.settings.selfInvoicing.hint')}
      </p>
      {settings ? (
        <p className="bo-settings-now" role="status">
          {settings.selfInvoicingPage
            ? i18n.t('bo.settings.selfInvoicing.current', { page: settings.selfInvoicingPage })
            : i18n.t('bo.settings.selfInvoicing.none')}
          {settings.country !== 'MX' ? ` ${i18n.t('bo.settings.selfInvoicing.onlyMexico')}` : null}
        </p>
      ) : null}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {i18n.t('bo.settings.selfInvoicing.save')} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  );
}
