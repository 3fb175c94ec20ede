// A completed sale's receipt: laid out from the sale's own record (names and amounts as they
// were sold) and kept as a print job. The layout is stored even when the register has no
// printer, so the screen can show it and a printer added later can reprint it. The original is
// queued by the receipts reaction once the sale is journaled and acknowledged: a printing
// problem is the spool's to retry, never the sale's.
import { Decimal } from 'decimal.js';
import type { JsonRow } from '#db/row-json.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { EngineContainer } from '#engine/container.ts';
import {
  dateTimeFormat,
  markCopy,
  moneyFormat,
  receiptLocale,
  saleReceiptDocument,
  taxLabel,
  type ReceiptDocument,
  type ReceiptVariant,
  type SaleReceipt,
  withoutInvoiceInvitation,
} from '#contract/receipt-document.ts';
import { selfInvoicingLink, selfInvoicingPage } from '#contract/self-invoicing.ts';
import { invoiceToCredit } from '../invoicing/credit-note.ts';
import { registerPrinter } from '../settings/register-printer.ts';
import { storeSettings, type StoreSettings } from '../settings/store-settings.ts';
import { registerCodeOf } from '../terminal/register-code.ts';
import { receiptCode } from './checkout.ts';
import type { CompletedSaleFact } from './completed-sale.ts';
import { totalSale } from './pricing.ts';

type Row = Record<string, string | number | boolean | null>;

export async function saleReceiptFor(
  services: Pick<EngineContainer, 'sql'>,
  settings: StoreSettings,
  fact: CompletedSaleFact,
  opts: { receiptCode: string; registerCode: string; paperWidth: 58 | 80; variant: ReceiptVariant },
): Promise<ReceiptDocument | null> {
  const data = await saleReceiptData(services.sql, settings, fact, opts);
  if (!data) return null;
  const currency = String(fact.sale.currency);
  return saleReceiptDocument(data, {
    paperWidth: opts.paperWidth,
    money: moneyFormat(receiptLocale(currency), currency),
    when: dateTimeFormat(receiptLocale(currency), settings.timezone),
    variant: opts.variant,
  });
}

/**
 * What a sale's receipt says, from the sale's own record and the store as it is: the printed
 * receipt's and the e-mailed one's. Null when the business or branch is not there.
 */
