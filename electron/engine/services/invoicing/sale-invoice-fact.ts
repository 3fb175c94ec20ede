// The rows of one sale's individual CFDI, and the checks every issuer of one makes the same way:
// the sale is paid and no CFDI covers it, the receiver is one the SAT accepts, and the document
// builds. Made by a register at its counter (request-invoice.ts) and by central when a customer
// invoices a sale themselves (server/central/self-invoice); the links' unique index keeps a sale
// out of two CFDIs whoever writes first.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceItems, invoiceSales, invoices, type PartySnapshot } from '#db/schema/billing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import { EngineError } from '#engine/errors.ts';
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import { type BuiltCfdi, buildIngreso, CfdiBuildError } from '#engine/fiscal/mx/cfdi-build.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import { checkReceiver } from '#engine/fiscal/mx/receiver-rules.ts';
import { RFC_FOREIGN, RFC_GENERIC } from '#engine/fiscal/mx/rfc.ts';
import { cfdiLine, cfdiTenders } from './cfdi-from-sale.ts';
import { type CreditedInvoice, creditNoteFact, type ReturnToCredit } from './credit-note.ts';
import { saleLines, salePayments } from './invoiceable-sales.ts';
import { insertInvoiceRows, type InvoiceRequestedFact } from './invoice-facts.ts';
import { cfdiIssuer, issuerSnapshot, nextFolio, type ProfileRow, profileOf, refused, registerSeries, totalsOf } from './issuing.ts';

/** The customer's fiscal data as the contract's invoices.request takes it. */
export type InvoiceReceiver = { rfc: string; name: string; taxRegime: string; postalCode: string; cfdiUse: string };

export type SaleToInvoice = {
  id: string;
  status: string;
  branch_id: string;
  register_id: string;
  currency: string;
  prices_include_tax: boolean;
  completed_at: Date | null;
  timezone: string;
  register_code: string;
};

export async function saleToInvoice(sql: SqlSession, saleId: string, businessId: string): Promise<SaleToInvoice> {
  const [sale] = await sql.query<SaleToInvoice>(
    `SELECT s.id, s.status, s.branch_id, s.register_id, s.currency, s.prices_include_tax, s.completed_at,
            b.timezone, r.code AS register_code
     FROM sales.sales s JOIN business.branches b ON b.id = s.branch_id JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.id = $1 AND s.business_id = $2`,
    [saleId, businessId],
  );
  if (!sale) throw new EngineError('NOT_FOUND', 'no such sale in this business');
  return sale;
}

export const requirePaid = (sale: SaleToInvoice): void => {
  if (sale.status !== 'COMPLETED' || !sale.completed_at) {
    throw new EngineError('CONFLICT', 'only a paid sale is invoiced', { reason: 'SALE_NOT_PAID', status: sale.status });
  }
};

export type CoveringInvoice = { kind: string; series: string; folio: string };

/** What covers the sale already: an individual CFDI or the factura global. */
export async function coveringInvoice(sql: SqlSession, saleId: string): Promise<CoveringInvoice | undefined> {
  const [covered] = await sql.query<CoveringInvoice>(
    `SELECT i.kind, i.series, i.folio::text FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
     WHERE l.sale_id = $1 AND l.deleted_at IS NULL`,
    [saleId],
  );
  return covered;
}

/** A sale already covered is not invoiced again: refused in words for the cashier, with the reason. */
export async function refuseIfCovered(sql: SqlSession, saleId: string): Promise<void> {
  const covered = await coveringInvoice(sql, saleId);
  if (!covered) return;
  throw new EngineError('CONFLICT', `this sale is already invoiced (${covered.kind} ${covered.series}-${covered.folio})`, {
    reason: covered.kind === 'GLOBAL' ? 'IN_GLOBAL_INVOICE' : 'ALREADY_INVOICED',
    series: covered.series,
    folio: Number(covered.folio),
  });
}

/**
 * The receiver as the SAT takes it on `day` (the branch's date), or the first rule it breaks as
 * INVALID_INPUT in the fiscal core's Spanish words, with its reason and field.
 */
export function checkInvoiceReceiver(receiver: InvoiceReceiver, day: string): void {
  if (receiver.rfc === RFC_GENERIC || receiver.rfc === RFC_FOREIGN) {
    throw new EngineError('INVALID_INPUT', 'a sale to the público en general goes in the factura global, not in an invoice of its own', {
      reason: 'GENERIC_RFC',
      field: 'receiver.rfc',
    });
  }
  try {
    checkReceiver(
      {
        rfc: receiver.rfc,
        nombre: receiver.name,
        regimenFiscal: receiver.taxRegime,
        codigoPostal: receiver.postalCode,
        usoCfdi: receiver.cfdiUse,
      },
      { on: day },
    );
  } catch (err) {
    if (err instanceof FiscalMxError) throw refused(err, 'receiver');
    throw err;
  }
}

const receiverSnapshot = (input: InvoiceReceiver): PartySnapshot => ({
  taxId: input.rfc,
  legalName: input.name,
  taxRegime: input.taxRegime,
  postalCode: input.postalCode,
  fiscalUse: input.cfdiUse,
});

export type SaleInvoiceRequest = {
  businessId: string;
  sale: SaleToInvoice;
  profile: ProfileRow;
  /** The issuer's own series: the register's (A-CAJA-1), or central's (A-WEB). */
  series: string;
  /** The register that issues it; null when central does. */
  registerId: string | null;
  receiver: InvoiceReceiver;
  idempotencyKey: string;
  /** The employee who asked for it; null when the customer did. */
  by: string | null;
  now: Date;
};

