// A scan that could not go where the cashier was: named, with what to do, above every screen
// and dialog until the next scan or until it is closed.
import type { ScreenProps } from '../app.tsx';
import { dialogOpen } from '../scan/use-scan-guard.ts';

export function ScanNotice({ useRegister, i18n }: ScreenProps) {
  const refused = useRegister((s) => s.scanRefused);
  // A notice whose reason has gone (the cashier signed in, opened the shift, went back to the sale) goes with it.
  const outdated = useRegister((s) => (s.scanRefused?.why === 'signIn' && s.token !== null)
    || (s.scanRefused?.why === 'noShift' && s.shift !== null) || (s.scanRefused?.why === 'panel' && s.panel === 'sell')
    || (s.scanRefused?.why === 'dialog' && !s.approval && !s.editing && !s.discounting && !s.switching && !dialogOpen(document)));
  if (!refused || outdated) return null;
  return (
    <div className="scan-notice" role="alert" aria-label={i18n.t('scan.refused.label')}>
      <span>{i18n.t(`scan.refused.${refused.why}`, { code: refused.code })}</span>
      <button type="button" className="quiet" aria-label={i18n.t('scan.refused.close')} onClick={() => useRegister.getState().refuseScan(null)}>✕</button>
    </div>
  );
}
