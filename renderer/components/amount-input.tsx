// An amount typed by a person: digits and one point, refused in place otherwise, never turned
// into a floating-point number (the engine gets the string).
import { useState } from 'react';
import type { I18n } from '../i18n/index.ts';

export const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;

export function AmountInput(props: { label: string; value: string; onChange(value: string): void; i18n: I18n; autoFocus?: boolean }) {
  const [touched, setTouched] = useState(false);
  const invalid = touched && props.value !== '' && !AMOUNT.test(props.value);
  const id = `amount-${props.label.replace(/\W+/g, '-')}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id} inputMode="decimal" autoComplete="off" autoFocus={props.autoFocus} value={props.value} aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(e) => { setTouched(true); props.onChange(e.target.value.trim()); }}
      />
      {invalid ? <p id={`${id}-error`} className="message" role="alert">{props.i18n.t('input.amount')}</p> : null}
    </div>
  );
}
