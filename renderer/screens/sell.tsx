// Selling: the scan field always has the focus back after any action; a scanner typing while
// the focus is elsewhere (on a button just pressed) is recognised by its timing and still rings
// the item up. The cart and the totals are always in view; F12 takes payment. The line a scan
// touched is the selected one (↑ ↓ move), and the keys shown on screen act on it: its quantity
// or weight (F5), its price (Alt+P), its discount (Alt+D), taking it out (Supr). F4 opens the
// category grid in place of the cart, for what has no barcode; F1 hands the register over.
import { useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { MENU } from '../menu.ts';
import { CategoryGrid } from '../components/category-grid.tsx';
import { Message } from '../components/message.tsx';
import { PriceDialog } from '../components/price-dialog.tsx';
import { QuantityDialog } from '../components/quantity-dialog.tsx';
import { WedgeDetector } from '../scan/wedge-detector.ts';
import type { Register, Sale } from '../stores/register.ts';
import { quantityText, stepQuantity, stepSelection } from './sell-lines.ts';
import { SwitchDialog } from './sign-in.tsx';

const FLUSH_SLACK_MS = 40;
/** A flush timer this late means the page was busy; keys that came meanwhile may still be queued. */
const LATE_MS = 15;
const LATE_RETRY_MS = 30;
const MAX_RETRIES = 3;

/** Keys the browser has but has not handed to the page yet (Chromium's isInputPending). */
const inputPending = () =>
  (navigator as Navigator & { scheduling?: { isInputPending?(o?: { includeContinuous: boolean }): boolean } }).scheduling?.isInputPending?.({ includeContinuous: false }) === true;

const isTextField = (el: Element | null) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
const isZero = (amount: string) => /^0(\.0+)?$/.test(amount);

/** A dialog or another layer has the keyboard: the sell screen's keys wait. */
const keyboardElsewhere = (s: Register) => s.paying || s.approval !== null || s.editing !== null || s.switching || s.discounting !== null || s.receipt !== null;

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
  const { scan, setQuantity, removeLine, startPaying, selectLine, editLine } = useRegister.getState();
  const [code, setCode] = useState('');
  const typed = useRef('');
  const field = useRef<HTMLInputElement>(null);
  const refocus = () => window.setTimeout(() => field.current?.focus(), 0);
  const setTyped = (value: string) => {
    typed.current = value;
    setCode(value);
  };

  // Back to the scan field after every action: a line changed, a dialog closed, the grid opened.
  useEffect(() => {
    if (!paying && !editing && !switching && !discounting) refocus();
  }, [paying, sale?.version, editing, switching, discounting, panel]);

  // Every key on this screen goes through the wedge detector, wherever the focus is: a scan is
  // recognised by its timing even if the focus moves in the middle of it (a button pressed, the
  // field taking the focus back), and a person's typing lands in the scan field in order.
  useEffect(() => {
    const detector = new WedgeDetector();
    let timer: number | undefined;
    // Measured in Chromium under load: a render held the page for 95 ms in the middle of a burst,
    // the flush timer ran before the scanner's queued keys, and one scan became "7" typed plus a
    // bad code. A timer that runs while keys are still waiting, or well after its time, looks
    // again after those keys have had their turn (each of them resets it).
    const flushLater = (wait: number, retries: number) => {
      const expected = performance.now() + wait;
      timer = window.setTimeout(() => {
        if (retries < MAX_RETRIES && (inputPending() || performance.now() - expected > LATE_MS)) return flushLater(LATE_RETRY_MS, retries + 1);
        apply(detector.flush(performance.now()));
      }, wait);
    };
    const apply = (step: { release: string[]; scan: string | null }) => {
      if (step.release.length > 0) {
        setTyped(typed.current + step.release.join(''));
        refocus();
      }
      if (step.scan) void scan(step.scan);
    };
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
      const step = detector.key({ key: e.key, timeStamp: e.timeStamp, repeat: e.repeat });
      if (!step.pass) e.preventDefault();
      if (step.retract > 0) setTyped(typed.current.slice(0, -step.retract));
      apply(step);
      // A person's Enter (on the scan field, or anywhere once something is typed): what they typed,
      // with the keys just released, is the code; never a click on whatever button has the focus.
      // A Backspace right after typing acts on the released keys, not the field's old value.
      if (step.pass && !step.scan && e.key === 'Enter' && (active === field.current || typed.current !== '')) {
        e.preventDefault();
        const code = typed.current;
        setTyped('');
        void scan(code);
      } else if (step.pass && e.key === 'Backspace' && step.release.length > 0) {
        e.preventDefault();
        setTyped(typed.current.slice(0, -1));
      }
      window.clearTimeout(timer);
      const deadline = detector.nextDeadline();
      // Some slack past the deadline: on a loaded machine the scanner's next key may already be
      // queued behind this timer, and flushing first would break its burst into typing.
      if (deadline !== null) flushLater(Math.max(0, deadline - performance.now()) + FLUSH_SLACK_MS, 0);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.clearTimeout(timer);
    };
  }, [useRegister, scan, startPaying, selectLine]);

  const lines = sale?.lines ?? [];
  const itemCount = lines.reduce((n, l) => n + (l.isWeighed ? 1 : Number.parseInt(l.quantity, 10)), 0);
  const totals = sale?.totals;
  const chosen = lines.find((l) => l.id === selected);
  const browsing = panel === 'browse';
  const last = lines.find((l) => l.id === selected) ?? lines.at(-1);
  return (
    <section className="sell" aria-label={i18n.t('app.title')}>
      <div className="sell-main">
        <form className="scan" onSubmit={(e) => { e.preventDefault(); const c = typed.current; setTyped(''); void scan(c); }}>
          <input
            ref={field} aria-label={i18n.t('sell.scan')} placeholder={i18n.t('sell.scan')} autoComplete="off" autoFocus value={code}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" disabled={busy}>{i18n.t('sell.add')} <kbd>Enter</kbd></button>
        </form>
        {/* A dialog open on top says its own errors; the same words twice would be noise. */}
        <Message text={editing || switching || discounting ? null : message} />
        {notice && lines.length === 0 ? <p className="notice" role="status">{notice}</p> : null}
        {browsing ? (
          <>
            <CategoryGrid useRegister={useRegister} i18n={i18n} />
            {last ? (
              <p className="last-line" role="status">
                {i18n.t('browse.last', { name: last.name })} · {quantityText(last.quantity, last.isWeighed)} {last.unit} · {i18n.money(last.total)}
              </p>
            ) : null}
          </>
        ) : lines.length === 0 ? <p className="empty">{i18n.t('sell.empty')}</p> : (
          <>
            <table className="cart">
              <tbody>
                {lines.map((line) => (
                  <tr key={line.id} className={line.id === selected ? 'selected' : undefined} aria-current={line.id === selected ? 'true' : undefined}
                    onClick={() => selectLine(line.id)}>
                    <td className="name">
                      <button type="button" className="quiet line-name" aria-label={i18n.t('sell.select', { name: line.name })} onClick={() => { selectLine(line.id); refocus(); }}>
                        {line.name}
                      </button>
                      {line.listPrice ? <small className="overridden"> {i18n.money(line.unitPrice)} ({i18n.t('sell.listPrice', { amount: i18n.money(line.listPrice) })})</small> : null}
                      {isZero(line.discountAmount) ? null : <small className="discount"> −{i18n.money(line.discountAmount)}</small>}
                    </td>
                    <td className="quantity">
                      {line.isWeighed ? (
                        <button type="button" className="quiet" aria-label={i18n.t('sell.line.edit', { name: line.name })} disabled={busy}
                          onClick={() => { selectLine(line.id); editLine({ kind: 'quantity', lineId: line.id }); }}>
                          <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>{quantityText(line.quantity, true)} {line.unit}</span>
                        </button>
                      ) : (
                        <span className="stepper">
                          <button type="button" aria-label={i18n.t('sell.line.less', { name: line.name })} disabled={busy || stepQuantity(line.quantity, -1) === null}
                            onClick={() => { const q = stepQuantity(line.quantity, -1); if (q) void setQuantity(line.id, q); refocus(); }}>−</button>
                          <button type="button" className="quiet count" aria-label={i18n.t('sell.line.edit', { name: line.name })} disabled={busy}
                            onClick={() => { selectLine(line.id); editLine({ kind: 'quantity', lineId: line.id }); }}>
                            <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>{quantityText(line.quantity, false)}</span>
                          </button>
                          <button type="button" aria-label={i18n.t('sell.line.more', { name: line.name })} disabled={busy}
                            onClick={() => { const q = stepQuantity(line.quantity, 1); if (q) void setQuantity(line.id, q); refocus(); }}>+</button>
                        </span>
                      )}
                    </td>
                    <td className="amount">{i18n.money(line.total)}</td>
                    <td>
                      <button type="button" className="quiet" aria-label={i18n.t('discount.line', { name: line.name })} disabled={busy}
                        onClick={() => useRegister.getState().startDiscount({ kind: 'line', lineId: line.id, name: line.name })}>%</button>
                      <button type="button" className="quiet" aria-label={i18n.t('sell.line.remove', { name: line.name })} disabled={busy}
                        onClick={() => { void removeLine(line.id); refocus(); }}>✕</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {chosen ? (
              <div className="line-actions" role="toolbar" aria-label={i18n.t('sell.selected', { name: chosen.name })}>
                <button type="button" aria-keyshortcuts="F5" disabled={busy} onClick={() => editLine({ kind: 'quantity', lineId: chosen.id })}>
                  {i18n.t('sell.quantity')} <kbd>F5</kbd>
                </button>
                <button type="button" aria-keyshortcuts="Alt+P" disabled={busy} onClick={() => editLine({ kind: 'price', lineId: chosen.id })}>
                  {i18n.t('sell.price')} <kbd>Alt+P</kbd>
                </button>
                <button type="button" aria-keyshortcuts="Alt+D" disabled={busy} onClick={() => useRegister.getState().startDiscount({ kind: 'line', lineId: chosen.id, name: chosen.name })}>
                  {i18n.t('sell.discount')} <kbd>Alt+D</kbd>
                </button>
                <button type="button" aria-keyshortcuts="Delete" disabled={busy} onClick={() => { void removeLine(chosen.id); refocus(); }}>
                  {i18n.t('sell.remove')} <kbd>{i18n.t('key.delete')}</kbd>
                </button>
              </div>
            ) : null}
          </>
        )}
      </div>
      <aside className="totals" aria-label={i18n.t('sell.total')}>
        <dl>
          <dt>{i18n.t('sell.subtotal')}</dt><dd>{i18n.money(totals?.subtotal ?? '0')}</dd>
          {totals && !isZero(totals.discountTotal) ? <><dt>{i18n.t('sell.discounts')}</dt><dd>−{i18n.money(totals.discountTotal)}</dd></> : null}
          <dt>{i18n.t('sell.taxes')}</dt><dd>{i18n.money(totals?.taxTotal ?? '0')}</dd>
          <dt className="grand">{i18n.t('sell.total')}</dt><dd className="grand" aria-label={i18n.t('sell.total')}>{i18n.money(totals?.total ?? '0')}</dd>
        </dl>
        {/* Pieces count one each; a weighed line is one item whatever it weighs. */}
        <p>{itemCount === 1 ? i18n.t('sell.item') : i18n.t('sell.items', { count: itemCount })}</p>
        <nav className="menu" aria-label="Menú">
          {browsing ? (
            <button type="button" aria-keyshortcuts="Escape" onClick={() => useRegister.getState().show('sell')}>{i18n.t('browse.cart')} <kbd>Esc</kbd></button>
          ) : null}
          <button type="button" aria-keyshortcuts="Alt+V" disabled={busy || lines.length === 0} onClick={() => useRegister.getState().startDiscount({ kind: 'sale' })}>
            {i18n.t('discount.sale')} <kbd>Alt+V</kbd>
          </button>
          <button type="button" aria-keyshortcuts="F6" disabled={busy || lines.length === 0} onClick={() => { void useRegister.getState().park(); }}>
            {i18n.t('menu.park')} <kbd>F6</kbd>
          </button>
          {MENU.filter((m) => (!('permission' in m) || permissions.includes(m.permission)) && !(browsing && m.panel === 'browse')).map((m) => (
            <button type="button" key={m.panel} aria-keyshortcuts={m.key} disabled={busy || (m.panel === 'close' && lines.length > 0)}
              title={m.panel === 'close' && lines.length > 0 ? i18n.t('close.busySale') : undefined}
              onClick={() => useRegister.getState().show(m.panel)}>
              {i18n.t(m.label)} <kbd>{m.key}</kbd>
            </button>
          ))}
          <button type="button" aria-keyshortcuts="F1" onClick={() => useRegister.getState().startSwitch(true)}>
            {i18n.t('sell.switch')} <kbd>F1</kbd>
          </button>
        </nav>
        <button type="button" className="primary big" disabled={lines.length === 0 || busy} onClick={() => startPaying()}
          aria-keyshortcuts="F12">
          {i18n.t('sell.pay')} <kbd>F12</kbd>
        </button>
      </aside>
      {editing?.kind === 'quantity' || editing?.kind === 'weigh' ? (
        <QuantityDialog key={editing.kind === 'quantity' ? editing.lineId : editing.item.variantId} useRegister={useRegister} i18n={i18n} />
      ) : null}
      {editing?.kind === 'price' ? <PriceDialog key={editing.lineId} useRegister={useRegister} i18n={i18n} /> : null}
      {switching ? <SwitchDialog useRegister={useRegister} i18n={i18n} /> : null}
    </section>
  );
}
