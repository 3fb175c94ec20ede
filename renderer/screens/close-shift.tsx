// Closing the shift: count the drawer note by note and coin by coin. In a blind store the
// expected amount is not shown until the count is in; a variance over the tolerance asks for a
// manager. The Z report prints on its own; the screen shows its number and the variance. The
// counts are how many notes or coins, whole numbers with no separators in any locale.
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';

export function CloseShiftScreen({ useRegister, i18n }: ScreenProps) {
  const shift = useRegister((s) => s.shift);
  const closed = useRegister((s) => s.closed);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const { closeShift, finishDay, show } = useRegister.getState();
  const [counts, setCounts] = useState<Record<string, string>>({});
  if (closed) {
    return (
      <section className="panel" aria-labelledby="closed-title">
        <h1 id="closed-title">{i18n.t('close.done', { number: closed.zNumber })}</h1>
        <dl className="figures">
          <dt>{i18n.t('close.expected')}</dt><dd>{i18n.money(closed.expectedCash)}</dd>
          <dt>{i18n.t('close.counted')}</dt><dd>{i18n.money(closed.countedCash)}</dd>
          <dt>{i18n.t('close.variance')}</dt><dd aria-label={i18n.t('close.variance')}>{i18n.money(closed.variance)}</dd>
        </dl>
        <button type="button" className="primary big" autoFocus onClick={() => void finishDay()}>{i18n.t('close.finish')}</button>
      </section>
    );
  }
  const denominations = shift?.denominations ?? [];
  const valid = Object.values(counts).every((c) => c === '' || /^\d{1,5}$/.test(c));
  const total = valid ? denominations.reduce((sum, d) => sum.plus(new Decimal(d).times(counts[d] || 0)), new Decimal(0)) : null;
  return (
    <section className="panel" aria-labelledby="close-title">
      <h1 id="close-title">{i18n.t('close.title')}</h1>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (!valid || busy) return;
        const count: Record<string, number> = {};
        for (const d of denominations) if (counts[d]) count[d] = Number.parseInt(counts[d]!, 10);
        void closeShift(count);
      }}>
        <div className="denominations">
          {denominations.map((d) => (
            <div className="field" key={d}>
              <label htmlFor={`count-${d}`}>{i18n.t('close.count', { denomination: i18n.money(d) })}</label>
              <input id={`count-${d}`} inputMode="numeric" autoComplete="off" value={counts[d] ?? ''} aria-invalid={counts[d] !== undefined && counts[d] !== '' && !/^\d{1,5}$/.test(counts[d]!)}
                onChange={(e) => setCounts({ ...counts, [d]: e.target.value.trim() })} />
            </div>
          ))}
        </div>
        {valid ? <p role="status" className="change">{i18n.t('close.counted')}: {i18n.money(total!.toFixed(2))}</p> : <p role="alert" className="message">{i18n.t('close.countProblem')}</p>}
        <button type="submit" className="primary big" disabled={busy || !valid}>{i18n.t('close.submit')}</button>
      </form>
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>{i18n.t('menu.back')} <kbd>Esc</kbd></button>
    </section>
  );
}
