// sales: registers, shifts, the cash that moves through them, sales with their lines
// (snapshots of what was sold), the print log and returns.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { country, currency, id, idempotencyKey, money, quantity, rate, timestamps, utc, version } from './columns.ts';
import type { SealedJson } from './auth.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { branches, businesses, employees } from './business.ts';
import { productVariants, products, TAX_CODES } from './inventory.ts';
import { invoices } from './billing.ts';
// The vocabulary the screens share lives in the contract; the schema constrains columns to it.
import { PRINT_STATUSES, RECEIPT_KINDS, SALE_STATUSES } from '../../contract/sales-vocabulary.ts';

export { PRINT_STATUSES, RECEIPT_KINDS, SALE_STATUSES };

export const salesSchema = pgSchema('sales');

export const SHIFT_STATUSES = ['OPEN', 'CLOSED'] as const;
/** NO_SALE: the drawer opened without a sale (amount 0), counted on the Z report. */
export const CASH_MOVEMENT_KINDS = ['PAY_IN', 'PAY_OUT', 'DROP', 'NO_SALE'] as const;

/** Counted cash: denomination (as a decimal string, "500", "0.50") to how many. */
export type DenominationCount = Record<string, number>;

export const cashRegisters = salesSchema.table(
  'cash_registers',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    // Counters for the gapless per-register series; bigint so they never wrap.
    lastReceiptNumber: bigint('last_receipt_number', { mode: 'number' }).notNull().default(0),
    lastReturnNumber: bigint('last_return_number', { mode: 'number' }).notNull().default(0),
    lastZNumber: bigint('last_z_number', { mode: 'number' }).notNull().default(0),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('cash_registers', t.businessId),
    indexOn('cash_registers', t.branchId),
    uniqueOn('cash_registers', [t.branchId, t.code], live(t.deletedAt)),
    check('cash_registers_counters_check', sql`${t.lastReceiptNumber} >= 0 and ${t.lastReturnNumber} >= 0 and ${t.lastZNumber} >= 0`),
  ],
);

export const shifts = salesSchema.table(
  'shifts',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    openedBy: uuid('opened_by')
      .notNull()
      .references(() => employees.id),
    closedBy: uuid('closed_by').references(() => employees.id),
    /** The manager who approved a close whose variance was over tolerance. */
    approvedBy: uuid('approved_by').references(() => employees.id),
    status: text('status', { enum: SHIFT_STATUSES }).notNull().default('OPEN'),
    /** Calendar day in the branch's timezone when the shift opened. */
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    openedAt: utc('opened_at').notNull(),
    closedAt: utc('closed_at'),
    openingFloat: money('opening_float').notNull(),
    openingCount: jsonb('opening_count').$type<DenominationCount>(),
    expectedCash: money('expected_cash'),
    countedCash: money('counted_cash'),
    closingCount: jsonb('closing_count').$type<DenominationCount>(),
    variance: money('variance'),
    zNumber: bigint('z_number', { mode: 'number' }),
    /** The Z report as printed at close: a snapshot, so later catalog or staff edits never change it. */
    report: jsonb('report').$type<Record<string, unknown>>(),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('shifts', t.businessId),
    indexOn('shifts', t.branchId, t.businessDate),
    indexOn('shifts', t.registerId),
    indexOn('shifts', t.openedBy),
    indexOn('shifts', t.closedBy),
    indexOn('shifts', t.approvedBy),
    oneOf('shifts', t.status, SHIFT_STATUSES),
    // A register has at most one open shift.
    uniqueOn('shifts', [t.registerId], sql`${t.status} = 'OPEN' and ${live(t.deletedAt)}`),
    uniqueOn('shifts', [t.registerId, t.zNumber], sql`${t.zNumber} is not null`),
    check('shifts_opening_float_check', sql`${t.openingFloat} >= 0`),
    check(
      'shifts_closed_check',
      sql`${t.status} <> 'CLOSED' or
      (${t.closedAt} is not null and ${t.countedCash} is not null and ${t.expectedCash} is not null
       and ${t.variance} is not null and ${t.zNumber} is not null and ${t.closedBy} is not null)`,
    ),
  ],
);

