// The sale just paid: the change in large type, the receipt as it was printed (or laid out, if
// there is no printer), a reprint or a gift receipt, and Enter for the next customer. A reprint
// always answers: the paper it made replaces the one on screen, and a message says whether it
// went to the printer or, with no printer set, is only shown here. Alt+E asks for the receipt by
// e-mail: a small field for the address (Enter sends, Esc closes it), then the screen says where
// it will go; central sends it, so the words say it leaves when the register reaches central.
// Alt+F asks for the sale's invoice (components/invoice-dialog.tsx); once asked, the screen says
// where it stands ("Factura A-CAJA-1 folio 3 en espera de timbrado").
import { useEffect, useRef, useState } from 'react';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { PrintStatus } from '#contract/sales-vocabulary.ts';
import type { ScreenProps } from '../app.tsx';
import { EmailField } from '../components/email-field.tsx';
import { INVOICE_KEY, InvoiceDialog, invoiceWords, isInvoiceKey } from '../components/invoice-dialog.tsx';
import { Message } from '../components/message.tsx';
import { ReceiptPreview } from '../components/receipt-preview.tsx';
import { useCounter } from '../stores/counter-context.ts';
import type { SyncStore } from '../stores/sync.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { SaleInvoice } from '../stores/register/invoice.ts';
import { EMAIL_KEY, isEmailKey, readEmail } from './customer-email.ts';

/** What became of the receipt's paper; waiting (PENDING) is the rest. UNCERTAIN is asked about from the status bar. */
const PRINT_WORDS: Partial<Record<PrintStatus, MessageKey>> = {
  PRINTED: 'receipt.printed',
  UNSENT: 'receipt.unsent',
  SENDING: 'receipt.sending',
  UNCERTAIN: 'receipt.uncertain',
  REPRINTED: 'receipt.reprinted',
  FAILED: 'receipt.failed',
};

/** One empty list for every render: a new one each time would be a change the store never stops reporting. */
const NO_INVOICES: readonly SaleInvoice[] = [];

