// What a receipt says, as a list of blocks: laid out once when the sale completes and stored
// with the print job, so a reprint is the same receipt even after the catalog or staff change.
// Pure; escpos.ts turns blocks into printer bytes. The document is declared as zod because calls
// answer it (the preview, a reprint, a test page) and every answer is checked against it.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { InvoiceStatus } from './billing-vocabulary.ts';
import { RECEIPT_KINDS } from './sales-vocabulary.ts';

export const block = z.discriminatedUnion('type', [
  /** Where the store's logo goes, if the printer's profile has one. */
  z.object({ type: z.literal('logo') }).strict(),
  z
    .object({
      type: z.literal('text'),
      text: z.string(),
      align: z.enum(['left', 'center', 'right']).optional(),
      bold: z.boolean().optional(),
      large: z.boolean().optional(),
    })
    .strict(),
  /** Two texts on one line, the right one flush with the paper's edge (an amount, mostly). */
  z.object({ type: z.literal('row'), left: z.string(), right: z.string(), bold: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('rule') }).strict(),
  z.object({ type: z.literal('feed') }).strict(),
  z.object({ type: z.literal('barcode'), data: z.string() }).strict(),
  z.object({ type: z.literal('qr'), data: z.string() }).strict(),
  z.object({ type: z.literal('cut') }).strict(),
]);

export type Block = z.output<typeof block>;

export const receiptDocument = z
  .object({
    kind: z.enum(RECEIPT_KINDS),
    /** Millimetres of paper it was laid out for: the columns a line holds follow from it. */
    paperWidth: z.union([z.literal(58), z.literal(80)]),
    blocks: z.array(block),
  })
  .strict();

export type ReceiptDocument = z.output<typeof receiptDocument>;

/** Characters per line of the printer's Font A: 48 on 80 mm paper, 32 on 58 mm. */
export const paperColumns = (paperWidth: 58 | 80) => (paperWidth === 58 ? 32 : 48);

/** The line a copy carries under the cashier's name; a reprint after an unknown outcome says so too. */
export const COPY_MARK = '*** COPIA ***';
export const REPRINT_MARK = '*** COPIA / REIMPRESIÓN ***';

/**
 * The document with a copy's mark: under "Le atendió" when it names the cashier, else under its
 * first rule (reports), else on top. What is printed again is the stored document, so a copy
 * reads exactly as the original did, plus the mark.
 */
export function markCopy(doc: ReceiptDocument, mark: string = COPY_MARK): ReceiptDocument {
  const blocks = [...doc.blocks];
  const cashier = blocks.findIndex((b) => b.type === 'text' && b.text.startsWith('Le atendió'));
  const at = cashier >= 0 ? cashier + 1 : blocks.findIndex((b) => b.type === 'rule') + 1;
  blocks.splice(at, 0, { type: 'text', text: mark, align: 'center', bold: true });
  return { ...doc, blocks };
}

export type Money = (amount: string) => string;

/** Room to sign on any paper width: a blank line to write on, the rule under it, the role beneath. */
export const signature = (role: string): Block[] => [
  { type: 'feed' },
  { type: 'feed' },
  { type: 'rule' },
  { type: 'text', text: role, align: 'center' },
];

/** "IVA 16%", "IVA 0%", "Exento": the code's letters and the rate as a percentage, never through a float. */
export function taxLabel(t: { taxCode: string; rate: string }): string {
  if (t.taxCode === 'EXENTO') return 'Exento';
  const percent = new Decimal(t.rate).times(100).toString();
  return `${t.taxCode.replace(/\d.*$/, '')} ${percent}%`;
}

// Making an Intl formatter costs about 0.12 ms (a number's) and 0.38 ms (a date's) here, and a
// sale asked for five of them (the customer display's three screens, its receipt's two): most
// of a millisecond of a 10 ms sale. A store uses one locale, currency and time zone all day.
const formatters = new Map<string, (value: string) => string>();
function formatter(key: string, make: () => (value: string) => string): (value: string) => string {
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = make()));
  return format;
}

/** Amounts are decimal strings; Intl formats the string itself, so no float ever rounds them. */
export function moneyFormat(locale: string, currency: string): Money {
  return formatter(`money ${locale} ${currency}`, () => {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    return (amount) => format.format(amount as unknown as number);
  });
}

/**
 * Receipts and the customer display are in Spanish, with money and dates as the store's country
 * writes them (Colombia: "$ 144.960", no cents; Argentina: "$ 1.234,50"); the currency names
 * the country, as it does for the screens' terminal.info.
 */
const LOCALE_OF_CURRENCY: Record<string, string> = { MXN: 'es-MX', COP: 'es-CO', ARS: 'es-AR' };
export const receiptLocale = (currency: string) => LOCALE_OF_CURRENCY[currency] ?? 'es-MX';

