// The X or Z report on screen: the same report the paper prints (one shape from the engine),
// laid out in sections that scroll inside themselves so the buttons around it stay on a
// 1024×768 screen (the screen around it holds the heading). A figure a blind count may not see comes as null and shows as hidden.
import { Fragment } from 'react';
import { CARD_PROVIDER_NAMES, terminalSerial } from '#contract/payment-vocabulary.ts';
import type { PrintableReport } from '#contract/report-document.ts';
import { taxLabel } from '#contract/receipt-document.ts';
import type { I18n } from '../i18n/index.ts';
import './shift-report-view.css';

const isZero = (v: string | null | undefined) => v !== null && v !== undefined && /^0(\.0+)?$/.test(v);

/** "12 a 15", one number, or a dash when the shift sold nothing. */
function receiptRange(i18n: I18n, { first, last }: { first: number | null; last: number | null }) {
  if (first === null || last === null) return '—';
  return first === last ? String(first) : i18n.t('report.receipts.range', { first, last });
}

export function ShiftReportView({ report, i18n, title }: { report: PrintableReport; i18n: I18n; title: string }) {
  const amount = (v: string | null | undefined) => (v === null || v === undefined ? i18n.t('report.hidden') : i18n.money(v));
  /** What leaves the drawer, shown with a minus sign. */
  const out = (v: string | null | undefined) =>
    v === null || v === undefined ? i18n.t('report.hidden') : isZero(v) ? i18n.money(v) : `−${i18n.money(v)}`;
  const row = (label: string, value: string, strong = false) => (
    <div className={strong ? 'report-row strong' : 'report-row'} key={label}>
      <dt>{label}</dt>
      <dd aria-label={label}>{value}</dd>
    </div>
  );
  const isZ = report.zNumber !== undefined;
  const { receipts, parked } = report;
  return (
    <section className="shift-report" aria-label={title} tabIndex={0}>
      <div className="report-sections">
        <div className="report-section">
          <dl>
            {row(i18n.t('report.businessDate'), report.businessDate)}
            {row(i18n.t('report.openedAt'), i18n.dateTime(report.openedAt))}
            {report.closedAt ? row(i18n.t('report.closedAt'), i18n.dateTime(report.closedAt)) : null}
          </dl>
          <h3>{i18n.t('report.sales')}</h3>
          <dl>
            {row(i18n.t('report.tickets'), String(report.sales.count))}
            {row(i18n.t('report.receipts'), receiptRange(i18n, receipts))}
            {row(i18n.t('report.subtotal'), amount(report.sales.subtotal))}
            {row(i18n.t('report.discounts'), out(report.sales.discounts))}
            {row(i18n.t('report.tax'), amount(report.sales.tax))}
            {row(i18n.t('report.rounding'), amount(report.sales.rounding))}
            {row(i18n.t('report.total'), amount(report.sales.total), true)}
          </dl>
          <h3>{i18n.t('report.tenders')}</h3>
          {report.tenders.length === 0 ? (
            <p>{i18n.t('report.noTenders')}</p>
          ) : (
            <dl>
              {report.tenders.map((t) => (
                <Fragment key={t.method}>
                  {row(`${t.method} (${t.count})`, amount(t.amount))}
                  {t.refunded === null || isZero(t.refunded)
                    ? null
                    : row(i18n.t('report.refunded', { method: t.method ?? '' }), out(t.refunded))}
                </Fragment>
              ))}
            </dl>
          )}
          {report.cards?.length ? (
            <>
              <h3>{i18n.t('report.cards')}</h3>
              <dl aria-label={i18n.t('report.cards')}>
                {report.cards.map((c) => {
                  const names = { provider: CARD_PROVIDER_NAMES[c.provider], terminal: terminalSerial(c.terminalId) };
                  return (
                    <Fragment key={`${c.provider}:${c.terminalId}`}>
                      {row(i18n.t('report.cards.terminal', { ...names, count: c.count }), amount(c.amount))}
                      {c.refunded === null || isZero(c.refunded) ? null : row(i18n.t('report.cards.refunded', names), out(c.refunded))}
                    </Fragment>
                  );
                })}
              </dl>
            </>
          ) : null}
          <h3>{i18n.t('report.taxes')}</h3>
          {report.taxes.length === 0 ? (
            <p>{i18n.t('report.noTaxes')}</p>
          ) : (
            <dl>
              {report.taxes.map((t) => row(i18n.t('report.taxOn', { tax: taxLabel(t), base: i18n.money(t.base) }), i18n.money(t.amount)))}
            </dl>
          )}
          <dl>
            {row(i18n.t('report.voids', { count: report.voids.count }), i18n.money(report.voids.total))}
            {row(i18n.t('report.returns', { count: report.returns.count }), amount(report.returns.total))}
            {row(i18n.t('report.noSale'), String(report.cash.noSaleOpens))}
          </dl>
        </div>
        <div className="report-section">
          <h3>{i18n.t('report.cash')}</h3>
          <dl>
            {row(i18n.t('report.float'), amount(report.openingFloat))}
            {row(i18n.t('report.cashSales'), amount(report.cash.sales))}
            {row(i18n.t('report.cashRefunds'), out(report.cash.refunds))}
            {row(i18n.t('report.payIns', { count: report.cash.payInCount }), amount(report.cash.payIns))}
            {row(i18n.t('report.payOuts', { count: report.cash.payOutCount }), out(report.cash.payOuts))}
            {row(i18n.t('report.drops', { count: report.cash.dropCount }), out(report.cash.drops))}
            {row(i18n.t('report.expected'), amount(report.cash.expected), true)}
            {isZ ? row(i18n.t('report.counted'), amount(report.counted)) : null}
          </dl>
          {isZ && report.countedBy?.length ? (
            <dl className="report-count" aria-label={i18n.t('report.countedBy')}>
              {report.countedBy.map((c) =>
                row(i18n.t('report.pieces', { pieces: c.pieces, denomination: i18n.money(c.denomination) }), i18n.money(c.amount)),
              )}
            </dl>
          ) : null}
          {isZ ? <dl>{row(i18n.t('report.variance'), amount(report.variance), true)}</dl> : null}
          <h3>{i18n.t('report.parked')}</h3>
          <dl>
            {row(i18n.t('report.parked.count', { count: parked.count }), i18n.money(parked.total))}
            {parked.oldestAt ? row(i18n.t('report.parked.oldest'), i18n.dateTime(parked.oldestAt)) : null}
          </dl>
          {parked.count > 0 && isZ ? <p>{i18n.t('report.parked.kept')}</p> : null}
        </div>
      </div>
    </section>
  );
}
