// Store credit as a tender: the slip's code typed or scanned (the scanner guard types a scan into
// this field), its balance read from the engine and shown before anything is taken, then the
// amount to take from it: what is still owed, or all the slip holds if that is less. An unknown
// code, a slip used up or no longer valid, or an amount over its balance is said in words.
import { Decimal } from 'decimal.js';
import { useMemo, useState } from 'react';
import type { CallOutput } from '#contract/calls.ts';
import { AmountInput } from '../components/amount-input.tsx';
import type { I18n } from '../i18n/index.ts';
import { AMOUNT_FIELD, fieldText, readField } from '../i18n/number-fields.ts';
import type { RegisterStore } from '../stores/register.ts';

type Slip = CallOutput<'sales.storeCredit'>;

export function StoreCreditForm({
  remaining,
  busy,
  i18n,
  useRegister,
  onTake,
}: {
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
  const looked = slip !== null && slip.code === code.trim();
  const usable = looked && slip.status === 'ACTIVE' && new Decimal(slip.amount).greaterThan(0);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const over = usable && value !== null && new Decimal(value).greaterThan(slip.amount);
  const lookUp = async () => {
    const typed = code.trim();
    if (typed === '' || busy) return;
    const found = await useRegister.getState().send('sales.storeCredit', { code: typed });
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
      aria-label={i18n.t('pay.credit')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="credit-lookup">
        <div className="field">
          <label htmlFor="credit-code">{i18n.t('pay.credit.code')}</label>
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
          {i18n.t('pay.credit.check')}
        </button>
      </div>
      {looked && slip.status !== 'ACTIVE' ? (
        <p className="message" role="alert">
          {i18n.t('pay.credit.inactive', { code: slip.code })}
        </p>
      ) : null}
      {looked && slip.status === 'ACTIVE' && !usable ? (
        <p className="message" role="alert">
          {i18n.t('pay.credit.empty', { code: slip.code })}
        </p>
      ) : null}
      {usable ? (
        <>
          <p className="credit-balance" role="status">
            {i18n.t('pay.credit.available', { code: slip.code, amount: i18n.money(slip.amount) })}
          </p>
          <AmountInput label={i18n.t('pay.credit.amount')} value={amount} onChange={setAmount} i18n={i18n} />
          {over ? (
            <p className="message" role="alert">
              {i18n.t('pay.credit.tooMuch', { amount: i18n.money(slip.amount) })}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy || value === null || over}>
            {i18n.t('pay.credit.submit')} <kbd>Enter</kbd>
          </button>
        </>
      ) : null}
    </form>
  );
}