/** Pay-ins, pay-outs and safe drops. Immutable: a mistake gets an opposite movement. */
export const cashMovements = salesSchema.table(
  'cash_movements',
  {
    id: id(),
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => shifts.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    approvedBy: uuid('approved_by').references(() => employees.id),
    kind: text('kind', { enum: CASH_MOVEMENT_KINDS }).notNull(),
    amount: money('amount').notNull(),
    currency: currency(),
    reason: text('reason').notNull(),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('cash_movements', t.shiftId),
    indexOn('cash_movements', t.registerId),
    indexOn('cash_movements', t.employeeId),
    indexOn('cash_movements', t.approvedBy),
    uniqueOn('cash_movements', [t.idempotencyKey]),
    oneOf('cash_movements', t.kind, CASH_MOVEMENT_KINDS),
    check('cash_movements_amount_check', sql`(${t.kind} = 'NO_SALE' and ${t.amount} = 0) or (${t.kind} <> 'NO_SALE' and ${t.amount} > 0)`),
  ],
);

/**
 * A sale from first scan to completion. While OPEN or PARKED it is the cart (so a restart
 * restores it); on completion it takes the next receipt number of its register.
 */
export const sales = salesSchema.table(
  'sales',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => shifts.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    status: text('status', { enum: SALE_STATUSES }).notNull().default('OPEN'),
    receiptNumber: bigint('receipt_number', { mode: 'number' }),
    businessDate: date('business_date', { mode: 'string' }),
    currency: currency(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    subtotal: money('subtotal').notNull().default('0'),
    discountTotal: money('discount_total').notNull().default('0'),
    taxTotal: money('tax_total').notNull().default('0'),
    /** Cash rounding to the smallest coin in use, signed. */
    rounding: money('rounding').notNull().default('0'),
    total: money('total').notNull().default('0'),
    paidTotal: money('paid_total').notNull().default('0'),
    changeTotal: money('change_total').notNull().default('0'),
    parkLabel: text('park_label'),
    /** A discount on the whole sale as the cashier gave it (a fraction or a fixed amount),
     *  spread over the lines' discount_amount whenever the cart changes. */
    saleDiscountRate: rate('sale_discount_rate'),
    saleDiscountFixed: money('sale_discount_fixed'),
    saleDiscountApprovedBy: uuid('sale_discount_approved_by').references(() => employees.id),
    idempotencyKey: idempotencyKey(),
    openedAt: utc('opened_at').notNull(),
    completedAt: utc('completed_at'),
    voidedAt: utc('voided_at'),
    voidedBy: uuid('voided_by').references(() => employees.id),
    voidReason: text('void_reason'),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('sales', t.businessId),
    indexOn('sales', t.branchId, t.businessDate),
    indexOn('sales', t.registerId),
    indexOn('sales', t.shiftId),
    indexOn('sales', t.employeeId),
    indexOn('sales', t.voidedBy),
    indexOn('sales', t.saleDiscountApprovedBy),
    check('sales_sale_discount_check', sql`${t.saleDiscountRate} is null or ${t.saleDiscountFixed} is null`),
    oneOf('sales', t.status, SALE_STATUSES),
    uniqueOn('sales', [t.idempotencyKey]),
    uniqueOn('sales', [t.registerId, t.receiptNumber], sql`${t.receiptNumber} is not null`),
    partialIndex('sales', 'unfinished', sql`${t.status} in ('OPEN', 'PARKED') and ${t.deletedAt} is null`, t.registerId),
    check(
      'sales_completed_check',
      sql`${t.status} <> 'COMPLETED' or
      (${t.receiptNumber} is not null and ${t.completedAt} is not null and ${t.businessDate} is not null)`,
    ),
    check('sales_voided_check', sql`${t.status} <> 'VOIDED' or (${t.voidedAt} is not null and ${t.voidedBy} is not null)`),
    check(
      'sales_amounts_check',
      sql`${t.subtotal} >= 0 and ${t.discountTotal} >= 0 and ${t.taxTotal} >= 0
      and ${t.total} >= 0 and ${t.paidTotal} >= 0 and ${t.changeTotal} >= 0`,
    ),
  ],
);