export function dateTimeFormat(locale: string, timezone: string): (iso: string) => string {
  return formatter(`date ${locale} ${timezone}`, () => {
    const format = new Intl.DateTimeFormat(locale, { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' });
    return (iso) => format.format(new Date(iso));
  });
}

/**
 * Phrases packed into lines of at most `columns`, each phrase kept whole where it fits: the
 * printer would otherwise break a line between any two words ("folio" at the end, "3" below it).
 */
export function packLines(phrases: readonly string[], columns: number): string[] {
  const lines: string[] = [];
  for (const phrase of phrases) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + phrase.length <= columns) lines[lines.length - 1] = `${last} ${phrase}`;
    else lines.push(phrase);
  }
  return lines;
}

/** Quantities print without trailing zeros: 2, 1.25 kg. */
export const quantityText = (quantity: string) => (quantity.includes('.') ? quantity.replace(/\.?0+$/, '') : quantity);

export type SaleReceipt = {
  /** country: ISO 3166 alpha-2, naming the tax id (RFC, NIT, CUIT). */
  business: { name: string; legalName: string; taxId: string; country: string };
  branch: { name: string; address: string[]; phone: string | null };
  registerCode: string;
  cashier: string;
  receiptNumber: number;
  receiptCode: string;
  completedAt: string;
  lines: { name: string; quantity: string; unit: string; unitPrice: string; total: string; discountAmount: string; isWeighed: boolean }[];
  subtotal: string;
  discountTotal: string;
  taxes: { label: string; amount: string }[];
  total: string;
  rounding: string;
  /** approvalCode: the card terminal's authorisation; reference: the bank transfer's, both printed for the customer's claims. */
  tenders: {
    method: string;
    amount: string;
    tendered: string | null;
    cardLast4: string | null;
    approvalCode?: string | null;
    reference?: string | null;
    /** A gift card's: the last four of its code, and what it holds after this sale. */
    giftCard?: { last4: string; left: string } | null;
  }[];
  change: string;
  footer: string | null;
  /** Self-invoicing link printed as a QR code, when the business invoices. */
  invoiceUrl: string | null;
  /**
   * The page of central's self-invoicing (contract/self-invoicing.ts) when invoiceUrl is its link:
   * the receipt then asks "¿Necesita factura?" and prints the page for a customer without a camera.
   */
  selfInvoicingPage?: string | null;
};

const ZERO = /^0(\.0+)?$/;

/** What the tax authority calls the business's tax id, by country: what a customer expects to read on a receipt. */
const TAX_ID_LABEL: Record<string, string> = { MX: 'RFC', CO: 'NIT', AR: 'CUIT' };
const taxIdLine = (b: { taxId: string; country: string }) => `${TAX_ID_LABEL[b.country] ?? 'ID fiscal'} ${b.taxId}`;

/**
 * original: what the customer gets at the till; copy: a reprint, marked so it cannot pass for a
 * second sale; gift: names and quantities only, for returns without showing what was paid.
 * No receipt opens the drawer: that is drawer.ts's, at the moment of payment.
 */
export type ReceiptVariant = 'original' | 'copy' | 'gift';

