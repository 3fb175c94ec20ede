// What the sale.receipt e-mail shows, every amount and date already written the way the
// reader's locale writes them: the template only places text. Amounts stay decimal strings all
// the way to Intl (moneyFormat), never a JS number.
import { dateTimeFormat, moneyFormat, quantityText, type SaleReceipt } from '#contract/receipt-document.ts';

export type ReceiptEmailView = {
  store: { name: string; legalName: string; taxIdLine: string };
  branch: { name: string; addressLines: string[]; phone: string | null };
  ticket: { number: string; code: string; date: string };
  cashier: string;
  /** quantity: "2" or, weighed, "1.25 kg"; discount: "-$5.00", null without one. */
  lines: { name: string; quantity: string; unitPrice: string; total: string; discount: string | null }[];
  subtotal: string;
  discountTotal: string | null;
  taxes: { label: string; amount: string }[];
  rounding: string | null;
  total: string;
  /** amount: what the customer handed over (cash tendered) or was charged. */
  tenders: { method: string; amount: string; cardLast4: string | null; approvalCode: string | null; reference: string | null }[];
  change: string | null;
  footer: string | null;
  invoiceUrl: string | null;
};

// What the tax authority calls the tax id, as on the printed receipt (receipt-document.ts): a
// proper name, the same in every language.
const TAX_ID_LABEL: Record<string, string> = { MX: 'RFC', CO: 'NIT', AR: 'CUIT' };
const DECIMAL = /^-?\d+(\.\d+)?$/;
const ZERO = /^-?0(\.0+)?$/;

export function receiptEmailData(receipt: SaleReceipt, opts: { locale: string; currency: string; timezone: string }): ReceiptEmailView {
  const r = receipt;
  const format = formatters(opts);
  const money = (field: string, amount: string) => {
    if (!DECIMAL.test(amount)) throw new Error(`receiptEmailData: ${field} is "${amount}", not a decimal amount`);
    return format.money(amount);
  };
  const unlessZero = (field: string, amount: string, sign = '') => (ZERO.test(amount) ? null : `${sign}${money(field, amount)}`);
  return {
    store: {
      name: r.business.name,
      legalName: r.business.legalName,
      taxIdLine: `${TAX_ID_LABEL[r.business.country] ?? 'ID'} ${r.business.taxId}`,
    },
    branch: { name: r.branch.name, addressLines: r.branch.address, phone: r.branch.phone },
    ticket: { number: `${r.registerCode}-${r.receiptNumber}`, code: r.receiptCode, date: format.when(r.completedAt) },
    cashier: r.cashier,
    lines: r.lines.map((line, i) => ({
      name: line.name,
      quantity: line.isWeighed ? `${quantityText(line.quantity)} ${line.unit}` : quantityText(line.quantity),
      unitPrice: money(`lines[${i}].unitPrice`, line.unitPrice),
      total: money(`lines[${i}].total`, line.total),
      discount: unlessZero(`lines[${i}].discountAmount`, line.discountAmount, '-'),
    })),
    subtotal: money('subtotal', r.subtotal),
    discountTotal: unlessZero('discountTotal', r.discountTotal, '-'),
    taxes: r.taxes.map((t, i) => ({ label: t.label, amount: money(`taxes[${i}].amount`, t.amount) })),
    rounding: unlessZero('rounding', r.rounding),
    total: money('total', r.total),
    tenders: r.tenders.map((t, i) => ({
      method: t.method,
      amount: money(`tenders[${i}].amount`, t.tendered ?? t.amount),
      cardLast4: t.cardLast4,
      approvalCode: t.approvalCode ?? null,
      reference: t.reference ?? null,
    })),
    change: unlessZero('change', r.change),
    footer: r.footer,
    invoiceUrl: r.invoiceUrl,
  };
}

/** Intl's own RangeError says little about which option was wrong; this one names it. */
function formatters(opts: { locale: string; currency: string; timezone: string }) {
  let money: (amount: string) => string;
  let when: (iso: string) => string;
  try {
    money = moneyFormat(opts.locale, opts.currency);
  } catch (err) {
    throw new Error(`receiptEmailData: cannot write ${opts.currency} amounts in locale "${opts.locale}": ${(err as Error).message}`);
  }
  try {
    when = dateTimeFormat(opts.locale, opts.timezone);
  } catch (err) {
    throw new Error(`receiptEmailData: cannot write dates in time zone "${opts.timezone}": ${(err as Error).message}`);
  }
  return {
    money,
    when: (iso: string) => {
      if (Number.isNaN(Date.parse(iso))) throw new Error(`receiptEmailData: completedAt "${iso}" is not a date`);
      return when(iso);
    },
  };
}