export function ReceiptScreen({ useRegister, useSync, i18n }: ScreenProps & { useSync: SyncStore }) {
  const { useHistory } = useCounter();
  const receipt = useRegister((s) => s.receipt)!;
  const printed = useRegister((s) => s.printed);
  const emailed = useRegister((s) => s.emailed);
  // A register without central keeps the request until it has one: the words must not promise a connection.
  const standalone = useSync((s) => s.status !== null && !s.status.configured);
  const message = useRegister((s) => s.message);
  const registerBusy = useRegister((s) => s.busy);
  const paper = useHistory((s) => s.paper);
  const notice = useHistory((s) => s.notice);
  const reprintProblem = useHistory((s) => s.message);
  const reprinting = useHistory((s) => s.busy);
  const invoicing = useRegister((s) => s.invoicing?.saleId === receipt.saleId);
  const invoices = useRegister((s) => (s.saleInvoices?.saleId === receipt.saleId ? s.saleInvoices.invoices : NO_INVOICES));
  const { nextSale, emailReceipt, openInvoice } = useRegister.getState();
  /** The address being typed; null while the e-mail field is closed. */
  const [address, setAddress] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const nextButton = useRef<HTMLButtonElement>(null);
  const emailing = address !== null;
  const openEmail = () => {
    setAddress('');
    setTried(false);
  };
  const closeEmail = () => {
    setAddress(null);
    // Enter is the next customer again.
    window.setTimeout(() => nextButton.current?.focus(), 0);
  };
  const sendEmail = async () => {
    if (address === null) return;
    setTried(true);
    if (await emailReceipt(address)) closeEmail();
  };
  const { reprint, reset, loadOriginal } = useHistory.getState();
  const busy = registerBusy || reprinting;
  // What a reprint left on screen belongs to the sale it was made for, not to this one.
  useEffect(() => {
    reset();
    // The paper is on screen even when the receipts were read before the spool had written it.
    if (!useRegister.getState().printed.some((p) => p.kind === 'SALE' && p.copyNumber === 0)) void loadOriginal(receipt.saleId);
  }, [reset, loadOriginal, useRegister, receipt.saleId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: openEmail and closeEmail only set state; the listener follows whether the field is open
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The invoice dialog has the keyboard while it is open.
      if (useRegister.getState().approval || useRegister.getState().invoicing) return;
      // While the address is typed, Enter sends it (the field's own form) and Esc closes it.
      if (emailing) {
        if (e.key === 'Escape') {
          e.preventDefault();
          closeEmail();
        }
        return;
      }
      if (isEmailKey(e)) {
        e.preventDefault();
        openEmail();
      } else if (isInvoiceKey(e)) {
        e.preventDefault();
        void openInvoice();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        nextSale();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [nextSale, emailing, useRegister]);
  // The sale's own receipt: an invoice's printout of the same sale is numbered from 0 too.
  const original = printed.find((p) => p.kind === 'SALE' && p.copyNumber === 0);
  const made = paper?.saleId === receipt.saleId ? paper : null;
  const originalStatus = original?.status ?? (made?.kind === 'original' && !made.printed ? 'UNSENT' : undefined);
  const status = i18n.t((originalStatus && PRINT_WORDS[originalStatus]) || 'receipt.pending');
  const reprinted = made && made.kind !== 'original' ? made : null;
  const document = reprinted?.document ?? (original?.document as ReceiptDocument | undefined) ?? made?.document;
  // With no printer the paper on screen is all there is: said before anyone has to ask.
  const said = made ? notice : original?.status === 'UNSENT' ? i18n.t('receipt.noPrinter') : null;
  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <div className="receipt-side">
        <h1 id="receipt-title">{i18n.t('receipt.title', { code: receipt.receiptCode })}</h1>
        {/^0(\.0+)?$/.test(receipt.change) ? null : (
          <p className="change-due" role="status">
            {i18n.t('receipt.change', { amount: i18n.money(receipt.change) })}
          </p>
        )}
        <p className={originalStatus === 'UNCERTAIN' || originalStatus === 'FAILED' ? 'badge warn' : 'badge'}>{status}</p>
        {said ? (
          <p className="notice" role="status">
            {said}
          </p>
        ) : null}
        {emailed.map((e) => (
          <p key={e.email} className="notice" role="status">
            {i18n.t(e.queued ? (standalone ? 'receipt.email.kept' : 'receipt.email.queued') : 'receipt.email.already', { email: e.email })}
          </p>
        ))}
        {invoices.map((invoice) => (
          <p key={invoice.id} className="notice" role="status">
            {invoiceWords(i18n, invoice)}
          </p>
        ))}
        {emailing ? (
          <form
            className="receipt-email"
            aria-label={i18n.t('receipt.email')}
            onSubmit={(e) => {
              e.preventDefault();
              void sendEmail();
            }}
          >
            <EmailField
              id="receipt-email"
              label={i18n.t('receipt.email.address')}
              value={address}
              onChange={(typed) => {
                setAddress(typed);
                setTried(false);
              }}
              problem={i18n.t('receipt.email.problem')}
              missing={tried && readEmail(address).value === null ? i18n.t('receipt.email.empty') : null}
              autoFocus
            />
            <div className="actions">
              <button type="button" onClick={closeEmail}>
                {i18n.t('receipt.email.cancel')} <kbd>Esc</kbd>
              </button>
              <button type="submit" className="primary" disabled={busy}>
                {i18n.t('receipt.email.send')} <kbd>Enter</kbd>
              </button>
            </div>
          </form>
        ) : null}
        <Message text={reprintProblem ?? message} />
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void reprint(receipt.saleId, 'copy')}>
            {i18n.t('receipt.reprint')}
          </button>
          <button type="button" disabled={busy} onClick={() => void reprint(receipt.saleId, 'gift')}>
            {i18n.t('receipt.gift')}
          </button>
          <button type="button" aria-keyshortcuts={EMAIL_KEY} aria-expanded={emailing} disabled={busy || emailing} onClick={openEmail}>
            {i18n.t('receipt.email')} <kbd>{EMAIL_KEY}</kbd>
          </button>
          <button type="button" aria-keyshortcuts={INVOICE_KEY} disabled={busy || invoicing} onClick={() => void openInvoice()}>
            {i18n.t('invoice.open')} <kbd>{INVOICE_KEY}</kbd>
          </button>
          <button type="button" ref={nextButton} className="primary big" autoFocus onClick={() => nextSale()}>
            {i18n.t('receipt.next')} <kbd>Enter</kbd>
          </button>
        </div>
      </div>
      {document ? <ReceiptPreview document={document} label={receipt.receiptCode} /> : null}
      {invoicing ? (
        <InvoiceDialog
          useRegister={useRegister}
          i18n={i18n}
          receiptCode={receipt.receiptCode}
          // Enter is the next customer again.
          onClosed={() => window.setTimeout(() => nextButton.current?.focus(), 0)}
        />
      ) : null}
    </section>
  );
}
