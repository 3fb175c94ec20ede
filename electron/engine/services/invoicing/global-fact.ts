// The rows of a factura global for one period of one branch: every paid sale of the period that
// no CFDI covers yet, net of what was returned of it, in one CFDI to the público en general, with
// the links that mark those sales and returns as covered. Made the same way by a register that
// works alone (issue-global.ts) and by central's fiscal worker for the registers that sync
// (server/central/fiscal); the links' unique indexes keep a sale out of two CFDIs either way.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceReturns, invoiceSales, invoices, type PartySnapshot } from '#db/schema/billing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';
import { buildGlobal, type GlobalCfdi } from '#engine/fiscal/mx/cfdi-build.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import type { GlobalPeriod } from '#engine/fiscal/mx/global-period.ts';
import { PUBLICO_EN_GENERAL, RFC_GENERIC } from '#engine/fiscal/mx/rfc.ts';
import { GLOBAL_SALE_COLUMNS, GLOBAL_SALE_ORDER, type GlobalSaleRow, globalSales, saleReceiptCode } from './global-sales.ts';
import type { InvoiceRequestedFact } from './invoice-facts.ts';
import { returnedLines } from './invoiceable-sales.ts';
import { cfdiIssuer, issuerSnapshot, nextFolio, type ProfileRow, refused, totalsOf } from './issuing.ts';

/** What a global keeps of its period in fiscal_data (the stamp's answer is merged beside it). */
export type GlobalFiscalData = { global: GlobalPeriod & { omittedReceipts: string[] } };

/** Público en general, domiciled where the invoice is issued (Anexo 20's rule for the global). */
export const publicReceiver = (postalCode: string): PartySnapshot => ({
  taxId: RFC_GENERIC,
  legalName: PUBLICO_EN_GENERAL,
  taxRegime: '616',
  postalCode,
  fiscalUse: 'S01',
});

/** No sale of the period is left to cover: each is invoiced already, returned whole, or there were none. */
export const nothingToInvoice = (period: GlobalPeriod, params: Record<string, unknown> = {}) =>
  new EngineError('CONFLICT', 'no sale of the period is left for a factura global', {
    reason: 'NOTHING_TO_INVOICE',
    from: period.from,
    to: period.to,
    ...params,
  });

export type GlobalRequest = {
  businessId: string;
  branchId: string;
  /** The register that issues it; null when central does. */
  registerId: string | null;
  profile: ProfileRow;
  series: string;
  timezone: string;
  currency: string;
  period: GlobalPeriod;
  idempotencyKey: string;
  /** The employee who asked for it; null for central's schedule. */
  by: string | null;
  now: Date;
};

/** The global's rows, numbered with the series' next folio; refused (NOTHING_TO_INVOICE) when no sale is left. */
export async function globalFact(sql: SqlSession, req: GlobalRequest): Promise<InvoiceRequestedFact> {
  const { period, profile, now } = req;
  const sales = await sql.query<GlobalSaleRow>(
    `SELECT ${GLOBAL_SALE_COLUMNS} FROM sales.sales s JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.branch_id = $1 AND s.status = 'COMPLETED' AND s.business_date BETWEEN $2 AND $3
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.sale_id = s.id AND l.deleted_at IS NULL)
     ORDER BY ${GLOBAL_SALE_ORDER}`,
    [req.branchId, period.from, period.to],
  );
  if (sales.length === 0) throw nothingToInvoice(period);
  const returned = await returnedLines(sql, { saleIds: sales.map((s) => s.id) });

  const folio = await nextFolio(sql, profile.id, req.series);
  let built: GlobalCfdi;
  try {
    built = buildGlobal({
      issuer: cfdiIssuer(profile, req.series, folio, req.timezone),
      periodicidad: period.periodicidad,
      meses: period.meses,
      año: period.año,
      sales: await globalSales(sql, sales, returned),
      issuedAt: now,
    });
  } catch (err) {
    if (err instanceof FiscalMxError && err.code === 'CFDI_NOTHING_TO_INVOICE') throw nothingToInvoice(period, err.params);
    if (err instanceof FiscalMxError) throw refused(err);
    throw err;
  }

  // A sale returned whole is in no concepto: it stays out of the global, unlinked.
  const omitted = new Set(built.omittedReceipts);
  const covered = sales.filter((s) => !omitted.has(saleReceiptCode(s)));
  const invoiceId = uuidv7();
  const totals = totalsOf(built, req.currency);
  const fiscalData: GlobalFiscalData = { global: { ...period, omittedReceipts: built.omittedReceipts } };
  const stamp = { createdAt: now, updatedAt: now, deletedAt: null };
  return {
    invoice: toRow(invoices, {
      id: invoiceId,
      businessId: req.businessId,
      branchId: req.branchId,
      fiscalProfileId: profile.id,
      registerId: req.registerId,
      saleId: null,
      kind: 'GLOBAL',
      country: 'MX',
      series: req.series,
      folio,
      status: 'PENDING',
      currency: req.currency,
      issuer: issuerSnapshot(profile),
      receiver: publicReceiver(profile.postal_code),
      totals,
      subtotal: totals.subtotal,
      discountTotal: totals.discountTotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
      fiscalIdType: null,
      fiscalId: null,
      fiscalData,
      issuedAt: null,
      idempotencyKey: req.idempotencyKey,
      ...stamp,
    }),
    items: [],
    links: covered.map((s) => toRow(invoiceSales, { id: uuidv7(), invoiceId, saleId: s.id, ...stamp })),
    returns: covered.flatMap((s) =>
      [...new Set((returned.get(s.id) ?? []).map((r) => r.returnId))].map((returnId) =>
        toRow(invoiceReturns, { id: uuidv7(), invoiceId, returnId, ...stamp }),
      ),
    ),
    by: req.by,
  };
}