export async function saleReceiptData(
  sql: SqlSession,
  settings: StoreSettings,
  fact: CompletedSaleFact,
  opts: { receiptCode: string; registerCode: string },
): Promise<SaleReceipt | null> {
  const s = fact.sale as Row;
  const [place] = await sql.query<{
    name: string;
    legal_name: string;
    tax_id: string;
    country: string;
    branch: string;
    line1: string;
    line2: string | null;
    city: string;
    state: string;
    postal_code: string;
    phone: string | null;
    cashier: string;
  }>(
    `SELECT b.name, b.legal_name, b.tax_id, b.country, br.name AS branch, br.address_line1 AS line1, br.address_line2 AS line2, br.city, br.state,
            br.postal_code, br.phone, e.display_name AS cashier
     FROM business.businesses b JOIN business.branches br ON br.id = $2 JOIN business.employees e ON e.id = $3 WHERE b.id = $1`,
    [s.business_id, s.branch_id, s.employee_id],
  );
  if (!place) return null;
  const methods = await sql.query<{ id: string; name: string; kind: string }>(
    `SELECT id, name, kind FROM payments.payment_methods WHERE business_id = $1`,
    [s.business_id],
  );
  const methodOf = (id: unknown) => methods.find((m) => m.id === id);
  const invitation = await invoiceInvitation(
    sql,
    settings,
    { saleId: String(s.id), branchId: String(s.branch_id), status: String(s.status), country: place.country },
    opts.receiptCode,
  );
  const taxes = totalSale(
    fact.items.map((i) => ({
      subtotal: String(i.subtotal),
      discountAmount: String(i.discount_amount),
      taxAmount: String(i.tax_amount),
      total: String(i.total),
      taxCode: String(i.tax_code),
      taxRate: String(i.tax_rate),
    })),
    settings.rules,
  ).taxes;
  return {
    business: { name: place.name, legalName: place.legal_name, taxId: place.tax_id, country: place.country },
    branch: {
      name: place.branch,
      address: [place.line1, ...(place.line2 ? [place.line2] : []), `${place.city}, ${place.state} ${place.postal_code}`],
      phone: place.phone,
    },
    registerCode: opts.registerCode,
    cashier: place.cashier,
    receiptNumber: Number(s.receipt_number),
    receiptCode: opts.receiptCode,
    completedAt: String(s.completed_at),
    lines: fact.items.map((i) => ({
      name: String(i.name),
      quantity: String(i.quantity),
      unit: String(i.unit),
      unitPrice: String(i.unit_price),
      total: String(i.total),
      discountAmount: String(i.discount_amount),
      isWeighed: i.is_weighed === true,
    })),
    subtotal: String(s.subtotal),
    discountTotal: String(s.discount_total),
    taxes: taxes.map((t) => ({ label: taxLabel(t), amount: t.amount })),
    total: String(s.total),
    rounding: String(s.rounding),
    tenders: fact.payments.map((p) => ({
      method: methodOf(p.payment_method_id)?.name ?? '?',
      amount: String(p.amount),
      tendered: p.tendered_amount === null ? null : String(p.tendered_amount),
      cardLast4: p.card_last4 === null ? null : String(p.card_last4),
      approvalCode: p.approval_code == null ? null : String(p.approval_code),
      reference: p.provider_reference == null ? null : String(p.provider_reference),
      giftCard: giftCardLeft(fact, p),
    })),
    change: String(s.change_total),
    footer: settings.receiptFooter,
    ...invitation,
  };
}

/** A gift-card tender's card and what it holds after the sale: as known before it, plus every movement the sale made on it. */
function giftCardLeft(fact: CompletedSaleFact, payment: JsonRow): { last4: string; left: string } | null {
  const card = (fact.giftCards ?? []).find((c) => c.id === payment.balance_id);
  if (!card) return null;
  const left = fact.balance
    .filter((m) => m.balance_id === card.id)
    .reduce((a, m) => a.plus(String(m.amount)), new Decimal(String(card.amount)));
  return { last4: String(card.code).slice(-4), left: Decimal.max(left, 0).toFixed(4) };
}

/** Whether the sale is covered by a live invoice (PENDING or ISSUED), its own or a factura global: its receipts invite no other. */
const invoicedOnItsOwn = async (sql: SqlSession, saleId: string) => (await invoiceToCredit(sql, saleId)) !== null;

/**
 * Where the customer can invoice the sale themselves: central's self-invoicing page for a Mexican
 * business that has one (invoicing.selfServiceUrl), else the store's own link (receipt.invoiceUrl).
 * None for a sale already covered by a live invoice of its own, nor for one that is not a completed sale.
 */
async function invoiceInvitation(
  sql: SqlSession,
  settings: StoreSettings,
  sale: { saleId: string; branchId: string; status: string; country: string },
  receiptCode: string,
): Promise<Pick<SaleReceipt, 'invoiceUrl' | 'selfInvoicingPage'>> {
  const none = { invoiceUrl: null, selfInvoicingPage: null };
  const selfService = sale.country === 'MX' ? settings.selfInvoicingBase : null;
  if (!selfService && !settings.invoiceUrl) return none;
  if (sale.status !== 'COMPLETED' || (await invoicedOnItsOwn(sql, sale.saleId))) return none;
  if (selfService) {
    return { invoiceUrl: selfInvoicingLink(selfService, receiptCode, sale.branchId), selfInvoicingPage: selfInvoicingPage(selfService) };
  }
  return { invoiceUrl: settings.invoiceUrl!.replace('{code}', receiptCode), selfInvoicingPage: null };
}

