// Stock at this branch: find an item (or page through them), see what there is and what moved
// lately, receive a delivery (quantity, unit cost, the supplier's invoice) or adjust it by a count
// of the shelf or by a change (breakage, samples). A count names the stock it was made against,
// so one made while a sale went through is refused with what the stock is now. Quantities and
// costs are typed the manager's way ("1,5" kg in es-AR) and sent in the engine's form.
import { useState } from 'react';
import { PRICE_FIELD, readField, STOCK_CHANGE_FIELD, STOCK_FIELD } from '../../i18n/number-fields.ts';
import type { BackOfficeProps } from './back-office.tsx';
import { Field, Pager, SearchForm } from './paging.tsx';
import { trimZeros } from './forms.ts';
import { SortableHeader, useSorted } from './sortable-header.tsx';
import type { Column } from './sorting.ts';
import type { Level } from '../../stores/back-office.ts';

const COLUMNS: Record<'name' | 'sku' | 'stock' | 'reorder', Column<Level>> = {
  name: { kind: 'text', value: (l) => l.name },
  sku: { kind: 'text', value: (l) => l.sku },
  stock: { kind: 'decimal', value: (l) => l.quantity },
  reorder: { kind: 'decimal', value: (l) => l.reorderPoint },
};

export function StockTab({ useBackOffice, i18n }: BackOfficeProps) {
  const levels = useBackOffice((s) => s.levels);
  const paging = useBackOffice((s) => s.levelPaging);
  const level = useBackOffice((s) => s.level);
  const busy = useBackOffice((s) => s.busy);
  const { searchStock, pageStock, openLevel } = useBackOffice.getState();
  const sorted = useSorted(levels, COLUMNS);
  if (level) return <StockItem useBackOffice={useBackOffice} i18n={i18n} />;
  const header = (column: keyof typeof COLUMNS, label: string, className?: string) => (
    <SortableHeader column={column} label={label} sort={sorted.sort} onSort={sorted.setSort} className={className} />
  );
  return (
    <>
      <div className="bo-toolbar">
        <SearchForm
          i18n={i18n}
          label={i18n.t('bo.products.search')}
          initial={paging.query}
          busy={busy}
          onSearch={(t) => void searchStock(t)}
        />
      </div>
      <div className="bo-table-wrap">
        <table className="bo-table">
          <thead>
            <tr>
              {header('name', i18n.t('bo.product.name'))}
              {header('sku', 'SKU')}
              {header('stock', i18n.t('bo.stock'), 'amount')}
              {header('reorder', i18n.t('bo.stock.reorder'), 'amount')}
            </tr>
          </thead>
          <tbody>
            {sorted.rows.map((l) => (
              <tr key={l.variantId} className={l.isActive ? '' : 'inactive'}>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={i18n.t('bo.stock.open', { name: l.name })}
                    onClick={() => void openLevel(l)}
                  >
                    {l.name}
                    {l.brand ? <small> · {l.brand}</small> : null}
                  </button>
                </td>
                <td className="code">{l.sku}</td>
                <td className="amount">
                  {trimZeros(l.quantity)} {l.unit} {l.low ? <span className="badge warn">{i18n.t('bo.stock.low')}</span> : null}
                </td>
                <td className="amount">{l.reorderPoint === null ? '—' : trimZeros(l.reorderPoint)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paging.query ? null : (
        <Pager
          i18n={i18n}
          busy={busy}
          canBack={paging.cursors.length > 1}
          canForward={paging.next !== null}
          onPage={(d) => void pageStock(d)}
        />
      )}
    </>
  );
}

function StockItem({ useBackOffice, i18n }: BackOfficeProps) {
  const level = useBackOffice((s) => s.level)!;
  const movements = useBackOffice((s) => s.movements);
  const busy = useBackOffice((s) => s.busy);
  const permissions = useBackOffice((s) => s.permissions);
  const { receive, adjust, openLevel } = useBackOffice.getState();
  const [received, setReceived] = useState({ quantity: '', cost: '', reference: '' });
  const [change, setChange] = useState({ mode: 'count' as 'count' | 'delta', value: '', reason: '' });
  const quantity = readField(i18n, STOCK_FIELD, received.quantity);
  const cost = readField(i18n, PRICE_FIELD, received.cost);
  const changed = readField(i18n, change.mode === 'count' ? STOCK_FIELD : STOCK_CHANGE_FIELD, change.value);
  const badQuantity = quantity.problem;
  const badCost = cost.problem;
  const badChange = changed.problem;
  return (
    <div className="bo-editor">
      <h2>{level.name}</h2>
      <p className="bo-figure" role="status" aria-label={i18n.t('bo.stock.now')}>
        {i18n.t('bo.stock.now')}:{' '}
        <strong>
          {trimZeros(level.quantity)} {level.unit}
        </strong>
        {level.low ? <span className="badge warn">{i18n.t('bo.stock.low')}</span> : null}
      </p>
      <div className="bo-columns">
        {permissions.includes('inventory.receive') ? (
          <form
            className="bo-card"
            onSubmit={(e) => {
              e.preventDefault();
              if (quantity.value !== null && !badQuantity && !badCost) {
                void receive(quantity.value, cost.value ?? '', received.reference).then(
                  (done) => done && setReceived({ quantity: '', cost: '', reference: '' }),
                );
              }
            }}
          >
            <h3>{i18n.t('bo.stock.receive')}</h3>
            <Field
              id="bo-receive-quantity"
              label={i18n.t('bo.stock.receivedQuantity')}
              inputMode="decimal"
              value={received.quantity}
              onChange={(quantity) => setReceived({ ...received, quantity: quantity.trim() })}
              invalid={badQuantity}
              autoFocus
            />
            <Field
              id="bo-receive-cost"
              label={i18n.t('bo.stock.unitCost')}
              inputMode="decimal"
              value={received.cost}
              onChange={(cost) => setReceived({ ...received, cost: cost.trim() })}
              invalid={badCost}
            />
            <Field
              id="bo-receive-reference"
              label={i18n.t('bo.stock.supplierReference')}
              value={received.reference}
              onChange={(reference) => setReceived({ ...received, reference })}
            />
            <button type="submit" className="primary" disabled={busy || !received.quantity || Boolean(badQuantity) || Boolean(badCost)}>
              {i18n.t('bo.stock.receiveSubmit')} <kbd>Enter</kbd>
            </button>
          </form>
        ) : null}
        {permissions.includes('inventory.adjust') ? (
          <form
            className="bo-card"
            onSubmit={(e) => {
              e.preventDefault();
              if (changed.value !== null && change.reason.trim() && !badChange) {
                void adjust(change.mode === 'count' ? { counted: changed.value } : { delta: changed.value }, change.reason).then(
                  (done) => done && setChange({ ...change, value: '', reason: '' }),
                );
              }
            }}
          >
            <h3>{i18n.t('bo.stock.adjust')}</h3>
            <fieldset>
              <legend>{i18n.t('bo.stock.how')}</legend>
              <label className="choice">
                <input
                  type="radio"
                  name="bo-adjust-mode"
                  checked={change.mode === 'count'}
                  onChange={() => setChange({ ...change, mode: 'count' })}
                />{' '}
                {i18n.t('bo.stock.byCount')}
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="bo-adjust-mode"
                  checked={change.mode === 'delta'}
                  onChange={() => setChange({ ...change, mode: 'delta' })}
                />{' '}
                {i18n.t('bo.stock.byChange')}
              </label>
            </fieldset>
            <Field
              id="bo-adjust-value"
              label={change.mode === 'count' ? i18n.t('bo.stock.counted') : i18n.t('bo.stock.change')}
              inputMode="decimal"
              value={change.value}
              onChange={(value) => setChange({ ...change, value: value.trim() })}
              invalid={badChange}
            />
            <Field
              id="bo-adjust-reason"
              label={i18n.t('bo.stock.reason')}
              value={change.reason}
              onChange={(reason) => setChange({ ...change, reason })}
            />
            <button type="submit" className="primary" disabled={busy || !change.value || !change.reason.trim() || Boolean(badChange)}>
              {i18n.t('bo.stock.adjustSubmit')} <kbd>Enter</kbd>
            </button>
          </form>
        ) : null}
      </div>
      <h3>{i18n.t('bo.stock.movements')}</h3>
      <table className="bo-table">
        <tbody>
          {movements.map((m) => (
            <tr key={m.id}>
              <td>{i18n.dateTime(m.occurredAt)}</td>
              <td>{i18n.t(`bo.movement.${m.kind}` as 'bo.movement.SALE')}</td>
              <td className="amount">
                {m.quantity.startsWith('-') ? '' : '+'}
                {trimZeros(m.quantity)}
              </td>
              <td>{m.reason ?? ''}</td>
              <td>{m.employee ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={() => void openLevel(null)}>
          {i18n.t('bo.backToList')}
        </button>
      </div>
    </div>
  );
}
