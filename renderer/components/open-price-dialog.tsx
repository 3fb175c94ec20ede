// An open-price item ("Varios"): what the shop sells without a barcode or a catalog price, rung
// up with its description, its price, the tax rate it carries (the rates the store has such an
// item for: IVA 16 %, 0 % and exempt in Mexico) and how many. The engine makes it a sale line
// like any other, so the receipt, the journal and the tax totals need nothing of their own. The
// keypad beside the fields is for a touch screen.
import { Decimal } from 'decimal.js';
import { useEffect, useMemo, useState } from 'react';
import type { CallOutput } from '#contract/calls.ts';
import type { ScreenProps } from '../app.tsx';
import type { I18n } from '../i18n/index.ts';
import { AMOUNT_FIELD, decimalSeparator, readField } from '../i18n/number-fields.ts';
import { useCounter } from '../stores/counter.ts';
import { AmountInput } from './amount-input.tsx';
import { useHoldKeyboard } from './hold-keyboard.ts';
import { Message } from './message.tsx';
import { NumberPad } from './number-pad.tsx';

type Rate = CallOutput<'sales.openPriceRates'>[number];

/** "IVA 16 %", "IVA 10,5 %" in es-AR, "Exento": the rate as the cashier knows it. */
export function taxLabel(i18n: I18n, rate: Pick<Rate, 'taxCode' | 'taxRate'>): string {
  if (rate.taxCode === 'EXENTO') return i18n.t('counter.tax.exempt');
  return i18n.t('counter.tax.rate', { rate: new Decimal(rate.taxRate).times(100).toString().replace('.', decimalSeparator(i18n)) });
}

export function OpenPriceDialog({ useRegister, i18n, onDone }: ScreenProps & { onDone(): void }) {
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const approval = useRegister((s) => s.approval);
  const close = () => {
    useCounter.getState().close();
    useRegister.getState().dismiss();
    onDone();
  };
  useHoldKeyboard(useRegister, close);
  const [rates, setRates] = useState<Rate[] | null>(null);
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [taxCode, setTaxCode] = useState<Rate['taxCode'] | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [padFor, setPadFor] = useState<'price' | 'quantity'>('price');
  const [shown, setShown] = useState(false);
  // One sale opened for this dialog however many times it is sent (a retry after an error).
  const openKey = useMemo(() => `sale:${crypto.randomUUID()}`, []);
  useEffect(() => {
    void useRegister
      .getState()
      .send('sales.openPriceRates', {})
      .then((found) => {
        setRates(found ?? []);
        setTaxCode((chosen) => chosen ?? found?.[0]?.taxCode ?? null);
      });
  }, [useRegister]);
  if (approval) return null;
  const title = i18n.t('counter.openPrice.title');
  const value = readField(i18n, AMOUNT_FIELD, price).value;
  const pieces = /^\d{1,4}$/.test(quantity.trim()) && Number.parseInt(quantity, 10) > 0;
  const problem =
    description.trim() === ''
      ? i18n.t('counter.openPrice.descriptionNeeded')
      : value === null || new Decimal(value).isZero()
        ? i18n.t('counter.openPrice.priceNeeded')
        : !pieces
          ? i18n.t('counter.openPrice.quantityWhole')
          : null;
  const submit = async () => {
    setShown(true);
    if (problem || busy || value === null || taxCode === null) return;
    const { send } = useRegister.getState();
    let sale = useRegister.getState().sale;
    if (!sale) {
      sale = await send('sales.open', { idempotencyKey: openKey });
      if (!sale) return;
      useRegister.setState({ sale });
    }
    const next = await send('sales.addOpenItem', {
      saleId: sale.id,
      description: description.trim(),
      unitPrice: value,
      taxCode,
      quantity: quantity.trim(),
    });
    if (!next) return;
    useRegister.setState({ sale: next, selectedLine: next.lines.at(-1)?.id ?? null });
    close();
  };
  return (
    <div className="overlay">
      <section role="dialog" aria-modal="true" aria-label={title} className="panel counter-dialog open-price">
        <h1>{title}</h1>
        {rates !== null && rates.length === 0 ? (
          <p className="message" role="alert">
            {i18n.t('counter.openPrice.none')}
          </p>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="field">
            <label htmlFor="open-description">{i18n.t('counter.openPrice.description')}</label>
            <input
              id="open-description"
              autoComplete="off"
              autoFocus
              maxLength={120}
              value={description}
              aria-invalid={shown && description.trim() === ''}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <div className="open-price-body">
            <div className="open-price-fields">
              <div className="pair">
                <div onFocus={() => setPadFor('price')}>
                  <AmountInput label={i18n.t('counter.openPrice.price')} value={price} onChange={setPrice} i18n={i18n} />
                </div>
                <div className="field" onFocus={() => setPadFor('quantity')}>
                  <label htmlFor="open-quantity">{i18n.t('counter.openPrice.quantity')}</label>
                  <input
                    id="open-quantity"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={4}
                    value={quantity}
                    aria-invalid={shown && !pieces}
                    onChange={(e) => setQuantity(e.target.value.trim())}
                  />
                </div>
              </div>
              <fieldset className="tax-rates">
                <legend>{i18n.t('counter.openPrice.tax')}</legend>
                {(rates ?? []).map((r) => (
                  <label key={r.taxCode} className="choice">
                    <input
                      type="radio"
                      name="open-tax"
                      value={r.taxCode}
                      checked={taxCode === r.taxCode}
                      onChange={() => setTaxCode(r.taxCode)}
                    />
                    {taxLabel(i18n, r)}
                  </label>
                ))}
              </fieldset>
            </div>
            {/* By touch: the pad types into the price, or into the quantity once it was touched. */}
            <NumberPad decimals={padFor === 'price'} i18n={i18n} />
          </div>
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
            <button type="submit" className="primary" disabled={busy || taxCode === null}>
              {i18n.t('counter.openPrice.add')} <kbd>Enter</kbd>
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