/**
 * The original receipt of a completed sale, kept once however often its fact is handled (a
 * restart runs the reaction again from its cursor): the job and `handled`, which moves the
 * reaction's cursor, commit together, and the printer is woken after.
 */
export async function queueSaleReceipt(
  services: EngineContainer,
  fact: CompletedSaleFact,
  handled: (tx: SqlSession) => Promise<void>,
): Promise<void> {
  const s = fact.sale as Row;
  const settings = await storeSettings(services.sql, String(s.business_id), String(s.branch_id));
  const registerCode = await registerCodeOf(services, String(s.register_id));
  const printer = registerPrinter(services.spool, settings, registerCode);
  const document = await saleReceiptFor(services, settings, fact, {
    receiptCode: receiptCode(registerCode, Number(s.receipt_number)),
    registerCode,
    paperWidth: printer?.paperWidth ?? settings.paperWidth,
    variant: 'original',
  });
  // A sale with no business or branch to print is left as it was before: without a receipt.
  if (!document) return;
  await services.sql.transaction(async (tx) => {
    await services.spool.enqueue(
      {
        registerId: String(s.register_id),
        kind: 'SALE',
        printerUri: printer?.uri ?? null,
        document,
        saleId: String(s.id),
        shiftId: String(s.shift_id),
        employeeId: String(s.employee_id),
        once: true,
      },
      { in: tx },
    );
    await handled(tx);
  });
  if (printer) services.spool.wake(printer.uri);
}

/**
 * A copy or a gift receipt of a completed sale. A copy is the stored original marked COPIA
 * (names and prices as printed that day); a sale with no stored
 * original (one replayed into a rebuilt database) and every gift receipt are laid out from
 * the sale's own record.
 */
export async function reprintSale(
  services: EngineContainer,
  settings: StoreSettings,
  job: { fact: CompletedSaleFact; receiptCode: string; registerId: string; employeeId: string; variant: 'copy' | 'gift' },
): Promise<{ receiptId: string; copyNumber: number; printed: boolean; document: ReceiptDocument }> {
  const saleId = String(job.fact.sale.id);
  const registerCode = await registerCodeOf(services, job.registerId);
  const printer = registerPrinter(services.spool, settings, registerCode);
  const paperWidth = printer?.paperWidth ?? settings.paperWidth;
  const [prior] = await services.sql.query<{ copies: number }>(
    `SELECT coalesce(max(copy_number), 0)::int AS copies FROM sales.receipts WHERE sale_id = $1 AND kind IN ('SALE', 'GIFT')`,
    [saleId],
  );
  const [original] =
    job.variant === 'copy'
      ? await services.sql.query<{ document: ReceiptDocument }>(
          `SELECT document FROM sales.receipts WHERE sale_id = $1 AND kind = 'SALE' AND copy_number = 0 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
          [saleId],
        )
      : [];
  // A copy of a sale invoiced since the original was printed leaves out the invitation to invoice it.
  const invoiced = original ? await invoicedOnItsOwn(services.sql, saleId) : false;
  const document =
    original && original.document.paperWidth === paperWidth
      ? markCopy(invoiced ? withoutInvoiceInvitation(original.document) : original.document)
      : await saleReceiptFor(services, settings, job.fact, {
          receiptCode: job.receiptCode,
          registerCode: await registerCodeOf(services, String(job.fact.sale.register_id)),
          paperWidth,
          variant: job.variant,
        });
  if (!document) throw new Error(`sale ${saleId} has no business or branch to print`);
  const copyNumber = (prior?.copies ?? 0) + 1;
  const receiptId = await services.spool.enqueue({
    registerId: job.registerId,
    kind: job.variant === 'gift' ? 'GIFT' : 'SALE',
    printerUri: printer?.uri ?? null,
    document,
    saleId,
    shiftId: null,
    employeeId: job.employeeId,
    copyNumber,
  });
  return { receiptId: receiptId!, copyNumber, printed: printer !== null, document };
}
