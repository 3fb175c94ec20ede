// billing: fiscal identities and electronic invoices for SAT (CFDI), DIAN (CUFE/CUDE) and
// AFIP (CAE). Issued documents are immutable; a credit note corrects them.
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { country, currency, id, idempotencyKey, money, quantity, rate, timestamps, utc, version } from './columns.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { branches, businesses, employees } from './business.ts';
import { cashRegisters, returns, saleItems, sales } from './sales.ts';
import { TAX_CODES } from './inventory.ts';
import { CANCELLATION_MOTIVES, CANCELLATION_STATES, INVOICE_KINDS, INVOICE_STATUSES } from '../../contract/billing-vocabulary.ts';

export const billingSchema = pgSchema('billing');

export const FISCAL_ENVIRONMENTS = ['TEST', 'PRODUCTION'] as const;
export { INVOICE_KINDS, INVOICE_STATUSES };
/** CFDI folio fiscal (UUID), Colombian CUFE (invoices) / CUDE (other documents), Argentine CAE. */
export const FISCAL_ID_TYPES = ['CFDI_UUID', 'CUFE', 'CUDE', 'CAE'] as const;

export type PartySnapshot = {
  taxId: string;
  legalName: string;
  taxRegime?: string;
  postalCode?: string;
  address?: string;
  email?: string;
  /** CFDI UsoCFDI, DIAN responsibilities, AFIP IVA condition. */
  fiscalUse?: string;
};

export type TotalsSnapshot = {
  currency: string;
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  taxes: { code: string; rate: string; base: string; amount: string }[];
};

export const fiscalProfiles = billingSchema.table(
  'fiscal_profiles',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id').references(() => branches.id),
    country: country(),
    taxId: text('tax_id').notNull(),
    legalName: text('legal_name').notNull(),
    taxRegime: text('tax_regime').notNull(),
    postalCode: text('postal_code').notNull(),
    /** PAC in Mexico, technology provider in Colombia, AFIP web service in Argentina. */
    provider: text('provider').notNull(),
    environment: text('environment', { enum: FISCAL_ENVIRONMENTS }).notNull().default('TEST'),
    /** AFIP punto de venta; DIAN resolution prefix. */
    pointOfSale: text('point_of_sale'),
    series: text('series').notNull(),
    lastFolio: bigint('last_folio', { mode: 'number' }).notNull().default(0),
    /** Where the certificate lives (keychain or vault reference), never the certificate itself. */
    certificateRef: text('certificate_ref'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('fiscal_profiles', t.businessId),
    indexOn('fiscal_profiles', t.branchId),
    uniqueOn('fiscal_profiles', [t.businessId, t.series], live(t.deletedAt)),
    oneOf('fiscal_profiles', t.environment, FISCAL_ENVIRONMENTS),
    check('fiscal_profiles_last_folio_check', sql`${t.lastFolio} >= 0`),
  ],
);

/**
 * An electronic invoice. Issuer, receiver and totals are snapshots. Once written its money and
 * parties never change; only the authority's answer (status, fiscal id, stamp data) is filled in.
 */
export const invoices = billingSchema.table(
  'invoices',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    fiscalProfileId: uuid('fiscal_profile_id')
      .notNull()
      .references(() => fiscalProfiles.id),
    /** The register that issued it; none for a factura global made at central. Its series is the register's own. */
    registerId: uuid('register_id').references(() => cashRegisters.id),
    saleId: uuid('sale_id').references(() => sales.id),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull().default('INVOICE'),
    /**
     * A CREDIT_NOTE's ingreso: the invoice of the sale it gives money back on, whose UUID goes in
     * its CfdiRelacionados (TipoRelacion 01). For an INVOICE, the one it replaces (TipoRelacion 04,
     * motive 01's substitute). A global has none.
     */
    relatedInvoiceId: uuid('related_invoice_id').references((): AnyPgColumn => invoices.id),
    country: country(),
    series: text('series').notNull(),
    folio: bigint('folio', { mode: 'number' }).notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('PENDING'),
    currency: currency(),
    issuer: jsonb('issuer').$type<PartySnapshot>().notNull(),
    receiver: jsonb('receiver').$type<PartySnapshot>().notNull(),
    totals: jsonb('totals').$type<TotalsSnapshot>().notNull(),
    subtotal: money('subtotal').notNull(),
    discountTotal: money('discount_total').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    fiscalIdType: text('fiscal_id_type', { enum: FISCAL_ID_TYPES }),
    fiscalId: text('fiscal_id'),
    /**
     * The authority's stamp: signed XML location, QR payload, CAE expiry, rejection reasons; for a
     * factura global, also the period it covers, written when it is asked for (answers merge into it).
     */
    fiscalData: jsonb('fiscal_data').$type<Record<string, unknown>>().notNull().default({}),
    issuedAt: utc('issued_at'),
    idempotencyKey: idempotencyKey(),
    ...timestamps(),
  },
  (t) => [
    indexOn('invoices', t.businessId),
    indexOn('invoices', t.branchId, t.createdAt),
    indexOn('invoices', t.fiscalProfileId),
    indexOn('invoices', t.registerId),
    indexOn('invoices', t.saleId),
    indexOn('invoices', t.relatedInvoiceId),
    uniqueOn('invoices', [t.fiscalProfileId, t.series, t.folio]),
    uniqueOn('invoices', [t.idempotencyKey]),
    uniqueOn('invoices', [t.fiscalIdType, t.fiscalId], sql`${t.fiscalId} is not null`),
    oneOf('invoices', t.kind, INVOICE_KINDS),
    oneOf('invoices', t.status, INVOICE_STATUSES),
    oneOf('invoices', t.fiscalIdType, FISCAL_ID_TYPES),
    partialIndex('invoices', 'pending', sql`${t.status} = 'PENDING' and ${t.deletedAt} is null`, t.createdAt),
    check('invoices_issued_check', sql`${t.status} <> 'ISSUED' or (${t.fiscalId} is not null and ${t.issuedAt} is not null)`),
    // A credit note corrects an invoice; an invoice may replace another (motive 01's substitute); a global relates to none.
    check(
      'invoices_related_check',
      sql`(${t.kind} <> 'CREDIT_NOTE' or ${t.relatedInvoiceId} is not null) and (${t.kind} <> 'GLOBAL' or ${t.relatedInvoiceId} is null)`,
    ),
  ],
);

