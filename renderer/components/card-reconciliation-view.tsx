// A shift's card-terminal tenders against each provider's own list, as shifts.reconcileCards
// answers it: per terminal whether it balances, the two sides' totals, and every payment that is
// on one side only or differs. A provider that could not be asked is said in its own words, and
// its terminals are shown unchecked, never as balanced.
import type { CardReconciliation, ReconciledPayment } from '#contract/card-reconciliation.ts';
import { CARD_PROVIDER_NAMES, terminalSerial } from '#contract/payment-vocabulary.ts';
import type { I18n } from '../i18n/index.ts';
import './shift-report-view.css';

export function CardReconciliationView({ result, i18n }: { result: CardReconciliation; i18n: I18n }) {
  const title = i18n.t('reconcile.title');
  const row = (label: string, value: string, className = 'report-row') => (
    <div className={className} key={label}>
      <dt>{label}</dt>
      <dd aria-label={label}>{value}</dd>
    </div>
  );
  const payment = (kind: string, p: ReconciledPayment, amount: string) =>
    row(i18n.t('reconcile.payment', { kind, payment: p.reference ?? p.paymentId }), amount, 'report-row off');
  return (
    <section className="shift-report card-reconciliation" aria-label={title} tabIndex={0}>
      <p>{i18n.t('reconcile.span', { from: i18n.dateTime(result.from), to: i18n.dateTime(result.to) })}</p>
      <p role="status" className={result.complete ? 'notice' : 'warning'}>
        {i18n.t(result.complete ? 'reconcile.complete' : 'reconcile.incomplete')}
      </p>
      {result.providers.length === 0 ? <p>{i18n.t('reconcile.none')}</p> : null}
      {result.providers.map((p) => {
        const provider = CARD_PROVIDER_NAMES[p.provider];
        return (
          <div key={p.provider}>
            {p.message ? (
              <p role="alert" className="warning">
                {p.message}
              </p>
            ) : null}
            {p.terminals.map((t) => {
              const name = i18n.t('reconcile.terminal', { provider, terminal: terminalSerial(t.terminalId) });
              return (
                <div key={t.terminalId}>
                  <h3>
                    {name}: <span className={`reconcile-${t.status.toLowerCase()}`}>{i18n.t(`reconcile.status.${t.status}`)}</span>
                  </h3>
                  <dl aria-label={name}>
                    {row(i18n.t('reconcile.ours', { count: t.ours.count }), i18n.money(t.ours.amount))}
                    {t.theirs ? row(i18n.t('reconcile.theirs', { provider, count: t.theirs.count }), i18n.money(t.theirs.amount)) : null}
                    {t.theirs ? row(i18n.t('reconcile.matched', { count: t.matched.length }), '') : null}
                    {t.differing.map((d) =>
                      payment(i18n.t('reconcile.differing', { ours: i18n.money(d.ours!), provider, theirs: i18n.money(d.theirs!) }), d, ''),
                    )}
                    {t.missingAtProvider.map((d) => payment(i18n.t('reconcile.missing', { provider }), d, i18n.money(d.ours!)))}
                    {t.unknownToUs.map((d) =>
                      payment(i18n.t(d.chargeId ? 'reconcile.unknownCharge' : 'reconcile.unknown'), d, i18n.money(d.theirs!)),
                    )}
                  </dl>
                </div>
              );
            })}
            {p.unattributed.count > 0 ? (
              <dl>{row(i18n.t('reconcile.unattributed', { count: p.unattributed.count }), i18n.money(p.unattributed.amount))}</dl>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
