// The back office, opened with Ctrl+B (or its button) by an owner or manager, from the sell
// screen or, before the shift is open, from the opening-float screen: products, stock, employees,
// roles, what central could not send, the register's invoices, the receipts' settings, the register's card terminal and the catalog
// conflicts between registers, each a tab (Alt+1…9) shown
// only to those whose permissions its changes need. On the way in it asks for the password and authenticator code
// (the engine's step-up), and the step-up ends with the visit. Esc goes back to selling (or to opening the shift), as from every side task.
import { useEffect } from 'react';
import type { I18n } from '../../i18n/index.ts';
import type { BackOfficeStore } from '../../stores/back-office.ts';
import { tabsFor } from '../../stores/back-office.ts';
import type { RegisterStore } from '../../stores/register.ts';
import { Message } from '../../components/message.tsx';
import { ProductsTab } from './products.tsx';
import { StockTab } from './stock.tsx';
import { StaffTab } from './staff.tsx';
import { RolesTab } from './roles.tsx';
import { OutgoingTab } from './outgoing.tsx';
import { InvoicesTab } from './invoices.tsx';
import { SettingsTab } from './settings.tsx';
import { CardTerminalTab } from './card-terminal.tsx';
import { ConflictsTab } from './conflicts.tsx';
import { StepUpDialog } from './step-up-dialog.tsx';
import './back-office.css';

export type BackOfficeProps = { useBackOffice: BackOfficeStore; i18n: I18n };

export function BackOfficeScreen({ useRegister, useBackOffice, i18n }: BackOfficeProps & { useRegister: RegisterStore }) {
  const permissions = useRegister((s) => s.permissions);
  const tab = useBackOffice((s) => s.tab);
  const message = useBackOffice((s) => s.message);
  const notice = useBackOffice((s) => s.notice);
  const stepUpUntil = useBackOffice((s) => s.stepUpUntil);
  const lookOnly = useBackOffice((s) => s.lookOnly);
  const me = useRegister((s) => s.employee);
  const tabs = tabsFor(permissions);
  const back = () => useRegister.getState().show('sell');

  useEffect(() => {
    useBackOffice.getState().enter(permissions);
  }, [useBackOffice, permissions]);
  // However the visit ends (Esc, the button, signing out), the step-up ends with it.
  useEffect(() => () => useBackOffice.getState().leave(), [useBackOffice]);
  // Someone added or changed here can sign in at once: the sign-in screen's list follows.
  useEffect(
    () =>
      useBackOffice.subscribe((now, before) => {
        if (now.staff !== before.staff && before.staff.length > 0) void useRegister.getState().loadStaff();
      }),
    [useBackOffice, useRegister],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // With a shift open the register's own Esc goes back to selling; before one, this does (to the opening float).
      if (e.key === 'Escape' && !useRegister.getState().shift) {
        e.preventDefault();
        useRegister.getState().show('sell');
        return;
      }
      if (!e.altKey) return;
      const chosen = tabsFor(useRegister.getState().permissions).find((t) => t.key === e.key);
      if (chosen) {
        e.preventDefault();
        useBackOffice.getState().show(chosen.tab);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useRegister, useBackOffice]);

  const props = { useBackOffice, i18n };
  return (
    <section className="back-office" aria-labelledby="bo-title">
      <header className="bo-header">
        <h1 id="bo-title">{i18n.t('bo.title')}</h1>
        <nav className="bo-tabs" role="tablist" aria-label={i18n.t('bo.title')}>
          {tabs.map((t) => (
            <button
              key={t.tab}
              type="button"
              role="tab"
              aria-selected={tab === t.tab}
              aria-keyshortcuts={`Alt+${t.key}`}
              className={tab === t.tab ? 'selected' : ''}
              onClick={() => useBackOffice.getState().show(t.tab)}
            >
              {i18n.t(t.label)} <kbd>Alt+{t.key}</kbd>
            </button>
          ))}
        </nav>
        {stepUpUntil ? (
          <span className="bo-step-up-until muted" role="status">
            {i18n.t('bo.stepUp.until', { time: i18n.dateTime(stepUpUntil) })}
          </span>
        ) : null}
        {lookOnly ? (
          <span className="bo-look-only" role="status">
            {i18n.t('bo.stepUp.lookOnly')}
          </span>
        ) : null}
        <button type="button" className="bo-back" aria-keyshortcuts="Escape" onClick={back}>
          {i18n.t('menu.back')} <kbd>Esc</kbd>
        </button>
      </header>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Message text={message} />
      <div className="bo-body" role="tabpanel" aria-label={i18n.t(tabs.find((t) => t.tab === tab)?.label ?? 'bo.tab.products')}>
        {tab === 'products' ? <ProductsTab {...props} /> : null}
        {tab === 'stock' ? <StockTab {...props} /> : null}
        {tab === 'staff' ? <StaffTab {...props} /> : null}
        {tab === 'roles' ? <RolesTab {...props} /> : null}
        {tab === 'outgoing' ? <OutgoingTab {...props} /> : null}
        {tab === 'invoices' ? <InvoicesTab {...props} /> : null}
        {tab === 'settings' ? <SettingsTab {...props} /> : null}
        {tab === 'cardTerminal' ? <CardTerminalTab {...props} /> : null}
        {tab === 'conflicts' ? <ConflictsTab {...props} /> : null}
      </div>
      <StepUpDialog useBackOffice={useBackOffice} i18n={i18n} name={me?.displayName ?? ''} onCancelEntry={back} />
    </section>
  );
}
