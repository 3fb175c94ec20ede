// The back office's step-up: the person signed in with their PIN types their password and the
// code from their authenticator app (or a recovery code) before anything changes. Asked on the
// way in and again when a change finds the confirmation run out; the change then goes through.
// Esc cancels here without reaching the register's own Esc (back to selling).
import { useEffect, useRef, useState } from 'react';
import type { I18n } from '../../i18n/index.ts';
import { stepUpCodeReady, type BackOfficeStore } from '../../stores/back-office.ts';

export function StepUpDialog({
  useBackOffice,
  i18n,
  name,
  onCancelEntry,
}: {
  useBackOffice: BackOfficeStore;
  i18n: I18n;
  name: string;
  /** Cancelling on the way in leaves the back office. */
  onCancelEntry(): void;
}) {
  const stepUp = useBackOffice((s) => s.stepUp);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const passwordField = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLInputElement>(null);
  // After a refusal the field to type again has the keyboard, the password's text selected.
  useEffect(() => {
    if (stepUp?.retype === 'password') passwordField.current?.select();
    else if (stepUp?.retype === 'code') codeField.current?.focus();
  }, [stepUp?.message, stepUp?.retype]);
  if (!stepUp) return null;
  const ready = password !== '' && stepUpCodeReady(code) && !stepUp.busy;
  const cancel = () => {
    setPassword('');
    setCode('');
    const entering = stepUp.reason === 'enter';
    useBackOffice.getState().cancelStepUp();
    if (entering) onCancelEntry();
  };
  return (
    <div className="overlay bo-overlay">
      <section
        role="dialog"
        aria-modal="true"
        aria-labelledby="step-up-title"
        aria-describedby="step-up-why"
        className="panel bo-step-up"
        onKeyDown={(e) => {
          // The tabs' Alt shortcuts stay behind the dialog.
          if (e.altKey) e.stopPropagation();
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          cancel();
        }}
      >
        <h1 id="step-up-title">{i18n.t('bo.stepUp.title')}</h1>
        <p id="step-up-why">{i18n.t('bo.stepUp.why')}</p>
        {stepUp.message ? (
          <p role="alert" className="message">
            {stepUp.message}
          </p>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!ready) return;
            void useBackOffice
              .getState()
              .confirmStepUp(password, code)
              .then((done) => {
                setCode('');
                if (done) setPassword('');
              });
          }}
        >
          <label htmlFor="step-up-password">{i18n.t('bo.stepUp.password', { name })}</label>
          <input
            id="step-up-password"
            ref={passwordField}
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <label htmlFor="step-up-code">{i18n.t('bo.stepUp.code')}</label>
          <input
            id="step-up-code"
            ref={codeField}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={11}
            spellCheck={false}
            value={code}
            aria-describedby="step-up-recovery"
            onChange={(e) => setCode(e.target.value.trim())}
          />
          <p id="step-up-recovery" className="muted">
            {i18n.t('bo.stepUp.recoveryHint')}
          </p>
          <div className="actions">
            <button type="button" onClick={cancel}>
              {i18n.t('bo.stepUp.cancel')} <kbd>Esc</kbd>
            </button>
            <button type="submit" className="primary" disabled={!ready}>
              {i18n.t('bo.stepUp.submit')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
