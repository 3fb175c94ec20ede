// Shift reports (X at any time, Z at close) as blocks for the same encoder as receipts. Pure:
// the shift report is read elsewhere (shift-report.ts); this decides how it looks on paper.
import { CARD_PROVIDER_NAMES, terminalSerial } from '#contract/payment-vocabulary.ts';
import type { PrintableReport } from '#contract/report-document.ts';
import { signature, taxLabel, type Block, type Money, type ReceiptDocument } from '#contract/receipt-document.ts';

export type ReportHeader = {
  business: string;
  branch: string;
  registerCode: string;
  printedBy: string;
  printedAt: string;
};

/**
 * A blind count hides the cash the drawer should hold until the count is in: an X report in a
 * blind store prints every other figure but not the expected cash or the cash lines (visibleReport
 * in the shift handlers has already nulled them).
 */
export function shiftReportDocument(
  report: PrintableReport,
  header: ReportHeader,
  opts: { paperWidth: 58 | 80; money: Money; when: (iso: string) => string },
): ReceiptDocument {
  const { money } = opts;
  const isZ = report.zNumber !== undefined;
  const amount = (v: string | null | undefined) => (v === null || v === undefined ? '—' : money(v));
  /** What leaves the drawer, with a minus sign unless there is nothing. */
  const out = (v: string | null | undefined) => (v === null || v === undefined ? '—' : /^0(\.0+)?$/.test(v) ? money(v) : `-${money(v)}`);
  const blocks: Block[] = [
    { type: 'text', text: header.business, align: 'center', bold: true },
    { type: 'text', text: header.branch, align: 'center' },
    { type: 'text', text: isZ ? `CORTE Z No. ${report.zNumber}` : 'CORTE X (parcial)', align: 'center', bold: true, large: true },
    { type: 'rule' },
    { type: 'row', left: 'Caja', right: header.registerCode },
    { type: 'row', left: 'Día de negocio', right: report.businessDate },
    { type: 'row', left: 'Apertura', right: opts.when(report.openedAt) },
    ...(report.closedAt ? [{ type: 'row', left: 'Cierre', right: opts.when(report.closedAt) } as const] : []),
    { type: 'row', left: 'Impreso', right: opts.when(header.printedAt) },
    { type: 'text', text: `Imprimió: ${header.printedBy}` },
    { type: 'rule' },
    { type: 'text', text: 'VENTAS', bold: true },
    { type: 'row', left: 'Tickets', right: String(report.sales.count) },
    { type: 'row', left: 'Folios', right: receiptRange(report.receipts) },
    { type: 'row', left: 'Subtotal', right: amount(report.sales.subtotal) },
    { type: 'row', left: 'Descuentos', right: out(report.sales.discounts) },
    { type: 'row', left: 'Impuestos', right: amount(report.sales.tax) },
    { type: 'row', left: 'Redondeo', right: amount(report.sales.rounding) },
    { type: 'row', left: 'Total', right: amount(report.sales.total), bold: true },
    { type: 'rule' },
    { type: 'text', text: 'FORMAS DE PAGO', bold: true },
  ];
  if (report.tenders.length === 0) blocks.push({ type: 'text', text: 'Sin pagos' });
  for (const t of report.tenders) {
    blocks.push({ type: 'row', left: `${t.method} (${t.count})`, right: amount(t.amount) });
    if (!/^0(\.0+)?$/.test(t.refunded ?? '0')) blocks.push({ type: 'row', left: '  Devuelto', right: out(t.refunded) });
  }
  if (report.cards?.length) {
    // Beside the card method's total: what each terminal's charges took, to check against the provider's list.
    blocks.push({ type: 'rule' }, { type: 'text', text: 'TERMINALES DE TARJETA', bold: true });
    for (const c of report.cards) {
      blocks.push({
        type: 'row',
        left: `${CARD_PROVIDER_NAMES[c.provider]} ${terminalSerial(c.terminalId)} (${c.count})`,
        right: amount(c.amount),
      });
      if (!/^0(\.0+)?$/.test(c.refunded ?? '0')) blocks.push({ type: 'row', left: '  Devuelto', right: out(c.refunded) });
    }
  }
  blocks.push({ type: 'rule' }, { type: 'text', text: 'IMPUESTOS', bold: true });
  for (const t of report.taxes) blocks.push({ type: 'row', left: `${taxLabel(t)} s/ ${money(t.base)}`, right: money(t.amount) });
  blocks.push(
    { type: 'rule' },
    { type: 'row', left: `Cancelaciones (${report.voids.count})`, right: money(report.voids.total) },
    { type: 'row', left: `Devoluciones (${report.returns.count})`, right: amount(report.returns.total) },
    { type: 'row', left: 'Aperturas sin venta', right: String(report.cash.noSaleOpens) },
    { type: 'rule' },
    { type: 'text', text: 'EFECTIVO', bold: true },
    { type: 'row', left: 'Fondo inicial', right: amount(report.openingFloat) },
    { type: 'row', left: 'Ventas en efectivo', right: amount(report.cash.sales) },
    { type: 'row', left: 'Devoluciones', right: out(report.cash.refunds) },
    { type: 'row', left: `Entradas (${report.cash.payInCount})`, right: amount(report.cash.payIns) },
    { type: 'row', left: `Salidas (${report.cash.payOutCount})`, right: out(report.cash.payOuts) },
    { type: 'row', left: `Retiros a caja fuerte (${report.cash.dropCount})`, right: out(report.cash.drops) },
    { type: 'row', left: 'Esperado en caja', right: amount(report.cash.expected), bold: true },
  );
  if (isZ) {
    blocks.push(
      { type: 'row', left: 'Contado', right: amount(report.counted) },
      ...(report.countedBy ?? []).map(
        (c): Block => ({ type: 'row', left: `  ${c.pieces} x ${money(c.denomination)}`, right: money(c.amount) }),
      ),
      { type: 'row', left: 'Diferencia', right: amount(report.variance), bold: true },
    );
  }
  blocks.push({ type: 'rule' }, { type: 'row', left: `EN ESPERA (${report.parked.count})`, right: money(report.parked.total), bold: true });
  if (report.parked.oldestAt) {
    blocks.push({ type: 'row', left: 'La más antigua', right: opts.when(report.parked.oldestAt) });
    // At the close they are not cancelled: whoever opens the next shift can still finish them.
    if (isZ) blocks.push({ type: 'text', text: 'Siguen en espera para el siguiente turno' });
  }
  if (isZ) blocks.push(...signature('Firma del cajero'), ...signature('Firma del gerente'));
  blocks.push({ type: 'feed' }, { type: 'cut' });
  return { kind: isZ ? 'Z_REPORT' : 'X_REPORT', paperWidth: opts.paperWidth, blocks };
}

/** "12 a 15", the single number, or a dash when the shift sold nothing. */
export function receiptRange(r: { first: number | null; last: number | null }): string {
  if (r.first === null || r.last === null) return '—';
  return r.first === r.last ? String(r.first) : `${r.first} a ${r.last}`;
}
