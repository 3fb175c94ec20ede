// Taking payment: cash with quick amounts and the change before it is final, a card on the bank's
// own terminal, a bank transfer with its reference, or several of them for one sale (part card,
// part cash). What is still owed is always in view; only cash gives change; the sale is paid the
// moment the tenders cover it. A button pressed twice takes its tender once, and the engine
// would answer the same sale again rather than sell it twice. The customer's e-mail (Alt+E) is
// optional and goes with the sale; Enter there goes back to the tender being taken.
import { Decimal } from 'decimal.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CardChargeView } from '#contract/calls/payments.ts';
import type { ScreenProps } from '../app.tsx';
import type { Method } from '../stores/register.ts';
import { AmountInput } from '../components/amount-input.tsx';
import { EmailField } from '../components/email-field.tsx';
import { Message } from '../components/message.tsx';
import { NumberPad } from '../components/number-pad.tsx';
import { AMOUNT_FIELD, fieldText, readField } from '../i18n/number-fields.ts';
import { cashSense, NOTES } from './cash-sense.ts';
import { EMAIL_KEY, isEmailKey } from './customer-email.ts';
import { splitState, toCents, type PendingTender, type TenderKind } from './pay-split.ts';
import { StoreCreditForm } from './store-credit-form.tsx';

/** The exact amount, then the next round sums in the currency's banknotes, smallest first. */
export function quickAmounts(total: string, currency = 'MXN'): string[] {
  const due = new Decimal(total);
  const out = [due.toFixed(2)];
  for (const note of NOTES[currency] ?? NOTES.MXN!) {
    const next = due.dividedBy(note).ceil().times(note);
    if (next.greaterThan(due) && !out.includes(next.toFixed(2))) out.push(next.toFixed(2));
  }
  return [out[0]!, ...out.slice(1).sort((a, b) => new Decimal(a).comparedTo(b))].slice(0, 5);
}

const KINDS: {
  kind: TenderKind;
  key: string;
  label: 'pay.tab.cash' | 'pay.tab.card' | 'pay.tab.terminal' | 'pay.tab.transfer' | 'pay.tab.credit' | 'pay.tab.gift';
}[] = [
  { kind: 'CASH', key: 'F1', label: 'pay.tab.cash' },
  { kind: 'CARD', key: 'F2', label: 'pay.tab.card' },
  { kind: 'TRANSFER', key: 'F3', label: 'pay.tab.transfer' },
  { kind: 'STORE_CREDIT', key: 'F4', label: 'pay.tab.credit' },
  { kind: 'TERMINAL', key: 'F5', label: 'pay.tab.terminal' },
  { kind: 'GIFT_CARD', key: 'F6', label: 'pay.tab.gift' },
];

/** The store's method for a tab: the register's card terminal is a card method of its own. */
const methodFor = (methods: readonly Method[], kind: TenderKind) =>
  kind === 'TERMINAL' ? methods.find((m) => m.integrated) : methods.find((m) => m.kind === kind && !m.integrated);

const newFormKey = () => `form:${crypto.randomUUID()}`;

