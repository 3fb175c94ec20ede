// Digits for a touch screen: a quantity, a weight or a price without the keyboard. Each press
// edits the value the field beside it shows; the field stays typeable. The decimal key is the
// locale's (a comma in es-AR and es-CO), so the pad writes what the field reads.
import type { I18n } from '../i18n/index.ts';
import { decimalSeparator } from '../i18n/number-fields.ts';

export function NumberPad({ value, onChange, decimals, i18n }: { value: string; onChange(next: string): void; decimals: boolean; i18n: I18n }) {
  const separator = decimalSeparator(i18n);
  const press = (key: string) => onChange(key === '⌫' ? value.slice(0, -1) : key === separator && value.includes(separator) ? value : value + key);
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', decimals ? separator : '', '0', '⌫'];
  return (
    <div className="numpad" role="group">
      {keys.map((k, i) => k === '' ? <span key={i} /> : (
        <button type="button" key={k} aria-label={k === separator ? i18n.t(separator === ',' ? 'keypad.comma' : 'keypad.point') : k === '⌫' ? i18n.t('keypad.back') : undefined} onClick={() => press(k)}>{k}</button>
      ))}
    </div>
  );
}
