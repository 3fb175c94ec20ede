// The customer's request, written at central: their fiscal data checked by the same rules as the
// counter's, then in one transaction the invoice PENDING in central's own series (A-WEB, register
// NULL), its credit notes for earlier returns, and the self_invoices row with the page's token and
// the customer's e-mail, sealed (customer-email.ts).
// The links' unique index keeps one CFDI per sale even against a register asking at the same
// moment; folios of central's series are taken one writer at a time (an advisory lock per
// fiscal profile), as the web processes of the service may write at once.
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '#db/sql-session.ts';
import { email as emailField } from '#contract/fields.ts';
import { FIELD_OF_FISCAL_REASON } from '#contract/customer-record.ts';
import { EngineError } from '#engine/errors.ts';
import { receiverProblems } from '#engine/fiscal/mx/receiver-rules.ts';
import { RFC_FOREIGN, RFC_GENERIC } from '#engine/fiscal/mx/rfc.ts';
import { localDay } from '#engine/services/invoicing/credit-note-cfdi.ts';
import { returnsToCredit } from '#engine/services/invoicing/credit-note.ts';
import { profileOf, registerSeries } from '#engine/services/invoicing/issuing.ts';
import {
  checkInvoiceReceiver,
  type InvoiceReceiver,
  insertSaleInvoice,
  refuseIfCovered,
  saleInvoiceFact,
  saleToInvoice,
} from '#engine/services/invoicing/sale-invoice-fact.ts';
import { sealCustomerEmail } from './customer-email.ts';
import type { FoundSale } from './sale-lookup.ts';

/** Central's own series within a profile's (A-WEB), apart from every register's and from the globals' (A-GLOBAL). */
export const SELF_INVOICE_SERIES_CODE = 'WEB';

/** The form's fields, named as the counter's customer form names them. */
export type FiscalForm = { taxId: string; legalName: string; taxRegime: string; postalCode: string; fiscalUse: string; email: string };
export type FormField = keyof FiscalForm;
export type FieldProblem = { field: FormField; message: string };
/** The fields in the order the page shows them: the first problem is where the cursor goes. */
const FORM_ORDER: readonly FormField[] = ['taxId', 'legalName', 'taxRegime', 'postalCode', 'fiscalUse', 'email'];

/** The RFC as the SAT writes it: upper case, no spaces. */
export const rfcAsTyped = (typed: string) => typed.replace(/\s+/gu, '').toLocaleUpperCase('es-MX');

const GENERIC_RFC_MESSAGE =
  'Con el RFC genérico no se hace una factura a su nombre: esa compra va en la factura global de la tienda. Escriba su propio RFC.';

/**
 * Every problem of the form, by field, in the fiscal core's Spanish words (the counter's rules),
 * for the branch's date `day`; empty when it may be invoiced.
 */
export function formProblems(form: FiscalForm, day: string): FieldProblem[] {
  const rfc = rfcAsTyped(form.taxId);
  const problems: FieldProblem[] = [];
  if (rfc === RFC_GENERIC || rfc === RFC_FOREIGN) {
    problems.push({ field: 'taxId', message: GENERIC_RFC_MESSAGE });
  } else {
    const receiver = {
      rfc,
      nombre: form.legalName,
      regimenFiscal: form.taxRegime,
      codigoPostal: form.postalCode.trim(),
      usoCfdi: form.fiscalUse,
    };
    // A choice not made yet is said as such, not as a key missing from the SAT's catalog.
    const unchosen: [FormField, string, string][] = [
      ['taxRegime', form.taxRegime, 'Elija su régimen fiscal de la lista.'],
      ['postalCode', form.postalCode.trim(), 'Escriba el código postal de su domicilio fiscal: 5 dígitos.'],
      ['fiscalUse', form.fiscalUse, 'Elija el uso del CFDI de la lista.'],
    ];
    for (const [field, value, message] of unchosen) if (value === '') problems.push({ field, message });
    for (const p of receiverProblems(receiver, { on: day })) {
      const field = (FIELD_OF_FISCAL_REASON as Record<string, FormField>)[p.code] ?? 'taxId';
      // One message per field: the first is what to fix first.
      if (!problems.some((q) => q.field === field)) problems.push({ field, message: p.message });
    }
    problems.sort((a, b) => FORM_ORDER.indexOf(a.field) - FORM_ORDER.indexOf(b.field));
  }
  if (!emailField.safeParse(form.email.trim()).success) {
    problems.push({
      field: 'email',
      message: 'Escriba un correo electrónico válido, como nombre@ejemplo.com: ahí le enviamos la factura.',
    });
  }
  return problems;
}

