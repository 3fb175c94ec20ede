// The sales of a factura global as its builder takes them: each with its receipt code, its lines,
// its payments and what was given back of it. Asking for the global and stamping it read them the
// same way, in the same order, so the document stamped is the one that was checked when asked for.
import type { SqlSession } from '#db/sql-session.ts';
import type { GlobalSaleSnapshot } from '#engine/fiscal/mx/cfdi-build.ts';
import { receiptCode } from '../sales/checkout.ts';
import { cfdiLine, cfdiTenders, DEFAULT_PRODUCT_KEY, UNIT_KEYS } from './cfdi-from-sale.ts';
import { type ReturnedLine, saleLines, salePayments } from './invoiceable-sales.ts';

export type GlobalSaleRow = { id: string; receiptNumber: string; pricesIncludeTax: boolean; registerCode: string };

/** The columns a GlobalSaleRow is read with, from sales.sales s joined to sales.cash_registers r. */
export const GLOBAL_SALE_COLUMNS = `s.id, s.receipt_number::text AS "receiptNumber", s.prices_include_tax AS "pricesIncludeTax", r.code AS "registerCode"`;
/** Their order: the concepts' order in the document. */
export const GLOBAL_SALE_ORDER = 's.completed_at, s.id';

export const saleReceiptCode = (sale: GlobalSaleRow) => receiptCode(sale.registerCode, Number(sale.receiptNumber));

export async function globalSales(
  sql: SqlSession,
  sales: readonly GlobalSaleRow[],
  returned: ReadonlyMap<string, ReturnedLine[]>,
): Promise<GlobalSaleSnapshot[]> {
  const ids = sales.map((s) => s.id);
  const [lines, payments] = [await saleLines(sql, ids), await salePayments(sql, ids)];
  return sales.map((sale) => ({
    receiptCode: saleReceiptCode(sale),
    lines: (lines.get(sale.id) ?? []).map(cfdiLine),
    // The concepto is "Venta" whatever was sold: a returned line needs only its amounts and tax.
    returns: (returned.get(sale.id) ?? []).map((r) => ({
      descripcion: r.name,
      claveProdServ: DEFAULT_PRODUCT_KEY,
      claveUnidad: UNIT_KEYS.piece,
      quantity: r.quantity,
      subtotal: r.subtotal,
      taxAmount: r.taxAmount,
      taxCode: r.taxCode as GlobalSaleSnapshot['lines'][number]['taxCode'],
    })),
    pricesIncludeTax: sale.pricesIncludeTax,
    tenders: cfdiTenders(payments.get(sale.id) ?? []),
  }));
}
