// A manager authorises this one action with their PIN, on this screen, without the cashier
// signing out. The engine checks the manager's permission and limits; a wrong PIN asks again.
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';

export function ApprovalDialog({ useRegister, i18n }: ScreenProps) {
  const approval = useRegister((s) => s.approval);
  const staff = useRegister((s) => s.staff);
  const me = useRegister((s) => s.employee);
  const [who, setWho] = useState<{ employeeId: string; displayName: string } | null>(null);
  const [pin, setPin] = useState('');
  if (!approval) return null;
  const done = (answer: { employeeId: string; pin: string } | null) => {
    setPin('');
    setWho(null);
    approval.resolve(answer);
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={i18n.t('approval.title')} className="panel">
        <h1>{i18n.t('approval.title')}</h1>
        <p role="alert" className="message">{approval.text}</p>
        {!who ? (
          <div className="staff" role="group" aria-label={i18n.t('approval.who')}>
            {staff.filter((s) => s.employeeId !== me?.id).map((s) => (
              <button type="button" key={s.employeeId} onClick={() => setWho(s)}>{s.displayName}</button>
            ))}
          </div>
        ) : (
          <form onSubmit={(e) => { e.preventDefault(); if (pin.length >= 4) done({ employeeId: who.employeeId, pin }); }}>
            <label htmlFor="approval-pin">{i18n.t('approval.pin', { name: who.displayName })}</label>
            <input id="approval-pin" type="password" inputMode="numeric" autoComplete="off" autoFocus maxLength={8} value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
            <button type="submit" className="primary">{i18n.t('approval.submit')}</button>
          </form>
        )}
        <div className="actions">
          <button type="button" onClick={() => done(null)}>{i18n.t('approval.cancel')} <kbd>Esc</kbd></button>
        </div>
      </section>
    </div>
  );
}