export function saleReceiptDocument(
  r: SaleReceipt,
  opts: { paperWidth: 58 | 80; money: Money; when: (iso: string) => string; variant?: ReceiptVariant },
): ReceiptDocument {
  const { money } = opts;
  const variant = opts.variant ?? 'original';
  const blocks: Block[] = [
    { type: 'logo' },
    { type: 'text', text: r.business.name, align: 'center', bold: true, large: true },
    { type: 'text', text: r.business.legalName, align: 'center' },
    { type: 'text', text: taxIdLine(r.business), align: 'center' },
    { type: 'text', text: r.branch.name, align: 'center' },
    ...r.branch.address.map((line): Block => ({ type: 'text', text: line, align: 'center' })),
    ...(r.branch.phone ? [{ type: 'text', text: `Tel. ${r.branch.phone}`, align: 'center' } as Block] : []),
    { type: 'rule' },
    // Two lines: on 58 mm paper the number and a Spanish date do not fit one.
    { type: 'text', text: `Ticket ${r.registerCode}-${r.receiptNumber}`, bold: true },
    { type: 'text', text: opts.when(r.completedAt) },
    { type: 'text', text: `Le atendió: ${r.cashier}` },
    ...(variant === 'copy' ? [{ type: 'text', text: COPY_MARK, align: 'center', bold: true } as Block] : []),
    ...(variant === 'gift' ? [{ type: 'text', text: 'TICKET DE REGALO', align: 'center', bold: true } as Block] : []),
    { type: 'rule' },
  ];
  if (variant === 'gift') return giftDocument(r, blocks, opts.paperWidth);
  for (const line of r.lines) {
    blocks.push({ type: 'text', text: line.name });
    const qty = line.isWeighed ? `${quantityText(line.quantity)} ${line.unit}` : quantityText(line.quantity);
    blocks.push({ type: 'row', left: `  ${qty} x ${money(line.unitPrice)}`, right: money(line.total) });
    if (!ZERO.test(line.discountAmount)) blocks.push({ type: 'row', left: '  Descuento', right: `-${money(line.discountAmount)}` });
  }
  blocks.push({ type: 'rule' });
  blocks.push({ type: 'row', left: 'Subtotal', right: money(r.subtotal) });
  if (!ZERO.test(r.discountTotal)) blocks.push({ type: 'row', left: 'Descuentos', right: `-${money(r.discountTotal)}` });
  for (const tax of r.taxes) blocks.push({ type: 'row', left: tax.label, right: money(tax.amount) });
  if (!ZERO.test(r.rounding)) blocks.push({ type: 'row', left: 'Redondeo', right: money(r.rounding) });
  blocks.push({ type: 'row', left: 'TOTAL', right: money(r.total), bold: true });
  blocks.push({ type: 'feed' });
  for (const t of r.tenders) {
    const card = t.cardLast4 ? ` ****${t.cardLast4}` : t.giftCard ? ` ****${t.giftCard.last4}` : '';
    blocks.push({ type: 'row', left: `${t.method}${card}`, right: money(t.tendered ?? t.amount) });
    if (t.giftCard) blocks.push({ type: 'row', left: '  Saldo restante', right: money(t.giftCard.left) });
    if (t.approvalCode) blocks.push({ type: 'text', text: `  Aut. ${t.approvalCode}` });
    if (t.reference) blocks.push({ type: 'text', text: `  Ref. ${t.reference}` });
  }
  if (!ZERO.test(r.change)) blocks.push({ type: 'row', left: 'Cambio', right: money(r.change), bold: true });
  blocks.push({ type: 'feed' });
  blocks.push({ type: 'barcode', data: r.receiptCode });
  if (r.invoiceUrl && r.selfInvoicingPage)
    blocks.push(...selfInvoicingBlocks(r.invoiceUrl, r.selfInvoicingPage, r.receiptCode, opts.paperWidth));
  else if (r.invoiceUrl) {
    blocks.push({ type: 'text', text: INVOICE_LINK_HEAD, align: 'center' });
    blocks.push({ type: 'qr', data: r.invoiceUrl });
  }
  if (r.footer) blocks.push({ type: 'text', text: r.footer, align: 'center' });
  blocks.push({ type: 'cut' });
  return { kind: 'SALE', paperWidth: opts.paperWidth, blocks };
}

/** The first words of the blocks that invite the customer to invoice the sale: a copy leaves them out once it is invoiced. */
const SELF_INVOICING_HEAD = '¿Necesita factura?';
const INVOICE_LINK_HEAD = 'Factura en línea:';

/**
 * A URL in lines of at most `columns`, broken after a slash or a dot where it must be: the
 * printer would cut it at any character.
 */
