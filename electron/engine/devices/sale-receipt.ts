// Prints a completed sale's receipt on its register's printer, if one is set: the receipt is
// laid out now (a snapshot of names and amounts) and handed to the spool. The sale is already
// journaled and acknowledged; a printing problem is the spool's to retry, never the sale's.
import { Decimal } from 'decimal.js';
import type { EngineServices } from '../services.ts';
import type { CompletedSaleFact } from '../services/sales/completed-sale.ts';
import type { TaxSummary } from '../services/sales/pricing.ts';
import type { StoreSettings } from '../services/settings/store-settings.ts';
import { dateTimeFormat, moneyFormat, saleReceiptDocument } from './receipt-document.ts';

const LOCALE = 'es-MX';

export function taxLabel(t: TaxSummary): string {
  if (t.taxCode === 'EXENTO') return 'Exento';
  const percent = new Decimal(t.rate).times(100).toString();
  return `${t.taxCode.replace(/\d.*$/, '')} ${percent}%`;
}

type Row = Record<string, string | number | boolean | null>;

export async function printSaleReceipt(
  services: EngineServices, settings: StoreSettings,
  sale: { fact: CompletedSaleFact; registerCode: string; receiptCode: string; taxes: TaxSummary[]; methods: { id: string; name: string; kind: string }[] },
): Promise<string | null> {
  const printerUri = settings.receiptPrinters[sale.registerCode];
  if (!printerUri) return null;
  const s = sale.fact.sale as Row;
  const [place] = await services.sql.query<{ name: string; legal_name: string; tax_id: string; branch: string; line1: string; line2: string | null;
    city: string; state: string; postal_code: string; phone: string | null; cashier: string }>(
    `SELECT b.name, b.legal_name, b.tax_id, br.name AS branch, br.address_line1 AS line1, br.address_line2 AS line2, br.city, br.state,
            br.postal_code, br.phone, e.display_name AS cashier
     FROM business.businesses b JOIN business.branches br ON br.id = $2 JOIN business.employees e ON e.id = $3 WHERE b.id = $1`,
    [s.business_id, s.branch_id, s.employee_id]);
  if (!place) return null;
  const methodOf = (id: unknown) => sale.methods.find((m) => m.id === id);
  const document = saleReceiptDocument({
    business: { name: place.name, legalName: place.legal_name, taxId: place.tax_id },
    branch: {
      name: place.branch,
      address: [place.line1, ...(place.line2 ? [place.line2] : []), `${place.city}, ${place.state} ${place.postal_code}`],
      phone: place.phone,
    },
    registerCode: sale.registerCode, cashier: place.cashier, receiptNumber: Number(s.receipt_number), receiptCode: sale.receiptCode,
    completedAt: String(s.completed_at),
    lines: sale.fact.items.map((i) => ({
      name: String(i.name), quantity: String(i.quantity), unit: String(i.unit), unitPrice: String(i.unit_price), total: String(i.total),
      discountAmount: String(i.discount_amount), isWeighed: i.is_weighed === true,
    })),
    subtotal: String(s.subtotal), discountTotal: String(s.discount_total),
    taxes: sale.taxes.map((t) => ({ label: taxLabel(t), amount: t.amount })),
    total: String(s.total), rounding: String(s.rounding),
    tenders: sale.fact.payments.map((p) => ({
      method: methodOf(p.payment_method_id)?.name ?? '?', amount: String(p.amount),
      tendered: p.tendered_amount === null ? null : String(p.tendered_amount), cardLast4: p.card_last4 === null ? null : String(p.card_last4),
    })),
    change: String(s.change_total),
    footer: settings.receiptFooter,
    invoiceUrl: settings.invoiceUrl ? settings.invoiceUrl.replace('{code}', sale.receiptCode) : null,
    openDrawer: sale.fact.payments.some((p) => methodOf(p.payment_method_id)?.kind === 'CASH'),
  }, { paperWidth: settings.paperWidth, money: moneyFormat(LOCALE, String(s.currency)), when: dateTimeFormat(LOCALE, settings.timezone) });
  return services.spool.enqueue({
    registerId: String(s.register_id), kind: 'SALE', printerUri, document,
    saleId: String(s.id), shiftId: String(s.shift_id), employeeId: String(s.employee_id),
  });
}