/** A line: what was sold, copied from the catalog at scan time so later edits never change it. */
export const saleItems = salesSchema.table(
  'sale_items',
  {
    id: id(),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    lineNo: integer('line_no').notNull(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    name: text('name').notNull(),
    sku: text('sku').notNull(),
    barcode: text('barcode'),
    unit: text('unit').notNull(),
    unitPrice: money('unit_price').notNull(),
    /** Catalog price when the cashier overrode it; null when not overridden. */
    listPrice: money('list_price'),
    priceOverriddenBy: uuid('price_overridden_by').references(() => employees.id),
    taxCode: text('tax_code', { enum: TAX_CODES }).notNull(),
    taxRate: rate('tax_rate').notNull(),
    quantity: quantity('quantity').notNull(),
    isWeighed: boolean('is_weighed').notNull().default(false),
    /** The line's own discount as given (a fraction or a fixed amount); discount_amount adds
     *  the line's share of a sale discount. */
    lineDiscountRate: rate('line_discount_rate'),
    lineDiscountFixed: money('line_discount_fixed'),
    discountAmount: money('discount_amount').notNull().default('0'),
    discountApprovedBy: uuid('discount_approved_by').references(() => employees.id),
    subtotal: money('subtotal').notNull(),
    taxAmount: money('tax_amount').notNull(),
    total: money('total').notNull(),
    /** A gift card this line sells or tops up (the code on the card): it holds the line's total once the sale completes. */
    giftCardCode: text('gift_card_code'),
    ...timestamps(),
  },
  (t) => [
    indexOn('sale_items', t.saleId),
    indexOn('sale_items', t.variantId),
    indexOn('sale_items', t.productId),
    indexOn('sale_items', t.priceOverriddenBy),
    indexOn('sale_items', t.discountApprovedBy),
    uniqueOn('sale_items', [t.saleId, t.lineNo], live(t.deletedAt)),
    oneOf('sale_items', t.taxCode, TAX_CODES),
    check('sale_items_quantity_check', sql`${t.quantity} > 0`),
    check('sale_items_gift_card_code_check', sql`${t.giftCardCode} ~ '^[A-Z0-9]{6,32}$'`),
    check('sale_items_line_discount_check', sql`${t.lineDiscountRate} is null or ${t.lineDiscountFixed} is null`),
    check(
      'sale_items_amounts_check',
      sql`${t.unitPrice} >= 0 and ${t.discountAmount} >= 0
      and ${t.subtotal} >= 0 and ${t.taxAmount} >= 0 and ${t.total} >= 0`,
    ),
  ],
);

/** Returns are their own gapless series per register and never edit the original sale. */
export const returns = salesSchema.table(
  'returns',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    shiftId: uuid('shift_id')
      .notNull()
      .references(() => shifts.id),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    approvedBy: uuid('approved_by').references(() => employees.id),
    returnNumber: bigint('return_number', { mode: 'number' }).notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    currency: currency(),
    reason: text('reason').notNull(),
    subtotal: money('subtotal').notNull(),
    taxTotal: money('tax_total').notNull(),
    total: money('total').notNull(),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('returns', t.businessId),
    indexOn('returns', t.branchId, t.businessDate),
    indexOn('returns', t.registerId),
    indexOn('returns', t.shiftId),
    indexOn('returns', t.saleId),
    indexOn('returns', t.employeeId),
    indexOn('returns', t.approvedBy),
    uniqueOn('returns', [t.idempotencyKey]),
    uniqueOn('returns', [t.registerId, t.returnNumber]),
    check('returns_amounts_check', sql`${t.subtotal} >= 0 and ${t.taxTotal} >= 0 and ${t.total} > 0`),
  ],
);

export const returnItems = salesSchema.table(
  'return_items',
  {
    id: id(),
    returnId: uuid('return_id')
      .notNull()
      .references(() => returns.id),
    saleItemId: uuid('sale_item_id')
      .notNull()
      .references(() => saleItems.id),
    quantity: quantity('quantity').notNull(),
    subtotal: money('subtotal').notNull(),
    taxAmount: money('tax_amount').notNull(),
    total: money('total').notNull(),
    /** False when the goods are damaged and do not go back on the shelf. */
    restock: boolean('restock').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    indexOn('return_items', t.returnId),
    indexOn('return_items', t.saleItemId),
    check('return_items_quantity_check', sql`${t.quantity} > 0`),
  ],
);

