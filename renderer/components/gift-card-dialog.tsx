// Selling a gift card (Alt+G): the card's code scanned or typed, and the amount it is loaded
// with. The engine makes it a tax-exempt line naming the card; the card holds the line's total
// once the sale is paid, and a card sold before is topped up. "Check balance" reads what a card
// holds (central's word when it answers), for the customer who asks before buying more.
import { Decimal } from 'decimal.js';
import { useMemo, useState } from 'react';
import type { CallOutput } from '#contract/calls.ts';
import type { ScreenProps } from '../app.tsx';
import { AMOUNT_FIELD, readField } from '../i18n/number-fields.ts';
import { useCounter } from '../stores/counter.ts';
import { AmountInput } from './amount-input.tsx';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { NumberPad } from './number-pad.tsx';

type Balance = CallOutput<'sales.giftCard'>;

/** What the engine reads a typed code as: letters and digits only, upper case. */
const cardCode = (typed: string) => typed.replace(/[\s-]/g, '').toUpperCase();

export function GiftCardDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const close = () => {
    useCounter.getState().close();
    useRegister.getState().dismiss();
    onDone();
  };
  useHoldKeyboard(useRegister, close);
  const [code, setCode] = useState('');
  const [amount, setAmount] = useState('');
  const [balance, setBalance] = useState<Balance | null>(null);
  const [shown, setShown] = useState(false);
  // One sale opened for this dialog however many times it is sent (a retry after an error).
  const openKey = useMemo(() => `sale:${crypto.randomUUID()}`, []);
  if (approval) return null;
  const title = i18n.t('counter.giftCard.title');
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const validCode = /^[A-Z0-9]{6,32}$/.test(cardCode(code));
  const problem = !validCode
    ? i18n.t('counter.giftCard.codeNeeded')
    : value === null || new Decimal(value).isZero()
      ? i18n.t('counter.giftCard.amountNeeded')
      : null;
  const checkBalance = async () => {
    if (!validCode || busy) return setShown(true);
    setBalance(await useRegister.getState().send('sales.giftCard', { code: cardCode(code) }));
  };
  const submit = async () => {
    setShown(true);
    if (problem || busy || value === null) return;
    const { send } = useRegister.getState();
    let sale = useRegister.getState().sale;
    if (!sale) {
      sale = await send('sales.open', { idempotencyKey: openKey });
      if (!sale) return;
      useRegister.setState({ sale });
    }
    const next = await send('sales.addGiftCard', { saleId: sale.id, code: cardCode(code), amount: value });
    if (!next) return;
    useRegister.setState({ sale: next, selectedLine: next.lines.at(-1)?.id ?? null });
    close();
  };
  const shownBalance = balance && balance.code === cardCode(code) ? balance : null;
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog gift-card">
        <h1>{title}</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="credit-lookup">
            <div className="field">
              <label htmlFor="gift-card-code">{i18n.t('counter.giftCard.code')}</label>
              <input
                id="gift-card-code"
                data-scan-target=""
                autoComplete="off"
                autoFocus
                maxLength={40}
                value={code}
                aria-invalid={shown && !validCode}
                onChange={(e) => {
                  setCode(e.target.value);
                  useRegister.getState().dismiss();
                }}
              />
            </div>
            <button type="button" disabled={busy || code.trim() === ''} onClick={() => void checkBalance()}>
              {i18n.t('counter.giftCard.check')}
            </button>
          </div>
          {shownBalance ? (
            <p className="credit-balance" role="status">
              {i18n.t(shownBalance.status === 'ACTIVE' ? 'counter.giftCard.balance' : 'counter.giftCard.inactive', {
                amount: i18n.money(shownBalance.available),
              })}
              {shownBalance.source === 'REGISTER' ? ` ${i18n.t('pay.gift.offline')}` : ''}
            </p>
          ) : null}
          <AmountInput label={i18n.t('counter.giftCard.amount')} value={amount} onChange={setAmount} i18n={i18n} />
          <NumberPad decimals i18n={i18n} />
          {shown && problem ? (
            <p className="message" role="alert">
              {problem}
            </p>
          ) : null}
          <Message text={message} />
          <div className="actions">
            <button type="button" onClick={close}>
              {i18n.t('approval.cancel')} <kbd>Esc</kbd>
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {i18n.t('counter.giftCard.add')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
