// Digits for a touch screen: an amount, a quantity, a weight or a PIN without the keyboard. The
// pad types into the number field that has the focus (or the last one that had it, or the pad's
// own `target`, or the first number field beside it), exactly as typed keys would: the field's
// own onChange reads and checks the text, so a pad needs no wiring of its own. Its keys never
// take the focus, so the caret stays in the field. The decimal key is the locale's (a comma in
// es-AR and es-CO), so the pad writes what the field reads.
import { useEffect, useRef } from 'react';
import type { I18n } from '../i18n/index.ts';
import { decimalSeparator } from '../i18n/number-fields.ts';
import { setValue } from '../scan/text-entry.ts';
import { padEdit, type PadKey } from './keypad-edit.ts';

/** A field the pad may type into: a number field (inputmode numeric or decimal) that takes input. */
const isNumberField = (el: unknown): el is HTMLInputElement =>
  el instanceof HTMLInputElement && !el.disabled && !el.readOnly && (el.inputMode === 'numeric' || el.inputMode === 'decimal');

/** Writes through the element's own setter and an input event, so React's onChange sees a keystroke. */
function type(field: HTMLInputElement, key: PadKey, separator: string) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const next = padEdit({ value: field.value, start, end }, key, separator, field.maxLength);
  field.focus();
  if (next.value !== field.value) {
    setValue(field, next.value);
  }
  if (field.value === next.value) field.setSelectionRange(next.start, next.end);
}

export function NumberPad({ i18n, decimals = false, target }: { i18n: I18n; decimals?: boolean; target?: string }) {
  const separator = decimalSeparator(i18n);
  const pad = useRef<HTMLDivElement>(null);
  const last = useRef<HTMLInputElement | null>(null);
  const around = () => pad.current?.closest('[role="dialog"], section, form') ?? document.body;
  // biome-ignore lint/correctness/useExhaustiveDependencies: one focus listener for the pad's life; around() reads the ref when a field takes focus
  useEffect(() => {
    const remember = (e: FocusEvent) => {
      if (isNumberField(e.target) && around().contains(e.target)) last.current = e.target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  const field = (): HTMLInputElement | null => {
    const scope = around();
    const focused = document.activeElement;
    if (isNumberField(focused) && scope.contains(focused)) return focused;
    if (isNumberField(last.current) && last.current.isConnected && scope.contains(last.current)) return last.current;
    const own = target ? document.getElementById(target) : null;
    if (own instanceof HTMLInputElement && !own.disabled) return own;
    return Array.from(scope.querySelectorAll('input')).find(isNumberField) ?? null;
  };
  const press = (key: PadKey) => {
    const into = field();
    if (into) type(into, key, separator);
  };

  const digit = (d: string) => (
    <button type="button" key={d} tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={() => press({ kind: 'text', text: d })}>
      {d}
    </button>
  );
  return (
    <div ref={pad} className="numpad" role="group" aria-label={i18n.t('keypad.label')}>
      {['7', '8', '9'].map(digit)}
      <button
        type="button"
        className="numpad-back"
        tabIndex={-1}
        aria-label={i18n.t('keypad.back')}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => press({ kind: 'back' })}
      >
        ⌫
      </button>
      {['4', '5', '6'].map(digit)}
      {['1', '2', '3'].map(digit)}
      <button
        type="button"
        className="numpad-clear"
        tabIndex={-1}
        aria-label={i18n.t('keypad.clear')}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => press({ kind: 'clear' })}
      >
        C
      </button>
      {digit('0')}
      {digit('00')}
      {decimals ? (
        <button
          type="button"
          tabIndex={-1}
          aria-label={i18n.t(separator === ',' ? 'keypad.comma' : 'keypad.point')}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => press({ kind: 'text', text: separator })}
        >
          {separator}
        </button>
      ) : (
        <span />
      )}
    </div>
  );
}
