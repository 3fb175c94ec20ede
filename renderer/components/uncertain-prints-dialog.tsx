// Receipts whose printing is unknown (the printer hung or stopped in the middle of one, and the
// store chose to ask): each with what it is and when it was made, and the cashier's word on it,
// "it came out" or "print a copy" (marked as a reprint, never the same receipt twice). Opened
// from the status bar; it has the keyboard until it closes (Esc), and closes by itself once none
// are left. The printer's own words on why stay in each row's tooltip for the technician.
import { useEffect, useRef } from 'react';
import type { UncertainPrint } from '#contract/printer-state.ts';
import type { ScreenProps } from '../app.tsx';
import type { I18n } from '../i18n/index.ts';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { printerBadge } from './printer-words.ts';

// An invoice's printout names its sale too, but it is no ticket: it is said as what it is.
const whatItIs = (i18n: I18n, print: UncertainPrint) =>
  print.receiptCode && print.kind !== 'INVOICE'
    ? i18n.t('printCheck.sale', { code: print.receiptCode })
    : i18n.t(`printCheck.kind.${print.kind}`);

export function UncertainPrintsDialog({ useRegister, i18n }: ScreenProps) {
  const open = useRegister((s) => s.printCheckOpen && s.token !== null);
  return open ? <PrintCheck useRegister={useRegister} i18n={i18n} /> : null;
}

function PrintCheck({ useRegister, i18n }: ScreenProps) {
  const prints = useRegister((s) => s.uncertainPrints);
  const printer = useRegister((s) => s.printer);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const { settlePrint, closePrintCheck, retryPrinter } = useRegister.getState();
  useHoldKeyboard(useRegister, closePrintCheck);
  const dialog = useRef<HTMLElement>(null);
  const first = prints[0]?.receiptId;
  // The first receipt's first answer has the focus, again once a receipt is answered and goes
  // (its buttons, disabled while the answer is on its way, take the focus with them).
  useEffect(() => {
    const here = dialog.current;
    if (!busy && here && !here.contains(document.activeElement)) here.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [first, busy]);
  if (approval) return null;
  const badge = printerBadge(i18n, printer);
  return (
    <div className="overlay">
      <section
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby="print-check-title"
        className="panel counter-dialog print-check"
      >
        <h1 id="print-check-title">{i18n.t('printCheck.title')}</h1>
        <p>{i18n.t('printCheck.intro')}</p>
        <ul className="print-check-list">
          {prints.map((p) => {
            const what = whatItIs(i18n, p);
            return (
              <li key={p.receiptId} title={p.reason ?? undefined}>
                <span>
                  <strong>{what}</strong>
                  <small>{i18n.dateTime(p.createdAt)}</small>
                </span>
                <span className="actions">
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`${i18n.t('printCheck.printed')}: ${what}`}
                    onClick={() => void settlePrint(p.receiptId, 'PRINTED')}
                  >
                    {i18n.t('printCheck.printed')}
                  </button>
                  <button
                    type="button"
                    className="primary"
                    disabled={busy}
                    aria-label={`${i18n.t('printCheck.reprint')}: ${what}`}
                    onClick={() => void settlePrint(p.receiptId, 'REPRINT')}
                  >
                    {i18n.t('printCheck.reprint')}
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
        <Message text={message} />
        <div className="actions">
          {badge.retry ? (
            // A copy waits for the printer like any receipt: what stops it is said here too.
            <span className={`badge ${badge.tone}`}>{badge.text}</span>
          ) : null}
          {badge.retry ? (
            <button type="button" disabled={busy} onClick={() => void retryPrinter()}>
              {i18n.t('status.printer.retry')}
            </button>
          ) : null}
          <button type="button" onClick={closePrintCheck}>
            {i18n.t('printCheck.close')} <kbd>Esc</kbd>
          </button>
        </div>
      </section>
    </div>
  );
}
