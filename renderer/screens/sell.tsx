// Selling: the scan field always has the focus back after any action; a scanner typing while
// the focus is elsewhere (on a button just pressed) is recognised by its timing and still rings
// the item up. The cart and the totals are always in view; F12 takes payment. The line a scan
// touched is the selected one (↑ ↓ move), and the keys shown on screen act on it: its quantity
// or weight (F5), its price (Alt+P), its discount (Alt+D), taking it out (Supr). F4 opens the
// category grid in place of the cart, for what has no barcode; F1 hands the register over.
import { memo, useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { MENU } from '../menu.ts';
import { CategoryGrid } from '../components/category-grid.tsx';
import { CounterButtons, CounterDialogs } from '../components/counter-actions.tsx';
import { Message } from '../components/message.tsx';
import { PriceDialog } from '../components/price-dialog.tsx';
import { QuantityDialog } from '../components/quantity-dialog.tsx';
import type { Register, Sale } from '../stores/register.ts';
import { quantityText, stepQuantity, stepSelection } from './sell-lines.ts';
import { SearchScreen } from './search.tsx';
import { SwitchDialog } from './sign-in.tsx';

const isTextField = (el: Element | null) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
const isZero = (amount: string) => /^0(\.0+)?$/.test(amount);

/** A dialog or another layer has the keyboard: the sell screen's keys wait. */
const keyboardElsewhere = (s: Register) =>
  s.paying || s.approval !== null || s.editing !== null || s.switching || s.discounting !== null || s.receipt !== null;

/** The line actions' keys; Alt+letter never reaches the wedge detector (a scanner sends no Alt). */
function lineAction(e: KeyboardEvent, state: Register, line: Sale['lines'][number] | undefined, typed: string): boolean {
  const alt = e.altKey && !e.ctrlKey && !e.metaKey;
  const letter = e.key.toLowerCase();
  if (e.key === 'F1') {
    state.startSwitch(true);
    return true;
  }
  if (alt && letter === 'v' && state.sale?.lines.length) {
    state.startDiscount({ kind: 'sale' });
    return true;
  }
  if (e.key === 'PageUp' || e.key === 'PageDown') {
    const b = state.browsing;
    const page = b ? b.page + (e.key === 'PageDown' ? 1 : -1) : 0;
    if (b && page >= 1 && page <= b.pageCount) void state.browse(b.category.id, page);
    return true;
  }
  if (!line) return false;
  if (e.key === 'F5') {
    state.editLine({ kind: 'quantity', lineId: line.id });
    return true;
  }
  if (alt && letter === 'p') {
    state.editLine({ kind: 'price', lineId: line.id });
    return true;
  }
  if (alt && letter === 'd') {
    state.startDiscount({ kind: 'line', lineId: line.id, name: line.name });
    return true;
  }
  // Supr takes the line out only when nothing is typed: while typing it edits the text.
  if (e.key === 'Delete' && typed === '') {
    void state.removeLine(line.id);
    return true;
  }
  return false;
}

export function SellScreen({ useRegister, i18n }: ScreenProps) {
  const sale = useRegister((s) => s.sale);
  const message = useRegister((s) => s.message);
  const notice = useRegister((s) => s.notice);
  const busy = useRegister((s) => s.busy);
  const paying = useRegister((s) => s.paying);
  const permissions = useRegister((s) => s.permissions);
  const selected = useRegister((s) => s.selectedLine);
  const editing = useRegister((s) => s.editing);
  const switching = useRegister((s) => s.switching);
  const discounting = useRegister((s) => s.discounting);
  const panel = useRegister((s) => s.panel);
  const { scan, removeLine, startPaying, selectLine, editLine } = useRegister.getState();
  const [code, setCode] = useState('');
  const typed = useRef('');
  const field = useRef<HTMLInputElement>(null);
  const cartBox = useRef<HTMLDivElement>(null);
  const refocus = () => window.setTimeout(() => field.current?.focus(), 0);
  const setTyped = (value: string) => {
    typed.current = value;
    setCode(value);
  };
  // "3*" alone stays in the field: the next scan (or the code typed after it) sells three.
  const submit = () => {
    const c = typed.current;
    if (/^\d+\*$/.test(c.trim())) return useRegister.setState({ message: i18n.t('sell.prefixAlone', { count: c.trim().slice(0, -1) }) });
    setTyped('');
    void scan(c);
  };

  // Back to the scan field after every action: a line changed, a dialog closed, the grid opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refocus is a fresh closure each render; the effect runs on what changed on screen
  useEffect(() => {
    if (!paying && !editing && !switching && !discounting && panel !== 'search') refocus();
  }, [paying, sale?.version, editing, switching, discounting, panel]);

  // Scans never reach this screen as keys: the window's scan guard (renderer/scan) takes them
  // wherever the focus is and a person's typing lands in the scan field (data-default-field).
  // What is left here are the screen's own keys.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys read the store when pressed (getState), so the listener is not rebuilt for every render
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const state = useRegister.getState();
      if (keyboardElsewhere(state)) return;
      if (e.key === 'F12') {
        e.preventDefault();
        startPaying();
        return;
      }
      if (e.key === 'F2') {
        e.preventDefault();
        refocus();
        return;
      }
      const line = state.sale?.lines.find((l) => l.id === state.selectedLine);
      if (lineAction(e, state, line, typed.current)) {
        e.preventDefault();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const active = document.activeElement;
      if (isTextField(active) && active !== field.current) return;
      if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && state.sale) {
        e.preventDefault();
        selectLine(stepSelection(state.sale.lines, state.selectedLine, e.key === 'ArrowDown' ? 1 : -1));
        return;
      }
      // A person's Enter once something is typed: what they typed is the code, never a click on
      // whatever button has the focus.
      if (e.key === 'Enter' && active !== field.current && typed.current !== '') {
        e.preventDefault();
        submit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useRegister, scan, startPaying, selectLine]);

  const lines = sale?.lines ?? [];
  const itemCount = lines.reduce((n, l) => n + (l.isWeighed ? 1 : Number.parseInt(l.quantity, 10)), 0);
  const totals = sale?.totals;
  const chosen = lines.find((l) => l.id === selected);
  const browsing = panel === 'browse';
  const side = browsing || panel === 'search';
  const last = lines.find((l) => l.id === selected) ?? lines.at(-1);
  return (
    <section className="sell" aria-label={i18n.t('app.title')}>
      <div className="sell-main">
        <form
          className="scan"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <input
            ref={field}
            data-default-field=""
            aria-label={i18n.t('sell.scan')}
            placeholder={i18n.t('sell.scan')}
            autoComplete="off"
            autoFocus
            value={code}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            {i18n.t('sell.add')} <kbd>Enter</kbd>
          </button>
        </form>
        {/* A dialog open on top says its own errors; the same words twice would be noise. */}
        <Message text={editing || switching || discounting ? null : message} />
        {notice && lines.length === 0 ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        {/* Search and the category grid open beside the cart, never over it: what was added stays in view. */}
        <div className={side ? 'sell-body side-open' : 'sell-body'}>
          {lines.length === 0 ? (
            <p className="empty">{i18n.t('sell.empty')}</p>
          ) : (
            <div className="cart-scroll" ref={cartBox}>
              <table className="cart">
                <thead>
                  <tr>
                    <th scope="col">{i18n.t('sell.col.item')}</th>
                    <th scope="col" className="amount">
                      {i18n.t('sell.col.price')}
                    </th>
                    <th scope="col">{i18n.t('sell.col.quantity')}</th>
                    <th scope="col" className="amount">
                      {i18n.t('sell.col.amount')}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{i18n.t('sell.col.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((line) => (
                    <CartLine
                      key={line.id}
                      line={line}
                      selected={line.id === selected}
                      busy={busy}
                      i18n={i18n}
                      useRegister={useRegister}
                      refocus={refocus}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {browsing ? (
            <div className="side-task">
              <CategoryGrid useRegister={useRegister} i18n={i18n} />
              {last ? (
                <p className="last-line" role="status">
                  {i18n.t('browse.last', { name: last.name })} · {quantityText(last.quantity, last.isWeighed)} {last.unit} ·{' '}
                  {i18n.money(last.total)}
                </p>
              ) : null}
            </div>
          ) : null}
          {panel === 'search' ? (
            <div className="side-task">
              <SearchScreen useRegister={useRegister} i18n={i18n} />
            </div>
          ) : null}
        </div>
        {chosen && !side ? (
          <div className="line-actions" role="toolbar" aria-label={i18n.t('sell.selected', { name: chosen.name })}>
            <button type="button" aria-keyshortcuts="F5" disabled={busy} onClick={() => editLine({ kind: 'quantity', lineId: chosen.id })}>
              {i18n.t('sell.quantity')} <kbd>F5</kbd>
            </button>
            <button type="button" aria-keyshortcuts="Alt+P" disabled={busy} onClick={() => editLine({ kind: 'price', lineId: chosen.id })}>
              {i18n.t('sell.price')} <kbd>Alt+P</kbd>
            </button>
            <button
              type="button"
              aria-keyshortcuts="Alt+D"
              disabled={busy}
              onClick={() => useRegister.getState().startDiscount({ kind: 'line', lineId: chosen.id, name: chosen.name })}
            >
              {i18n.t('sell.discount')} <kbd>Alt+D</kbd>
            </button>
            <button
              type="button"
              aria-keyshortcuts="Delete"
              disabled={busy}
              onClick={() => {
                void removeLine(chosen.id);
                refocus();
              }}
            >
              {i18n.t('sell.remove')} <kbd>{i18n.t('key.delete')}</kbd>
            </button>
          </div>
        ) : null}
      </div>
      <aside className="totals" aria-label={i18n.t('sell.total')}>
        <dl>
          <dt>{i18n.t('sell.subtotal')}</dt>
          <dd>{i18n.money(totals?.subtotal ?? '0')}</dd>
          {totals && !isZero(totals.discountTotal) ? (
            <>
              <dt>{i18n.t('sell.discounts')}</dt>
              <dd>−{i18n.money(totals.discountTotal)}</dd>
            </>
          ) : null}
          <dt>{i18n.t('sell.taxes')}</dt>
          <dd>{i18n.money(totals?.taxTotal ?? '0')}</dd>
          <dt className="grand">{i18n.t('sell.total')}</dt>
          <dd className="grand" aria-label={i18n.t('sell.total')}>
            {i18n.money(totals?.total ?? '0')}
          </dd>
        </dl>
        {/* Pieces count one each; a weighed line is one item whatever it weighs. */}
        <p>{itemCount === 1 ? i18n.t('sell.item') : i18n.t('sell.items', { count: itemCount })}</p>
        <nav className="menu" aria-label="Menú">
          {side ? (
            <button type="button" aria-keyshortcuts="Escape" onClick={() => useRegister.getState().show('sell')}>
              {i18n.t('browse.cart')} <kbd>Esc</kbd>
            </button>
          ) : null}
          <button
            type="button"
            aria-keyshortcuts="Alt+V"
            disabled={busy || lines.length === 0}
            onClick={() => useRegister.getState().startDiscount({ kind: 'sale' })}
          >
            {i18n.t('discount.sale')} <kbd>Alt+V</kbd>
          </button>
          <button
            type="button"
            aria-keyshortcuts="F6"
            disabled={busy || lines.length === 0}
            onClick={() => {
              void useRegister.getState().park();
            }}
          >
            {i18n.t('menu.park')} <kbd>F6</kbd>
          </button>
          {MENU.filter((m) => (!('permission' in m) || permissions.includes(m.permission)) && !(browsing && m.panel === 'browse')).map(
            (m) => (
              <button
                type="button"
                key={m.panel}
                aria-keyshortcuts={m.key}
                disabled={busy || (m.panel === 'close' && lines.length > 0)}
                title={m.panel === 'close' && lines.length > 0 ? i18n.t('close.busySale') : undefined}
                onClick={() => useRegister.getState().show(m.panel)}
              >
                {i18n.t(m.label)} <kbd>{m.key}</kbd>
              </button>
            ),
          )}
          <CounterButtons useRegister={useRegister} i18n={i18n} />
          <button type="button" aria-keyshortcuts="F1" onClick={() => useRegister.getState().startSwitch(true)}>
            {i18n.t('sell.switch')} <kbd>F1</kbd>
          </button>
        </nav>
        <button
          type="button"
          className="primary big"
          disabled={lines.length === 0 || busy}
          onClick={() => startPaying()}
          aria-keyshortcuts="F12"
        >
          {i18n.t('sell.pay')} <kbd>F12</kbd>
        </button>
      </aside>
      {editing?.kind === 'quantity' || editing?.kind === 'weigh' ? (
        <QuantityDialog key={editing.kind === 'quantity' ? editing.lineId : editing.item.variantId} useRegister={useRegister} i18n={i18n} />
      ) : null}
      {editing?.kind === 'price' ? <PriceDialog key={editing.lineId} useRegister={useRegister} i18n={i18n} /> : null}
      {switching ? <SwitchDialog useRegister={useRegister} i18n={i18n} /> : null}
      <CounterDialogs useRegister={useRegister} i18n={i18n} onDone={refocus} />
    </section>
  );
}

type CartLineProps = {
  line: Sale['lines'][number];
  selected: boolean;
  busy: boolean;
  i18n: ScreenProps['i18n'];
  useRegister: ScreenProps['useRegister'];
  refocus(): void;
};

/**
 * One line of the cart. Memoised: a scan re-renders only the line it touched, so a cart of fifty
 * lines stays as quick to update as a cart of one (a slow render in the middle of a scan is what
 * breaks a scanner's burst).
 */
const CartLine = memo(function CartLine({ line, selected, busy, i18n, useRegister, refocus }: CartLineProps) {
  const { setQuantity, removeLine, selectLine, editLine } = useRegister.getState();
  const row = useRef<HTMLTableRowElement>(null);
  // The line just scanned or chosen is always in view, however long the cart.
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, line.quantity, line.total]);
  return (
    <tr
      ref={row}
      className={selected ? 'selected' : undefined}
      aria-current={selected ? 'true' : undefined}
      onClick={() => selectLine(line.id)}
    >
      <td className="name">
        <button
          type="button"
          className="quiet line-name"
          aria-label={i18n.t('sell.select', { name: line.name })}
          onClick={() => {
            selectLine(line.id);
            refocus();
          }}
        >
          {line.name}
        </button>
        {line.listPrice ? (
          <small className="overridden"> ({i18n.t('sell.listPrice', { amount: i18n.money(line.listPrice) })})</small>
        ) : null}
        <small className="sku">{line.sku}</small>
        {isZero(line.discountAmount) ? null : <small className="discount"> −{i18n.money(line.discountAmount)}</small>}
      </td>
      <td className="amount unit-price">
        {i18n.money(line.unitPrice)}
        {line.isWeighed ? ` / ${line.unit}` : ''}
      </td>
      <td className="quantity">
        {line.isWeighed ? (
          <button
            type="button"
            className="quiet"
            aria-label={i18n.t('sell.line.edit', { name: line.name })}
            disabled={busy}
            onClick={() => {
              selectLine(line.id);
              editLine({ kind: 'quantity', lineId: line.id });
            }}
          >
            <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>
              {quantityText(line.quantity, true)} {line.unit}
            </span>
          </button>
        ) : (
          <span className="stepper">
            <button
              type="button"
              aria-label={i18n.t('sell.line.less', { name: line.name })}
              disabled={busy || stepQuantity(line.quantity, -1) === null}
              onClick={() => {
                const q = stepQuantity(line.quantity, -1);
                if (q) void setQuantity(line.id, q);
                refocus();
              }}
            >
              −
            </button>
            <button
              type="button"
              className="quiet count"
              aria-label={i18n.t('sell.line.edit', { name: line.name })}
              disabled={busy}
              onClick={() => {
                selectLine(line.id);
                editLine({ kind: 'quantity', lineId: line.id });
              }}
            >
              <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>{quantityText(line.quantity, false)}</span>
            </button>
            <button
              type="button"
              aria-label={i18n.t('sell.line.more', { name: line.name })}
              disabled={busy}
              onClick={() => {
                const q = stepQuantity(line.quantity, 1);
                if (q) void setQuantity(line.id, q);
                refocus();
              }}
            >
              +
            </button>
          </span>
        )}
      </td>
      <td className="amount">{i18n.money(line.total)}</td>
      <td>
        <button
          type="button"
          className="quiet"
          aria-label={i18n.t('discount.line', { name: line.name })}
          disabled={busy}
          onClick={() => useRegister.getState().startDiscount({ kind: 'line', lineId: line.id, name: line.name })}
        >
          %
        </button>
        <button
          type="button"
          className="quiet"
          aria-label={i18n.t('sell.line.remove', { name: line.name })}
          disabled={busy}
          onClick={() => {
            void removeLine(line.id);
            refocus();
          }}
        >
          ✕
        </button>
      </td>
    </tr>
  );
});
