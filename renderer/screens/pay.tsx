// Taking cash: what the customer handed over, by typing or a quick amount, and the change before
// it is final. Enter pays; the button is off while a payment is on its way, so a double click
// pays once (and the engine would answer the same sale again anyway).
import { Decimal } from 'decimal.js';
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { AMOUNT, AmountInput } from '../components/amount-input.tsx';
import { Message } from '../components/message.tsx';

/** The exact amount, then the next round sums a customer hands over (20, 50, 100, 200, 500). */
export function quickAmounts(total: string): string[] {
  const due = new Decimal(total);
  const out = [due.toFixed(2)];
  for (const note of [20, 50, 100, 200, 500]) {
    const next = due.dividedBy(note).ceil().times(note);
    if (next.greaterThan(due) && !out.includes(next.toFixed(2))) out.push(next.toFixed(2));
  }
  return [out[0]!, ...out.slice(1).sort((a, b) => new Decimal(a).comparedTo(b))].slice(0, 5);
}

export function PayScreen({ useRegister, i18n }: ScreenProps) {
  const sale = useRegister((s) => s.sale);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const { payCash, payCard, stopPaying } = useRegister.getState();
  const [cash, setCash] = useState('');
  const [last4, setLast4] = useState('');
  const [approval, setApproval] = useState('');
  const cardReady = /^\d{4}$/.test(last4) && /^[A-Za-z0-9]{1,12}$/.test(approval);
  const total = sale?.totals.total ?? '0';
  const valid = AMOUNT.test(cash);
  const change = valid ? new Decimal(cash).minus(total) : null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') stopPaying();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stopPaying]);

  const title = i18n.t('pay.title', { total: i18n.money(total) });
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel pay">
        <h1>{title}</h1>
        <form onSubmit={(e) => { e.preventDefault(); if (valid && !busy) void payCash(cash); }}>
          <AmountInput label={i18n.t('pay.cash')} value={cash} onChange={setCash} i18n={i18n} autoFocus />
          <div className="quick">
            {quickAmounts(total).map((amount, i) => (
              <button type="button" key={amount} onClick={() => setCash(amount)}>{i === 0 ? i18n.t('pay.exact') : i18n.money(amount)}</button>
            ))}
          </div>
          {change ? (
            <p className="change" role="status">
              {change.isNegative() ? i18n.t('pay.short', { amount: i18n.money(change.negated().toFixed(2)) }) : `${i18n.t('pay.change')}: ${i18n.money(change.toFixed(2))}`}
            </p>
          ) : null}
          <div className="actions">
            <button type="button" onClick={() => stopPaying()}>{i18n.t('pay.cancel')} <kbd>Esc</kbd></button>
            <button type="submit" className="primary big" disabled={busy || !valid || change!.isNegative()}>{i18n.t('pay.submit')} <kbd>Enter</kbd></button>
          </div>
        </form>
        <form className="card" aria-label={i18n.t('pay.card')} onSubmit={(e) => { e.preventDefault(); if (cardReady && !busy) void payCard(last4, approval); }}>
          <h2>{i18n.t('pay.card')}</h2>
          <div className="field">
            <label htmlFor="card-last4">{i18n.t('pay.card.last4')}</label>
            <input id="card-last4" inputMode="numeric" maxLength={4} autoComplete="off" value={last4} onChange={(e) => setLast4(e.target.value.replace(/\D/g, ''))} />
          </div>
          <div className="field">
            <label htmlFor="card-approval">{i18n.t('pay.card.approval')}</label>
            <input id="card-approval" maxLength={12} autoComplete="off" value={approval} onChange={(e) => setApproval(e.target.value.trim())} />
          </div>
          <button type="submit" disabled={busy || !cardReady}>{i18n.t('pay.card.submit')}</button>
        </form>
        <Message text={message} />
      </section>
    </div>
  );
}
