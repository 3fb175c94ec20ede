// The invoice for the sale just paid (Alt+F on the change screen), by keyboard: type an RFC or a
// name, ↑ ↓ choose a customer and Enter asks for the invoice; or Alt+N, a new customer's form
// (RFC, razón social, régimen, código postal, uso del CFDI, e-mail) where Enter saves the
// customer and asks for the invoice. Régimen and uso are typed by their clave or stepped
// through with ↑ ↓ among those the RFC's person type and the régimen allow. The dialog has the
// keyboard until it closes; Esc goes back a step. What the engine refuses is said beside the
// field it names and nothing typed is lost.
import { useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import type { I18n } from '../i18n/index.ts';
import { FORM_FIELDS, type FoundCustomer, rfcAsTyped, steppedChoice } from '../screens/invoice-form.ts';
import type { InvoicePanel, SaleInvoice } from '../stores/register/invoice.ts';
import { Message } from './message.tsx';
import { ReceiverFields } from './receiver-fields.tsx';

/** The key that opens the invoice on the change screen: F for factura, a chord no scanner sends. */
export const INVOICE_KEY = 'Alt+F';
export const isInvoiceKey = (e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>) =>
  e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'f';
const NEW_KEY = 'Alt+N';
const isNewKey = (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'n';
/** An RFC as typed in the search, to start the new customer's form with. */
const LOOKS_LIKE_RFC = /^[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}$/u;
const SEARCH_PAUSE_MS = 200;

/** "Factura A-CAJA-1 folio 3 en espera de timbrado": an invoice of the sale and where it stands. */
export const invoiceWords = (i18n: I18n, invoice: SaleInvoice) =>
  i18n.t(`invoice.state.${invoice.status}`, { kind: i18n.t(`invoice.kind.${invoice.kind}`), series: invoice.series, folio: invoice.folio });

export function InvoiceDialog({ useRegister, i18n, receiptCode, onClosed }: ScreenProps & { receiptCode: string; onClosed(): void }) {
  const panel = useRegister((s) => s.invoicing);
  const busy = useRegister((s) => s.busy);
  const approval = useRegister((s) => s.approval);
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState(0);
  const pause = useRef<number | undefined>(undefined);
  const latest = useRef({ panel, typed, chosen, busy });
  latest.current = { panel, typed, chosen, busy };

  const close = () => {
    window.clearTimeout(pause.current);
    useRegister.getState().closeInvoice();
    onClosed();
  };
  const closeRef = useRef(close);
  closeRef.current = close;

  // The list's first customer is the one Enter takes, each time the list changes.
  useEffect(() => setChosen(0), [panel?.found]);
  useEffect(() => () => window.clearTimeout(pause.current), []);

  // The dialog has the keyboard: the change screen's Enter (next sale) and Alt+E must not act behind it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useRegister.getState();
      const { panel: open, typed: query, chosen: index } = latest.current;
      if (s.approval || !open) return;
      e.stopPropagation();
      if (/^F\d+$/.test(e.key)) e.preventDefault();
      if (e.key === 'Escape') {
        e.preventDefault();
        if (open.mode === 'new' && !open.done) s.backToSearch();
        else closeRef.current();
        return;
      }
      if (open.done) {
        if (e.key === 'Enter') {
          e.preventDefault();
          closeRef.current();
        }
        return;
      }
      if (open.mode === 'search') {
        const found = open.found ?? [];
        const suggested = LOOKS_LIKE_RFC.test(rfcAsTyped(query)) ? rfcAsTyped(query) : undefined;
        if (isNewKey(e)) {
          e.preventDefault();
          s.newCustomer(suggested);
        } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && found.length > 0) {
          e.preventDefault();
          setChosen(Math.min(found.length - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1))));
        } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          const customer = found[index];
          if (customer && open.query === query) void s.invoiceFor(customer);
          else if (open.found !== null && open.query === query && query.trim() !== '') s.newCustomer(suggested);
          else {
            window.clearTimeout(pause.current);
            void s.searchCustomers(query);
          }
        }
        return;
      }
      const field = (e.target as HTMLElement | null)?.dataset?.choice as 'taxRegime' | 'fiscalUse' | undefined;
      if (field && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        const next = steppedChoice(open.options, open.form, field, e.key === 'ArrowDown' ? 1 : -1);
        if (next !== null) s.editCustomer({ [field]: next });
      } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
        // Enter from any field of the form saves it, the régimen and uso included.
        e.preventDefault();
        if (!latest.current.busy) void s.saveAndInvoice();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [useRegister]);

  if (!panel || approval) return null;
  const search = (query: string) => {
    setTyped(query);
    window.clearTimeout(pause.current);
    pause.current = window.setTimeout(() => void useRegister.getState().searchCustomers(query), SEARCH_PAUSE_MS);
  };
  const title = i18n.t('invoice.title', { code: receiptCode });
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog invoice-dialog">
        <h1>{title}</h1>
        {panel.done ? (
          <Done panel={panel} i18n={i18n} onClose={close} />
        ) : panel.mode === 'search' ? (
          <SearchStep
            panel={panel}
            i18n={i18n}
            typed={typed}
            chosen={chosen}
            busy={busy}
            onType={search}
            onPick={(c) => void useRegister.getState().invoiceFor(c)}
            onNew={() => useRegister.getState().newCustomer()}
            onClose={close}
          />
        ) : (
          <NewCustomerStep
            panel={panel}
            i18n={i18n}
            busy={busy}
            onEdit={(change) => useRegister.getState().editCustomer(change)}
            onSave={() => void useRegister.getState().saveAndInvoice()}
            onBack={() => useRegister.getState().backToSearch()}
          />
        )}
      </section>
    </div>
  );
}

