// A credit note (CFDI de egreso, TipoRelacion 01) for a return of a sale that an individual
// invoice or a factura global covers, stamped or still PENDING. The return writes it in its own transaction, PENDING,
// so no return of an invoiced sale is ever left without one; it is journaled as the
// invoice.requested fact of a billing.invoices row of kind CREDIT_NOTE, right after the return's
// fact, and stamped by the same pass as every invoice once its ingreso has a UUID. Nothing here
// calls the PAC: the counter gives the money back at once.
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { invoiceItems, invoiceReturns, invoices, type PartySnapshot } from '#db/schema/billing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { InvoiceStatus } from '#contract/billing-vocabulary.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import type { BuiltCfdi } from '#engine/fiscal/mx/cfdi-build.ts';
import { FiscalMxError } from '#engine/fiscal/mx/errors.ts';
import type { GlobalPeriod } from '#engine/fiscal/mx/global-period.ts';
import { type CreditNoteLine, creditNoteReceiver, egresoOf, localDay, UUID_NOT_YET_STAMPED } from './credit-note-cfdi.ts';
import type { InvoiceRequestedFact } from './invoice-facts.ts';
import { cfdiIssuer, creditNoteSeries, issuerSnapshot, nextFolio, profileOf, refused, totalsOf } from './issuing.ts';

/** The ingreso a credit note gives money back on: the sale's own invoice, or the factura global it is in. */
export type CreditedInvoice = {
  id: string;
  kind: 'INVOICE' | 'GLOBAL';
  series: string;
  folio: string;
  status: 'PENDING' | 'ISSUED';
  fiscal_id: string | null;
  receiver: PartySnapshot;
  /** A global's period (fiscal_data.global); null for an individual invoice. */
  period: GlobalPeriod | null;
};

/**
 * The ingreso covering the sale, PENDING or ISSUED: its individual invoice or the factura global
 * it went into. None for a sale in neither: the factura global of its period, when it is made,
 * nets the return.
 */
export async function invoiceToCredit(sql: SqlSession, saleId: string): Promise<CreditedInvoice | null> {
  const [invoice] = await sql.query<CreditedInvoice>(
    `SELECT i.id, i.kind, i.series, i.folio::text AS folio, i.status, i.fiscal_id, i.receiver,
            CASE WHEN i.kind = 'GLOBAL' THEN i.fiscal_data -> 'global' END AS period
     FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
     WHERE l.sale_id = $1 AND l.deleted_at IS NULL AND i.kind IN ('INVOICE', 'GLOBAL') AND i.status IN ('PENDING', 'ISSUED')`,
    [saleId],
  );
  return invoice ?? null;
}

/** A return's credit note as the counter's answer and the return's receipt name it. */
export type ReturnCreditNote = { id: string; series: string; folio: number; status: InvoiceStatus };

/**
 * The credit note a return gives its money back through: the one its live link names, else the
 * latest let go (refused or cancelled, so its state says why it no longer counts). Null when the
 * return's sale had no individual invoice.
 */
export async function creditNoteOfReturn(sql: SqlSession, returnId: string): Promise<ReturnCreditNote | null> {
  const [note] = await sql.query<{ id: string; series: string; folio: string; status: InvoiceStatus }>(
    `SELECT i.id, i.series, i.folio::text AS folio, i.status
     FROM billing.invoice_returns l JOIN billing.invoices i ON i.id = l.invoice_id
     WHERE l.return_id = $1 AND i.kind = 'CREDIT_NOTE'
     ORDER BY l.deleted_at IS NULL DESC, i.created_at DESC, i.id DESC LIMIT 1`,
    [returnId],
  );
  return note ? { id: note.id, series: note.series, folio: Number(note.folio), status: note.status } : null;
}

