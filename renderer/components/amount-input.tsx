// An amount typed by a person in their locale's way ("1.234,50" in es-AR, "1,234.50" in es-MX),
// shown as typed and refused in place when it cannot be read; the screen sends the engine the
// value readField gives (never a floating-point number).
import { useState } from 'react';
import type { I18n } from '../i18n/index.ts';
import { AMOUNT_FIELD, readField } from '../i18n/number-fields.ts';

export function AmountInput(props: { label: string; value: string; onChange(value: string): void; i18n: I18n; autoFocus?: boolean }) {
  const [touched, setTouched] = useState(false);
  const { problem } = readField(props.i18n, AMOUNT_FIELD, props.value);
  const invalid = touched && problem !== null;
  const id = `amount-${props.label.replace(/\W+/g, '-')}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        autoFocus={props.autoFocus}
        value={props.value}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onChange={(e) => {
          setTouched(true);
          props.onChange(e.target.value.trim());
        }}
      />
      {invalid ? (
        <p id={`${id}-error`} className="message" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
