// A return: the receipt found by its barcode, scanned or typed, or by its number alone (this
// register's), how much of each line comes back (never more than is left to return), where the
// money goes (cash, store credit, back to the card or by transfer, with the reference of that
// refund), and why. The engine asks for a manager when the cashier may not do returns alone.
import { Decimal } from 'decimal.js';
import { useState } from 'react';
import type { ScreenProps } from '../app.tsx';
import { Message } from '../components/message.tsx';
import { NumberPad } from '../components/number-pad.tsx';
import { fieldProblem, fieldText, QUANTITY_FIELD, readField } from '../i18n/number-fields.ts';

export function ReturnsScreen({ useRegister, i18n }: ScreenProps) {
  const returnable = useRegister((s) => s.returnable);
  const returned = useRegister((s) => s.returned);
  const methods = useRegister((s) => s.methods);
  const message = useRegister((s) => s.message);
  const busy = useRegister((s) => s.busy);
  const { lookUpReturn, createReturn, show } = useRegister.getState();
  const [code, setCode] = useState('');
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [methodId, setMethodId] = useState<string>(methods.find((m) => m.kind === 'CASH')?.id ?? '');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const method = methods.find((m) => m.id === methodId);
  const needsReference = method?.kind === 'CARD' || method?.kind === 'TRANSFER';
  const [problem, setProblem] = useState<string | null>(null);

  const submit = () => {
    if (!returnable) return;
    const lines = [];
    for (const line of returnable.lines) {
      // Typed the cashier's way ("1,5" in es-AR), sent the engine's ("1.5").
      const typed = counts[line.saleItemId] ?? '';
      if (typed === '') continue;
      const wanted = readField(i18n, QUANTITY_FIELD, typed).value;
      if (wanted === null) return setProblem(fieldProblem(i18n, QUANTITY_FIELD));
      if (new Decimal(wanted).isZero()) continue;
      if (new Decimal(wanted).greaterThan(line.returnable)) {
        return setProblem(i18n.t('returns.tooMany', { quantity: fieldText(i18n, line.returnable.replace(/\.?0+$/, '')), name: line.name }));
      }
      lines.push({ saleItemId: line.saleItemId, quantity: wanted });
    }
    if (lines.length === 0) return setProblem(i18n.t('returns.nothing'));
    // The card terminal's or the bank's reference is how this refund is found again.
    if (needsReference && reference.trim() === '') return setProblem(i18n.t('returns.referenceNeeded'));
    setProblem(null);
    void createReturn(lines, methodId, reason.trim() || '—', needsReference ? reference.trim() : undefined);
  };

  return (
    <section className="panel wide" aria-labelledby="returns-title">
      <h1 id="returns-title">{i18n.t('returns.title')}</h1>
      <form
        className="scan"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) void lookUpReturn(code);
        }}
      >
        {/* A scanned receipt barcode goes here (the global scanner guard types it in and presses Enter). */}
        <input
          aria-label={i18n.t('returns.code')}
          placeholder={i18n.t('returns.code')}
          autoFocus
          autoComplete="off"
          data-scan-target
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {i18n.t('returns.find')} <kbd>Enter</kbd>
        </button>
      </form>
      {returnable ? null : <p className="hint">{i18n.t('returns.hint')}</p>}
      {returnable ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <h2>
            {returnable.receiptCode} · {i18n.dateTime(returnable.completedAt)} · {i18n.money(returnable.total)}
          </h2>
          <table className="cart">
            <tbody>
              {returnable.lines.map((line) => (
                <tr key={line.saleItemId}>
                  <td>{line.name}</td>
                  <td>{i18n.t('returns.sold', { quantity: `${line.quantity.replace(/\.?0+$/, '')} ${line.unit}` })}</td>
                  <td>
                    <input
                      aria-label={i18n.t('returns.quantity', { name: line.name })}
                      inputMode="decimal"
                      size={6}
                      disabled={/^0+(\.0+)?$/.test(line.returnable)}
                      value={counts[line.saleItemId] ?? ''}
                      onChange={(e) => setCounts({ ...counts, [line.saleItemId]: e.target.value.trim() })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {/* Types into the quantity with the focus (the first one until the cashier picks another). */}
          <NumberPad decimals i18n={i18n} />
          <fieldset>
            <legend>{i18n.t('returns.method')}</legend>
            {methods
              .filter((m) => m.kind === 'CASH' || m.kind === 'STORE_CREDIT' || m.kind === 'CARD' || m.kind === 'TRANSFER')
              .map((m) => (
                <label key={m.id} className="choice">
                  <input type="radio" name="refund" checked={methodId === m.id} onChange={() => setMethodId(m.id)} /> {m.name}
                </label>
              ))}
          </fieldset>
          {needsReference ? (
            <div className="field">
              <label htmlFor="return-reference">{i18n.t('returns.reference')}</label>
              <input
                id="return-reference"
                autoComplete="off"
                maxLength={60}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="return-reason">{i18n.t('returns.reason')}</label>
            <input id="return-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
          </div>
          {problem ? (
            <p className="message" role="alert">
              {problem}
            </p>
          ) : null}
          <button type="submit" className="primary big" disabled={busy}>
            {i18n.t('returns.submit')}
          </button>
        </form>
      ) : null}
      {returned ? (
        <p className="change-due" role="status">
          {i18n.t('returns.done', { number: returned.returnNumber, amount: i18n.money(returned.total) })}
          {returned.storeCredit ? (
            <>
              <br />
              {i18n.t('returns.credit', { code: returned.storeCredit.code, amount: i18n.money(returned.storeCredit.amount) })}
            </>
          ) : null}
          {returned.creditNote ? (
            <>
              <br />
              {i18n.t(`invoice.state.${returned.creditNote.status}`, {
                kind: i18n.t('invoice.kind.CREDIT_NOTE'),
                series: returned.creditNote.series,
                folio: returned.creditNote.folio,
              })}
            </>
          ) : null}
        </p>
      ) : null}
      <Message text={message} />
      <button type="button" onClick={() => show('sell')}>
        {i18n.t('menu.back')} <kbd>Esc</kbd>
      </button>
    </section>
  );
}