/** The print log: every receipt, report and reprint, and the spool's queue (PENDING). */
export const receipts = salesSchema.table(
  'receipts',
  {
    id: id(),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    saleId: uuid('sale_id').references(() => sales.id),
    returnId: uuid('return_id').references(() => returns.id),
    shiftId: uuid('shift_id').references(() => shifts.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    /** The stamped invoice an INVOICE printout represents (a factura global has no sale). */
    invoiceId: uuid('invoice_id').references((): AnyPgColumn => invoices.id),
    kind: text('kind', { enum: RECEIPT_KINDS }).notNull(),
    /** 0 for the original, then 1, 2, … for reprints. */
    copyNumber: integer('copy_number').notNull().default(0),
    /** Null when the register had no printer (status UNSENT). */
    printerUri: text('printer_uri'),
    status: text('status', { enum: PRINT_STATUSES }).notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** The laid-out document, so a reprint is the same receipt. */
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    printedAt: utc('printed_at'),
    /** The idempotency key of the call that asked for this printout, when it gave one: the same key prints once. */
    requestKey: text('request_key'),
    ...timestamps(),
  },
  (t) => [
    indexOn('receipts', t.registerId),
    indexOn('receipts', t.invoiceId),
    uniqueOn('receipts', [t.requestKey], sql`${t.requestKey} is not null`),
    indexOn('receipts', t.saleId),
    indexOn('receipts', t.returnId),
    indexOn('receipts', t.shiftId),
    indexOn('receipts', t.employeeId),
    oneOf('receipts', t.kind, RECEIPT_KINDS),
    oneOf('receipts', t.status, PRINT_STATUSES),
    check('receipts_printer_check', sql`(${t.printerUri} is null) = (${t.status} = 'UNSENT')`),
    partialIndex('receipts', 'spool', sql`${t.status} = 'PENDING' and ${t.deletedAt} is null`, t.printerUri, t.createdAt),
    // Jobs whose outcome is open (a kill mid-send, a printer that hung): looked for at every start.
    partialIndex(
      'receipts',
      'unsettled',
      sql`${t.status} in ('SENDING', 'UNCERTAIN') and ${t.deletedAt} is null`,
      t.printerUri,
      t.createdAt,
    ),
  ],
);

/** The RFCs of the público en general and of a foreigner: the factura global's receivers, never a customer's. */
export const GENERIC_TAX_IDS = ['XAXX010101000', 'XEXX010101000'] as const;

/**
 * A customer who asks for an invoice, with the fiscal data the receiver of a CFDI 4.0 carries.
 * The RFC is stored upper case as validated; the legal name as on the Constancia de Situación
 * Fiscal, upper case with single spaces (see services/customers/customer-rules.ts for why).
 */
export const customers = salesSchema.table(
  'customers',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    /** Whose tax id this is (the business's country: the rules that checked it). */
    country: country(),
    taxId: text('tax_id').notNull(),
    legalName: text('legal_name').notNull(),
    /** c_RegimenFiscal clave, such as 601 or 612. */
    taxRegime: text('tax_regime').notNull(),
    /** The fiscal address's postal code (DomicilioFiscalReceptor). */
    postalCode: text('postal_code').notNull(),
    /** The c_UsoCFDI clave the customer's invoices take unless they ask for another. */
    fiscalUse: text('fiscal_use').notNull(),
    /** {email?, phone?} sealed with the terminal's PII key; context sales.customers.contact:<id>. */
    contact: jsonb('contact').$type<SealedJson>(),
    /** A keyed hash of the lower-case e-mail (Sealer.lookupHash), to find a customer by it without opening rows. */
    emailHash: text('email_hash'),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('customers', t.businessId),
    // text_pattern_ops: the same index answers an RFC typed in full and one typed in part
    // (LIKE 'GOMA8%'), whatever the database's collation (PGlite's C, central's locale).
    uniqueIndex('customers_business_id_tax_id_key').on(t.businessId, t.taxId.op('text_pattern_ops')).where(live(t.deletedAt)),
    // Words of the name anywhere in it, accents and case aside: trigrams over the folded name,
    // as products_name_search_idx (migration 0002) does for products.
    index('customers_name_search_idx').using('gin', sql`public.pos_fold(${t.legalName}) gin_trgm_ops`).where(live(t.deletedAt)),
    partialIndex('customers', 'email', sql`${t.emailHash} is not null and ${live(t.deletedAt)}`, t.businessId, t.emailHash),
    check('customers_tax_id_check', sql`${t.taxId} = upper(${t.taxId}) and ${t.taxId} not in ('XAXX010101000', 'XEXX010101000')`),
    check('customers_legal_name_check', sql`length(${t.legalName}) between 1 and 300`),
    check('customers_tax_regime_check', sql`${t.taxRegime} ~ '^[0-9]{3}$'`),
    check('customers_postal_code_check', sql`${t.postalCode} ~ '^[0-9]{5}$'`),
    check('customers_fiscal_use_check', sql`${t.fiscalUse} ~ '^[A-Z0-9]{3,4}$'`),
  ],
);
