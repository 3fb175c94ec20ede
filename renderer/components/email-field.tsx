// The customer's e-mail address, typed at the counter: checked as it is typed, with the words
// under the field while it is not an address (an empty field is fine: the receipt is optional),
// and the key that reaches it shown beside its label.
import type { Ref } from 'react';
import { readEmail } from '../screens/customer-email.ts';

export function EmailField(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  /** The words when what is typed is not an address; `missing` when Enter found the field empty and it is needed. */
  problem: string;
  missing?: string | null;
  shortcut?: string;
  autoFocus?: boolean;
  onEnter?(): void;
  ref?: Ref<HTMLInputElement>;
}) {
  const { id, value } = props;
  const said = readEmail(value).bad ? props.problem : (props.missing ?? null);
  return (
    <div className="field email-field">
      {/* The key beside the label, not in it: the field's name stays its label (aria-keyshortcuts says the key). */}
      <span className="field-head">
        <label htmlFor={id}>{props.label}</label>
        {props.shortcut ? <kbd>{props.shortcut}</kbd> : null}
      </span>
      <input
        id={id}
        ref={props.ref}
        // Text, not type="email": the browser would trim and rewrite what the cashier sees.
        inputMode="email"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={254}
        autoFocus={props.autoFocus}
        aria-keyshortcuts={props.shortcut}
        value={value}
        aria-invalid={said !== null}
        aria-describedby={said !== null ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !props.onEnter) return;
          e.preventDefault();
          props.onEnter();
        }}
      />
      {said !== null ? (
        <p id={`${id}-error`} className="message" role="alert">
          {said}
        </p>
      ) : null}
    </div>
  );
}
