// The factura global of a register that works alone: once a period is over, every paid sale of
// the branch in it that no individual CFDI covers, net of what was returned of it, in one CFDI to
// the público en general. Written PENDING with its links to those sales and returns, and
// journaled, like an invoice asked for at the counter; the stamping loop stamps it. The links'
// unique indexes keep a sale from being in a global and an individual CFDI both.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceReturns, invoiceSales, invoices, type PartySnapshot } from '#db/schema/billing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { buildGlobal, type GlobalCfdi } from '#engine/fiscal/mx/cfdi-build.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import { type GlobalPeriod, globalPeriod, isGlobalPeriodicity } from '#engine/fiscal/mx/global-period.ts';
import { RFC_GENERIC } from '#engine/fiscal/mx/rfc.ts';
import { businessDate } from '../shifts/business-day.ts';
import { GLOBAL_SALE_COLUMNS, GLOBAL_SALE_ORDER, type GlobalSaleRow, globalSales, saleReceiptCode } from './global-sales.ts';
import { INVOICE_REQUESTED, insertInvoiceRows, invoiceFactKey, type InvoiceRequestedFact } from './invoice-facts.ts';
import { returnedLines } from './invoiceable-sales.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { cfdiIssuer, issuerSnapshot, nextFolio, profileOf, refused, registerSeries, totalsOf } from './issuing.ts';

type Input = CallInput<'invoices.issueGlobal'>;
type GlobalInvoice = CallOutput<'invoices.issueGlobal'>;

/** What a global keeps of its period in fiscal_data (the stamp's answer is merged beside it). */
export type GlobalFiscalData = { global: GlobalPeriod & { omittedReceipts: string[] } };

/** Público en general, domiciled where the invoice is issued (Anexo 20's rule for the global). */
export const publicReceiver = (postalCode: string): PartySnapshot => ({
  taxId: RFC_GENERIC,
  legalName: 'PUBLICO EN GENERAL',
  taxRegime: '616',
  postalCode,
  fiscalUse: 'S01',
});

/** No sale of the period is left to cover: each is invoiced already, returned whole, or there were none. */
const nothingToInvoice = (period: GlobalPeriod, params: Record<string, unknown> = {}) =>
  new EngineError('CONFLICT', 'no sale of the period is left for a factura global', {
    reason: 'NOTHING_TO_INVOICE',
    from: period.from,
    to: period.to,
    ...params,
  });

export const issueGlobal = (ctx: CallContext, input: Input): Promise<GlobalInvoice> => ctx.services.writes(() => issue(ctx, input));

async function issue(ctx: CallContext, input: Input): Promise<GlobalInvoice> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  const [earlier] = await sql.query<{ id: string; kind: string; fiscal_data: Partial<GlobalFiscalData> }>(
    'SELECT id, kind, fiscal_data FROM billing.invoices WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (earlier) {
    const period = earlier.fiscal_data.global;
    if (earlier.kind !== 'GLOBAL' || !period || input.day < period.from || input.day > period.to) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return describeGlobal(sql, earlier.id);
  }
  if (ctx.services.sync) {
    throw new EngineError('CONFLICT', 'central issues the factura global of a register that syncs with it', { reason: 'CENTRAL_ISSUES' });
  }

  const profile = await profileOf(sql, terminal.branchId);
  const [place] = await sql.query<{ timezone: string; currency: string; register_code: string }>(
    `SELECT b.timezone, u.currency, r.code AS register_code
     FROM business.branches b JOIN business.businesses u ON u.id = b.business_id, sales.cash_registers r WHERE b.id = $1 AND r.id = $2`,
    [terminal.branchId, terminal.registerId],
  );
  const periodicity = isGlobalPeriodicity(profile.settings.globalPeriodicity) ? profile.settings.globalPeriodicity : '01';
  const period = globalPeriod(periodicity, input.day);
  const now = ctx.services.now();
  const today = businessDate(now, place!.timezone);
  if (period.to >= today) {
    throw new EngineError('CONFLICT', 'the factura global is issued once its period is over', {
      reason: 'PERIOD_OPEN',
      from: period.from,
      to: period.to,
    });
  }

  const sales = await sql.query<GlobalSaleRow>(
    `SELECT ${GLOBAL_SALE_COLUMNS} FROM sales.sales s JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.branch_id = $1 AND s.status = 'COMPLETED' AND s.business_date BETWEEN $2 AND $3
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.sale_id = s.id AND l.deleted_at IS NULL)
     ORDER BY ${GLOBAL_SALE_ORDER}`,
    [terminal.branchId, period.from, period.to],
  );
  if (sales.length === 0) throw nothingToInvoice(period);
  const returned = await returnedLines(sql, { saleIds: sales.map((s) => s.id) });

  const series = registerSeries(profile.series, place!.register_code);
  const folio = await nextFolio(sql, profile.id, series);
  let built: GlobalCfdi;
  try {
    built = buildGlobal({
      issuer: cfdiIssuer(profile, series, folio, place!.timezone),
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
  const totals = totalsOf(built, place!.currency);
  const fiscalData: GlobalFiscalData = { global: { ...period, omittedReceipts: built.omittedReceipts } };
  const stamp = { createdAt: now, updatedAt: now, deletedAt: null };
  const fact: InvoiceRequestedFact = {
    invoice: toRow(invoices, {
      id: invoiceId,
      businessId: session.businessId,
      branchId: terminal.branchId,
      fiscalProfileId: profile.id,
      registerId: terminal.registerId,
      saleId: null,
      kind: 'GLOBAL',
      country: 'MX',
      series,
      folio,
      status: 'PENDING',
      currency: place!.currency,
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
      idempotencyKey: input.idempotencyKey,
      ...stamp,
    }),
    items: [],
    links: covered.map((s) => toRow(invoiceSales, { id: uuidv7(), invoiceId, saleId: s.id, ...stamp })),
    returns: covered.flatMap((s) =>
      [...new Set((returned.get(s.id) ?? []).map((r) => r.returnId))].map((returnId) =>
        toRow(invoiceReturns, { id: uuidv7(), invoiceId, returnId, ...stamp }),
      ),
    ),
    by: session.employeeId,
  };
  await sql.transaction((tx) => insertInvoiceRows(tx, fact));
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  return describeGlobal(sql, invoiceId);
}

export async function describeGlobal(sql: SqlSession, invoiceId: string): Promise<GlobalInvoice> {
  const [invoice] = await invoiceStatesOf(sql, { invoiceId });
  const [row] = await sql.query<{ fiscal_data: GlobalFiscalData; sales: string; returns: string }>(
    `SELECT i.fiscal_data,
            (SELECT count(*) FROM billing.invoice_sales l WHERE l.invoice_id = i.id)::text AS sales,
            (SELECT count(*) FROM billing.invoice_returns l WHERE l.invoice_id = i.id)::text AS returns
     FROM billing.invoices i WHERE i.id = $1`,
    [invoiceId],
  );
  const period = row!.fiscal_data.global;
  return {
    invoice: invoice!,
    periodicity: period.periodicidad,
    from: period.from,
    to: period.to,
    sales: Number(row!.sales),
    returns: Number(row!.returns),
    omittedReceipts: period.omittedReceipts,
  };
}