export const receiverOf = (form: FiscalForm): InvoiceReceiver => ({
  rfc: rfcAsTyped(form.taxId),
  name: form.legalName.trim(),
  taxRegime: form.taxRegime,
  postalCode: form.postalCode.trim(),
  cfdiUse: form.fiscalUse,
});

export type SelfInvoiceRow = { id: string; invoice_id: string; sale_id: string; token: string; business_id: string };

/** The request this key made already, if any: a retried request answers with the same token. */
export async function earlierRequest(sql: SqlDatabase, requestKey: string): Promise<SelfInvoiceRow | null> {
  const [row] = await sql.query<SelfInvoiceRow>(
    'SELECT id, invoice_id, sale_id, token, business_id FROM billing.self_invoices WHERE request_key = $1 AND deleted_at IS NULL',
    [requestKey],
  );
  return row ?? null;
}

export type SelfInvoiceWrite = {
  sale: FoundSale;
  form: FiscalForm;
  locale: string;
  requestKey: string;
  now: Date;
  /** Central's data directory: the business's key seals the customer's e-mail (customer-email.ts). */
  dataDir: string;
};

const isUniqueViolation = (err: unknown, index: string) =>
  (err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === index;

/**
 * Writes the invoice and its row; answers the row. Refused with the counter's EngineErrors: the
 * sale is covered already (ALREADY_INVOICED, IN_GLOBAL_INVOICE, even by a write that landed a
 * moment ago), or the document would not build.
 */
export async function writeSelfInvoice(sql: SqlDatabase, w: SelfInvoiceWrite): Promise<SelfInvoiceRow> {
  const { sale, now } = w;
  const receiver = receiverOf(w.form);
  // Sealed before the transaction: a key that cannot be read or made writes nothing.
  const id = uuidv7();
  const emailSealed = sealCustomerEmail(w.dataDir, sale.businessId, id, emailField.parse(w.form.email.trim()));
  try {
    return await sql.transaction(async (tx) => {
      const profile = await profileOf(tx, sale.branchId);
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`pos.central-folios:${profile.id}`]);
      const row = await saleToInvoice(tx, sale.id, sale.businessId);
      await refuseIfCovered(tx, sale.id);
      checkInvoiceReceiver(receiver, localDay(now, row.timezone));
      const fact = await saleInvoiceFact(tx, {
        businessId: sale.businessId,
        sale: row,
        profile,
        series: registerSeries(profile.series, SELF_INVOICE_SERIES_CODE),
        registerId: null,
        receiver,
        idempotencyKey: `self-invoice:${w.requestKey}`,
        by: null,
        now,
      });
      const returned = await returnsToCredit(tx, sale.id, null);
      await insertSaleInvoice(tx, fact, returned, {
        businessId: sale.businessId,
        branchId: sale.branchId,
        by: null,
        now,
        seriesCode: SELF_INVOICE_SERIES_CODE,
      });
      const written: SelfInvoiceRow = {
        id,
        invoice_id: fact.invoice.id as string,
        sale_id: sale.id,
        // 256 random bits: what the page polls and downloads with, and nothing else can guess.
        token: randomBytes(32).toString('base64url'),
        business_id: sale.businessId,
      };
      await tx.query(
        `INSERT INTO billing.self_invoices (id, business_id, invoice_id, sale_id, email_sealed, locale, request_key, token, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $9)`,
        [written.id, sale.businessId, written.invoice_id, sale.id, JSON.stringify(emailSealed), w.locale, w.requestKey, written.token, now],
      );
      return written;
    });
  } catch (err) {
    // Someone else's write for this sale landed between the check and this one's commit.
    if (isUniqueViolation(err, 'invoice_sales_sale_id_key')) {
      throw new EngineError('CONFLICT', 'this sale is already invoiced', { reason: 'ALREADY_INVOICED' });
    }
    // The same request twice at once: the first one's row answers both.
    if (isUniqueViolation(err, 'self_invoices_request_key_key') || isUniqueViolation(err, 'invoices_idempotency_key_key')) {
      const earlier = await earlierRequest(sql, w.requestKey);
      if (earlier) return earlier;
    }
    throw err;
  }
}
