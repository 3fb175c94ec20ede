// Cancelling the whole sale: the dialog says what goes (the lines and the total) and asks why.
// Cancelling is the manager's permission (sales.void): for a cashier the engine asks for a
// manager's PIN through the approval dialog. The sale is not deleted: it stays VOIDED with who,
// when and why, in the audit trail and the journal, and leaves the screen.
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { quantityText } from '../screens/sell-lines.ts';
import { useCounter } from '../stores/counter.ts';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { ReasonField } from './reason-field.tsx';

/** Lines listed in the dialog; more are counted. */
const SHOWN_LINES = 6;

export function CancelSaleDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const sale = useRegister((s) => s.sale);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const permissions = useRegister((s) => s.permissions);
  const tenders = useRegister((s) => s.tenders);
  const close = () => {
    useCounter.getState().close();
    useRegister.getState().dismiss();
    onDone();
  };
  useHoldKeyboard(useRegister, close);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(false);
  if (!sale || approval) return null;
  const lines = sale.lines;
  const title = i18n.t('counter.cancel.title');
  const itemCount = lines.reduce((n, l) => n + (l.isWeighed ? 1 : Number.parseInt(l.quantity, 10)), 0);
  // A card already charged for this sale must be dealt with first: cancelling would forget it.
  const paid = tenders.length > 0;
  const submit = async () => {
    setShown(true);
    if (reason.trim() === '' || busy || paid) return;
    const voided = await useRegister.getState().send('sales.void', { saleId: sale.id, reason: reason.trim() });
    if (!voided) return;
    useRegister.setState({ sale: null, selectedLine: null, editing: null, tenders: [], tenderMessage: null });
    close();
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog">
        <h1>{title}</h1>
        <ul className="cancel-lines" aria-label={i18n.t('sell.items', { count: itemCount })}>
          {lines.slice(0, SHOWN_LINES).map((l) => (
            <li key={l.id}><span>{quantityText(l.quantity, l.isWeighed)} {l.isWeighed ? l.unit : '×'} {l.name}</span><span className="amount">{i18n.money(l.total)}</span></li>
          ))}
          {lines.length > SHOWN_LINES ? <li>{i18n.t('counter.cancel.more', { count: lines.length - SHOWN_LINES })}</li> : null}
        </ul>
        <p className="cancel-total"><span>{itemCount === 1 ? i18n.t('sell.item') : i18n.t('sell.items', { count: itemCount })}</span>
          <strong>{i18n.t('counter.cancel.total', { total: i18n.money(sale.totals.total) })}</strong></p>
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <ReasonField id="cancel-reason" i18n={i18n} value={reason} onChange={setReason} shown={shown}
            presets={[i18n.t('counter.reason.changedMind'), i18n.t('counter.reason.noMoney'), i18n.t('counter.reason.mistake')]} />
          {permissions.includes('sales.void') ? null : <p>{i18n.t('counter.cancel.manager')}</p>}
          {paid ? <p className="message" role="alert">{i18n.t('counter.cancel.paid')}</p> : null}
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={close}>{i18n.t('counter.back')} <kbd>Esc</kbd></button>
            <button type="submit" className="primary danger" disabled={busy || paid}>{i18n.t('counter.cancel.confirm')} <kbd>Enter</kbd></button>
          </div>
        </form>
      </section>
    </div>
  );
}
