// The drawer that stayed shut after a sale or a return paid in cash: what to do first (the key),
// then why, and the printer's own words for whoever fixes it. Under the status bar on whatever
// screen the cashier is at, the change or the return or already the next sale, until they
// dismiss it or the next sale starts (renderer/stores/register/drawer.ts). The no-sale dialog
// says the same words when its drawer stays shut.
import type { DrawerKick } from '#contract/drawer-kick.ts';
import type { ScreenProps } from '../app.tsx';
import type { I18n } from '../i18n/index.ts';

export type DrawerFailureWords = { what: string; why: string; detail: string | null };

export function drawerFailureWords(i18n: I18n, reason: NonNullable<DrawerKick['reason']>, message: string | null): DrawerFailureWords {
  return {
    what: i18n.t('drawer.failed'),
    why: i18n.t(`drawer.failed.${reason}`),
    // A register without a printer has nothing more to say; a printer's words are the clue to the fault.
    detail: reason === 'PRINTER_FAILED' && message ? i18n.t('drawer.failed.detail', { message }) : null,
  };
}

export function DrawerAlert({ useRegister, i18n }: ScreenProps) {
  const failure = useRegister((s) => s.drawerFailure);
  if (!failure) return null;
  const words = drawerFailureWords(i18n, failure.reason, failure.message);
  return (
    <div className="drawer-alert" role="alert">
      <div>
        <p className="drawer-alert-what">{words.what}</p>
        <p>{words.why}</p>
        {words.detail ? <p className="drawer-alert-detail">{words.detail}</p> : null}
      </div>
      <button type="button" onClick={() => useRegister.getState().dismissDrawerFailure()}>
        {i18n.t('drawer.failed.dismiss')}
      </button>
    </div>
  );
}