/** A return as the credit note needs it: its lines' amounts as the return gave them back, and the refund's tender. */
export type ReturnToCredit = {
  returnId: string;
  saleId: string;
  /** The register that writes the credit note, in its own series; null when central does (Writer.seriesCode). */
  registerId: string | null;
  lines: readonly { saleItemId: string; quantity: string; subtotal: string; taxAmount: string }[];
  refund: { kind: TenderKind; amount: string };
};

/**
 * The returns of the sale no live document accounts for, oldest first: those made before its
 * invoice was asked for, or let go when the invoice they were credited against was refused or
 * cancelled. The sale's new invoice is for the whole sale, so each gets its credit note with it.
 */
export async function returnsToCredit(sql: SqlSession, saleId: string, registerId: string | null): Promise<ReturnToCredit[]> {
  const rows = await sql.query<{
    return_id: string;
    sale_item_id: string;
    quantity: string;
    subtotal: string;
    tax_amount: string;
    kind: TenderKind;
    amount: string;
  }>(
    `SELECT r.id AS return_id, ri.sale_item_id, ri.quantity::text AS quantity, ri.subtotal::text AS subtotal,
            ri.tax_amount::text AS tax_amount, m.kind, f.amount::text AS amount
     FROM sales.returns r JOIN sales.return_items ri ON ri.return_id = r.id
       JOIN payments.refunds f ON f.return_id = r.id JOIN payments.payment_methods m ON m.id = f.payment_method_id
     WHERE r.sale_id = $1 AND r.deleted_at IS NULL AND ri.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM billing.invoice_returns l WHERE l.return_id = r.id AND l.deleted_at IS NULL)
     ORDER BY r.occurred_at, r.id, ri.id`,
    [saleId],
  );
  const byReturn = new Map<string, ReturnToCredit>();
  for (const row of rows) {
    const ret = byReturn.get(row.return_id) ?? {
      returnId: row.return_id,
      saleId,
      registerId,
      lines: [],
      refund: { kind: row.kind, amount: row.amount },
    };
    ret.lines = [...ret.lines, { saleItemId: row.sale_item_id, quantity: row.quantity, subtotal: row.subtotal, taxAmount: row.tax_amount }];
    byReturn.set(row.return_id, ret);
  }
  return [...byReturn.values()];
}

/** seriesCode: what the notes' series is numbered under when no register writes them (central's WEB). */
type Writer = { businessId: string; branchId: string; by: string | null; now: Date; seriesCode?: string };

/**
 * The credit note's rows, built and checked as the stamping will rebuild them, ready to be written
 * with the return. A document the SAT would refuse is refused now, in the fiscal core's words.
 */
