// Opening the shift: the float in the drawer, typed as an amount in the cashier's locale, or on
// the touch pad.
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { AmountInput } from '../components/amount-input.tsx';
import { Message } from '../components/message.tsx';
import { NumberPad } from '../components/number-pad.tsx';
import { AMOUNT_FIELD, readField } from '../i18n/number-fields.ts';
import { BackOfficeButton } from './back-office/back-office-button.tsx';

export function OpenShiftScreen({ useRegister, i18n }: ScreenProps) {
  const [float, setFloat] = useState('');
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const openShift = useRegister((s) => s.openShift);
  const value = readField(i18n, AMOUNT_FIELD, float).value;
  return (
    <section aria-labelledby="open-shift-title" className="panel">
      <h1 id="open-shift-title">{i18n.t('shift.open.title')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value !== null && !busy) void openShift(value);
        }}
      >
        <AmountInput label={i18n.t('shift.open.float')} value={float} onChange={setFloat} i18n={i18n} autoFocus />
        <NumberPad decimals i18n={i18n} />
        <button type="submit" className="primary big" disabled={busy || value === null}>
          {i18n.t('shift.open.submit')}
        </button>
      </form>
      <Message text={message} />
      <BackOfficeButton useRegister={useRegister} i18n={i18n} />
    </section>
  );
}
