// The way into the back office where the sell screen's menu is not there yet: the screen that
// asks for the opening float. Owners and managers see it; Ctrl+B does the same.
import type { ScreenProps } from '../../app.tsx';
import { mayOpenBackOffice } from '../../stores/back-office.ts';

export function BackOfficeButton({ useRegister, i18n }: ScreenProps) {
  const permissions = useRegister((s) => s.permissions);
  if (!mayOpenBackOffice(permissions)) return null;
  return (
    <button type="button" className="bo-open" aria-keyshortcuts="Control+B" onClick={() => useRegister.getState().show('backOffice')}>
      {i18n.t('bo.open')} <kbd>Ctrl+B</kbd>
    </button>
  );
}
