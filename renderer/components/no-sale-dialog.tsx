// Opening the drawer without a sale (change for a note, a look inside): the reason goes on record
// and the audit trail with the opening, whether or not a printer is there to spring the drawer;
// the dialog says beforehand when this register has none, and afterwards what happened. A
// cashier without drawer.no_sale gets a manager's PIN asked through the approval dialog.
import { useMemo, useState } from 'react';
import type { CallOutput } from '#engine/dispatch.ts';
import type { ScreenProps } from '../app.tsx';
import { useCounter } from '../stores/counter.ts';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { ReasonField } from './reason-field.tsx';

type Opened = CallOutput<'drawer.noSale'>;

export function NoSaleDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const printer = useRegister((s) => s.printer);
  const permissions = useRegister((s) => s.permissions);
  const close = () => {
    useCounter.getState().close();
    useRegister.getState().dismiss();
    onDone();
  };
  useHoldKeyboard(useRegister, close);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  // One opening on record for this dialog, however many times it is sent.
  const idempotencyKey = useMemo(() => `no-sale:${crypto.randomUUID()}`, []);
  if (approval) return null;
  const title = i18n.t('counter.noSale.title');
  const submit = async () => {
    setShown(true);
    if (reason.trim() === '' || busy) return;
    const answer = await useRegister.getState().send('drawer.noSale', { reason: reason.trim(), idempotencyKey });
    if (answer) setOpened(answer);
  };
  if (opened) {
    const drawer = opened.drawer;
    const outcome = drawer === null ? i18n.t('counter.noSale.repeated')
      : drawer.opened ? i18n.t('counter.noSale.opened')
        : drawer.reason === 'NO_PRINTER' ? i18n.t('counter.noSale.NO_PRINTER') : i18n.t('counter.noSale.PRINTER_FAILED', { message: drawer.message ?? '' });
    return (
      <div className="overlay">
        <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog">
          <h1>{title}</h1>
          <p role="status" className={drawer && !drawer.opened ? 'message' : undefined}>{outcome}</p>
          <div className="actions">
            <button type="button" className="primary" autoFocus onClick={close}>{i18n.t('counter.done')} <kbd>Enter</kbd></button>
          </div>
        </section>
      </div>
    );
  }
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog">
        <h1>{title}</h1>
        {printer === null ? <p className="message" role="note">{i18n.t('counter.noSale.noPrinter')}</p> : null}
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <ReasonField id="no-sale-reason" i18n={i18n} value={reason} onChange={setReason} shown={shown}
            presets={[i18n.t('counter.reason.change'), i18n.t('counter.reason.check')]} />
          {permissions.includes('drawer.no_sale') ? null : <p>{i18n.t('counter.noSale.manager')}</p>}
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={close}>{i18n.t('approval.cancel')} <kbd>Esc</kbd></button>
            <button type="submit" className="primary" disabled={busy}>{i18n.t('counter.noSale.confirm')} <kbd>Enter</kbd></button>
          </div>
        </form>
      </section>
    </div>
  );
}
