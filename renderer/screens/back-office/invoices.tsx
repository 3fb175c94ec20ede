// The factura global and this register's invoices. Above, the global: a day of the period
// (yesterday at the branch unless changed; Alt+G goes to it) and Enter, then what the engine wrote
// (the period, the sales in it, the returns it is net of, the receipts left out because they were
// returned whole), or why it would not, said beside the button. Below, the invoices, newest first,
// a page at a time (PageUp / PageDown), narrowed to one state if asked: each one's state in a
// manager's words, with the SAT's reason beside a rejected one, the days a global covers, and the
// return, receipt and invoice a credit note is about. Kept to a line or two each, so that a
// 1024×768 screen shows several.
// The rows are chosen with ↑ ↓ (Tab from the filter reaches them); on a stamped one with no request
// waiting, Alt+C (or its button) asks for its cancellation, and each row says how that went; on a
// stamped invoice to a customer, Alt+S replaces it by one to the receiver corrected (motive 01),
// and the list then shows the substitute above it and its cancellation asked for; on a credit
// note the SAT refused on its own, Alt+N has another written for its return. A stamped one's PDF (Alt+P, on letter paper unless A4 is chosen beside it; a cancelled one's too,
// marked CANCELADO) and its stamped XML (Alt+X, not for a cancelled one) are saved as downloads.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useArrowFocus } from '../../components/arrow-keys.ts';
import type { I18n } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { calendarDay } from '../../i18n/calendar-days.ts';
import {
  type GlobalInvoice,
  hasPdf,
  hasXml,
  type InvoiceFilter,
  type InvoicePaper,
  type InvoiceRow,
  mayCancel,
  mayCreditAgain,
  maySubstitute,
} from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { CancelInvoiceDialog } from './cancel-invoice-dialog.tsx';
import { When } from './outgoing.tsx';
import { Pager } from './paging.tsx';
import { SubstituteInvoiceDialog } from './substitute-invoice-dialog.tsx';

const STATUS: Record<InvoiceRow['status'], MessageKey> = {
  PENDING: 'bo.invoices.status.PENDING',
  ISSUED: 'bo.invoices.status.ISSUED',
  REJECTED: 'bo.invoices.status.REJECTED',
  CANCELLED: 'bo.invoices.status.CANCELLED',
};

const KIND: Record<InvoiceRow['kind'], MessageKey> = {
  INVOICE: 'invoice.kind.INVOICE',
  GLOBAL: 'invoice.kind.GLOBAL',
  CREDIT_NOTE: 'invoice.kind.CREDIT_NOTE',
};

const FILTERS: { value: InvoiceFilter; label: MessageKey }[] = [
  { value: '', label: 'bo.invoices.filter.all' },
  { value: 'PENDING', label: 'bo.invoices.filter.PENDING' },
  { value: 'ISSUED', label: 'bo.invoices.filter.ISSUED' },
  { value: 'REJECTED', label: 'bo.invoices.filter.REJECTED' },
  { value: 'CANCELLED', label: 'bo.invoices.filter.CANCELLED' },
];

const PAPERS: InvoicePaper[] = ['LETTER', 'A4'];

const TONE: Record<InvoiceRow['status'], string> = { PENDING: '', ISSUED: 'ok', REJECTED: 'warn', CANCELLED: '' };

/** A daily global's one day, or the first and last of a longer period. */
const period = (i18n: I18n, p: { from: string; to: string }) =>
  p.from === p.to
    ? calendarDay(i18n, p.from)
    : i18n.t('bo.invoices.period', { from: calendarDay(i18n, p.from), to: calendarDay(i18n, p.to) });

/** What became of the latest cancellation asked for, in a manager's words; null when none was. */
function cancellationLine(i18n: I18n, row: InvoiceRow): string | null {
  const c = row.cancellation;
  if (!c) return null;
  if (c.state === 'REJECTED') return i18n.t('bo.invoices.cancellation.REJECTED', { message: c.message ?? '', code: c.code ?? '—' });
  if (c.state === 'ACCEPTED') {
    return i18n.t('bo.invoices.cancellation.ACCEPTED', { motive: c.motive, words: i18n.t(`bo.invoices.cancel.motive.${c.motive}`) });
  }
  if (c.state === 'IN_PROCESS') return i18n.t('bo.invoices.cancellation.IN_PROCESS');
  // A replaced one waits for its substitute's stamp before the request goes to the SAT.
  return i18n.t(c.motive === '01' ? 'bo.invoices.cancellation.SUBSTITUTED' : 'bo.invoices.cancellation.REQUESTED');
}

