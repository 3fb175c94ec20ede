// A discount on one line or on the whole sale, as a percentage or an amount. Within the
// cashier's limit it applies at once; above it the engine asks for a manager (the approval
// dialog) and the discount applies with the manager's name on record.
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { AMOUNT_FIELD, PERCENT_FIELD, fieldProblem, readField } from '../i18n/number-fields.ts';
import { Message } from './message.tsx';

export function DiscountDialog({ useRegister, i18n }: ScreenProps) {
  const target = useRegister((s) => s.discounting);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const { applyDiscount, startDiscount } = useRegister.getState();
  const [kind, setKind] = useState<'rate' | 'amount'>('rate');
  const [value, setValue] = useState('');
  if (!target || approval) return null;
  // What was typed, in the engine's form; a percentage goes no higher than 100.
  const field = kind === 'rate' ? PERCENT_FIELD : AMOUNT_FIELD;
  const read = readField(i18n, field, value).value;
  const typed = read !== null && (kind === 'amount' || new Decimal(read).lessThanOrEqualTo(100)) ? read : null;
  const valid = typed !== null;
  const title = target.kind === 'line' ? i18n.t('discount.line', { name: target.name }) : i18n.t('discount.sale');
  const submit = () => {
    if (typed === null || busy) return;
    // A percentage typed by a person is a rate to the engine: 12.5 becomes 0.125, in decimals.
    const engineValue = kind === 'rate' ? new Decimal(typed).dividedBy(100).toString() : typed;
    void applyDiscount({ kind, value: engineValue });
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel">
        <h1>{title}</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <fieldset>
            <label className="choice">
              <input type="radio" name="discount-kind" checked={kind === 'rate'} onChange={() => setKind('rate')} />{' '}
              {i18n.t('discount.rate')}
            </label>
            <label className="choice">
              <input type="radio" name="discount-kind" checked={kind === 'amount'} onChange={() => setKind('amount')} />{' '}
              {i18n.t('discount.amount')}
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="discount-value">
              {i18n.t('discount.value')} {kind === 'rate' ? '%' : '$'}
            </label>
            <input
              id="discount-value"
              inputMode="decimal"
              autoFocus
              autoComplete="off"
              value={value}
              aria-invalid={value !== '' && !valid}
              onChange={(e) => setValue(e.target.value.trim())}
            />
            {value !== '' && !valid ? (
              <p className="message" role="alert">
                {fieldProblem(i18n, field)}
              </p>
            ) : null}
          </div>
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={() => startDiscount(null)}>
              {i18n.t('approval.cancel')} <kbd>Esc</kbd>
            </button>
            <button type="button" disabled={busy} onClick={() => void applyDiscount(null)}>
              {i18n.t('discount.remove')}
            </button>
            <button type="submit" className="primary" disabled={busy || !valid}>
              {i18n.t('discount.apply')}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
