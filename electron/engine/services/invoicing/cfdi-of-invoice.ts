// The CFDI of a PENDING invoice, rebuilt at stamping time from what the request wrote: its lines
// (invoice_items, with the SAT keys they go out with), the parties it snapshotted, its series and
// folio, and the sale's confirmed payments. Only Fecha is new: the instant it is sealed.
import type { SqlSession } from '#db/sql-session.ts';
import type { PartySnapshot } from '#db/schema/billing.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import { type BuiltCfdi, buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiLine, cfdiTenders } from './cfdi-from-sale.ts';

export type PendingInvoice = {
  id: string;
  series: string;
  folio: string;
  sale_id: string;
  issuer: PartySnapshot;
  receiver: PartySnapshot;
  prices_include_tax: boolean;
  timezone: string;
};

/** PENDING individual invoices, oldest first (billing.invoices' partial index on PENDING). */
export async function pendingInvoices(sql: SqlSession, limit: number): Promise<PendingInvoice[]> {
  return sql.query<PendingInvoice>(
    `SELECT i.id, i.series, i.folio::text AS folio, i.sale_id, i.issuer, i.receiver, s.prices_include_tax, b.timezone
     FROM billing.invoices i JOIN sales.sales s ON s.id = i.sale_id JOIN business.branches b ON b.id = i.branch_id
     WHERE i.status = 'PENDING' AND i.deleted_at IS NULL AND i.kind = 'INVOICE' AND i.country = 'MX'
     ORDER BY i.created_at, i.id LIMIT $1`,
    [limit],
  );
}

export async function cfdiOfInvoice(sql: SqlSession, invoice: PendingInvoice, issuedAt: Date): Promise<BuiltCfdi> {
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
  const payments = await sql.query<{ kind: TenderKind; amount: string }>(
    `SELECT m.kind, t.amount::text AS amount FROM payments.transactions t JOIN payments.payment_methods m ON m.id = t.payment_method_id
     WHERE t.sale_id = $1 AND t.status = 'CONFIRMED' ORDER BY t.occurred_at, t.id`,
    [invoice.sale_id],
  );
  const { issuer, receiver } = invoice;
  return buildIngreso({
    issuer: {
      rfc: issuer.taxId,
      nombre: issuer.legalName,
      regimenFiscal: issuer.taxRegime ?? '',
      codigoPostal: issuer.postalCode ?? '',
      serie: invoice.series,
      folio: invoice.folio,
      timeZone: invoice.timezone,
    },
    receiver: {
      rfc: receiver.taxId,
      nombre: receiver.legalName,
      regimenFiscal: receiver.taxRegime ?? '',
      codigoPostal: receiver.postalCode ?? '',
      usoCfdi: receiver.fiscalUse ?? '',
    },
    // The keys were resolved when the invoice was asked for; they are taken as written.
    lines: items.map((item) => cfdiLine({ ...item, name: item.description, sku: item.sku ?? '', isWeighed: false })),
    pricesIncludeTax: invoice.prices_include_tax,
    tenders: cfdiTenders(payments),
    issuedAt,
  });
}