/** The receiver's régimen, código postal and uso del CFDI, those the invoice carries (none where its country has none). */
function ReceiverFiscal({ i18n, row }: { i18n: I18n; row: InvoiceRow }) {
  const parts = [
    row.receiverTaxRegime === null ? null : i18n.t('bo.invoices.receiver.regimen', { clave: row.receiverTaxRegime }),
    row.receiverPostalCode === null ? null : i18n.t('bo.invoices.receiver.postalCode', { code: row.receiverPostalCode }),
    row.receiverCfdiUse === null ? null : i18n.t('bo.invoices.receiver.cfdiUse', { clave: row.receiverCfdiUse }),
  ].filter((p) => p !== null);
  if (parts.length === 0) return null;
  // Each part whole: a narrow column breaks the line between them, never inside one.
  return (
    <small className="bo-invoices-line bo-invoices-fiscal">
      {parts.map((p, i) => (
        <span key={p}>
          {i > 0 ? ' · ' : null}
          <span className="bo-nowrap">{p}</span>
        </span>
      ))}
    </small>
  );
}

export function InvoicesTab({ useBackOffice, i18n }: BackOfficeProps) {
  const rows = useBackOffice((s) => s.invoices);
  const paging = useBackOffice((s) => s.invoicePaging);
  const busy = useBackOffice((s) => s.busy);
  const paper = useBackOffice((s) => s.invoicePaper);
  const { filterInvoices, pageInvoices, openCancel, openSubstitute, setInvoicePaper, downloadInvoice, creditReturnAgain } =
    useBackOffice.getState();
  const filter = paging.query as InvoiceFilter;
  const table = useRef<HTMLTableElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = rows?.find((r) => r.id === selectedId) ?? null;
  const cancellable = selected !== null && mayCancel(selected);
  const replaceable = selected !== null && maySubstitute(selected);
  const creditable = selected !== null && mayCreditAgain(selected);
  /** Whether a dialog has the keyboard. */
  const inDialog = useCallback(() => {
    const { cancelling, substituting, stepUp } = useBackOffice.getState();
    return cancelling !== null || substituting !== null || stepUp !== null;
  }, [useBackOffice]);
  // ↑ ↓ move among the rows while nothing else has the keyboard: the filter keeps its own arrows,
  // and so do the dialogs.
  useArrowFocus(table, 'tbody button.bo-invoices-pick', () => !inDialog() && !(document.activeElement instanceof HTMLSelectElement));
  /** The chosen row, when no dialog has the keyboard and `may` holds for it. */
  const chosen = useCallback(
    (may: (row: InvoiceRow) => boolean) => {
      const row = useBackOffice.getState().invoices?.find((r) => r.id === selectedId);
      return inDialog() || !row || !may(row) ? null : row;
    },
    [useBackOffice, selectedId, inDialog],
  );
  const askCancel = useCallback(() => {
    const row = chosen(mayCancel);
    if (row) openCancel(row);
  }, [chosen, openCancel]);
  const askSubstitute = useCallback(() => {
    const row = chosen(maySubstitute);
    if (row) void openSubstitute(row);
  }, [chosen, openSubstitute]);
  const creditAgain = useCallback(() => {
    const row = chosen(mayCreditAgain);
    if (row) void creditReturnAgain(row);
  }, [chosen, creditReturnAgain]);
  const download = useCallback(
    (file: 'pdf' | 'xml') => {
      const row = chosen(file === 'pdf' ? hasPdf : hasXml);
      if (row) void downloadInvoice(row, file);
    },
    [chosen, downloadInvoice],
  );
  useEffect(() => {
    // Alt+P and Alt+X, not Alt+D or Alt+F: a browser in serve mode keeps those for its address bar and menu.
    const actions: Record<string, () => void> = {
      c: askCancel,
      s: askSubstitute,
      n: creditAgain,
      p: () => download('pdf'),
      x: () => download('xml'),
    };
    const onKey = (e: KeyboardEvent) => {
      const action = e.altKey && !e.ctrlKey && !e.metaKey ? actions[e.key.toLowerCase()] : undefined;
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [askCancel, askSubstitute, creditAgain, download]);
  // Back from the dialog, the keyboard is on the row it was about.
  const backToRow = useCallback(() => {
    table.current?.querySelector<HTMLButtonElement>(`button[data-invoice="${selectedId}"]`)?.focus();
  }, [selectedId]);
  return (
    <>
      <GlobalInvoiceForm useBackOffice={useBackOffice} i18n={i18n} />
      <div className="bo-toolbar">
        <label className="bo-inline" htmlFor="bo-invoices-filter">
          {i18n.t('bo.invoices.filter')}
          <select
            id="bo-invoices-filter"
            className="bo-select"
            value={filter}
            onChange={(e) => void filterInvoices(e.target.value as InvoiceFilter)}
            // Where the keyboard starts: ↑ ↓ narrow the list; Alt+G goes to the factura global.
            autoFocus
          >
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {i18n.t(f.label)}
              </option>
            ))}
          </select>
        </label>
        <Pager
          i18n={i18n}
          busy={busy}
          canBack={paging.cursors.length > 1}
          canForward={paging.next !== null}
          onPage={(d) => void pageInvoices(d)}
        />
        <div className="bo-invoices-files">
          <button type="button" aria-keyshortcuts="Alt+P" disabled={busy || !selected || !hasPdf(selected)} onClick={() => download('pdf')}>
            {i18n.t('bo.invoices.pdf.action')} <kbd>Alt+P</kbd>
          </button>
          <label className="bo-inline" htmlFor="bo-invoices-paper">
            {i18n.t('bo.invoices.paper')}
            <select
              id="bo-invoices-paper"
              className="bo-select"
              value={paper}
              // Off, like the button, until a stamped invoice is chosen: Tab from the filter then goes straight to the list.
              disabled={!selected || !hasPdf(selected)}
              onChange={(e) => setInvoicePaper(e.target.value as InvoicePaper)}
            >
              {PAPERS.map((p) => (
                <option key={p} value={p}>
                  {i18n.t(`bo.invoices.paper.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" aria-keyshortcuts="Alt+X" disabled={busy || !selected || !hasXml(selected)} onClick={() => download('xml')}>
            {i18n.t('bo.invoices.xml.action')} <kbd>Alt+X</kbd>
          </button>
        </div>
        <button type="button" aria-keyshortcuts="Alt+C" disabled={busy || !cancellable} onClick={askCancel}>
          {i18n.t('bo.invoices.cancel.action')} <kbd>Alt+C</kbd>
        </button>
        <button type="button" aria-keyshortcuts="Alt+S" disabled={busy || !replaceable} onClick={askSubstitute}>
          {i18n.t('bo.invoices.substitute.action')} <kbd>Alt+S</kbd>
        </button>
        <button type="button" aria-keyshortcuts="Alt+N" disabled={busy || !creditable} onClick={creditAgain}>
          {i18n.t('bo.invoices.creditAgain.action')} <kbd>Alt+N</kbd>
        </button>
        {/* A stamped one chosen whose request still waits says so in its row; the hint is for the rest. */}
        {selected && hasPdf(selected) ? null : <span className="muted bo-invoices-choose">{i18n.t('bo.invoices.cancel.choose')}</span>}
      </div>
      {rows !== null && rows.length === 0 ? (
        <p className="bo-empty" role="status">
          {i18n.t(filter ? 'bo.invoices.noneFiltered' : 'bo.invoices.none')}
        </p>
      ) : (
        <div className="bo-table-wrap">
          <table ref={table} className="bo-table bo-invoices" aria-label={i18n.t('bo.tab.invoices')}>
            <thead>
              <tr>
                <th scope="col">{i18n.t('bo.invoices.invoice')}</th>
                <th scope="col">{i18n.t('bo.invoices.receiver')}</th>
                <th scope="col" className="amount">
                  {i18n.t('bo.invoices.total')}
                </th>
                <th scope="col">{i18n.t('bo.invoices.status')}</th>
                <th scope="col">{i18n.t('bo.invoices.requestedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr
                  key={r.id}
                  className={[r.status === 'REJECTED' ? 'rejected' : '', r.id === selectedId ? 'selected' : ''].join(' ').trim()}
                >
                  <td className="bo-invoices-what">
                    <button
                      type="button"
                      className="bo-invoices-pick"
                      data-invoice={r.id}
                      aria-label={i18n.t('bo.invoices.pick', { series: r.series, folio: r.folio })}
                      aria-current={r.id === selectedId ? 'true' : undefined}
                      onFocus={() => setSelectedId(r.id)}
                      onClick={() => setSelectedId(r.id)}
                    >
                      {i18n.t(KIND[r.kind])}
                      <small className="bo-invoices-line">{i18n.t('bo.invoices.number', { series: r.series, folio: r.folio })}</small>
                    </button>
                    {r.period ? <small className="bo-invoices-line">{period(i18n, r.period)}</small> : null}
                    {r.creditNote ? (
                      <small className="bo-invoices-line bo-invoices-credit">
                        {i18n.t('bo.invoices.creditNote', {
                          returnNumber: r.creditNote.returnNumber,
                          receipt: r.creditNote.receiptCode,
                          series: r.creditNote.corrects.series,
                          folio: r.creditNote.corrects.folio,
                        })}
                      </small>
                    ) : null}
                    {r.replaces ? (
                      <small className="bo-invoices-line bo-invoices-replaces">
                        {i18n.t('bo.invoices.replaces', { series: r.replaces.series, folio: r.replaces.folio })}
                      </small>
                    ) : null}
                  </td>
                  <td className="bo-invoices-receiver">
                    {r.receiverName}
                    <small className="bo-invoices-line code">{r.receiverRfc}</small>
                    <ReceiverFiscal i18n={i18n} row={r} />
                  </td>
                  <td className="amount">{i18n.money(r.total)}</td>
                  <td className="bo-invoices-status">
                    <span className={`badge ${TONE[r.status]}`.trim()}>{i18n.t(STATUS[r.status])}</span>
                    {r.reason ? (
                      <small className="bo-invoices-line">
                        {i18n.t('bo.invoices.reason', { message: r.reason.message, code: r.reason.code })}
                      </small>
                    ) : null}
                    {r.cancellation ? (
                      <small className={`bo-invoices-line bo-invoices-cancellation ${r.cancellation.state.toLowerCase()}`}>
                        {cancellationLine(i18n, r)}
                      </small>
                    ) : null}
                    {(r.status === 'ISSUED' || r.status === 'CANCELLED') && r.fiscalId ? (
                      <small className="bo-invoices-line code">{i18n.t('bo.invoices.fiscalId', { uuid: r.fiscalId })}</small>
                    ) : null}
                  </td>
                  <td className="bo-invoices-when">
                    <When i18n={i18n} iso={r.requestedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CancelInvoiceDialog useBackOffice={useBackOffice} i18n={i18n} onClose={backToRow} />
      <SubstituteInvoiceDialog useBackOffice={useBackOffice} i18n={i18n} onClose={backToRow} />
    </>
  );
}

function GlobalInvoiceForm({ useBackOffice, i18n }: BackOfficeProps) {
  const day = useBackOffice((s) => s.globalDay);
  const issued = useBackOffice((s) => s.globalIssued);
  const problem = useBackOffice((s) => s.globalProblem);
  const busy = useBackOffice((s) => s.busy);
  const { setGlobalDay, issueGlobal } = useBackOffice.getState();
  const dayField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        dayField.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <form
      className="bo-card bo-global"
      aria-labelledby="bo-global-title"
      onSubmit={(e) => {
        e.preventDefault();
        void issueGlobal();
      }}
    >
      <div className="bo-global-row">
        <h3 id="bo-global-title">{i18n.t('bo.invoices.global.title')}</h3>
        <label className="bo-inline" htmlFor="bo-global-day">
          {i18n.t('bo.invoices.global.day')} <kbd>Alt+G</kbd>
          <input
            id="bo-global-day"
            ref={dayField}
            type="date"
            required
            aria-keyshortcuts="Alt+G"
            aria-invalid={Boolean(problem)}
            aria-describedby={problem ? 'bo-global-problem' : undefined}
            value={day}
            onChange={(e) => setGlobalDay(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || !day}>
          {i18n.t('bo.invoices.global.issue')} <kbd>Enter</kbd>
        </button>
      </div>
      <p className="muted bo-global-hint">{i18n.t('bo.invoices.global.hint')}</p>
      {problem ? (
        <p id="bo-global-problem" className="message" role="alert">
          {problem}
        </p>
      ) : null}
      {issued ? <GlobalIssued issued={issued} i18n={i18n} /> : null}
    </form>
  );
}

/** What the engine wrote: the invoice and its state, and what of the period it covers. */
function GlobalIssued({ issued, i18n }: { issued: GlobalInvoice; i18n: I18n }) {
  const { invoice } = issued;
  return (
    <div className="bo-global-issued" role="status">
      <p className="notice">
        {i18n.t('bo.invoices.global.issued', {
          series: invoice.series,
          folio: invoice.folio,
          total: i18n.money(invoice.total),
          status: i18n.t(STATUS[invoice.status]),
        })}
      </p>
      <dl>
        <div>
          <dt>{i18n.t('bo.invoices.global.period')}</dt>
          <dd>{period(i18n, issued)}</dd>
        </div>
        <div>
          <dt>{i18n.t('bo.invoices.global.sales')}</dt>
          <dd>{issued.sales}</dd>
        </div>
        <div>
          <dt>{i18n.t('bo.invoices.global.returns')}</dt>
          <dd>{issued.returns}</dd>
        </div>
        <div>
          <dt>{i18n.t('bo.invoices.global.omitted')}</dt>
          <dd className="code">
            {issued.omittedReceipts.length > 0 ? issued.omittedReceipts.join(', ') : i18n.t('bo.invoices.global.omittedNone')}
          </dd>
        </div>
      </dl>
    </div>
  );
}
