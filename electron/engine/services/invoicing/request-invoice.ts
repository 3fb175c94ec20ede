// A CFDI for one sale, asked for at the counter: checked, built and written at once as PENDING
// (a sale never waits for the PAC), with the link that marks the sale as invoiced, and journaled;
// with it, a credit note for each return of the sale made before that no document accounts for.
// The document is built here, with the same builder the stamping uses, so anything the SAT
// would refuse in the sale or the customer's data is said now, to the cashier, not days later.
import { v7 as uuidv7 } from 'uuid';
import type { SqlSession } from '#db/sql-session.ts';
import { toRow } from '#db/row-json.ts';
import { invoiceItems, invoiceSales, invoices, type PartySnapshot } from '#db/schema/billing.ts';
import type { CallInput, CallOutput } from '#contract/calls.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import { type BuiltCfdi, buildIngreso, CfdiBuildError, fechaLocal } from '#engine/fiscal/mx/cfdi-build.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import { checkReceiver } from '#engine/fiscal/mx/receiver-rules.ts';
import { RFC_FOREIGN, RFC_GENERIC } from '#engine/fiscal/mx/rfc.ts';
import { cfdiLine, cfdiTenders } from './cfdi-from-sale.ts';
import { creditNoteFact, returnsToCredit } from './credit-note.ts';
import { saleLines, salePayments } from './invoiceable-sales.ts';
import { INVOICE_REQUESTED, insertInvoiceRows, invoiceFactKey, type InvoiceRequestedFact } from './invoice-facts.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { cfdiIssuer, issuerSnapshot, nextFolio, profileOf, refused, registerSeries, totalsOf } from './issuing.ts';

type Input = CallInput<'invoices.request'>;
type InvoiceState = CallOutput<'invoices.request'>;