export function PayScreen({ useRegister, i18n }: ScreenProps) {
  const sale = useRegister((s) => s.sale);
  const busy = useRegister((s) => s.busy);
  const message = useRegister((s) => s.message);
  const tenderMessage = useRegister((s) => s.tenderMessage);
  const tenders = useRegister((s) => s.tenders);
  const methods = useRegister((s) => s.methods);
  const typedEmail = useRegister((s) => (s.sale && s.receiptEmail?.saleId === s.sale.id ? s.receiptEmail.typed : ''));
  const { addTender, removeTender, stopPaying, finishPayment, setReceiptEmail } = useRegister.getState();
  const offered = KINDS.filter((k) => methodFor(methods, k.kind) !== undefined);
  const [kind, setKind] = useState<TenderKind>('CASH');
  const total = sale?.totals.total ?? '0';
  const state = splitState(total, tenders);
  const dialog = useRef<HTMLElement>(null);
  const emailField = useRef<HTMLInputElement>(null);
  /** Back to the tender being taken: its first field still empty (the card's last digits), else its first. */
  const backToTender = () => {
    const fields = Array.from(dialog.current?.querySelectorAll<HTMLInputElement>('[role="tabpanel"] input') ?? []);
    (fields.find((f) => f.value === '') ?? fields[0])?.focus();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (useRegister.getState().approval) return;
      const tab = offered.find((k) => k.key === e.key);
      if (tab) {
        e.preventDefault();
        setKind(tab.kind);
      } else if (isEmailKey(e)) {
        e.preventDefault();
        emailField.current?.focus();
        emailField.current?.select();
      } else if (e.key === 'Escape') stopPaying();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stopPaying, offered, useRegister]);

  const title = i18n.t('pay.title', { total: i18n.money(total) });
  const method = methodFor(methods, kind);
  const take = (tender: PendingTender, formKey: string) => void addTender(tender, formKey);
  return (
    <div className="overlay">
      {/* A scan here is one more item: the dialog closes and the cart takes it (renderer/scan). */}
      <section ref={dialog} role="dialog" aria-modal="true" aria-label={title} className="panel pay" data-takes-scans="">
        <h1>{title}</h1>
        {tenders.length > 0 ? (
          <div className="split">
            <ul aria-label={i18n.t('pay.taken')}>
              {tenders.map((t, i) => {
                const amount = i18n.money(t.kind === 'CASH' ? t.tendered : t.amount);
                const what =
                  t.kind === 'CARD' || (t.kind === 'TERMINAL' && t.cardLast4)
                    ? `${t.method} ****${t.cardLast4}`
                    : t.kind === 'TRANSFER'
                      ? `${t.method} (${t.reference})`
                      : t.kind === 'STORE_CREDIT'
                        ? `${t.method} (${t.balanceCode})`
                        : t.kind === 'GIFT_CARD'
                          ? `${t.method} ****${t.balanceCode.replace(/[\s-]/g, '').slice(-4)}`
                          : t.method;
                return (
                  <li key={`${t.kind}-${i}`}>
                    <span>{what}</span>
                    <span className="amount">{amount}</span>
                    <button
                      type="button"
                      className="quiet"
                      disabled={busy || t.kind === 'TERMINAL'}
                      aria-label={i18n.t('pay.removeTender', { what, amount })}
                      onClick={() => removeTender(i)}
                    >
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
            {new Decimal(state.excess).isZero() ? null : (
              <p className="message" role="alert">
                {i18n.t('pay.problem.EXCESS', { amount: i18n.money(state.excess) })}
              </p>
            )}
          </div>
        ) : null}
        <p className="remaining" role="status" aria-label={i18n.t('pay.remaining')}>
          {i18n.t('pay.remaining')}: <strong>{i18n.money(state.remaining)}</strong>
        </p>
        <div role="tablist" aria-label={i18n.t('pay.method')} className="tabs">
          {offered.map((k) => (
            <button
              type="button"
              role="tab"
              key={k.kind}
              aria-selected={kind === k.kind}
              aria-keyshortcuts={k.key}
              onClick={() => setKind(k.kind)}
            >
              {i18n.t(k.label)} <kbd>{k.key}</kbd>
            </button>
          ))}
        </div>
        {method && kind === 'CASH' ? (
          <CashForm
            key={`cash-${tenders.length}`}
            remaining={state.remaining}
            currency={sale?.currency ?? 'MXN'}
            busy={busy}
            i18n={i18n}
            confirmMultiple={useRegister.getState().cashConfirmMultiple}
            onTake={(tendered, formKey) => take({ kind: 'CASH', methodId: method.id, method: method.name, tendered }, formKey)}
          />
        ) : null}
        {method && kind === 'CARD' ? (
          <CardForm
            key={`card-${tenders.length}`}
            remaining={state.remaining}
            busy={busy}
            i18n={i18n}
            onTake={(amount, cardLast4, approvalCode, formKey) =>
              take({ kind: 'CARD', methodId: method.id, method: method.name, amount, cardLast4, approvalCode }, formKey)
            }
          />
        ) : null}
        {method && kind === 'TERMINAL' ? (
          <TerminalForm
            key={`terminal-${tenders.length}`}
            remaining={state.remaining}
            busy={busy}
            i18n={i18n}
            useRegister={useRegister}
            onCharge={(amount, formKey) => void useRegister.getState().startCharge(method.id, amount, formKey)}
          />
        ) : null}
        {method && kind === 'TRANSFER' ? (
          <TransferForm
            key={`transfer-${tenders.length}`}
            remaining={state.remaining}
            busy={busy}
            i18n={i18n}
            onTake={(amount, reference, formKey) =>
              take({ kind: 'TRANSFER', methodId: method.id, method: method.name, amount, reference }, formKey)
            }
          />
        ) : null}
        {method && kind === 'GIFT_CARD' ? (
          <StoreCreditForm
            key={`gift-${tenders.length}`}
            kind="GIFT_CARD"
            remaining={state.remaining}
            busy={busy}
            i18n={i18n}
            useRegister={useRegister}
            onTake={(amount, balanceCode, available, formKey) =>
              take({ kind: 'GIFT_CARD', methodId: method.id, method: method.name, amount, balanceCode, available }, formKey)
            }
          />
        ) : null}
        {method && kind === 'STORE_CREDIT' ? (
          <StoreCreditForm
            key={`credit-${tenders.length}`}
            kind="STORE_CREDIT"
            remaining={state.remaining}
            busy={busy}
            i18n={i18n}
            useRegister={useRegister}
            onTake={(amount, balanceCode, available, formKey) =>
              take({ kind: 'STORE_CREDIT', methodId: method.id, method: method.name, amount, balanceCode, available }, formKey)
            }
          />
        ) : null}
        <EmailField
          id="pay-email"
          ref={emailField}
          label={i18n.t('pay.email')}
          shortcut={EMAIL_KEY}
          value={typedEmail}
          onChange={setReceiptEmail}
          problem={i18n.t('pay.email.problem')}
          onEnter={backToTender}
        />
        <NumberPad decimals i18n={i18n} />
        <Message text={tenderMessage} />
        <Message text={message} />
        <div className="actions">
          <button type="button" onClick={() => stopPaying()}>
            {i18n.t('pay.cancel')} <kbd>Esc</kbd>
          </button>
          {/* Covered but not yet sold: the answer to the last try never came (a timeout). Sending
              again is safe: the engine answers the same sale. */}
          {state.covered ? (
            <button type="button" className="primary big" disabled={busy} onClick={() => void finishPayment()}>
              {i18n.t('pay.finish')}
            </button>
          ) : null}
        </div>
      </section>
    </div>
  );
}

type FormProps = { remaining: string; busy: boolean; i18n: ScreenProps['i18n'] };

/** One key per filled form: a double click sends the same key twice and is taken once. */
function useFormKey(...fields: string[]) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key exactly when a field of the form changes
  return useMemo(newFormKey, fields);
}

function CashForm({
  remaining,
  currency,
  confirmMultiple,
  busy,
  i18n,
  onTake,
}: FormProps & { currency: string; confirmMultiple: string; onTake(tendered: string, formKey: string): void }) {
  const [cash, setCash] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const formKey = useFormKey(cash);
  // The field keeps what the cashier typed ("1.300,00" in es-AR); the tender carries the engine's value.
  const tendered = readField(i18n, AMOUNT_FIELD, cash).value;
  const valid = tendered !== null;
  const change = tendered !== null ? new Decimal(tendered).minus(remaining) : null;
  const short = change?.isNegative() ?? false;
  const sense = tendered !== null ? cashSense(tendered, remaining, currency, confirmMultiple) : null;
  // The amount the cashier said yes to: typing anything else asks again.
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
  }, [asking]);
  const submit = () => {
    if (tendered === null || busy || sense?.kind === 'ceiling') return;
    if (sense?.kind === 'confirm' && confirmed !== tendered) return setAsking(true);
    onTake(tendered, formKey);
  };
  return (
    <form
      ref={form}
      role="tabpanel"
      aria-label={i18n.t('pay.tab.cash')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <AmountInput
        label={i18n.t('pay.cash')}
        value={cash}
        onChange={(v) => {
          setCash(v);
          setAsking(false);
        }}
        i18n={i18n}
        autoFocus
      />
      {sense?.kind === 'ceiling' ? (
        <p className="message" role="alert">
          {i18n.t('pay.cash.ceiling', { amount: i18n.money(sense.ceiling) })}
        </p>
      ) : null}
      {asking && tendered !== null && change ? (
        <div className="confirm-cash" role="alertdialog" aria-label={i18n.t('pay.cash.confirmTitle')}>
          <p>
            {i18n.t('pay.cash.confirm', { cash: i18n.money(tendered), due: i18n.money(remaining), change: i18n.money(change.toFixed(2)) })}
          </p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setAsking(false);
                form.current?.querySelector('input')?.select();
              }}
            >
              {i18n.t('pay.cash.fix')}
            </button>
            <button
              type="button"
              ref={confirmButton}
              className="primary"
              onClick={() => {
                setConfirmed(tendered);
                setAsking(false);
                onTake(tendered, formKey);
              }}
            >
              {i18n.t('pay.cash.yes', { cash: i18n.money(tendered) })}
            </button>
          </div>
        </div>
      ) : null}
      <div className="quick">
        {quickAmounts(remaining, currency).map((amount, i) => (
          <button
            type="button"
            key={amount}
            onClick={() => {
              setCash(fieldText(i18n, amount));
              form.current?.querySelector('input')?.focus();
            }}
          >
            {i === 0 ? i18n.t('pay.exact') : i18n.money(amount)}
          </button>
        ))}
      </div>
      {change ? (
        <p className="change" role="status">
          {short
            ? i18n.t('pay.short', { amount: i18n.money(change.negated().toFixed(2)) })
            : `${i18n.t('pay.change')}: ${i18n.money(change.toFixed(2))}`}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary big" disabled={busy || !valid || sense?.kind === 'ceiling'}>
          {short ? i18n.t('pay.cash.part') : i18n.t('pay.submit')} <kbd>Enter</kbd>
        </button>
      </div>
    </form>
  );
}

function CardForm({
  remaining,
  busy,
  i18n,
  onTake,
}: FormProps & { onTake(amount: string, last4: string, approval: string, formKey: string): void }) {
  const [amount, setAmount] = useState(() => fieldText(i18n, toCents(remaining)));
  const [last4, setLast4] = useState('');
  const [approval, setApproval] = useState('');
  const formKey = useFormKey(amount, last4, approval);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const ready = value !== null && /^\d{4}$/.test(last4) && /^[A-Za-z0-9]{1,12}$/.test(approval);
  return (
    <form
      role="tabpanel"
      className="card"
      aria-label={i18n.t('pay.card')}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && value !== null && !busy) onTake(value, last4, approval, formKey);
      }}
    >
      <AmountInput label={i18n.t('pay.card.amount')} value={amount} onChange={setAmount} i18n={i18n} />
      <div className="pair">
        <div className="field">
          <label htmlFor="card-last4">{i18n.t('pay.card.last4')}</label>
          <input
            id="card-last4"
            inputMode="numeric"
            maxLength={4}
            autoComplete="off"
            autoFocus
            value={last4}
            onChange={(e) => setLast4(e.target.value.replace(/\D/g, ''))}
          />
        </div>
        <div className="field">
          <label htmlFor="card-approval">{i18n.t('pay.card.approval')}</label>
          <input
            id="card-approval"
            maxLength={12}
            autoComplete="off"
            value={approval}
            onChange={(e) => setApproval(e.target.value.trim())}
          />
        </div>
      </div>
      <button type="submit" className="primary" disabled={busy || !ready}>
        {i18n.t('pay.card.submit')} <kbd>Enter</kbd>
      </button>
    </form>
  );
}

