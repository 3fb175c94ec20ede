// Selling: the scan field always has the focus back after any action; a scanner typing while
// the focus is elsewhere (on a button just pressed) is recognised by its timing and still rings
// the item up. The cart and the totals are always in view; F12 takes payment.
import { useEffect, useRef, useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { MENU } from '../menu.ts';
import { Message } from '../components/message.tsx';
import { WedgeDetector } from '../scan/wedge-detector.ts';

const FLUSH_SLACK_MS = 40;

const isTextField = (el: Element | null) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

export function SellScreen({ useRegister, i18n }: ScreenProps) {
  const sale = useRegister((s) => s.sale);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const paying = useRegister((s) => s.paying);
  const permissions = useRegister((s) => s.permissions);
  const { scan, setQuantity, removeLine, startPaying } = useRegister.getState();
  const [code, setCode] = useState('');
  const typed = useRef('');
  const field = useRef<HTMLInputElement>(null);
  const refocus = () => window.setTimeout(() => field.current?.focus(), 0);
  const setTyped = (value: string) => {
    typed.current = value;
    setCode(value);
  };

  useEffect(() => {
    if (!paying) refocus();
  }, [paying, sale?.version]);

  // Every key on this screen goes through the wedge detector, wherever the focus is: a scan is
  // recognised by its timing even if the focus moves in the middle of it (a button pressed, the
  // field taking the focus back), and a person's typing lands in the scan field in order.
  useEffect(() => {
    const detector = new WedgeDetector();
    let timer: number | undefined;
    const apply = (step: { release: string[]; scan: string | null }) => {
      if (step.release.length > 0) {
        setTyped(typed.current + step.release.join(''));
        refocus();
      }
      if (step.scan) void scan(step.scan);
    };
    const onKey = (e: KeyboardEvent) => {
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
      const state = useRegister.getState();
      const active = document.activeElement;
      if (state.paying || state.approval || (isTextField(active) && active !== field.current)) return;
      const step = detector.key({ key: e.key, timeStamp: e.timeStamp, repeat: e.repeat });
      if (!step.pass) e.preventDefault();
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
      if (deadline !== null) timer = window.setTimeout(() => apply(detector.flush(performance.now())), Math.max(0, deadline - performance.now()) + FLUSH_SLACK_MS);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.clearTimeout(timer);
    };
  }, [useRegister, scan, startPaying]);

  const lines = sale?.lines ?? [];
  const itemCount = lines.reduce((n, l) => n + (l.isWeighed ? 1 : Number.parseInt(l.quantity, 10)), 0);
  const totals = sale?.totals;
  return (
    <section className="sell" aria-label={i18n.t('app.title')}>
      <div className="sell-main">
        <form className="scan" onSubmit={(e) => { e.preventDefault(); const c = typed.current; setTyped(''); void scan(c); }}>
          <input
            ref={field} aria-label={i18n.t('sell.scan')} placeholder={i18n.t('sell.scan')} autoComplete="off" autoFocus value={code}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit" disabled={busy}>{i18n.t('sell.add')}</button>
        </form>
        <Message text={message} />
        {lines.length === 0 ? <p className="empty">{i18n.t('sell.empty')}</p> : (
          <table className="cart">
            <tbody>
              {lines.map((line) => (
                <tr key={line.id}>
                  <td className="name">
                    {line.name}
                    {/^0(\.0+)?$/.test(line.discountAmount) ? null : <small className="discount"> −{i18n.money(line.discountAmount)}</small>}
                  </td>
                  <td className="quantity">
                    {line.isWeighed ? <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>{line.quantity.replace(/\.?0+$/, '')} {line.unit}</span> : (
                      <span className="stepper">
                        <button type="button" aria-label={i18n.t('sell.line.less', { name: line.name })} disabled={busy || line.quantity.startsWith('1.')}
                          onClick={() => { void setQuantity(line.id, String(Number.parseInt(line.quantity, 10) - 1)); refocus(); }}>−</button>
                        <span aria-label={i18n.t('sell.line.quantity', { name: line.name })}>{Number.parseInt(line.quantity, 10)}</span>
                        <button type="button" aria-label={i18n.t('sell.line.more', { name: line.name })} disabled={busy}
                          onClick={() => { void setQuantity(line.id, String(Number.parseInt(line.quantity, 10) + 1)); refocus(); }}>+</button>
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
        )}
      </div>
      <aside className="totals" aria-label={i18n.t('sell.total')}>
        <dl>
          <dt>{i18n.t('sell.subtotal')}</dt><dd>{i18n.money(totals?.subtotal ?? '0')}</dd>
          {totals && !/^0(\.0+)?$/.test(totals.discountTotal) ? <><dt>{i18n.t('sell.discounts')}</dt><dd>−{i18n.money(totals.discountTotal)}</dd></> : null}
          <dt>{i18n.t('sell.taxes')}</dt><dd>{i18n.money(totals?.taxTotal ?? '0')}</dd>
          <dt className="grand">{i18n.t('sell.total')}</dt><dd className="grand" aria-label={i18n.t('sell.total')}>{i18n.money(totals?.total ?? '0')}</dd>
        </dl>
        {/* Pieces count one each; a weighed line is one item whatever it weighs. */}
        <p>{itemCount === 1 ? i18n.t('sell.item') : i18n.t('sell.items', { count: itemCount })}</p>
        <nav className="menu" aria-label="Menú">
          <button type="button" disabled={busy || lines.length === 0} onClick={() => useRegister.getState().startDiscount({ kind: 'sale' })}>
            {i18n.t('discount.sale')}
          </button>
          <button type="button" aria-keyshortcuts="F6" disabled={busy || lines.length === 0} onClick={() => { void useRegister.getState().park(); }}>
            {i18n.t('menu.park')} <kbd>F6</kbd>
          </button>
          {MENU.filter((m) => !('permission' in m) || permissions.includes(m.permission)).map((m) => (
            <button type="button" key={m.panel} aria-keyshortcuts={m.key} disabled={busy || (m.panel === 'close' && lines.length > 0)}
              title={m.panel === 'close' && lines.length > 0 ? i18n.t('close.busySale') : undefined}
              onClick={() => useRegister.getState().show(m.panel)}>
              {i18n.t(m.label)} <kbd>{m.key}</kbd>
            </button>
          ))}
        </nav>
        <button type="button" className="primary big" disabled={lines.length === 0 || busy} onClick={() => startPaying()}
          aria-keyshortcuts="F12">
          {i18n.t('sell.pay')} <kbd>F12</kbd>
        </button>
      </aside>
    </section>
  );
}