type SaleRow = {
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

async function saleOf(sql: SqlSession, saleId: string, businessId: string): Promise<SaleRow> {
  const [sale] = await sql.query<SaleRow>(
    `SELECT s.id, s.status, s.branch_id, s.register_id, s.currency, s.prices_include_tax, s.completed_at,
            b.timezone, r.code AS register_code
     FROM sales.sales s JOIN business.branches b ON b.id = s.branch_id JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.id = $1 AND s.business_id = $2`,
    [saleId, businessId],
  );
  if (!sale) throw new EngineError('NOT_FOUND', 'no such sale in this business');
  return sale;
}

/** What covers the sale already, in words for the cashier: an individual CFDI or the factura global. */
async function coveringInvoice(sql: SqlSession, saleId: string) {
  const [covered] = await sql.query<{ kind: string; series: string; folio: string }>(
    `SELECT i.kind, i.series, i.folio::text FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
     WHERE l.sale_id = $1 AND l.deleted_at IS NULL`,
    [saleId],
  );
  return covered;
}

function receiverSnapshot(input: Input['receiver']): PartySnapshot {
  return { taxId: input.rfc, legalName: input.name, taxRegime: input.taxRegime, postalCode: input.postalCode, fiscalUse: input.cfdiUse };
}

/**
 * One request at a time, checks and writes alike: two cashiers asking for the same sale's
 * invoice at once get one invoice and one refusal (the live link's unique index holds regardless).
 */
export const requestInvoice = (ctx: CallContext, input: Input): Promise<InvoiceState> => ctx.services.writes(() => request(ctx, input));

async function request(ctx: CallContext, input: Input): Promise<InvoiceState> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  // The same key again: the invoice it made, or a refusal when it was for something else.
  const [earlier] = await sql.query<{ id: string; sale_id: string | null; receiver: PartySnapshot }>(
    'SELECT id, sale_id, receiver FROM billing.invoices WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (earlier) {
    if (earlier.sale_id !== input.saleId || earlier.receiver.taxId !== input.receiver.rfc) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return (await invoiceStatesOf(sql, { invoiceId: earlier.id }))[0]!;
  }

  const sale = await saleOf(sql, input.saleId, session.businessId);
  if (sale.status !== 'COMPLETED' || !sale.completed_at) {
    throw new EngineError('CONFLICT', 'only a paid sale is invoiced', { reason: 'SALE_NOT_PAID', status: sale.status });
  }
  if (sale.branch_id !== terminal.branchId) {
    throw new EngineError('CONFLICT', 'a sale of another branch is invoiced there', { reason: 'OTHER_BRANCH' });
  }
  // Said first: whatever else is wrong, a sale already covered is not invoiced again.
  const covered = await coveringInvoice(sql, sale.id);
  if (covered) {
    throw new EngineError('CONFLICT', `this sale is already invoiced (${covered.kind} ${covered.series}-${covered.folio})`, {
      reason: covered.kind === 'GLOBAL' ? 'IN_GLOBAL_INVOICE' : 'ALREADY_INVOICED',
      series: covered.series,
      folio: Number(covered.folio),
    });
  }
  const now = ctx.services.now();
  // Individual invoices are for sales of the month they are asked in: the month before went
  // into its factura global. Months are the branch's, not UTC's.
  const month = (at: Date) => fechaLocal(at, sale.timezone).slice(0, 7);
  if (month(sale.completed_at) !== month(now)) {
    throw new EngineError('CONFLICT', 'a sale of an earlier month is in that month’s factura global', {
      reason: 'OTHER_MONTH',
      saleMonth: month(sale.completed_at),
    });
  }
  const receiver = input.receiver;
  if (receiver.rfc === RFC_GENERIC || receiver.rfc === RFC_FOREIGN) {
    throw new EngineError('INVALID_INPUT', 'a sale to the público en general goes in the factura global, not in an invoice of its own', {
      reason: 'GENERIC_RFC',
      field: 'receiver.rfc',
    });
  }
  const day = fechaLocal(now, sale.timezone).slice(0, 10);
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

  const profile = await profileOf(sql, sale.branch_id);
  const lines = (await saleLines(sql, [sale.id])).get(sale.id) ?? [];
  const payments = (await salePayments(sql, [sale.id])).get(sale.id) ?? [];
  const series = registerSeries(profile.series, sale.register_code);

  const folio = await nextFolio(sql, profile.id, series);
  let built: BuiltCfdi;
  try {
    built = buildIngreso({
      issuer: cfdiIssuer(profile, series, folio, sale.timezone),
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
  const invoice = {
    id: invoiceId,
    businessId: session.businessId,
    branchId: sale.branch_id,
    fiscalProfileId: profile.id,
    registerId: terminal.registerId,
    saleId: sale.id,
    kind: 'INVOICE' as const,
    country: 'MX',
    series,
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
    idempotencyKey: input.idempotencyKey,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  // Each line as the sale sold it (price, discount, tax) with the SAT keys it goes out with:
  // the stamping rebuilds the same document from these and the sale's payments.
  const items = lines.map((line, i) => {
    const concept = built.comprobante.Conceptos[i]!;
    const tax = (concept.Impuestos?.Traslados ?? []).reduce((sum, t) => sum.plus(t.Importe ?? 0), new D(0));
    const total = new D(concept.Importe).minus(concept.Descuento ?? 0).plus(tax);
    return {
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
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
  });
  const link = { id: uuidv7(), invoiceId, saleId: sale.id, createdAt: now, updatedAt: now, deletedAt: null };
  const fact: InvoiceRequestedFact = {
    invoice: toRow(invoices, invoice),
    items: items.map((item) => toRow(invoiceItems, item)),
    links: [toRow(invoiceSales, link)],
    by: session.employeeId,
  };
  // The invoice is for the whole sale: what was given back of it before, and no document
  // accounts for, gets its credit note now, written with the invoice (it waits for its UUID).
  const returned = await returnsToCredit(sql, sale.id, terminal.registerId);
  const credited = { id: invoiceId, series, folio: String(folio), status: 'PENDING' as const, fiscal_id: null, receiver: invoice.receiver };
  const writer = { businessId: session.businessId, branchId: sale.branch_id, by: session.employeeId, now };
  const creditNotes = await sql.transaction(async (tx) => {
    await insertInvoiceRows(tx, fact);
    const notes: InvoiceRequestedFact[] = [];
    // One after the other: each takes the next folio of the credit notes' series.
    for (const ret of returned) {
      const note = await creditNoteFact(tx, credited, ret, writer);
      await insertInvoiceRows(tx, note);
      notes.push(note);
    }
    return notes;
  });
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  for (const note of creditNotes) journal.append(INVOICE_REQUESTED, invoiceFactKey(note.invoice.id as string), note);
  return (await invoiceStatesOf(sql, { invoiceId }))[0]!;
}
