// Store credit or a gift card as a tender: the slip's or card's code typed or scanned (the scanner
// guard types a scan into this field), its balance read from the engine and shown before anything
// is taken, then the amount to take from it: what is still owed, or all it holds if that is less.
// A gift card's balance is central's when it answered (less what other registers are setting
// aside), else this register's last knowledge, and the form says which. An unknown code, a slip
// or card used up or no longer valid, or an amount over its balance is said in words.
import { Decimal } from 'decimal.js';
import { useMemo, useState } from 'react';
import type { CallOutput } from '#contract/calls.ts';
import { AmountInput } from '../components/amount-input.tsx';
import type { I18n } from '../i18n/index.ts';
import { AMOUNT_FIELD, fieldText, readField } from '../i18n/number-fields.ts';
import type { RegisterStore } from '../stores/register.ts';

/** What can be spent of it now, and whether central said so (gift cards) or this register knows it. */
type Slip = Pick<CallOutput<'sales.storeCredit'>, 'code' | 'amount' | 'status'> & { source: 'CENTRAL' | 'REGISTER' | null };

const LABELS = {
  STORE_CREDIT: {
    form: 'pay.credit',
    code: 'pay.credit.code',
    check: 'pay.credit.check',
    inactive: 'pay.credit.inactive',
    empty: 'pay.credit.empty',
    available: 'pay.credit.available',
    amount: 'pay.credit.amount',
    tooMuch: 'pay.credit.tooMuch',
    submit: 'pay.credit.submit',
  },
  GIFT_CARD: {
    form: 'pay.gift',
    code: 'pay.gift.code',
    check: 'pay.gift.check',
    inactive: 'pay.gift.inactive',
    empty: 'pay.gift.empty',
    available: 'pay.gift.available',
    amount: 'pay.gift.amount',
    tooMuch: 'pay.gift.tooMuch',
    submit: 'pay.gift.submit',
  },
} as const;

async function lookUpBalance(useRegister: RegisterStore, kind: 'STORE_CREDIT' | 'GIFT_CARD', code: string): Promise<Slip | null> {
  const { send } = useRegister.getState();
  if (kind === 'STORE_CREDIT') {
    const slip = await send('sales.storeCredit', { code });
    return slip && { code: slip.code, amount: slip.amount, status: slip.status, source: null };
  }
  const card = await send('sales.giftCard', { code });
  return card && { code: card.code, amount: card.available, status: card.status, source: card.source };
}

export function StoreCreditForm({
  kind,
  remaining,
  busy,
  i18n,
  useRegister,
  onTake,
}: {
  kind: 'STORE_CREDIT' | 'GIFT_CARD';
  remaining: string;
  busy: boolean;
  i18n: I18n;
  useRegister: RegisterStore;
  onTake(amount: string, balanceCode: string, available: string, formKey: string): void;
}) {
  const [code, setCode] = useState('');
  const [slip, setSlip] = useState<Slip | null>(null);
  const [amount, setAmount] = useState('');
  const formKey = useMemo(() => `form:${crypto.randomUUID()}`, [code, amount, slip]);
  const label = LABELS[kind];
  // A gift card's code comes back as the engine reads it (no spaces or dashes, upper case).
  const typedCode = kind === 'GIFT_CARD' ? code.replace(/[\s-]/g, '').toUpperCase() : code.trim();
  const looked = slip !== null && slip.code === typedCode;
  const usable = looked && slip.status === 'ACTIVE' && new Decimal(slip.amount).greaterThan(0);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const over = usable && value !== null && new Decimal(value).greaterThan(slip.amount);
  const lookUp = async () => {
    const typed = code.trim();
    if (typed === '' || busy) return;
    const found = await lookUpBalance(useRegister, kind, typed);
    setSlip(found);
    if (found) setAmount(fieldText(i18n, Decimal.min(found.amount, remaining).toFixed(2)));
  };
  const submit = () => {
    if (!looked) return void lookUp();
    if (usable && value !== null && !over && !busy) onTake(value, slip.code, slip.amount, formKey);
  };
  return (
    <form
      role="tabpanel"
      aria-label={i18n.t(label.form)}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="credit-lookup">
        <div className="field">
          <label htmlFor="credit-code">{i18n.t(label.code)}</label>
          <input
            id="credit-code"
            data-scan-target=""
            autoComplete="off"
            autoFocus
            maxLength={40}
            value={code}
            onChange={(e) => {
              setCode(e.target.value);
              useRegister.getState().dismiss();
            }}
          />
        </div>
        <button type="button" disabled={busy || code.trim() === ''} onClick={() => void lookUp()}>
          {i18n.t(label.check)}
        </button>
      </div>
      {looked && slip.status !== 'ACTIVE' ? (
        <p className="message" role="alert">
          {i18n.t(label.inactive, { code: slip.code })}
        </p>
      ) : null}
      {looked && slip.status === 'ACTIVE' && !usable ? (
        <p className="message" role="alert">
          {i18n.t(label.empty, { code: slip.code })}
        </p>
      ) : null}
      {usable ? (
        <>
          <p className="credit-balance" role="status">
            {i18n.t(label.available, { code: slip.code, amount: i18n.money(slip.amount) })}
            {slip.source === 'REGISTER' ? ` ${i18n.t('pay.gift.offline')}` : ''}
          </p>
          <AmountInput label={i18n.t(label.amount)} value={amount} onChange={setAmount} i18n={i18n} />
          {over ? (
            <p className="message" role="alert">
              {i18n.t(label.tooMuch, { amount: i18n.money(slip.amount) })}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy || value === null || over}>
            {i18n.t(label.submit)} <kbd>Enter</kbd>
          </button>
        </>
      ) : null}
    </form>
  );
}
