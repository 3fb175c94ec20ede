// The CFDI of a PENDING invoice, rebuilt at stamping time from what the request wrote: its lines
// (invoice_items, with the SAT keys they go out with), the parties it snapshotted, its series and
// folio, and the sale's confirmed payments; for a factura global, the sales and returns it was
// linked to and its period; for a credit note, the returned lines it kept, the tender its return's
// money went back on and the UUID its ingreso was stamped with since. Only Fecha is new: the
// instant it is sealed.
import type { SqlSession } from '#db/sql-session.ts';
import type { PartySnapshot } from '#db/schema/billing.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import { type BuiltCfdi, buildGlobal, buildIngreso, CfdiBuildError } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiLine, cfdiTenders } from './cfdi-from-sale.ts';
import { type CreditNoteLine, egresoOf } from './credit-note-cfdi.ts';
import { GLOBAL_SALE_COLUMNS, GLOBAL_SALE_ORDER, type GlobalSaleRow, globalSales } from './global-sales.ts';
import { returnedLines, salePayments } from './invoiceable-sales.ts';
import type { GlobalFiscalData } from './global-fact.ts';

export type PendingInvoice = {
  id: string;
  kind: 'INVOICE' | 'GLOBAL' | 'CREDIT_NOTE';
  series: string;
  folio: string;
  /** The invoiced sale (for a credit note, the sale whose return it is); none for a global. */
  sale_id: string | null;
  /** A credit note's ingreso. */
  related_invoice_id: string | null;
  issuer: PartySnapshot;
  receiver: PartySnapshot;
  prices_include_tax: boolean | null;
  timezone: string;
  fiscal_data: Partial<GlobalFiscalData>;
};

const PENDING_COLUMNS = `i.id, i.kind, i.series, i.folio::text AS folio, i.sale_id, i.related_invoice_id, i.issuer, i.receiver,
  s.prices_include_tax, b.timezone, i.fiscal_data`;
const PENDING_FROM = `billing.invoices i LEFT JOIN sales.sales s ON s.id = i.sale_id JOIN business.branches b ON b.id = i.branch_id`;
const PENDING_WHERE = `i.status = 'PENDING' AND i.deleted_at IS NULL AND i.country = 'MX'
  AND NOT EXISTS (SELECT 1 FROM billing.invoices r WHERE r.id = i.related_invoice_id AND r.status = 'PENDING')`;

/**
 * PENDING invoices, globals and credit notes, oldest first (billing.invoices' partial index on
 * PENDING), but a credit note whose ingreso has no answer yet: it waits, taking no place in the
 * pass, until there is a UUID to relate it to (or the ingreso is refused, and it with it). Of one
 * business when named (central holds a CSD per business).
 */
export async function pendingInvoices(sql: SqlSession, limit: number, businessId: string | null = null): Promise<PendingInvoice[]> {
  return sql.query<PendingInvoice>(
    `SELECT ${PENDING_COLUMNS} FROM ${PENDING_FROM} WHERE ${PENDING_WHERE} AND ($2::uuid IS NULL OR i.business_id = $2)
     ORDER BY i.created_at, i.id LIMIT $1`,
    [limit, businessId],
  );
}

/** The PENDING credit notes of these ingresos that may go now: they follow their ingreso in the same pass. */
export async function pendingCreditNotesOf(sql: SqlSession, invoiceIds: readonly string[]): Promise<PendingInvoice[]> {
  if (invoiceIds.length === 0) return [];
  return sql.query<PendingInvoice>(
    `SELECT ${PENDING_COLUMNS} FROM ${PENDING_FROM}
     WHERE ${PENDING_WHERE} AND i.kind = 'CREDIT_NOTE' AND i.related_invoice_id = ANY($1::uuid[]) ORDER BY i.created_at, i.id`,
    [invoiceIds],
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
  if (invoice.kind === 'CREDIT_NOTE') return cfdiOfCreditNote(sql, invoice, issuedAt);
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
  // A substitute (motive 01) names the CFDI it replaces, stamped before it was asked for.
  const [replaced] = invoice.related_invoice_id
    ? await sql.query<{ fiscal_id: string }>('SELECT fiscal_id FROM billing.invoices WHERE id = $1 AND fiscal_id IS NOT NULL', [
        invoice.related_invoice_id,
      ])
    : [];
  return buildIngreso({
    ...(replaced ? { replacesUuid: replaced.fiscal_id } : {}),
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

/**
 * A credit note from the returned lines it kept (each concepto the return's amount less its tax,
 * and that tax), its return's refund and its ingreso's UUID. An ingreso that is not stamped by
 * now was refused or cancelled (its credit notes are refused with it; this says so again should
 * one be left): the credit note is refused for good.
 */
async function cfdiOfCreditNote(sql: SqlSession, invoice: PendingInvoice, issuedAt: Date): Promise<BuiltCfdi> {
  const [related] = await sql.query<{
    status: string;
    fiscal_id: string | null;
    series: string;
    folio: string;
    period: GlobalFiscalData['global'] | null;
  }>(
    `SELECT status, fiscal_id, series, folio::text AS folio, CASE WHEN kind = 'GLOBAL' THEN fiscal_data -> 'global' END AS period
     FROM billing.invoices WHERE id = $1`,
    [invoice.related_invoice_id],
  );
  if (related?.status !== 'ISSUED' || !related.fiscal_id) {
    throw new CfdiBuildError(
      'CFDI_RELATED_NOT_STAMPED',
      `La factura ${related ? `${related.series}-${related.folio}` : ''} que esta nota de crédito corrige no está timbrada: no hay CFDI al que relacionarla.`,
      { relatedInvoiceId: invoice.related_invoice_id, status: related?.status ?? null },
    );
  }
  const items = await sql.query<CreditNoteLine>(
    `SELECT description, sku, fiscal_product_code AS "fiscalProductCode", fiscal_unit_code AS "fiscalUnitCode",
            quantity::text AS quantity, tax_code AS "taxCode", (total - tax_amount)::text AS subtotal, tax_amount::text AS "taxAmount"
     FROM billing.invoice_items WHERE invoice_id = $1 AND deleted_at IS NULL ORDER BY line_no`,
    [invoice.id],
  );
  // The link stays as written while the credit note is PENDING; it is let go only when it is refused.
  const [refund] = await sql.query<{ kind: TenderKind; amount: string }>(
    `SELECT m.kind, f.amount::text AS amount FROM billing.invoice_returns l
       JOIN payments.refunds f ON f.return_id = l.return_id JOIN payments.payment_methods m ON m.id = f.payment_method_id
     WHERE l.invoice_id = $1 ORDER BY l.created_at, f.occurred_at LIMIT 1`,
    [invoice.id],
  );
  if (!refund) throw new CfdiBuildError('CFDI_INPUT', 'La nota de crédito no dice qué devolución ampara.', { path: 'invoice_returns' });
  return egresoOf({
    issuer: issuerOf(invoice),
    receiver: invoice.receiver,
    relatedUuid: related.fiscal_id,
    lines: items,
    refund,
    global: related.period ?? undefined,
    issuedAt,
  });
}
