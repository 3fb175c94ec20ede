// The sale just paid: the change in large type, the receipt as it was printed (or laid out, if
// there is no printer), a reprint or a gift receipt, and Enter for the next customer.
import { useEffect } from 'react';
import type { ReceiptDocument } from '../../electron/engine/devices/receipt-document.ts';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import { ReceiptPreview } from '../components/receipt-preview.tsx';

export function ReceiptScreen({ useRegister, i18n }: ScreenProps) {
  const receipt = useRegister((s) => s.receipt)!;
  const printed = useRegister((s) => s.printed);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const { nextSale, reprint } = useRegister.getState();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        nextSale();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [nextSale]);
  const original = printed.find((p) => p.copyNumber === 0);
  const status = original?.status === 'PRINTED' ? i18n.t('receipt.printed') : original?.status === 'UNSENT' ? i18n.t('receipt.unsent') : i18n.t('receipt.pending');
  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <div className="receipt-side">
        <h1 id="receipt-title">{i18n.t('receipt.title', { code: receipt.receiptCode })}</h1>
        {/^0(\.0+)?$/.test(receipt.change) ? null : <p className="change-due" role="status">{i18n.t('receipt.change', { amount: i18n.money(receipt.change) })}</p>}
        <p className="badge">{status}</p>
        <Message text={message} />
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void reprint('copy')}>{i18n.t('receipt.reprint')}</button>
          <button type="button" disabled={busy} onClick={() => void reprint('gift')}>{i18n.t('receipt.gift')}</button>
          <button type="button" className="primary big" autoFocus onClick={() => nextSale()}>{i18n.t('receipt.next')} <kbd>Enter</kbd></button>
        </div>
      </div>
      {original ? <ReceiptPreview document={original.document as ReceiptDocument} label={receipt.receiptCode} /> : null}
    </section>
  );
}
