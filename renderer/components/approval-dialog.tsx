// Someone else authorises this one action with their PIN, on this screen, without the cashier
// signing out. The dialog says what is being approved and for how much, and offers only the
// people the engine says may approve it (never the one asking). The focus starts on the first of
// them, or in the PIN when there is only one; arrow keys move between them; Esc cancels. The
// engine checks the PIN, the permission and the limits; a wrong PIN asks again here.
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { ScreenProps } from '../app.tsx';
import type { Register } from '../stores/register.ts';
import { pinProblem, type ApproverChoice } from './approval-ask.ts';
import { NumberPad } from './number-pad.tsx';

type Approval = NonNullable<Register['approval']>;

/** Each ask gets fresh state: a new request starts with nobody chosen and an empty PIN. */
const asks = new WeakMap<Approval, number>();
let asked = 0;
const askKey = (a: Approval) => {
  let key = asks.get(a);
  if (key === undefined) {
    key = ++asked;
    asks.set(a, key);
  }
  return key;
};

export function ApprovalDialog({ useRegister, i18n }: ScreenProps) {
  const approval = useRegister((s) => s.approval);
  if (!approval) return null;
  return <ApprovalPanel key={askKey(approval)} approval={approval} i18n={i18n} />;
}

function ApprovalPanel({ approval, i18n }: { approval: Approval; i18n: ScreenProps['i18n'] }) {
  const { approvers } = approval;
  // After a wrong PIN the same person is asked again; one approver is chosen from the start.
  const first = approvers.find((a) => a.employeeId === approval.tried) ?? (approvers.length === 1 ? approvers[0]! : null);
  const [who, setWho] = useState<ApproverChoice | null>(first);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(approval.problem);
  const list = useRef<HTMLDivElement>(null);
  const pinField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (who) pinField.current?.focus();
    else list.current?.querySelector('button')?.focus();
  }, [who]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      approval.resolve(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [approval]);

  const choose = (a: ApproverChoice) => {
    setWho(a);
    setPin('');
    setProblem(null);
    // Chosen again (the same button): the effect does not run, so the PIN takes the focus here.
    pinField.current?.focus();
  };
  const moveAmong = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const buttons = Array.from(list.current?.querySelectorAll('button') ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  };
  const typed = (next: string) => {
    // Letters change nothing: the field keeps its digits and says why.
    if (/\D/.test(next)) return setProblem(i18n.t('approval.pinDigits'));
    setPin(next);
    setProblem(null);
  };
  const submit = () => {
    const wrong = pinProblem(i18n, pin);
    if (wrong) return setProblem(wrong);
    if (who) approval.resolve({ employeeId: who.employeeId, pin });
  };

  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-labelledby="approval-title" aria-describedby="approval-what" className="panel approval">
        <h1 id="approval-title">{i18n.t('approval.title')}</h1>
        <p id="approval-what" className="approval-what">
          {approval.what}
        </p>
        {approvers.length === 0 ? (
          <p className="message" role="alert">
            {i18n.t('approval.nobody')}
          </p>
        ) : (
          <div ref={list} className="staff" role="group" aria-label={i18n.t('approval.who')} onKeyDown={moveAmong}>
            {approvers.map((a) => (
              <button type="button" key={a.employeeId} aria-pressed={who?.employeeId === a.employeeId} onClick={() => choose(a)}>
                {a.displayName} <small>{a.role}</small>
              </button>
            ))}
          </div>
        )}
        {who ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <div className="field">
              <label htmlFor="approval-pin">{i18n.t('approval.pin', { name: who.displayName })}</label>
              <input
                ref={pinField}
                id="approval-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                value={pin}
                aria-invalid={problem !== null}
                aria-describedby={problem ? 'approval-problem' : undefined}
                onChange={(e) => typed(e.target.value)}
              />
            </div>
            <NumberPad target="approval-pin" i18n={i18n} />
            {problem ? (
              <p id="approval-problem" className="message" role="alert">
                {problem}
              </p>
            ) : null}
            <div className="actions">
              <button type="button" onClick={() => approval.resolve(null)}>
                {i18n.t('approval.cancel')} <kbd>Esc</kbd>
              </button>
              <button type="submit" className="primary">
                {i18n.t('approval.submit')} <kbd>Enter</kbd>
              </button>
            </div>
          </form>
        ) : (
          <>
            {problem ? (
              <p className="message" role="alert">
                {problem}
              </p>
            ) : null}
            <div className="actions">
              <button type="button" onClick={() => approval.resolve(null)}>
                {i18n.t('approval.cancel')} <kbd>Esc</kbd>
              </button>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
