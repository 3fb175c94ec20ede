// A line's price changed by hand, with the reason on record. Changing prices is the manager's
// permission (sales.price_override): for a cashier the engine asks for a manager's PIN through
// the approval dialog, and the audit trail names both.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { AMOUNT_FIELD, readField } from '../i18n/number-fields.ts';
import { AmountInput } from './amount-input.tsx';
import { Message } from './message.tsx';

export function PriceDialog({ useRegister, i18n }: ScreenProps) {
  const editing = useRegister((s) => s.editing);
  const sale = useRegister((s) => s.sale);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const { editLine, overridePrice } = useRegister.getState();
  const [price, setPrice] = useState('');
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !useRegister.getState().approval) {
        e.stopImmediatePropagation();
        editLine(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editLine, useRegister]);
  const line = editing?.kind === 'price' ? sale?.lines.find((l) => l.id === editing.lineId) : undefined;
  if (!line || approval) return null;
  const title = i18n.t('price.title', { name: line.name });
  const reasonMissing = reason.trim() === '';
  const value = readField(i18n, AMOUNT_FIELD, price).value;
  const submit = () => {
    setShown(true);
    if (value === null || reasonMissing || busy) return;
    void overridePrice(line.id, value, reason.trim());
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel">
        <h1>{title}</h1>
        <p>
          {i18n.t('price.now', { amount: i18n.money(line.unitPrice) })}
          {line.listPrice ? ` (${i18n.t('sell.listPrice', { amount: i18n.money(line.listPrice) })})` : ''}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <AmountInput label={i18n.t('price.field', { unit: line.unit })} value={price} onChange={setPrice} i18n={i18n} autoFocus />
          <div className="field">
            <label htmlFor="price-reason">{i18n.t('price.reason')}</label>
            <input
              id="price-reason"
              autoComplete="off"
              maxLength={200}
              value={reason}
              aria-invalid={shown && reasonMissing}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          {shown && reasonMissing ? (
            <p className="message" role="alert">
              {i18n.t('price.reasonNeeded')}
            </p>
          ) : null}
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={() => editLine(null)}>
              {i18n.t('approval.cancel')} <kbd>Esc</kbd>
            </button>
            <button type="submit" className="primary" disabled={busy || value === null}>
              {i18n.t('price.submit')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
