// PIN sign-in: choose who you are, then the PIN on the keypad or the keyboard. A wrong PIN says
// so in place and clears the digits; the engine throttles guessing.
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function SignInScreen({ useRegister, i18n }: ScreenProps) {
  const staff = useRegister((s) => s.staff);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const signIn = useRegister((s) => s.signIn);
  const [who, setWho] = useState<{ employeeId: string; displayName: string } | null>(null);
  const [pin, setPin] = useState('');

  if (!who) {
    return (
      <section className="sign-in" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{i18n.t('signIn.title')}</h1>
        <div className="staff">
          {staff.map((s) => (
            <button type="button" key={s.employeeId} className="big" onClick={() => setWho(s)}>{s.displayName}</button>
          ))}
        </div>
        <Message text={message} />
      </section>
    );
  }
  const submit = async () => {
    if (pin.length < 4 || busy) return;
    const ok = await signIn(who.employeeId, pin);
    if (!ok) setPin('');
  };
  const label = i18n.t('signIn.pin', { name: who.displayName });
  return (
    <section className="sign-in" aria-label={i18n.t('signIn.enter')}>
      <h1 id="pin-title">{label}</h1>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <input
          aria-label={label} type="password" inputMode="numeric" autoComplete="off" autoFocus maxLength={8} value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
        <div className="keypad">
          {DIGITS.map((d) => <button type="button" key={d} onClick={() => setPin((p) => (p + d).slice(0, 8))}>{d}</button>)}
          <button type="button" onClick={() => setPin('')}>{i18n.t('signIn.clear')}</button>
          <button type="submit" className="primary" disabled={busy}>{i18n.t('signIn.enter')}</button>
        </div>
      </form>
      <Message text={message} />
      <button type="button" className="quiet" onClick={() => { setWho(null); setPin(''); useRegister.getState().dismiss(); }}>{i18n.t('signIn.back')}</button>
    </section>
  );
}