/**
 * The invoice's rows, numbered with the series' next folio (read through `sql`: central reads it
 * in the transaction that writes them). The document is built here with the same builder the
 * stamping uses, so anything the SAT would refuse is said now, in the fiscal core's words.
 */
export async function saleInvoiceFact(sql: SqlSession, req: SaleInvoiceRequest): Promise<InvoiceRequestedFact> {
  const { sale, profile, receiver, now } = req;
  const lines = (await saleLines(sql, [sale.id])).get(sale.id) ?? [];
  const payments = (await salePayments(sql, [sale.id])).get(sale.id) ?? [];
  const folio = await nextFolio(sql, profile.id, req.series);
  let built: BuiltCfdi;
  try {
    built = buildIngreso({
      issuer: cfdiIssuer(profile, req.series, folio, sale.timezone),
      receiver: {
        rfc: receiver.rfc,
        nombre: receiver.name,
        regimenFiscal: receiver.taxRegime,
        codigoPostal: receiver.postalCode,
        usoCfdi: receiver.cfdiUse,
      },
      lines: lines.map(cfdiLine),
      pricesIncludeTax: sale.prices_include_tax,
      tenders: cfdiTenders(payments),
      issuedAt: now,
    });
  } catch (err) {
    if (err instanceof CfdiBuildError) throw refused(err);
    throw err;
  }

  const totals = totalsOf(built, sale.currency);
  const invoiceId = uuidv7();
  const stamp = { createdAt: now, updatedAt: now, deletedAt: null };
  const invoice = {
    id: invoiceId,
    businessId: req.businessId,
    branchId: sale.branch_id,
    fiscalProfileId: profile.id,
    registerId: req.registerId,
    saleId: sale.id,
    kind: 'INVOICE' as const,
    country: 'MX',
    series: req.series,
    folio,
    status: 'PENDING' as const,
    currency: sale.currency,
    issuer: issuerSnapshot(profile),
    receiver: receiverSnapshot(receiver),
    totals,
    subtotal: totals.subtotal,
    discountTotal: totals.discountTotal,
    taxTotal: totals.taxTotal,
    total: totals.total,
    fiscalIdType: null,
    fiscalId: null,
    fiscalData: {},
    issuedAt: null,
    idempotencyKey: req.idempotencyKey,
    ...stamp,
  };
  // Each line as the sale sold it (price, discount, tax) with the SAT keys it goes out with:
  // the stamping rebuilds the same document from these and the sale's payments.
  const items = lines.map((line, i) => {
    const concept = built.comprobante.Conceptos[i]!;
    const tax = (concept.Impuestos?.Traslados ?? []).reduce((sum, t) => sum.plus(t.Importe ?? 0), new D(0));
    const total = new D(concept.Importe).minus(concept.Descuento ?? 0).plus(tax);
    return toRow(invoiceItems, {
      id: uuidv7(),
      invoiceId,
      saleItemId: line.id,
      lineNo: line.lineNo,
      description: line.name,
      sku: line.sku,
      fiscalProductCode: concept.ClaveProdServ,
      fiscalUnitCode: concept.ClaveUnidad,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountAmount: line.discountAmount,
      taxCode: line.taxCode as TaxCode,
      taxRate: line.taxRate,
      taxAmount: tax.toFixed(4),
      total: total.toFixed(4),
      ...stamp,
    });
  });
  return {
    invoice: toRow(invoices, invoice),
    items,
    links: [toRow(invoiceSales, { id: uuidv7(), invoiceId, saleId: sale.id, ...stamp })],
    by: req.by,
  };
}

export type CreditNoteWriter = { businessId: string; branchId: string; by: string | null; now: Date; seriesCode?: string };

/** An invoice asked for at this register, in the register's own series of its branch's fiscal profile. */
export async function counterInvoiceFact(
  sql: SqlSession,
  req: Omit<SaleInvoiceRequest, 'profile' | 'series' | 'registerId'> & { registerId: string },
): Promise<InvoiceRequestedFact> {
  const profile = await profileOf(sql, req.sale.branch_id);
  return saleInvoiceFact(sql, { ...req, profile, series: registerSeries(profile.series, req.sale.register_code) });
}

/**
 * Writes the invoice and, after it, a credit note for each return of the sale made before that
 * no document accounts for (the invoice is for the whole sale); answers the credit notes' facts.
 * Call it inside one transaction: the notes take their series' next folios one after the other.
 */
export async function insertSaleInvoice(
  tx: SqlSession,
  fact: InvoiceRequestedFact,
  returned: readonly ReturnToCredit[],
  writer: CreditNoteWriter,
): Promise<InvoiceRequestedFact[]> {
  await insertInvoiceRows(tx, fact);
  const row = fact.invoice as { id: string; series: string; folio: number; receiver: PartySnapshot };
  const credited: CreditedInvoice = {
    id: row.id,
    kind: 'INVOICE',
    series: row.series,
    folio: String(row.folio),
    status: 'PENDING',
    fiscal_id: null,
    receiver: row.receiver,
    period: null,
  };
  const notes: InvoiceRequestedFact[] = [];
  for (const ret of returned) {
    const note = await creditNoteFact(tx, credited, ret, writer);
    await insertInvoiceRows(tx, note);
    notes.push(note);
  }
  return notes;
}
