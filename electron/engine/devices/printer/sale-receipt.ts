// A completed sale's receipt: laid out from the sale's own record (names and amounts as they
// were sold) and handed to the spool. The layout is stored even when the register has no
// printer, so the screen can show it and a printer added later can reprint it. The sale is
// already journaled and acknowledged; a printing problem is the spool's to retry, never the sale's.
import type { EngineContainer } from '#engine/container.ts';
import type { CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { totalSale } from '#engine/services/sales/pricing.ts';
import type { StoreSettings } from '#engine/services/settings/store-settings.ts';
import { decodeLogo } from './receipt-logo.ts';
import { dateTimeFormat, moneyFormat, saleReceiptDocument, taxLabel, type ReceiptDocument, type ReceiptVariant } from '#contract/receipt-document.ts';

/**
 * Receipts and the customer display are in Spanish, with money and dates as the store's country
 * writes them (Colombia: "$ 144.960", no cents; Argentina: "$ 1.234,50"); the currency names
 * the country, as it does for the screens' terminal.info.
 */
const LOCALE_OF_CURRENCY: Record<string, string> = { MXN: 'es-MX', COP: 'es-CO', ARS: 'es-AR' };
export const receiptLocale = (currency: string) => LOCALE_OF_CURRENCY[currency] ?? 'es-MX';

type Row = Record<string, string | number | boolean | null>;

/** The register's printer and the paper it has; null when none is set. */
export function registerPrinter(services: EngineContainer, settings: StoreSettings, registerCode: string): { uri: string; paperWidth: 58 | 80 } | null {
  const printer = settings.devices[registerCode]?.printer;
  if (!printer) return null;
  const logo = settings.logo ? decodeLogo(settings.logo) : null;
  services.spool.setProfile(printer.uri, {
    ...(printer.model ? { model: printer.model } : {}), ...(printer.codepage ? { codepage: printer.codepage } : {}), ...(logo ? { logo } : {}),
  });
  return { uri: printer.uri, paperWidth: printer.paperWidth ?? settings.paperWidth };
}

export async function saleReceiptFor(
  services: EngineContainer, settings: StoreSettings, fact: CompletedSaleFact,
  opts: { receiptCode: string; registerCode: string; paperWidth: 58 | 80; variant: ReceiptVariant },
): Promise<ReceiptDocument | null> {
  const s = fact.sale as Row;
  const [place] = await services.sql.query<{ name: string; legal_name: string; tax_id: string; country: string; branch: string; line1: string; line2: string | null;
    city: string; state: string; postal_code: string; phone: string | null; cashier: string }>(
    `SELECT b.name, b.legal_name, b.tax_id, b.country, br.name AS branch, br.address_line1 AS line1, br.address_line2 AS line2, br.city, br.state,
            br.postal_code, br.phone, e.display_name AS cashier
     FROM business.businesses b JOIN business.branches br ON br.id = $2 JOIN business.employees e ON e.id = $3 WHERE b.id = $1`,
    [s.business_id, s.branch_id, s.employee_id]);
  if (!place) return null;
  const methods = await services.sql.query<{ id: string; name: string; kind: string }>(
    `SELECT id, name, kind FROM payments.payment_methods WHERE business_id = $1`, [s.business_id]);
  const methodOf = (id: unknown) => methods.find((m) => m.id === id);
  const taxes = totalSale(fact.items.map((i) => ({
    subtotal: String(i.subtotal), discountAmount: String(i.discount_amount), taxAmount: String(i.tax_amount), total: String(i.total),
    taxCode: String(i.tax_code), taxRate: String(i.tax_rate),
  })), settings.rules).taxes;
  return saleReceiptDocument({
    business: { name: place.name, legalName: place.legal_name, taxId: place.tax_id, country: place.country },
    branch: {
      name: place.branch,
      address: [place.line1, ...(place.line2 ? [place.line2] : []), `${place.city}, ${place.state} ${place.postal_code}`],
      phone: place.phone,
    },
    registerCode: opts.registerCode, cashier: place.cashier, receiptNumber: Number(s.receipt_number), receiptCode: opts.receiptCode,
    completedAt: String(s.completed_at),
    lines: fact.items.map((i) => ({
      name: String(i.name), quantity: String(i.quantity), unit: String(i.unit), unitPrice: String(i.unit_price), total: String(i.total),
      discountAmount: String(i.discount_amount), isWeighed: i.is_weighed === true,
    })),
    subtotal: String(s.subtotal), discountTotal: String(s.discount_total),
    taxes: taxes.map((t) => ({ label: taxLabel(t), amount: t.amount })),
    total: String(s.total), rounding: String(s.rounding),
    tenders: fact.payments.map((p) => ({
      method: methodOf(p.payment_method_id)?.name ?? '?', amount: String(p.amount),
      tendered: p.tendered_amount === null ? null : String(p.tendered_amount), cardLast4: p.card_last4 === null ? null : String(p.card_last4),
      approvalCode: p.approval_code == null ? null : String(p.approval_code), reference: p.provider_reference == null ? null : String(p.provider_reference),
    })),
    change: String(s.change_total),
    footer: settings.receiptFooter,
    invoiceUrl: settings.invoiceUrl ? settings.invoiceUrl.replace('{code}', opts.receiptCode) : null,
  }, {
    paperWidth: opts.paperWidth, money: moneyFormat(receiptLocale(String(s.currency)), String(s.currency)), when: dateTimeFormat(receiptLocale(String(s.currency)), settings.timezone),
    variant: opts.variant,
  });
}

export async function printSaleReceipt(
  services: EngineContainer, settings: StoreSettings, sale: { fact: CompletedSaleFact; registerCode: string; receiptCode: string },
): Promise<string | null> {
  const printer = registerPrinter(services, settings, sale.registerCode);
  const document = await saleReceiptFor(services, settings, sale.fact, {
    receiptCode: sale.receiptCode, registerCode: sale.registerCode, paperWidth: printer?.paperWidth ?? settings.paperWidth, variant: 'original',
  });
  if (!document) return null;
  const s = sale.fact.sale as Row;
  return services.spool.enqueue({
    registerId: String(s.register_id), kind: 'SALE', printerUri: printer?.uri ?? null, document,
    saleId: String(s.id), shiftId: String(s.shift_id), employeeId: String(s.employee_id),
  });
}
