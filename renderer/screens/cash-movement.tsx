// Cash into or out of the drawer with its reason (change from the bank, paying the water man),
// and the X report: on screen whenever it is asked for, and on paper where the register has a
// printer (without one the screen says it did not print). An amount over the store's limit asks
// for a manager, like any other authorisation.
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { AmountInput } from '../components/amount-input.tsx';
import { Message } from '../components/message.tsx';
import { NumberPad } from '../components/number-pad.tsx';
import { ShiftReportView } from '../components/shift-report-view.tsx';
import { AMOUNT_FIELD, readField } from '../i18n/number-fields.ts';
import type { Register } from '../stores/register.ts';

type XShown = NonNullable<Awaited<ReturnType<Register['printXReport']>>>;

export function CashMovementScreen({ useRegister, i18n }: ScreenProps) {
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const { moveCash, printXReport, show } = useRegister.getState();
  const [kind, setKind] = useState<'PAY_IN' | 'PAY_OUT'>('PAY_OUT');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const [x, setX] = useState<XShown | null>(null);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const valid = value !== null && /[1-9]/.test(value) && reason.trim().length > 0;
  if (x) {
    return (
      <section className="panel report-panel" aria-labelledby="x-title">
        <h1 id="x-title">{i18n.t('report.x.title')}</h1>
        <p role="status" className={x.printed ? 'notice' : 'warning'}>
          {i18n.t(x.printed ? 'report.x.printed' : 'report.x.noPrinter')}
        </p>
        <ShiftReportView report={x.report} i18n={i18n} title={i18n.t('report.x.figures')} />
        <div className="actions">
          <button type="button" autoFocus onClick={() => setX(null)}>
            {i18n.t('report.x.done')}
          </button>
          <button type="button" onClick={() => show('sell')}>
            {i18n.t('menu.back')} <kbd>Esc</kbd>
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="cash-title">
      <h1 id="cash-title">{i18n.t('cash.title')}</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!valid || value === null || busy) return;
          const ok = await moveCash(kind, value, reason.trim());
          setDone(ok);
          if (ok) {
            setAmount('');
            setReason('');
          }
        }}
      >
        <fieldset>
          <label className="choice">
            <input type="radio" name="kind" checked={kind === 'PAY_IN'} onChange={() => setKind('PAY_IN')} /> {i18n.t('cash.in')}
          </label>
          <label className="choice">
            <input type="radio" name="kind" checked={kind === 'PAY_OUT'} onChange={() => setKind('PAY_OUT')} /> {i18n.t('cash.out')}
          </label>
        </fieldset>
        <AmountInput
          label={i18n.t('cash.amount')}
          value={amount}
          onChange={(v) => {
            setAmount(v);
            setDone(false);
          }}
          i18n={i18n}
          autoFocus
        />
        <NumberPad decimals i18n={i18n} />
        <div className="field">
          <label htmlFor="cash-reason">{i18n.t('cash.reason')}</label>
          <input
            id="cash-reason"
            value={reason}
            maxLength={200}
            onChange={(e) => {
              setReason(e.target.value);
              setDone(false);
            }}
          />
        </div>
        <button type="submit" className="primary big" disabled={!valid || busy}>
          {i18n.t('cash.submit')}
        </button>
      </form>
      {done ? <p role="status">{i18n.t('cash.done')}</p> : null}
      <Message text={message} />
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            const shown = await printXReport();
            if (shown) setX(shown);
          }}
        >
          {i18n.t('report.x.button')}
        </button>
        <button type="button" onClick={() => show('sell')}>
          {i18n.t('menu.back')} <kbd>Esc</kbd>
        </button>
      </div>
    </section>
  );
}
