// Cancelling the whole sale: the dialog says what goes (the lines and the total) and asks why.
// Cancelling is the manager's permission (sales.void): for a cashier the engine asks for a
// manager's PIN through the approval dialog. The sale is not deleted: it stays VOIDED with who,
// when and why, in the audit trail and the journal, and leaves the screen.
import type { ScreenProps } from '../app.tsx';
import { quantityText } from '../screens/sell-lines.ts';
import { ReasonDialog } from './reason-dialog.tsx';

/** Lines listed in the dialog; more are counted. */
const SHOWN_LINES = 6;

export function CancelSaleDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const sale = useRegister((s) => s.sale);
  const tenders = useRegister((s) => s.tenders);
  if (!sale) return null;
  const lines = sale.lines;
  const itemCount = lines.reduce((n, l) => n + (l.isWeighed ? 1 : Number.parseInt(l.quantity, 10)), 0);
  // A card already charged for this sale must be dealt with first: cancelling would forget it.
  const paid = tenders.length > 0;
  const cancel = async (reason: string, close: () => void) => {
    const voided = await useRegister.getState().send('sales.void', { saleId: sale.id, reason });
    if (!voided) return;
    useRegister.setState({ sale: null, selectedLine: null, editing: null, tenders: [], tenderMessage: null });
    close();
  };
  return (
    <ReasonDialog
      useRegister={useRegister}
      i18n={i18n}
      onDone={onDone}
      id="cancel-reason"
      title={i18n.t('counter.cancel.title')}
      presets={[i18n.t('counter.reason.changedMind'), i18n.t('counter.reason.noMoney'), i18n.t('counter.reason.mistake')]}
      permission="sales.void"
      managerNote={i18n.t('counter.cancel.manager')}
      backLabel={i18n.t('counter.back')}
      confirmLabel={i18n.t('counter.cancel.confirm')}
      danger
      blocked={paid ? i18n.t('counter.cancel.paid') : null}
      onConfirm={cancel}
    >
      <ul className="cancel-lines" aria-label={i18n.t('sell.items', { count: itemCount })}>
        {lines.slice(0, SHOWN_LINES).map((l) => (
          <li key={l.id}>
            <span>
              {quantityText(l.quantity, l.isWeighed)} {l.isWeighed ? l.unit : '×'} {l.name}
            </span>
            <span className="amount">{i18n.money(l.total)}</span>
          </li>
        ))}
        {lines.length > SHOWN_LINES ? <li>{i18n.t('counter.cancel.more', { count: lines.length - SHOWN_LINES })}</li> : null}
      </ul>
      <p className="cancel-total">
        <span>{itemCount === 1 ? i18n.t('sell.item') : i18n.t('sell.items', { count: itemCount })}</span>
        <strong>{i18n.t('counter.cancel.total', { total: i18n.money(sale.totals.total) })}</strong>
      </p>
    </ReasonDialog>
  );
}