export async function creditNoteFact(
  sql: SqlSession,
  invoice: CreditedInvoice,
  ret: ReturnToCredit,
  { businessId, branchId, by, now, seriesCode }: Writer,
  // One credit note per return and document it corrects, whoever writes it; a manager's new one
  // for the same pair (invoices.creditReturn) comes with its own key.
  idempotencyKey = `${ret.returnId}:credit-note:${invoice.id}`,
): Promise<InvoiceRequestedFact> {
  const profile = await profileOf(sql, branchId);
  const [place] = await sql.query<{ register_code: string | null; timezone: string; currency: string }>(
    `SELECT r.code AS register_code, b.timezone, s.currency
     FROM sales.sales s JOIN business.branches b ON b.id = s.branch_id LEFT JOIN sales.cash_registers r ON r.id = $2::uuid
     WHERE s.id = $1`,
    [ret.saleId, ret.registerId],
  );
  const code = seriesCode ?? place?.register_code;
  if (!code) throw new Error('a credit note written by no register needs the series code it is numbered under');
  // Each line goes out with the description and keys it had in the ingreso; a global has none of
  // its own per product (one concepto per sale), so its egreso's lines take the refund's keys.
  const invoiced = await sql.query<{
    sale_item_id: string;
    description: string;
    sku: string | null;
    fiscal_product_code: string | null;
    fiscal_unit_code: string | null;
  }>(
    `SELECT sale_item_id, description, sku, fiscal_product_code, fiscal_unit_code
     FROM billing.invoice_items WHERE invoice_id = $1 AND deleted_at IS NULL`,
    [invoice.id],
  );
  const sold = await sql.query<{ id: string; line_no: number; name: string; sku: string; tax_code: TaxCode; tax_rate: string }>(
    `SELECT id, line_no, name, sku, tax_code, tax_rate::text AS tax_rate FROM sales.sale_items WHERE id = ANY($1::uuid[])`,
    [ret.lines.map((l) => l.saleItemId)],
  );
  const lines = ret.lines
    .map((returned) => {
      const item = sold.find((s) => s.id === returned.saleItemId)!;
      const keyed = invoiced.find((i) => i.sale_item_id === returned.saleItemId);
      const line: CreditNoteLine = {
        description: keyed?.description ?? item.name,
        sku: keyed?.sku ?? item.sku,
        fiscalProductCode: keyed?.fiscal_product_code ?? null,
        fiscalUnitCode: keyed?.fiscal_unit_code ?? null,
        quantity: returned.quantity,
        taxCode: item.tax_code,
        subtotal: returned.subtotal,
        taxAmount: returned.taxAmount,
      };
      return { item, line };
    })
    .sort((a, b) => a.item.line_no - b.item.line_no);

  const series = creditNoteSeries(profile.series, code);
  const folio = await nextFolio(sql, profile.id, series);
  const receiver = creditNoteReceiver(invoice.receiver, localDay(now, place!.timezone));
  let built: BuiltCfdi;
  try {
    built = egresoOf({
      issuer: cfdiIssuer(profile, series, folio, place!.timezone),
      receiver,
      relatedUuid: invoice.fiscal_id ?? UUID_NOT_YET_STAMPED,
      lines: lines.map((l) => l.line),
      refund: ret.refund,
      global: invoice.period ?? undefined,
      issuedAt: now,
    });
  } catch (err) {
    if (err instanceof FiscalMxError) throw refused(err);
    throw err;
  }

  const totals = totalsOf(built, place!.currency);
  const invoiceId = uuidv7();
  const stamp = { createdAt: now, updatedAt: now, deletedAt: null };
  return {
    invoice: toRow(invoices, {
      id: invoiceId,
      businessId,
      branchId,
      fiscalProfileId: profile.id,
      registerId: ret.registerId,
      saleId: ret.saleId,
      kind: 'CREDIT_NOTE',
      relatedInvoiceId: invoice.id,
      country: 'MX',
      series,
      folio,
      status: 'PENDING',
      currency: place!.currency,
      issuer: issuerSnapshot(profile),
      receiver,
      totals,
      subtotal: totals.subtotal,
      discountTotal: totals.discountTotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
      fiscalIdType: null,
      fiscalId: null,
      fiscalData: {},
      issuedAt: null,
      idempotencyKey,
      ...stamp,
    }),
    // The return's own amounts, kept as given back: the stamping rebuilds each concepto from its
    // total less its tax, to the centavo the customer got.
    items: lines.map(({ item, line }, i) => {
      const concept = built.comprobante.Conceptos[i]!;
      return toRow(invoiceItems, {
        id: uuidv7(),
        invoiceId,
        saleItemId: item.id,
        lineNo: item.line_no,
        description: line.description,
        sku: line.sku,
        fiscalProductCode: concept.ClaveProdServ,
        fiscalUnitCode: concept.ClaveUnidad,
        quantity: line.quantity,
        unitPrice: concept.ValorUnitario,
        discountAmount: '0',
        taxCode: line.taxCode,
        taxRate: item.tax_rate,
        taxAmount: line.taxAmount,
        total: new D(line.subtotal).plus(line.taxAmount).toFixed(4),
        ...stamp,
      });
    }),
    links: [],
    returns: [toRow(invoiceReturns, { id: uuidv7(), invoiceId, returnId: ret.returnId, ...stamp })],
    by,
  };
}
