// A scan that could not go where the cashier was: named, with what to do, above every screen
// and dialog until the next scan or until it is closed.
import { useLayoutEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import type { Register } from '../stores/register.ts';
import { dialogOpen } from '../scan/use-scan-guard.ts';

export function ScanNotice({ useRegister, i18n }: ScreenProps) {
  const refused = useRegister((s) => s.scanRefused);
  // A notice whose reason has gone (the cashier signed in, opened the shift, went back to the sale) goes with it.
  const outdated = useRegister(
    (s) =>
      (s.scanRefused?.why === 'signIn' && s.token !== null) ||
      (s.scanRefused?.why === 'noShift' && s.shift !== null) ||
      (s.scanRefused?.why === 'panel' && s.panel === 'sell'),
  );
  const overOwnDialog = useRegister((s) => s.approval !== null || s.editing !== null || s.discounting !== null || s.switching);
  // Any other dialog (the counter's, the back office's) is only on the page: while the notice
  // refused over one is up, the page is looked at again after every change to the register, and
  // the notice goes with the dialog. Once gone it stays gone, and the page is no longer looked at.
  const [dialogGone, setDialogGone] = useState<Register['scanRefused']>(null);
  const watching = refused?.why === 'dialog' && !overOwnDialog && dialogGone !== refused;
  useLayoutEffect(() => {
    if (!watching) return;
    const look = () => {
      if (!dialogOpen(document)) setDialogGone(refused);
    };
    look();
    return useRegister.subscribe(look);
  }, [watching, refused, useRegister]);
  if (!refused || outdated || (refused.why === 'dialog' && !overOwnDialog && dialogGone === refused)) return null;
  return (
    <div className="scan-notice" role="alert" aria-label={i18n.t('scan.refused.label')}>
      <span>{i18n.t(`scan.refused.${refused.why}`, { code: refused.code })}</span>
      <button
        type="button"
        className="quiet"
        aria-label={i18n.t('scan.refused.close')}
        onClick={() => useRegister.getState().refuseScan(null)}
      >
        ✕
      </button>
    </div>
  );
}
