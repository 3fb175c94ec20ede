// The shift's sales (Ctrl+H): newest first, a page at a time, each with its receipt, time,
// cashier, items, total, how it was paid and where it stands (returned, voided). A receipt is
// found by its number or barcode, typed or scanned into the search field; one sale opened shows
// its lines, and a copy or a gift receipt of it, and prints its stamped invoice (Alt+F). With no
// printer set the paper is shown here as it would have printed, and a message says there is no
// printer: a button never does nothing.
import { useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import { INVOICE_KEY, invoiceWords, isInvoiceKey } from '../components/invoice-dialog.tsx';
import { ReceiptPreview } from '../components/receipt-preview.tsx';
import { fieldText } from '../i18n/number-fields.ts';
import type { I18n } from '../i18n/index.ts';
import { useCounter } from '../stores/counter-context.ts';
import type { HistoryRow, HistorySale, History } from '../stores/history.ts';

/** A quantity as the cashier reads it: no trailing zeros, the locale's decimal mark. */
const quantityOf = (i18n: I18n, quantity: string) => fieldText(i18n, quantity.includes('.') ? quantity.replace(/\.?0+$/, '') : quantity);

function tendersOf(i18n: I18n, tenders: HistoryRow['tenders']): string {
  const named = tenders.map((t) => (t.cardLast4 ? `${t.method} ···${t.cardLast4}` : t.method));
  // One tender is the whole total; a split says what each one paid.
  return tenders.length === 1 ? named[0]! : named.map((name, i) => `${name} ${i18n.money(tenders[i]!.amount)}`).join(' + ');
}

export function HistoryScreen({ useRegister, i18n }: ScreenProps) {
  const { useHistory } = useCounter();
  const page = useHistory((s) => s.page);
  const sale = useHistory((s) => s.sale);
  const message = useHistory((s) => s.message);
  const busy = useHistory((s) => s.busy);
  const filtered = useHistory((s) => s.code);
  const permissions = useRegister((s) => s.permissions);
  const { load, find, showAll, open, reset } = useHistory.getState();
  const [code, setCode] = useState('');
  const field = useRef<HTMLInputElement>(null);
  // Each visit starts from the newest sales of the shift.
  useEffect(() => {
    reset();
    void load(1);
  }, [reset, load]);
  // The search field keeps the focus between pages: a receipt scanned next lands in it.
  const turn = async (to: number) => {
    await load(to);
    field.current?.focus();
  };
  if (sale)
    return (
      <SaleDetail
        sale={sale}
        i18n={i18n}
        useHistory={useHistory}
        useRegister={useRegister}
        canReprint={permissions.includes('sales.reprint')}
      />
    );
  const rows = page?.sales ?? [];
  return (
    <section className="panel history" aria-labelledby="history-title">
      <h1 id="history-title">{i18n.t('history.title')}</h1>
      <form
        className="scan"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void find(code);
        }}
      >
        <input
          ref={field}
          data-scan-target
          aria-label={i18n.t('history.code')}
          placeholder={i18n.t('history.code')}
          autoFocus
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {i18n.t('history.find')} <kbd>Enter</kbd>
        </button>
        {filtered ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setCode('');
              void showAll();
              field.current?.focus();
            }}
          >
            {i18n.t('history.all')}
          </button>
        ) : null}
      </form>
      <Message text={message} />
      {page && rows.length === 0 && !filtered ? <p className="empty">{i18n.t('history.none')}</p> : null}
      {rows.length > 0 ? (
        <table className="cart history-list">
          <thead>
            <tr>
              <th scope="col">{i18n.t('history.receipt')}</th>
              <th scope="col">{i18n.t('history.time')}</th>
              <th scope="col">{i18n.t('history.cashier')}</th>
              <th scope="col" className="amount">
                {i18n.t('history.items')}
              </th>
              <th scope="col" className="amount">
                {i18n.t('history.total')}
              </th>
              <th scope="col">{i18n.t('history.tenders')}</th>
              <th scope="col">{i18n.t('history.status')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.saleId}>
                <td>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void open(row.saleId)}
                    aria-label={
                      row.receiptCode
                        ? i18n.t('history.open', { code: row.receiptCode })
                        : i18n.t('history.openVoided', { time: i18n.dateTime(row.at) })
                    }
                  >
                    {row.receiptCode ?? '—'}
                  </button>
                </td>
                <td>{i18n.dateTime(row.at)}</td>
                <td>{row.cashier}</td>
                <td className="amount">{row.items}</td>
                <td className="amount">{i18n.money(row.total)}</td>
                <td>{row.tenders.length > 0 ? tendersOf(i18n, row.tenders) : '—'}</td>
                <td>
                  <span className={`badge status-${row.status.toLowerCase()}`}>{i18n.t(`history.status.${row.status}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page && page.pageCount > 1 ? (
        <div className="actions pages">
          <button type="button" disabled={busy || page.page <= 1} onClick={() => void turn(page.page - 1)}>
            {i18n.t('bo.page.previous')}
          </button>
          <span role="status">{i18n.t('history.page', { page: page.page, pages: page.pageCount })}</span>
          <button type="button" disabled={busy || page.page >= page.pageCount} onClick={() => void turn(page.page + 1)}>
            {i18n.t('bo.page.next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function SaleDetail({
  sale,
  i18n,
  useHistory,
  useRegister,
  canReprint,
}: {
  sale: HistorySale;
  i18n: I18n;
  useHistory: ReturnType<typeof useCounter>['useHistory'];
  useRegister: ScreenProps['useRegister'];
  canReprint: boolean;
}) {
  const paper = useHistory((s: History) => s.paper);
  const invoices = useHistory((s: History) => s.invoices);
  const notice = useHistory((s: History) => s.notice);
  const message = useHistory((s: History) => s.message);
  const busy = useHistory((s: History) => s.busy);
  const { close, reprint, printInvoice } = useHistory.getState();
  // The newest stamped invoice of the sale: the one there is to print (invoices come newest first).
  const stamped = canReprint ? (invoices.find((invoice) => invoice.status === 'ISSUED') ?? null) : null;
  // Esc from a sale goes back to the list, before the panel's own Esc (back to selling) hears it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A dialog over the panel (a manager's approval, the employee switch) takes its own Esc.
      const register = useRegister.getState();
      if (e.key !== 'Escape' || register.approval || register.switching) return;
      e.stopImmediatePropagation();
      close();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [close, useRegister]);
  // Alt+F prints the stamped invoice, as Alt+F asks for one on the change screen.
  useEffect(() => {
    if (!stamped) return;
    const onKey = (e: KeyboardEvent) => {
      const register = useRegister.getState();
      if (!isInvoiceKey(e) || register.approval || register.switching) return;
      e.preventDefault();
      void printInvoice(sale.saleId, stamped);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stamped, sale.saleId, printInvoice, useRegister]);
  const title = sale.receiptCode ?? i18n.t('history.voided');
  const shown = paper?.saleId === sale.saleId ? paper : null;
  return (
    <section className="panel history detail" aria-labelledby="history-sale-title">
      <div className="history-sale">
        <h1 id="history-sale-title">{title}</h1>
        <p className="hint">
          {i18n.t('history.soldBy', { name: sale.cashier, time: sale.at ? i18n.dateTime(sale.at) : '—' })}
          {' · '}
          <span className={`badge status-${sale.status.toLowerCase()}`}>{i18n.t(`history.status.${sale.status}`)}</span>
        </p>
        {sale.voidReason ? <p>{i18n.t('history.voidReason', { reason: sale.voidReason })}</p> : null}
        <table className="cart" aria-label={title}>
          <tbody>
            {sale.lines.map((line) => (
              <tr key={line.lineId}>
                <td>
                  {line.name}
                  <div className="hint">
                    {i18n.t('history.line', { quantity: quantityOf(i18n, line.quantity), price: i18n.money(line.unitPrice) })}
                    {/[1-9]/.test(line.returned) ? (
                      <> · {i18n.t('history.returned', { quantity: quantityOf(i18n, line.returned) })}</>
                    ) : null}
                  </div>
                </td>
                <td className="amount">{i18n.money(line.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="figures">
          <dt>{i18n.t('sell.total')}</dt>
          <dd>{i18n.money(sale.total)}</dd>
          {sale.tenders.map((t, i) => (
            <TenderRow key={i} i18n={i18n} tender={t} />
          ))}
          {/[1-9]/.test(sale.change) ? (
            <>
              <dt>{i18n.t('pay.change')}</dt>
              <dd>{i18n.money(sale.change)}</dd>
            </>
          ) : null}
        </dl>
        {sale.returns.map((r) => (
          <p key={r.returnNumber}>{i18n.t('history.returns', { number: r.returnNumber, amount: i18n.money(r.total) })}</p>
        ))}
        {invoices.length > 0 ? (
          <ul className="history-invoices" aria-label={i18n.t('history.invoices')}>
            {invoices.map((invoice) => (
              <li key={invoice.id}>
                {invoiceWords(i18n, invoice)} · {invoice.receiverRfc} {invoice.receiverName}
              </li>
            ))}
          </ul>
        ) : null}
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <Message text={message} />
        <div className="actions">
          <button type="button" autoFocus onClick={() => close()}>
            {i18n.t('history.back')} <kbd>Esc</kbd>
          </button>
          {sale.receiptCode && canReprint ? (
            <>
              <button type="button" disabled={busy} onClick={() => void reprint(sale.saleId, 'copy')}>
                {i18n.t('receipt.reprint')}
              </button>
              <button type="button" disabled={busy} onClick={() => void reprint(sale.saleId, 'gift')}>
                {i18n.t('receipt.gift')}
              </button>
            </>
          ) : null}
          {stamped ? (
            <button type="button" aria-keyshortcuts={INVOICE_KEY} disabled={busy} onClick={() => void printInvoice(sale.saleId, stamped)}>
              {i18n.t('history.printInvoice')} <kbd>{INVOICE_KEY}</kbd>
            </button>
          ) : null}
        </div>
      </div>
      {shown ? <ReceiptPreview document={shown.document} label={`${i18n.t('receipt.onScreen')}: ${title}`} /> : null}
    </section>
  );
}

function TenderRow({ i18n, tender }: { i18n: I18n; tender: HistorySale['tenders'][number] }) {
  return (
    <>
      <dt>{tender.cardLast4 ? `${tender.method} ···${tender.cardLast4}` : tender.method}</dt>
      <dd>{i18n.money(tender.amount)}</dd>
    </>
  );
}
