// One product: its name, brand, category, tax and how it is sold; for a new one, its first
// variant (SKU, price, barcode). For a saved one, each variant's price and barcode can be changed
// on the version on screen, and variants added. Amounts and barcodes are checked in place; the
// engine checks them again (check digit, duplicates, the country's taxes) and says why it refuses.
// Prices are typed the manager's way ("1.234,50" in es-AR) and saved in the engine's form.
import { useEffect, useState } from 'react';
import { ALL_TAX_CODES, taxCodesFor, type TaxCode } from '#contract/tax-codes.ts';
import { isValidGtin } from '#contract/gtin.ts';
import type { I18n } from '../../i18n/index.ts';
import { fieldText, PRICE_FIELD, readField } from '../../i18n/number-fields.ts';
import type { ProductForm, Variant } from '../../stores/back-office.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { Field } from './paging.tsx';
import { trimZeros } from './forms.ts';

const COUNTRY_OF: Record<string, string> = { 'es-MX': 'MX', 'es-CO': 'CO', 'es-AR': 'AR' };

/** The tax codes to offer: the country's, when the language says which country. */
const taxChoices = (i18n: I18n): readonly TaxCode[] => (COUNTRY_OF[i18n.locale] ? taxCodesFor(COUNTRY_OF[i18n.locale]!) : ALL_TAX_CODES);

const priceProblem = (i18n: I18n, value: string) => readField(i18n, PRICE_FIELD, value).problem;
/** A price as the engine takes it; '' when none was typed (the checks above refuse anything else). */
const priceValue = (i18n: I18n, value: string) => readField(i18n, PRICE_FIELD, value).value ?? '';
const barcodeProblem = (i18n: I18n, value: string) =>
  value.trim() !== '' && !isValidGtin(value.trim()) ? i18n.t('bo.barcode.invalid') : null;