/** How the charge on the terminal stands, in the cashier's words. */
function chargeWords(i18n: ScreenProps['i18n'], charge: CardChargeView): string {
  switch (charge.status) {
    case 'APPROVED':
      return i18n.t('pay.terminal.APPROVED', { last4: charge.cardLast4 ?? '····', amount: i18n.money(charge.amount) });
    case 'DECLINED':
      return i18n.t('pay.terminal.DECLINED', { detail: charge.statusDetail ?? '' });
    default:
      return i18n.t(`pay.terminal.${charge.status}`);
  }
}

/**
 * The register's card terminal: the amount (what is still owed unless changed) goes to the
 * terminal with Enter, and the customer pays there; the screen follows the charge until the card
 * is approved (it becomes a tender), declined or cancelled. F9 takes it off the terminal.
 */
function TerminalForm({
  remaining,
  busy,
  i18n,
  useRegister,
  onCharge,
}: FormProps & { useRegister: ScreenProps['useRegister']; onCharge(amount: string, formKey: string): void }) {
  const [amount, setAmount] = useState(() => fieldText(i18n, toCents(remaining)));
  const formKey = useFormKey(amount);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const sale = useRegister((s) => s.sale);
  const charge = useRegister((s) => (s.charge && s.charge.saleId === sale?.id ? s.charge : null));
  const open = charge !== null && ['SENT', 'CREATED', 'AT_TERMINAL', 'PROCESSING'].includes(charge.status);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F9') return;
      e.preventDefault();
      void useRegister.getState().cancelCharge();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [useRegister]);
  return (
    <form
      role="tabpanel"
      className="terminal"
      aria-label={i18n.t('pay.terminal')}
      onSubmit={(e) => {
        e.preventDefault();
        if (value !== null && !busy && !open) onCharge(value, formKey);
      }}
    >
      <AmountInput label={i18n.t('pay.terminal.amount')} value={amount} onChange={setAmount} i18n={i18n} autoFocus />
      {charge ? (
        <p className={`terminal-state ${charge.status.toLowerCase()}`} role="status" aria-live="polite">
          {chargeWords(i18n, charge)}
          {charge.unreachable && open ? ` ${i18n.t('pay.terminal.unreachable')}` : ''}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || value === null || open}>
          {i18n.t('pay.terminal.submit')} <kbd>Enter</kbd>
        </button>
        <button type="button" aria-keyshortcuts="F9" disabled={!open} onClick={() => void useRegister.getState().cancelCharge()}>
          {i18n.t('pay.terminal.cancel')} <kbd>F9</kbd>
        </button>
      </div>
    </form>
  );
}

function TransferForm({ remaining, busy, i18n, onTake }: FormProps & { onTake(amount: string, reference: string, formKey: string): void }) {
  const [amount, setAmount] = useState(() => fieldText(i18n, toCents(remaining)));
  const [reference, setReference] = useState('');
  const formKey = useFormKey(amount, reference);
  const value = readField(i18n, AMOUNT_FIELD, amount).value;
  const ready = value !== null && reference.trim() !== '';
  return (
    <form
      role="tabpanel"
      aria-label={i18n.t('pay.transfer')}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && value !== null && !busy) onTake(value, reference, formKey);
      }}
    >
      <AmountInput label={i18n.t('pay.transfer.amount')} value={amount} onChange={setAmount} i18n={i18n} />
      <div className="field">
        <label htmlFor="transfer-reference">{i18n.t('pay.transfer.reference')}</label>
        <input
          id="transfer-reference"
          maxLength={60}
          autoComplete="off"
          autoFocus
          value={reference}
          onChange={(e) => setReference(e.target.value)}
        />
      </div>
      <button type="submit" className="primary" disabled={busy || !ready}>
        {i18n.t('pay.transfer.submit')} <kbd>Enter</kbd>
      </button>
    </form>
  );
}
