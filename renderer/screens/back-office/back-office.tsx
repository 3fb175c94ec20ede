// The back office, opened from the sell screen (F1) by an employee who may change the catalog:
// products, stock, employees and roles, each a tab (Alt+1…4) shown only to those whose permissions
// its changes need. Esc goes back to selling, as from every side task.
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
import './back-office.css';

export type BackOfficeProps = { useBackOffice: BackOfficeStore; i18n: I18n };

export function BackOfficeScreen({ useRegister, useBackOffice, i18n }: BackOfficeProps & { useRegister: RegisterStore }) {
  const permissions = useRegister((s) => s.permissions);
  const tab = useBackOffice((s) => s.tab);
  const message = useBackOffice((s) => s.message);
  const notice = useBackOffice((s) => s.notice);
  const tabs = tabsFor(permissions);

  useEffect(() => {
    useBackOffice.getState().enter(permissions);
  }, [useBackOffice, permissions]);
  // Someone added or changed here can sign in at once: the sign-in screen's list follows.
  useEffect(() => useBackOffice.subscribe((now, before) => {
    if (now.staff !== before.staff && before.staff.length > 0) void useRegister.getState().loadStaff();
  }), [useBackOffice, useRegister]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
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
            <button key={t.tab} type="button" role="tab" aria-selected={tab === t.tab} aria-keyshortcuts={`Alt+${t.key}`}
              className={tab === t.tab ? 'selected' : ''} onClick={() => useBackOffice.getState().show(t.tab)}>
              {i18n.t(t.label)} <kbd>Alt+{t.key}</kbd>
            </button>
          ))}
        </nav>
        <button type="button" className="bo-back" aria-keyshortcuts="Escape" onClick={() => useRegister.getState().show('sell')}>
          {i18n.t('menu.back')} <kbd>Esc</kbd>
        </button>
      </header>
      {notice ? <p className="notice" role="status">{notice}</p> : null}
      <Message text={message} />
      <div className="bo-body" role="tabpanel" aria-label={i18n.t(tabs.find((t) => t.tab === tab)?.label ?? 'bo.tab.products')}>
        {tab === 'products' ? <ProductsTab {...props} /> : null}
        {tab === 'stock' ? <StockTab {...props} /> : null}
        {tab === 'staff' ? <StaffTab {...props} /> : null}
        {tab === 'roles' ? <RolesTab {...props} /> : null}
      </div>
    </section>
  );
}
