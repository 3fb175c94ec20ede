// The customer's side of self-invoicing as plain rules: the receipt code and the total as people
// type them, and until when a sale may be invoiced by its customer.
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import { parseScannedCode } from '#engine/services/catalog/scanned-code.ts';

export type ReceiptRef = { registerCode: string; number: number /** One receipt, however it was typed: RCAJA-1-42. */; key: string };

/**
 * The register and receipt number of a code as printed on the receipt (RCAJA-1-000042), typed
 * in any case and with stray spaces; null for anything else.
 */
export function readReceiptCode(typed: string): ReceiptRef | null {
  const text = typed.replace(/\s+/gu, '').toUpperCase();
  if (text.length === 0 || text.length > 40) return null;
  const scanned = parseScannedCode(text);
  if (!scanned.ok || scanned.value.kind !== 'receipt') return null;
  const { registerCode = '', number } = scanned.value;
  if (!/^\d{1,15}$/.test(number) || Number(number) === 0) return null;
  return { registerCode, number: Number(number), key: `R${registerCode}-${Number(number)}` };
}

/**
 * An amount as a customer types the ticket's total: "245.50", "$1,245.50", "245", "245,50";
 * answered as a decimal string, or null when it is not one amount.
 */
export function readTypedTotal(typed: string): string | null {
  const text = typed.replace(/\s+|\$|mxn/giu, '');
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(text)) return text.replace(/,/g, '');
  if (/^\d{1,12}(\.\d{1,2})?$/.test(text)) return text;
  if (/^\d{1,12},\d{1,2}$/.test(text)) return text.replace(',', '.');
  return null;
}

/** Whether the typed total is the sale's, to the centavo (the receipt prints two decimals). */
export const totalMatches = (typed: string, saleTotal: string) => new D(typed).equals(new D(saleTotal).toDecimalPlaces(2));

/**
 * The last day (YYYY-MM-DD) a sale made on `saleDay` (its branch's date) may be self-invoiced:
 * `daysAfterMonth` days after the last day of its month; 0 keeps it to its own month.
 */
export function lastDayToSelfInvoice(saleDay: string, daysAfterMonth: number): string {
  const [year, month] = saleDay.split('-').map(Number) as [number, number];
  // Day 0 of the next month is the last day of this one.
  const last = new Date(Date.UTC(year, month, 0 + daysAfterMonth));
  return last.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day as a customer in Mexico reads it: 31/05/2026. */
export const dayAsRead = (day: string) => day.split('-').reverse().join('/');
