// Closing the shift: count the drawer note by note and coin by coin, by keyboard or with the
// on-screen keypad (it types into the denomination chosen last). In a blind store the expected
// amount is not shown until the count is in; a variance over the tolerance asks for a manager.
// Sales still on hold are named before the count: they are not cancelled, the Z lists them and
// the next shift can finish them. After the close the whole Z report is on screen, and the
// screen says whether it went to a printer. The counts are how many notes or coins, whole
// numbers with no separators in any locale.
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import type { CardReconciliation } from '#contract/card-reconciliation.ts';
import type { ScreenProps } from '../app.tsx';
import { CardReconciliationView } from '../components/card-reconciliation-view.tsx';
import { Message } from '../components/message.tsx';
import { NumberPad } from '../components/number-pad.tsx';
import { ShiftReportView } from '../components/shift-report-view.tsx';

const COUNT = /^\d{1,5}$/;

export function CloseShiftScreen({ useRegister, i18n }: ScreenProps) {
  const shift = useRegister((s) => s.shift);
  const closed = useRegister((s) => s.closed);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const parked = useRegister((s) => s.parked);
  const { closeShift, finishDay, show, reconcileCards } = useRegister.getState();
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [cards, setCards] = useState<CardReconciliation | null>(null);
  const denominations = shift?.denominations ?? [];
  const [active, setActive] = useState<string | null>(null);
  if (closed) {
    const title = i18n.t('close.done', { number: closed.zNumber });
    return (
      <section className="panel report-panel" aria-labelledby="closed-title">
        <h1 id="closed-title">{title}</h1>
        <p role="status" className={closed.printed ? 'notice' : 'warning'}>
          {i18n.t(closed.printed ? 'report.z.printed' : 'report.z.noPrinter')}
        </p>
        <ShiftReportView report={closed.report} i18n={i18n} title={i18n.t('report.z.figures', { number: closed.zNumber })} />
        <div className="actions">
          <button type="button" className="primary big" autoFocus onClick={() => void finishDay()}>
            {i18n.t('close.finish')}
          </button>
        </div>
      </section>
    );
  }
  if (cards) {
    // The count typed so far stays: going back finds it as it was left.
    return (
      <section className="panel report-panel" aria-labelledby="cards-title">
        <h1 id="cards-title">{i18n.t('reconcile.title')}</h1>
        <CardReconciliationView result={cards} i18n={i18n} />
        <div className="actions">
          <button type="button" autoFocus onClick={() => setCards(null)}>
            {i18n.t('close.backToCount')}
          </button>
        </div>
      </section>
    );
  }
  const valid = Object.values(counts).every((c) => c === '' || COUNT.test(c));
  const total = valid ? denominations.reduce((sum, d) => sum.plus(new Decimal(d).times(counts[d] || 0)), new Decimal(0)) : null;
  const chosen = active ?? denominations[0] ?? null;
  const parkedTotal = parked.reduce((sum, p) => sum.plus(p.total), new Decimal(0)).toFixed(2);
  return (
    <section className="panel wide close-panel" aria-labelledby="close-title">
      <h1 id="close-title">{i18n.t('close.title')}</h1>
      {parked.length > 0 ? (
        <p className="warning" role="note">
          {i18n.t(parked.length === 1 ? 'close.parked.one' : 'close.parked', { count: parked.length, amount: i18n.money(parkedTotal) })}
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid || busy) return;
          const count: Record<string, number> = {};
          for (const d of denominations) if (counts[d]) count[d] = Number.parseInt(counts[d]!, 10);
          void closeShift(count);
        }}
      >
        <div className="close-count">
          <div className="denominations">
            {denominations.map((d) => (
              <div className="field" key={d}>
                <label htmlFor={`count-${d}`}>{i18n.t('close.count', { denomination: i18n.money(d) })}</label>
                <input
                  id={`count-${d}`}
                  inputMode="numeric"
                  autoComplete="off"
                  value={counts[d] ?? ''}
                  aria-invalid={counts[d] !== undefined && counts[d] !== '' && !COUNT.test(counts[d]!)}
                  className={d === chosen ? 'chosen' : undefined}
                  onFocus={() => setActive(d)}
                  onChange={(e) => setCounts({ ...counts, [d]: e.target.value.trim() })}
                />
              </div>
            ))}
          </div>
          {chosen ? (
            <div aria-label={i18n.t('close.pad', { denomination: i18n.money(chosen) })} role="group">
              <p className="pad-for">{i18n.t('close.pad', { denomination: i18n.money(chosen) })}</p>
              <NumberPad target={`count-${chosen}`} decimals={false} i18n={i18n} />
            </div>
          ) : null}
        </div>
        {valid ? (
          <p role="status" className="change">
            {i18n.t('close.counted')}: {i18n.money(total!.toFixed(2))}
          </p>
        ) : (
          <p role="alert" className="message">
            {i18n.t('close.countProblem')}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy || !valid}>
          {i18n.t('close.submit')}
        </button>
      </form>
      <Message text={message} />
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void reconcileCards().then((answer) => {
            if (answer) setCards(answer);
          })
        }
      >
        {i18n.t('close.reconcile')}
      </button>
      <button type="button" onClick={() => show('sell')}>
        {i18n.t('menu.back')} <kbd>Esc</kbd>
      </button>
    </section>
  );
}
