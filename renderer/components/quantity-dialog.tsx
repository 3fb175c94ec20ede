// A line's quantity (pieces) or weight (kilograms), by keyboard or on the touch pad, or the
// weight of a weighed product tapped on the category grid. A weight can be read from the scale.
// A bad entry is explained in place and nothing is sent. The field is in the cashier's locale
// ("0,750" kg in es-AR); the engine gets "0.750".
import { useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { fieldProblem, fieldText, QUANTITY_FIELD, readField } from '../i18n/number-fields.ts';
import { quantityProblem, quantityText } from '../screens/sell-lines.ts';
import { Message } from './message.tsx';
import { NumberPad } from './number-pad.tsx';

export function QuantityDialog({ useRegister, i18n }: ScreenProps) {
  const editing = useRegister((s) => s.editing);
  const sale = useRegister((s) => s.sale);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const hasScale = useRegister((s) => s.hasScale);
  const weighing = useRegister((s) => s.weighing);
  const { editLine, setQuantity, addWeighed, weigh } = useRegister.getState();
  const line = editing?.kind === 'quantity' ? sale?.lines.find((l) => l.id === editing.lineId) : undefined;
  const adding = editing?.kind === 'weigh' ? editing.item : undefined;
  const weighed = line ? line.isWeighed : true;
  const [value, setValue] = useState(line ? fieldText(i18n, quantityText(line.quantity, line.isWeighed)) : '');
  const [shown, setShown] = useState(false);
  // The current quantity is shown selected: the first key typed or pressed on the pad replaces it.
  const field = useRef<HTMLInputElement>(null);
  // A stable weight read from the scale goes into the field, selected, to be confirmed.
  useEffect(() => {
    if (weighing?.weightKg) {
      setValue(fieldText(i18n, weighing.weightKg));
      requestAnimationFrame(() => field.current?.select());
    }
  }, [weighing, i18n]);
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
  if ((!line && !adding) || approval) return null;
  const name = line?.name ?? adding!.name;
  const quantity = readField(i18n, QUANTITY_FIELD, value).value;
  const problem = quantity === null ? 'FORMAT' : quantityProblem(quantity, weighed);
  const title = line ? i18n.t('quantity.title', { name }) : i18n.t('quantity.weighTitle', { name });
  const submit = () => {
    setShown(true);
    if (problem || quantity === null || busy) return;
    if (line) void setQuantity(line.id, quantity);
    else void addWeighed(adding!.variantId, quantity);
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
          <div className="field">
            <label htmlFor="line-quantity">{weighed ? i18n.t('quantity.weight') : i18n.t('quantity.field')}</label>
            <input
              ref={field}
              id="line-quantity"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={value}
              aria-invalid={shown && problem !== null}
              onChange={(e) => {
                setValue(e.target.value.trim());
                setShown(false);
              }}
              onFocus={(e) => e.target.select()}
            />
          </div>
          <NumberPad target="line-quantity" decimals={weighed} i18n={i18n} />
          {shown && problem ? (
            <p className="message" role="alert">
              {problem === 'FORMAT' ? fieldProblem(i18n, QUANTITY_FIELD) : i18n.t(`quantity.problem.${problem}`)}
            </p>
          ) : null}
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={() => editLine(null)}>
              {i18n.t('approval.cancel')} <kbd>Esc</kbd>
            </button>
            {weighed && hasScale ? (
              <button type="button" disabled={busy} onClick={() => void weigh()}>
                {i18n.t('quantity.weigh')}
              </button>
            ) : null}
            <button type="submit" className="primary" disabled={busy}>
              {line ? i18n.t('quantity.submit') : i18n.t('quantity.add')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
