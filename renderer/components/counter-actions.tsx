// The counter's actions beside selling, on the sell screen's menu and keys: cancel the whole
// sale (Ctrl+Supr), an open-price item (Alt+A), a gift card (Alt+G), the drawer opened without a sale (Alt+C). Each
// opens its dialog; the dialogs have the keyboard until they close.
import { useEffect } from 'react';
import type { ScreenProps } from '../app.tsx';
import { useCounter, type CounterDialog } from '../stores/counter.ts';
import type { Register } from '../stores/register.ts';
import { CancelSaleDialog } from './cancel-sale-dialog.tsx';
import { GiftCardDialog } from './gift-card-dialog.tsx';
import { NoSaleDialog } from './no-sale-dialog.tsx';
import { OpenPriceDialog } from './open-price-dialog.tsx';

/** Another layer (payment, a line's dialog, an approval, the switch, a receipt) has the keyboard. */
const keyboardElsewhere = (s: Register) =>
  s.paying || s.approval !== null || s.editing !== null || s.switching || s.discounting !== null || s.receipt !== null;

/** The dialog a key opens, if any: Alt+letter and Ctrl+Supr are chords no scanner sends. */
export function counterKey(
  e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>,
  hasLines: boolean,
): CounterDialog | null {
  if (e.metaKey || e.shiftKey) return null;
  if (e.ctrlKey && !e.altKey && e.key === 'Delete') return hasLines ? 'cancel' : null;
  if (e.altKey && !e.ctrlKey) {
    const letter = e.key.toLowerCase();
    if (letter === 'a') return 'openPrice';
    if (letter === 'c') return 'noSale';
    if (letter === 'g') return 'giftCard';
  }
  return null;
}

export function CounterButtons({ useRegister, i18n }: ScreenProps) {
  const busy = useRegister((s) => s.busy);
  const hasLines = useRegister((s) => (s.sale?.lines.length ?? 0) > 0);
  const { open } = useCounter.getState();
  useEffect(() => {
    // Before the screen's own keys: Supr alone takes the selected line out, Ctrl+Supr is the whole sale.
    const onKey = (e: KeyboardEvent) => {
      const s = useRegister.getState();
      if (useCounter.getState().dialog !== null || keyboardElsewhere(s) || (s.panel !== 'sell' && s.panel !== 'browse')) return;
      const dialog = counterKey(e, (s.sale?.lines.length ?? 0) > 0);
      if (dialog === null) return;
      e.preventDefault();
      e.stopPropagation();
      s.dismiss();
      open(dialog);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [useRegister, open]);
  const opener = (dialog: CounterDialog) => () => {
    useRegister.getState().dismiss();
    open(dialog);
  };
  return (
    <>
      <button type="button" aria-keyshortcuts="Alt+A" disabled={busy} onClick={opener('openPrice')}>
        {i18n.t('counter.openPrice')} <kbd>Alt+A</kbd>
      </button>
      <button type="button" aria-keyshortcuts="Alt+G" disabled={busy} onClick={opener('giftCard')}>
        {i18n.t('counter.giftCard')} <kbd>Alt+G</kbd>
      </button>
      <button type="button" aria-keyshortcuts="Alt+C" disabled={busy} onClick={opener('noSale')}>
        {i18n.t('counter.noSale')} <kbd>Alt+C</kbd>
      </button>
      <button type="button" aria-keyshortcuts="Control+Delete" disabled={busy || !hasLines} onClick={opener('cancel')}>
        {i18n.t('counter.cancel')} <kbd>Ctrl+{i18n.t('key.delete')}</kbd>
      </button>
    </>
  );
}

/** The dialog open, over the sell screen; `onDone` gives the scan field its focus back. */
export function CounterDialogs(props: ScreenProps & { onDone(): void }) {
  const dialog = useCounter((s) => s.dialog);
  // Signed out or the shift closed under it: nothing to act on.
  const token = props.useRegister((s) => s.token);
  useEffect(() => {
    if (!token) useCounter.getState().close();
  }, [token]);
  // Leaving the sell screen closes the dialog rather than keeping it for the way back.
  useEffect(() => () => useCounter.getState().close(), []);
  if (dialog === 'cancel') return <CancelSaleDialog {...props} />;
  if (dialog === 'openPrice') return <OpenPriceDialog {...props} />;
  if (dialog === 'noSale') return <NoSaleDialog {...props} />;
  if (dialog === 'giftCard') return <GiftCardDialog {...props} />;
  return null;
}