function Done({ panel, i18n, onClose }: { panel: InvoicePanel; i18n: I18n; onClose(): void }) {
  return (
    <>
      <p className="notice" role="status">
        {invoiceWords(i18n, panel.done!)}
      </p>
      <p className="hint">{i18n.t('invoice.done.receiver', { rfc: panel.done!.receiverRfc, name: panel.done!.receiverName })}</p>
      <div className="actions">
        <button type="button" className="primary" autoFocus onClick={onClose}>
          {i18n.t('invoice.done')} <kbd>Enter</kbd>
        </button>
      </div>
    </>
  );
}

function SearchStep(props: {
  panel: InvoicePanel;
  i18n: I18n;
  typed: string;
  chosen: number;
  busy: boolean;
  onType(query: string): void;
  onPick(customer: FoundCustomer): void;
  onNew(): void;
  onClose(): void;
}) {
  const { panel, i18n, typed, chosen } = props;
  const found = panel.query === typed ? panel.found : null;
  const refusal = panel.refusals ? (panel.refusals.rest ?? Object.values(panel.refusals.fields)[0] ?? null) : null;
  return (
    <>
      <div className="field">
        <label htmlFor="invoice-search">{i18n.t('invoice.search')}</label>
        <input
          id="invoice-search"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={254}
          role="combobox"
          aria-expanded={(found?.length ?? 0) > 0}
          aria-controls="invoice-found"
          aria-activedescendant={found?.[chosen] ? `invoice-found-${chosen}` : undefined}
          value={typed}
          onChange={(e) => props.onType(e.target.value)}
        />
      </div>
      {found && found.length > 0 ? (
        <ul id="invoice-found" className="invoice-found" role="listbox" aria-label={i18n.t('invoice.found')}>
          {found.map((c, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: ↑ ↓ and Enter choose from the search field (the combobox has the focus)
            <li
              key={c.id}
              id={`invoice-found-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === chosen}
              onClick={() => props.onPick(c)}
            >
              <strong>{c.taxId}</strong> {c.legalName}{' '}
              <span className="hint">{i18n.t('invoice.found.regimen', { regimen: c.taxRegime })}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="hint">
        {found && found.length === 0 ? i18n.t('invoice.search.none', { query: typed.trim() }) : i18n.t('invoice.search.hint')}
      </p>
      <Message text={refusal ? i18n.error(refusal) : null} />
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {i18n.t('invoice.close')} <kbd>Esc</kbd>
        </button>
        <button type="button" aria-keyshortcuts={NEW_KEY} onClick={props.onNew}>
          {i18n.t('invoice.new')} <kbd>{NEW_KEY}</kbd>
        </button>
      </div>
    </>
  );
}

function NewCustomerStep(props: {
  panel: InvoicePanel;
  i18n: I18n;
  busy: boolean;
  onEdit(change: Partial<InvoicePanel['form']>): void;
  onSave(): void;
  onBack(): void;
}) {
  const { panel, i18n } = props;
  return (
    <form
      className="invoice-form"
      aria-label={i18n.t('invoice.new')}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
    >
      <ReceiverFields
        i18n={i18n}
        form={panel.form}
        options={panel.options}
        refusals={panel.refusals}
        refused={panel.refused}
        fields={FORM_FIELDS}
        idPrefix="invoice"
        autoFocus="taxId"
        onEdit={props.onEdit}
      />
      <Message text={panel.refusals?.rest ? i18n.error(panel.refusals.rest) : null} />
      <div className="actions">
        <button type="button" onClick={props.onBack}>
          {i18n.t('invoice.back')} <kbd>Esc</kbd>
        </button>
        <button type="submit" className="primary" disabled={props.busy}>
          {i18n.t('invoice.request')} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  );
}