export const invoiceItems = billingSchema.table(
  'invoice_items',
  {
    id: id(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    saleItemId: uuid('sale_item_id').references(() => saleItems.id),
    lineNo: integer('line_no').notNull(),
    description: text('description').notNull(),
    sku: text('sku'),
    fiscalProductCode: text('fiscal_product_code'),
    fiscalUnitCode: text('fiscal_unit_code'),
    quantity: quantity('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discountAmount: money('discount_amount').notNull().default('0'),
    taxCode: text('tax_code', { enum: TAX_CODES }).notNull(),
    taxRate: rate('tax_rate').notNull(),
    taxAmount: money('tax_amount').notNull(),
    total: money('total').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('invoice_items', t.invoiceId),
    indexOn('invoice_items', t.saleItemId),
    uniqueOn('invoice_items', [t.invoiceId, t.lineNo]),
    oneOf('invoice_items', t.taxCode, TAX_CODES),
  ],
);

/**
 * Which sales an invoice covers: the one sale of an individual CFDI, every sale of the period
 * in a factura global. A sale has at most one live link, so no sale is invoiced twice, by an
 * individual CFDI and a global alike; a cancelled or rejected invoice's links are soft-deleted,
 * which frees its sales for the document that replaces it.
 */
export const invoiceSales = billingSchema.table(
  'invoice_sales',
  {
    id: id(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    ...timestamps(),
  },
  (t) => [
    indexOn('invoice_sales', t.invoiceId),
    indexOn('invoice_sales', t.saleId),
    uniqueOn('invoice_sales', [t.saleId], live(t.deletedAt)),
  ],
);

/**
 * Which returns a document accounts for: a factura global, those of its sales made before it was
 * asked for (it is rebuilt at stamping time from exactly these, whatever returns arrive later);
 * a credit note, the one return it gives the money of back. A return has at most one live link.
 * Let go when the document is rejected or cancelled, so the return is accounted for elsewhere.
 */
export const invoiceReturns = billingSchema.table(
  'invoice_returns',
  {
    id: id(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    returnId: uuid('return_id')
      .notNull()
      .references(() => returns.id),
    ...timestamps(),
  },
  (t) => [
    indexOn('invoice_returns', t.invoiceId),
    indexOn('invoice_returns', t.returnId),
    uniqueOn('invoice_returns', [t.returnId], live(t.deletedAt)),
  ],
);

/**
 * Each sealed CFDI sent to the PAC for an invoice, written before it is sent: after a crash or
 * a lost answer the very same XML (same Sello) is asked for again, so a PAC that stamped it
 * answers with that stamp instead of a second CFDI being made for the sale. A new attempt
 * (new Fecha, sealed again) is made only once the SAT's 72 hours have passed on the last one
 * and the PAC says it never stamped it. Immutable: what was sent stays what was sent.
 */
export const stampAttempts = billingSchema.table(
  'stamp_attempts',
  {
    id: id(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    /** The PAC it was sent to ("finkok"). */
    provider: text('provider').notNull(),
    /** The sealed CFDI as sent, byte for byte. */
    xml: text('xml').notNull(),
    /** Its Fecha: the SAT's 72 hours to stamp run from it. */
    sealedAt: utc('sealed_at').notNull(),
    ...timestamps(),
  },
  (t) => [indexOn('stamp_attempts', t.invoiceId, t.sealedAt)],
);

/**
 * A request to the authority to cancel an issued invoice, with the SAT's motive (c_MotivoCancelacion:
 * 01 with the substituting UUID, 02, 03, 04 for a factura global). Immutable: the authority's
 * answers are rows of cancellation_answers, and a refused request is followed by a new one.
 */
export const invoiceCancellations = billingSchema.table(
  'invoice_cancellations',
  {
    id: id(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    motive: text('motive', { enum: CANCELLATION_MOTIVES }).notNull(),
    /** Motive 01's FolioSustitucion given as a UUID: a CFDI that replaces this one, made elsewhere. */
    substituteUuid: text('substitute_uuid'),
    /**
     * Motive 01's substitute made here (invoices.substitute): the request waits until it is
     * stamped, and its UUID goes to the SAT as the FolioSustitucion.
     */
    substituteInvoiceId: uuid('substitute_invoice_id').references((): AnyPgColumn => invoices.id),
    requestedBy: uuid('requested_by').references(() => employees.id),
    /** What the manager wrote, for the audit trail; the SAT only hears the motive. */
    reason: text('reason').notNull(),
    idempotencyKey: idempotencyKey(),
    ...timestamps(),
  },
  (t) => [
    indexOn('invoice_cancellations', t.invoiceId),
    indexOn('invoice_cancellations', t.requestedBy),
    indexOn('invoice_cancellations', t.substituteInvoiceId),
    uniqueOn('invoice_cancellations', [t.idempotencyKey]),
    oneOf('invoice_cancellations', t.motive, CANCELLATION_MOTIVES),
    check(
      'invoice_cancellations_substitute_check',
      sql`(${t.motive} = '01') = (${t.substituteUuid} is not null or ${t.substituteInvoiceId} is not null)`,
    ),
  ],
);

/**
 * The authority's answer to a cancellation request, each as it came: IN_PROCESS (the receiver has
 * 72 hours to accept), then ACCEPTED (the invoice is CANCELLED and its sales freed) or REJECTED.
 */
export const cancellationAnswers = billingSchema.table(
  'cancellation_answers',
  {
    id: id(),
    cancellationId: uuid('cancellation_id')
      .notNull()
      .references(() => invoiceCancellations.id),
    state: text('state', { enum: CANCELLATION_STATES }).notNull(),
    /** The SAT's or the PAC's code (201, 202, 205, no_cancelable…) and its words. */
    code: text('code').notNull(),
    message: text('message').notNull(),
    /** The SAT's acuse de cancelación, as the PAC passed it on. */
    acuse: text('acuse'),
    answeredAt: utc('answered_at').notNull(),
    ...timestamps(),
  },
  (t) => [indexOn('cancellation_answers', t.cancellationId, t.answeredAt), oneOf('cancellation_answers', t.state, CANCELLATION_STATES)],
);

/**
 * Unused: a credit note is a billing.invoices row of kind CREDIT_NOTE (related_invoice_id, its
 * return linked through invoice_returns), so that stamping, the list, printing, cancellation and
 * the journal's facts treat it as the CFDI it is. Kept, empty, rather than dropped.
 */
export const creditNotes = billingSchema.table(
  'credit_notes',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    fiscalProfileId: uuid('fiscal_profile_id')
      .notNull()
      .references(() => fiscalProfiles.id),
    returnId: uuid('return_id').references(() => returns.id),
    series: text('series').notNull(),
    folio: bigint('folio', { mode: 'number' }).notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('PENDING'),
    reason: text('reason').notNull(),
    currency: currency(),
    totals: jsonb('totals').$type<TotalsSnapshot>().notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    fiscalIdType: text('fiscal_id_type', { enum: FISCAL_ID_TYPES }),
    fiscalId: text('fiscal_id'),
    fiscalData: jsonb('fiscal_data').$type<Record<string, unknown>>().notNull().default({}),
    issuedAt: utc('issued_at'),
    idempotencyKey: idempotencyKey(),
    ...timestamps(),
  },
  (t) => [
    indexOn('credit_notes', t.businessId),
    indexOn('credit_notes', t.invoiceId),
    indexOn('credit_notes', t.fiscalProfileId),
    indexOn('credit_notes', t.returnId),
    uniqueOn('credit_notes', [t.fiscalProfileId, t.series, t.folio]),
    uniqueOn('credit_notes', [t.idempotencyKey]),
    oneOf('credit_notes', t.status, INVOICE_STATUSES),
    oneOf('credit_notes', t.fiscalIdType, FISCAL_ID_TYPES),
    check('credit_notes_total_check', sql`${t.total} > 0`),
  ],
);