export function urlLines(url: string, columns: number): string[] {
  const lines: string[] = [];
  let rest = url;
  while (rest.length > columns) {
    const head = rest.slice(0, columns);
    const at = Math.max(head.lastIndexOf('/'), head.lastIndexOf('.'));
    const cut = at > 0 ? at + 1 : columns;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return [...lines, rest];
}

/**
 * The invitation to invoice the purchase on central's page: the question, the page to type (without
 * the https:// a browser adds itself), the ticket to give it, and the QR that does both, a line
 * clear above and below it so nothing printed touches the code (the barcode's own line feed
 * already sets the question apart).
 */
function selfInvoicingBlocks(link: string, page: string, receiptCode: string, paperWidth: 58 | 80): Block[] {
  const columns = paperColumns(paperWidth);
  const center = (text: string): Block => ({ type: 'text', text, align: 'center' });
  const [question, ...more] = packLines([SELF_INVOICING_HEAD, 'Escanee el código o visite'], columns);
  return [
    { type: 'text', text: question!, align: 'center', bold: true },
    ...more.map(center),
    ...urlLines(page.replace(/^https:\/\//, ''), columns).map(center),
    { type: 'text', text: `Ticket: ${receiptCode}`, align: 'center', bold: true },
    { type: 'feed' },
    { type: 'qr', data: link },
    { type: 'feed' },
  ];
}

/**
 * The document without its invitation to invoice the sale (the self-invoicing question, the page
 * and the QR, or the older link's): for a copy of a sale that has been invoiced since.
 */
export function withoutInvoiceInvitation(doc: ReceiptDocument): ReceiptDocument {
  const selfService = (b: Block) => b.type === 'text' && b.text.startsWith(SELF_INVOICING_HEAD);
  const head = doc.blocks.findIndex((b) => selfService(b) || (b.type === 'text' && b.text === INVOICE_LINK_HEAD));
  const qr = doc.blocks.findIndex((b, i) => head >= 0 && i > head && b.type === 'qr');
  if (qr < 0) return doc;
  // The self-invoicing QR's clear line below it goes with it; the older link has none.
  const to = selfService(doc.blocks[head]!) && doc.blocks[qr + 1]?.type === 'feed' ? qr + 2 : qr + 1;
  return { ...doc, blocks: [...doc.blocks.slice(0, head), ...doc.blocks.slice(to)] };
}

function giftDocument(r: SaleReceipt, blocks: Block[], paperWidth: 58 | 80): ReceiptDocument {
  for (const line of r.lines) {
    const qty = line.isWeighed ? `${quantityText(line.quantity)} ${line.unit}` : quantityText(line.quantity);
    blocks.push({ type: 'row', left: line.name, right: qty });
  }
  blocks.push({ type: 'rule' });
  blocks.push({ type: 'text', text: 'Presente este ticket para cambios y devoluciones.', align: 'center' });
  blocks.push({ type: 'barcode', data: r.receiptCode });
  if (r.footer) blocks.push({ type: 'text', text: r.footer, align: 'center' });
  blocks.push({ type: 'cut' });
  return { kind: 'GIFT', paperWidth, blocks };
}

export type ReturnReceipt = {
  business: { name: string; taxId: string; country: string };
  branch: string;
  registerCode: string;
  cashier: string;
  returnNumber: number;
  /** The sale's receipt code: the return names what it undoes. */
  saleReceiptCode: string;
  occurredAt: string;
  reason: string;
  lines: { name: string; quantity: string; unit: string; isWeighed: boolean; total: string }[];
  total: string;
  refund: { method: string; kind: string; reference?: string | null };
  /** A store-credit slip's code: printed as a barcode so the customer can spend it. */
  storeCreditCode: string | null;
  /** The credit note (CFDI de egreso) of a return of an invoiced sale, as it stood when the receipt was laid out. */
  creditNote?: { series: string; folio: number; status: InvoiceStatus } | null;
};

/** A credit note's state as the customer reads it under the return: it is stamped after the counter answers. */
const CREDIT_NOTE_STATE: Record<InvoiceStatus, string> = {
  PENDING: 'pendiente de timbrar',
  ISSUED: 'timbrada',
  REJECTED: 'rechazada por el SAT',
  CANCELLED: 'cancelada',
};

/** The customer's copy of a return. */
export function returnReceiptDocument(
  r: ReturnReceipt,
  opts: { paperWidth: 58 | 80; money: Money; when: (iso: string) => string },
): ReceiptDocument {
  const { money } = opts;
  const blocks: Block[] = [
    { type: 'text', text: r.business.name, align: 'center', bold: true },
    { type: 'text', text: taxIdLine(r.business), align: 'center' },
    { type: 'text', text: r.branch, align: 'center' },
    { type: 'rule' },
    { type: 'text', text: `DEVOLUCIÓN ${r.registerCode}-${r.returnNumber}`, align: 'center', bold: true },
    { type: 'text', text: opts.when(r.occurredAt) },
    { type: 'text', text: `Ticket original: ${r.saleReceiptCode}` },
    { type: 'text', text: `Le atendió: ${r.cashier}` },
    { type: 'text', text: `Motivo: ${r.reason}` },
    { type: 'rule' },
  ];
  for (const line of r.lines) {
    blocks.push({ type: 'text', text: line.name });
    const qty = line.isWeighed ? `${quantityText(line.quantity)} ${line.unit}` : quantityText(line.quantity);
    blocks.push({ type: 'row', left: `  ${qty}`, right: `-${money(line.total)}` });
  }
  blocks.push({ type: 'rule' }, { type: 'row', left: 'TOTAL DEVUELTO', right: money(r.total), bold: true });
  blocks.push({ type: 'row', left: `Reembolso: ${r.refund.method}`, right: money(r.total) });
  if (r.refund.reference) blocks.push({ type: 'text', text: `  Ref. ${r.refund.reference}` });
  if (r.creditNote) {
    const { series, folio, status } = r.creditNote;
    const phrases = ['Nota de crédito', series, `folio ${folio}`, `(${CREDIT_NOTE_STATE[status]})`];
    for (const text of packLines(phrases, paperColumns(opts.paperWidth))) blocks.push({ type: 'text', text });
  }
  if (r.storeCreditCode) {
    blocks.push(
      { type: 'feed' },
      { type: 'text', text: 'Saldo a favor', align: 'center', bold: true },
      { type: 'barcode', data: r.storeCreditCode },
    );
  }
  blocks.push(...signature('Firma del cliente'), { type: 'cut' });
  return { kind: 'RETURN', paperWidth: opts.paperWidth, blocks };
}
