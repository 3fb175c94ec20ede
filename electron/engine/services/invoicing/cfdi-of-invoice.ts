// The CFDI of a PENDING invoice, rebuilt at stamping time from what the request wrote: its lines
// (invoice_items, with the SAT keys they go out with), the parties it snapshotted, its series and
// folio, and the sale's confirmed payments; for a factura global, the sales and returns it was
// linked to and its period. Only Fecha is new: the instant it is sealed.
import type { SqlSession } from '#db/sql-session.ts';
import type { PartySnapshot } from '#db/schema/billing.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import { type BuiltCfdi, buildGlobal, buildIngreso, CfdiBuildError } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiLine, cfdiTenders } from './cfdi-from-sale.ts';
import { GLOBAL_SALE_COLUMNS, GLOBAL_SALE_ORDER, type GlobalSaleRow, globalSales } from './global-sales.ts';
import { returnedLines, salePayments } from './invoiceable-sales.ts';
import type { GlobalFiscalData } from './global-fact.ts';

export type PendingInvoice = {
  id: string;
  kind: 'INVOICE' | 'GLOBAL';
  series: string;
  folio: string;
  /** The invoiced sale; none for a global. */
  sale_id: string | null;
  issuer: PartySnapshot;
  receiver: PartySnapshot;
  prices_include_tax: boolean | null;
  timezone: string;
  fiscal_data: Partial<GlobalFiscalData>;
};

/** PENDING invoices and globals, oldest first (billing.invoices' partial index on PENDING); of one business when named. */
export async function pendingInvoices(sql: SqlSession, limit: number, businessId: string | null = null): Promise<PendingInvoice[]> {
  return sql.query<PendingInvoice>(
    `SELECT i.id, i.kind, i.series, i.folio::text AS folio, i.sale_id, i.issuer, i.receiver, s.prices_include_tax, b.timezone, i.fiscal_data
     FROM billing.invoices i LEFT JOIN sales.sales s ON s.id = i.sale_id JOIN business.branches b ON b.id = i.branch_id
     WHERE i.status = 'PENDING' AND i.deleted_at IS NULL AND i.kind IN ('INVOICE', 'GLOBAL') AND i.country = 'MX'
       AND ($2::uuid IS NULL OR i.business_id = $2)
     ORDER BY i.created_at, i.id LIMIT $1`,
    [limit, businessId],
  );
}

const issuerOf = (invoice: PendingInvoice) => ({
  rfc: invoice.issuer.taxId,
  nombre: invoice.issuer.legalName,
  regimenFiscal: invoice.issuer.taxRegime ?? '',
  codigoPostal: invoice.issuer.postalCode ?? '',
  serie: invoice.series,
  folio: invoice.folio,
  timeZone: invoice.timezone,
});

export async function cfdiOfInvoice(sql: SqlSession, invoice: PendingInvoice, issuedAt: Date): Promise<BuiltCfdi> {
  if (invoice.kind === 'GLOBAL') return cfdiOfGlobal(sql, invoice, issuedAt);
  const items = await sql.query<{
    description: string;
    sku: string | null;
    quantity: string;
    unitPrice: string;
    discountAmount: string;
    taxCode: TaxCode;
    fiscalProductCode: string | null;
    fiscalUnitCode: string | null;
  }>(
    `SELECT description, sku, quantity::text AS quantity, unit_price::text AS "unitPrice", discount_amount::text AS "discountAmount",
            tax_code AS "taxCode", fiscal_product_code AS "fiscalProductCode", fiscal_unit_code AS "fiscalUnitCode"
     FROM billing.invoice_items WHERE invoice_id = $1 AND deleted_at IS NULL ORDER BY line_no`,
    [invoice.id],
  );
  const payments = (await salePayments(sql, [invoice.sale_id!])).get(invoice.sale_id!) ?? [];
  const { receiver } = invoice;
  return buildIngreso({
    issuer: issuerOf(invoice),
    receiver: {
      rfc: receiver.taxId,
      nombre: receiver.legalName,
      regimenFiscal: receiver.taxRegime ?? '',
      codigoPostal: receiver.postalCode ?? '',
      usoCfdi: receiver.fiscalUse ?? '',
    },
    // The keys were resolved when the invoice was asked for; they are taken as written.
    lines: items.map((item) => cfdiLine({ ...item, name: item.description, sku: item.sku ?? '', isWeighed: false })),
    pricesIncludeTax: invoice.prices_include_tax!,
    tenders: cfdiTenders(payments),
    issuedAt,
  });
}

/** A global from exactly the sales and returns it was linked to when asked for, in the same order. */
async function cfdiOfGlobal(sql: SqlSession, invoice: PendingInvoice, issuedAt: Date): Promise<BuiltCfdi> {
  const period = invoice.fiscal_data.global;
  if (!period) throw new CfdiBuildError('CFDI_INPUT', 'La factura global no dice qué periodo cubre.', { path: 'fiscal_data.global' });
  const sales = await sql.query<GlobalSaleRow>(
    `SELECT ${GLOBAL_SALE_COLUMNS} FROM billing.invoice_sales l JOIN sales.sales s ON s.id = l.sale_id
       JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE l.invoice_id = $1 AND l.deleted_at IS NULL ORDER BY ${GLOBAL_SALE_ORDER}`,
    [invoice.id],
  );
  const returnIds = await sql.query<{ return_id: string }>(
    'SELECT return_id FROM billing.invoice_returns WHERE invoice_id = $1 AND deleted_at IS NULL',
    [invoice.id],
  );
  const returned = await returnedLines(sql, { returnIds: returnIds.map((r) => r.return_id) });
  return buildGlobal({
    issuer: issuerOf(invoice),
    periodicidad: period.periodicidad,
    meses: period.meses,
    año: period.año,
    sales: await globalSales(sql, sales, returned),
    issuedAt,
  });
}