export function ProductEditor({ useBackOffice, i18n }: BackOfficeProps) {
  const product = useBackOffice((s) => s.product);
  const categories = useBackOffice((s) => s.categories);
  const busy = useBackOffice((s) => s.busy);
  const { saveProduct, openProduct } = useBackOffice.getState();
  const isNew = product === 'new';
  const initial = (): ProductForm =>
    product === 'new' || product === null
      ? {
          name: '',
          brand: '',
          categoryId: '',
          taxCode: taxChoices(i18n)[0]!,
          soldBy: 'UNIT',
          unit: 'pza',
          isActive: true,
          sku: '',
          variantName: '',
          price: '',
          cost: '',
          barcode: '',
        }
      : {
          name: product.name,
          brand: product.brand ?? '',
          categoryId: product.categoryId ?? '',
          taxCode: product.taxCode as TaxCode,
          soldBy: product.soldBy,
          unit: product.unit,
          isActive: product.isActive,
          sku: '',
          variantName: '',
          price: '',
          cost: '',
          barcode: '',
        };
  const [form, setForm] = useState<ProductForm>(initial);
  // A save answers with the product as stored: its new version and any field the engine settled.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset when the product stored changes (its id or version), not when the parent re-renders it
  useEffect(() => setForm(initial()), [product === 'new' ? 'new' : product?.version, product === 'new' ? null : product?.id]);
  const put = (patch: Partial<ProductForm>) => setForm((f) => ({ ...f, ...patch }));
  const problems = isNew ? [priceProblem(i18n, form.price), priceProblem(i18n, form.cost), barcodeProblem(i18n, form.barcode)] : [];
  const incomplete = !form.name.trim() || (isNew && (!form.sku.trim() || !form.price.trim()));
  if (product === null) return null;

  return (
    <div className="bo-editor">
      <h2>{isNew ? i18n.t('bo.products.new') : product.name}</h2>
      <form
        className="bo-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (!incomplete && !problems.some(Boolean))
            void saveProduct({ ...form, price: priceValue(i18n, form.price), cost: priceValue(i18n, form.cost) });
        }}
      >
        <Field
          id="bo-product-name"
          label={i18n.t('bo.product.name')}
          value={form.name}
          onChange={(name) => put({ name })}
          autoFocus
          required
        />
        <Field id="bo-product-brand" label={i18n.t('bo.product.brand')} value={form.brand} onChange={(brand) => put({ brand })} />
        <div className="field">
          <label htmlFor="bo-product-category">{i18n.t('bo.product.category')}</label>
          <select id="bo-product-category" value={form.categoryId} onChange={(e) => put({ categoryId: e.target.value })}>
            <option value="">{i18n.t('bo.product.noCategory')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bo-product-tax">{i18n.t('bo.product.tax')}</label>
          <select id="bo-product-tax" value={form.taxCode} onChange={(e) => put({ taxCode: e.target.value as TaxCode })}>
            {taxChoices(i18n).map((code) => (
              <option key={code} value={code}>
                {code.replace('_', '.')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bo-product-sold-by">{i18n.t('bo.product.soldBy')}</label>
          <select
            id="bo-product-sold-by"
            value={form.soldBy}
            onChange={(e) => put({ soldBy: e.target.value as 'UNIT' | 'WEIGHT', unit: e.target.value === 'WEIGHT' ? 'kg' : 'pza' })}
          >
            <option value="UNIT">{i18n.t('bo.product.byUnit')}</option>
            <option value="WEIGHT">{i18n.t('bo.product.byWeight')}</option>
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={form.isActive} onChange={(e) => put({ isActive: e.target.checked })} />{' '}
          {i18n.t('bo.product.active')}
        </label>
        {isNew ? (
          <fieldset className="bo-grid wide">
            <legend>{i18n.t('bo.variant.first')}</legend>
            <Field id="bo-new-sku" label="SKU" value={form.sku} onChange={(sku) => put({ sku })} required />
            <Field
              id="bo-new-variant-name"
              label={i18n.t('bo.variant.name')}
              value={form.variantName}
              onChange={(variantName) => put({ variantName })}
              placeholder="500 g"
            />
            <Field
              id="bo-new-price"
              label={i18n.t('bo.price')}
              inputMode="decimal"
              value={form.price}
              onChange={(price) => put({ price: price.trim() })}
              invalid={problems[0]}
              required
            />
            <Field
              id="bo-new-cost"
              label={i18n.t('bo.cost')}
              inputMode="decimal"
              value={form.cost}
              onChange={(cost) => put({ cost: cost.trim() })}
              invalid={problems[1]}
            />
            <Field
              id="bo-new-barcode"
              label={i18n.t('bo.barcode')}
              inputMode="numeric"
              value={form.barcode}
              onChange={(barcode) => put({ barcode: barcode.trim() })}
              invalid={problems[2]}
            />
          </fieldset>
        ) : null}
        <div className="actions wide">
          <button type="button" onClick={() => void openProduct(null)}>
            {i18n.t('bo.backToList')}
          </button>
          <button type="submit" className="primary" disabled={busy || incomplete || problems.some(Boolean)}>
            {i18n.t('bo.save')} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
      {isNew ? null : (
        <>
          <h3>{i18n.t('bo.variants')}</h3>
          <table className="bo-table">
            <thead>
              <tr>
                <th scope="col">{i18n.t('bo.variant.name')}</th>
                <th scope="col">SKU</th>
                <th scope="col">{i18n.t('bo.barcode')}</th>
                <th scope="col">{i18n.t('bo.price')}</th>
                <th scope="col" className="amount">
                  {i18n.t('bo.stock')}
                </th>
              </tr>
            </thead>
            <tbody>
              {product.variants.map((v) => (
                <VariantRow key={v.id} variant={v} unit={product.unit} useBackOffice={useBackOffice} i18n={i18n} />
              ))}
            </tbody>
          </table>
          <NewVariant useBackOffice={useBackOffice} i18n={i18n} />
        </>
      )}
    </div>
  );
}

function VariantRow({ variant, unit, useBackOffice, i18n }: BackOfficeProps & { variant: Variant; unit: string }) {
  const busy = useBackOffice((s) => s.busy);
  const { setPrice, addBarcode, removeBarcode } = useBackOffice.getState();
  const [price, setPriceText] = useState(() => fieldText(i18n, trimZeros(variant.price)));
  const [barcode, setBarcode] = useState('');
  useEffect(() => setPriceText(fieldText(i18n, trimZeros(variant.price))), [variant.price, i18n]);
  const badPrice = priceProblem(i18n, price);
  const badBarcode = barcodeProblem(i18n, barcode);
  return (
    <tr className={variant.isActive ? '' : 'inactive'}>
      <td>{variant.name ?? '—'}</td>
      <td className="code">{variant.sku}</td>
      <td>
        {variant.barcode ? (
          <span className="bo-inline">
            {variant.barcode}
            <button
              type="button"
              className="quiet"
              disabled={busy}
              aria-label={i18n.t('bo.barcode.remove', { code: variant.barcode })}
              onClick={() => void removeBarcode(variant)}
            >
              ✕
            </button>
          </span>
        ) : (
          <form
            className="bo-inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (barcode && !badBarcode) void addBarcode(variant, barcode).then((done) => done && setBarcode(''));
            }}
          >
            <input
              data-scan-target=""
              aria-label={i18n.t('bo.barcode.of', { sku: variant.sku })}
              inputMode="numeric"
              autoComplete="off"
              value={barcode}
              aria-invalid={Boolean(badBarcode)}
              onChange={(e) => setBarcode(e.target.value.trim())}
            />
            <button type="submit" disabled={busy || !barcode || Boolean(badBarcode)}>
              {i18n.t('bo.barcode.add')}
            </button>
          </form>
        )}
        {badBarcode ? (
          <p className="message" role="alert">
            {badBarcode}
          </p>
        ) : null}
      </td>
      <td>
        <form
          className="bo-inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (!badPrice && price) void setPrice(variant, priceValue(i18n, price));
          }}
        >
          <input
            className="short"
            aria-label={i18n.t('bo.price.of', { sku: variant.sku })}
            inputMode="decimal"
            autoComplete="off"
            value={price}
            aria-invalid={Boolean(badPrice)}
            onChange={(e) => setPriceText(e.target.value.trim())}
          />
          <button type="submit" disabled={busy || Boolean(badPrice) || !price} aria-label={i18n.t('bo.price.set', { sku: variant.sku })}>
            {i18n.t('bo.save')}
          </button>
        </form>
        {badPrice ? (
          <p className="message" role="alert">
            {badPrice}
          </p>
        ) : null}
      </td>
      <td className="amount">{variant.stock ? `${trimZeros(variant.stock.quantity)} ${unit}` : '—'}</td>
    </tr>
  );
}

