// PIN sign-in: choose who you are, then the PIN on the keypad or the keyboard. A wrong PIN says
// so in place and clears the digits; the engine throttles guessing. The same screen, over the
// sale, is the quick switch between employees (F1 on the sell screen): the one selling stays
// signed in until the next one's PIN is right, and the sale in progress stays on the register.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ScreenProps } from '../app.tsx';
import { useArrowFocus } from '../components/arrow-keys.ts';
import { Message } from '../components/message.tsx';
import { LanguageChoice } from '../components/language-choice.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function SignInScreen({ useRegister, i18n }: ScreenProps) {
  const staff = useRegister((s) => s.staff);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const signIn = useRegister((s) => s.signIn);
  const [who, setWho] = useState<{ employeeId: string; displayName: string } | null>(null);
  const [pin, setPin] = useState('');
  // ↑ ↓ ← → move between the names, Enter chooses.
  const names = useRef<HTMLDivElement>(null);
  useArrowFocus(names, 'button', () => true, { grid: true });

  if (!who) {
    return (
      <section className="sign-in" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{i18n.t('signIn.title')}</h1>
        <div className="staff" ref={names}>
          {staff.map((s) => (
            <button type="button" key={s.employeeId} className="big" onClick={() => setWho(s)}>
              {s.displayName}
            </button>
          ))}
        </div>
        <Message text={message} />
        <LanguageChoice i18n={i18n} />
      </section>
    );
  }
  return (
    <PinEntry
      who={who}
      pin={pin}
      setPin={setPin}
      busy={busy}
      message={message}
      i18n={i18n}
      onSubmit={async () => {
        const ok = await signIn(who.employeeId, pin);
        if (!ok) setPin('');
      }}
      onBack={() => {
        setWho(null);
        setPin('');
        useRegister.getState().dismiss();
      }}
    />
  );
}

/** The quick switch, over the sell screen: everyone but the one selling, then their PIN. */
export function SwitchDialog({ useRegister, i18n }: ScreenProps) {
  const staff = useRegister((s) => s.staff);
  const me = useRegister((s) => s.employee);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const approval = useRegister((s) => s.approval);
  const { signIn, startSwitch, dismiss } = useRegister.getState();
  const [who, setWho] = useState<{ employeeId: string; displayName: string } | null>(null);
  const [pin, setPin] = useState('');
  const names = useRef<HTMLDivElement>(null);
  useArrowFocus(names, 'button', () => !useRegister.getState().approval, { grid: true });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !useRegister.getState().approval) {
        e.stopImmediatePropagation();
        startSwitch(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startSwitch, useRegister]);
  if (approval) return null;
  const stay = (
    <button type="button" onClick={() => startSwitch(false)}>
      {i18n.t('switch.stay', { name: me?.displayName ?? '' })} <kbd>Esc</kbd>
    </button>
  );
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={i18n.t('switch.title')} className="panel">
        {!who ? (
          <>
            <h1>{i18n.t('switch.title')}</h1>
            <div className="staff" ref={names}>
              {staff
                .filter((s) => s.employeeId !== me?.id)
                .map((s) => (
                  <button type="button" key={s.employeeId} className="big" onClick={() => setWho(s)}>
                    {s.displayName}
                  </button>
                ))}
            </div>
            <Message text={message} />
            <div className="actions">{stay}</div>
          </>
        ) : (
          <PinEntry
            who={who}
            pin={pin}
            setPin={setPin}
            busy={busy}
            message={message}
            i18n={i18n}
            onSubmit={async () => {
              const ok = await signIn(who.employeeId, pin);
              if (!ok) setPin('');
            }}
            onBack={() => {
              setWho(null);
              setPin('');
              dismiss();
            }}
            extra={stay}
          />
        )}
      </section>
    </div>
  );
}

function PinEntry(props: {
  who: { displayName: string };
  pin: string;
  setPin(update: (pin: string) => string): void;
  busy: boolean;
  message: string | null;
  i18n: ScreenProps['i18n'];
  onSubmit(): Promise<void>;
  onBack(): void;
  extra?: ReactNode;
}) {
  const { who, pin, setPin, busy, message, i18n } = props;
  const label = i18n.t('signIn.pin', { name: who.displayName });
  return (
    <section className="sign-in" aria-label={i18n.t('signIn.enter')}>
      <h1 id="pin-title">{label}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (pin.length >= 4 && !busy) void props.onSubmit();
        }}
      >
        <input
          aria-label={label}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={8}
          value={pin}
          onChange={(e) => {
            const typed = e.target.value.replace(/\D/g, '');
            setPin(() => typed);
          }}
        />
        <div className="keypad">
          {DIGITS.map((d) => (
            <button type="button" key={d} onClick={() => setPin((p) => (p + d).slice(0, 8))}>
              {d}
            </button>
          ))}
          <button type="button" onClick={() => setPin(() => '')}>
            {i18n.t('signIn.clear')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t('signIn.enter')}
          </button>
        </div>
      </form>
      <Message text={message} />
      <div className="actions">
        <button type="button" className="quiet" onClick={props.onBack}>
          {i18n.t('signIn.back')}
        </button>
        {props.extra}
      </div>
    </section>
  );
}