function NewVariant({ useBackOffice, i18n }: BackOfficeProps) {
  const busy = useBackOffice((s) => s.busy);
  const [form, setForm] = useState({ name: '', sku: '', price: '', barcode: '' });
  const badPrice = priceProblem(i18n, form.price);
  const badBarcode = barcodeProblem(i18n, form.barcode);
  return (
    <form
      className="bo-grid bo-new-variant"
      onSubmit={(e) => {
        e.preventDefault();
        if (form.sku && form.price && !badPrice && !badBarcode) {
          void useBackOffice
            .getState()
            .addVariant({ ...form, price: priceValue(i18n, form.price) })
            .then((done) => done && setForm({ name: '', sku: '', price: '', barcode: '' }));
        }
      }}
    >
      <h3 className="wide">{i18n.t('bo.variant.add')}</h3>
      <Field id="bo-variant-name" label={i18n.t('bo.variant.name')} value={form.name} onChange={(name) => setForm({ ...form, name })} />
      <Field id="bo-variant-sku" label="SKU" value={form.sku} onChange={(sku) => setForm({ ...form, sku })} />
      <Field
        id="bo-variant-price"
        label={i18n.t('bo.price')}
        inputMode="decimal"
        value={form.price}
        onChange={(price) => setForm({ ...form, price: price.trim() })}
        invalid={badPrice}
      />
      <Field
        id="bo-variant-barcode"
        label={i18n.t('bo.barcode')}
        inputMode="numeric"
        value={form.barcode}
        onChange={(barcode) => setForm({ ...form, barcode: barcode.trim() })}
        invalid={badBarcode}
      />
      <div className="actions wide">
        <button type="submit" disabled={busy || !form.sku || !form.price || Boolean(badPrice) || Boolean(badBarcode)}>
          {i18n.t('bo.variant.add')}
        </button>
      </div>
    </form>
  );
}
