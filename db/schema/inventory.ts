// inventory: what a business sells, where it is, and every movement of stock as a ledger.
import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgSchema, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { id, idempotencyKey, money, quantity, rate, timestamps, utc, version } from './columns.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { branches, businesses, employees } from './business.ts';

export const inventorySchema = pgSchema('inventory');

// The vocabulary the screens share lives in the contract; the schema constrains columns to it.
import { SOLD_BY, TAX_CODES } from '../../contract/tax-codes.ts';
import { MOVEMENT_KINDS } from '../../contract/stock.ts';

export { MOVEMENT_KINDS, SOLD_BY, TAX_CODES };
export const ALERT_KINDS = ['LOW_STOCK', 'OUT_OF_STOCK', 'NEGATIVE_STOCK'] as const;
export const ALERT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;

export const categories = inventorySchema.table(
  'categories',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    color: text('color'),
    ...timestamps(),
  },
  (t) => [
    indexOn('categories', t.businessId),
    indexOn('categories', t.parentId),
    uniqueOn('categories', [t.businessId, t.name], live(t.deletedAt)),
  ],
);

export const products = inventorySchema.table(
  'products',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    categoryId: uuid('category_id').references(() => categories.id),
    name: text('name').notNull(),
    brand: text('brand'),
    description: text('description'),
    soldBy: text('sold_by', { enum: SOLD_BY }).notNull().default('UNIT'),
    /** Unit shown on receipts ("pza", "kg"). */
    unit: text('unit').notNull().default('pza'),
    taxCode: text('tax_code', { enum: TAX_CODES }).notNull(),
    taxRate: rate('tax_rate').notNull(),
    /** SAT ClaveProdServ / DIAN / AFIP product code for invoices. */
    fiscalProductCode: text('fiscal_product_code'),
    /** SAT ClaveUnidad (H87 piece, KGM kilogram) and equivalents. */
    fiscalUnitCode: text('fiscal_unit_code'),
    isActive: boolean('is_active').notNull().default(true),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('products', t.businessId, t.updatedAt),
    indexOn('products', t.categoryId),
    oneOf('products', t.soldBy, SOLD_BY),
    oneOf('products', t.taxCode, TAX_CODES),
    check('products_tax_rate_check', sql`${t.taxRate} >= 0 and ${t.taxRate} < 1`),
    check('products_exempt_check', sql`${t.taxCode} <> 'EXENTO' or ${t.taxRate} = 0`),
  ],
);

export const productVariants = inventorySchema.table(
  'product_variants',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    name: text('name'),
    sku: text('sku').notNull(),
    /** EAN-13 / UPC-A / EAN-8 as printed; null for items keyed by PLU only. */
    barcode: text('barcode'),
    /** Item code inside variable-measure barcodes (GS1 prefixes 02, 20–29) for weighed goods. */
    plu: text('plu'),
    price: money('price').notNull(),
    cost: money('cost'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    isActive: boolean('is_active').notNull().default(true),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('product_variants', t.businessId),
    indexOn('product_variants', t.productId),
    uniqueOn('product_variants', [t.businessId, t.barcode], sql`${t.barcode} is not null and ${live(t.deletedAt)}`),
    uniqueOn('product_variants', [t.businessId, t.plu], sql`${t.plu} is not null and ${live(t.deletedAt)}`),
    uniqueOn('product_variants', [t.businessId, t.sku], live(t.deletedAt)),
    check('product_variants_barcode_check', sql`${t.barcode} ~ '^[0-9]{8,14}$'`),
    check('product_variants_price_check', sql`${t.price} >= 0`),
    check('product_variants_cost_check', sql`${t.cost} >= 0`),
  ],
);

/** Denormalised current stock, kept equal to the sum of movements; version guards races. */
export const stockLevels = inventorySchema.table(
  'stock_levels',
  {
    id: id(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    quantity: quantity('quantity').notNull().default('0'),
    reorderPoint: quantity('reorder_point'),
    version: version(),
    ...timestamps(),
  },
  (t) => [indexOn('stock_levels', t.variantId), indexOn('stock_levels', t.branchId), uniqueOn('stock_levels', [t.variantId, t.branchId])],
);

/** The stock ledger. Immutable: a mistake is corrected by another movement. */
export const stockMovements = inventorySchema.table(
  'stock_movements',
  {
    id: id(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    /** Signed: negative leaves the branch, positive arrives. */
    quantity: quantity('quantity').notNull(),
    unitCost: money('unit_cost'),
    reason: text('reason'),
    /** What caused it: a sale, a return, a receiving document. */
    referenceType: text('reference_type'),
    referenceId: uuid('reference_id'),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('stock_movements', t.variantId, t.occurredAt),
    indexOn('stock_movements', t.branchId),
    indexOn('stock_movements', t.employeeId),
    indexOn('stock_movements', t.referenceType, t.referenceId),
    uniqueOn('stock_movements', [t.idempotencyKey]),
    oneOf('stock_movements', t.kind, MOVEMENT_KINDS),
    check('stock_movements_quantity_check', sql`${t.quantity} <> 0`),
  ],
);

export const stockAlerts = inventorySchema.table(
  'stock_alerts',
  {
    id: id(),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('OPEN'),
    threshold: quantity('threshold'),
    quantityAtAlert: quantity('quantity_at_alert').notNull(),
    acknowledgedBy: uuid('acknowledged_by').references(() => employees.id),
    resolvedAt: utc('resolved_at'),
    ...timestamps(),
  },
  (t) => [
    indexOn('stock_alerts', t.variantId),
    indexOn('stock_alerts', t.branchId),
    indexOn('stock_alerts', t.acknowledgedBy),
    oneOf('stock_alerts', t.kind, ALERT_KINDS),
    oneOf('stock_alerts', t.status, ALERT_STATUSES),
    partialIndex('stock_alerts', 'open', sql`${t.status} = 'OPEN' and ${t.deletedAt} is null`, t.branchId, t.createdAt),
    // One open alert of a kind per item and branch.
    uniqueOn('stock_alerts', [t.variantId, t.branchId, t.kind], sql`${t.status} = 'OPEN' and ${live(t.deletedAt)}`),
  ],
);

/**
 * The search dictionary: every distinct word of the live catalog (product names and brands,
 * variant names), folded as public.pos_words folds it ("Jalapeños" → "jalapenos"), with how
 * often live, active products and variants use it. A misspelt word is corrected against these
 * few thousand rows through their own trigram index instead of against a million names.
 *
 * Derived data, kept by statement-level triggers on products and product_variants (migration
 * 0006_search_words); the app reads it and never writes it. A word nothing live uses any more is
 * soft-deleted, and revived when an item uses it again. Its id is not random: it is the UUIDv3
 * of the word in the business's namespace (public.pos_search_word_id), the same on every
 * terminal and on central, so a word never needs an id made by anyone.
 */
export const searchWords = inventorySchema.table(
  'search_words',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    word: text('word').notNull(),
    /** Occurrences in the names and brands of live, active products (a word twice in one name counts twice). */
    productUses: integer('product_uses').notNull().default(0),
    /** Occurrences in the names of live, active variants. */
    variantUses: integer('variant_uses').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueOn('search_words', [t.businessId, t.word]),
    check('search_words_word_check', sql`${t.word} ~ '^[a-z0-9]+$'`),
    check('search_words_uses_check', sql`${t.productUses} >= 0 and ${t.variantUses} >= 0`),
    // Live exactly while something live uses it.
    check('search_words_live_check', sql`(${t.deletedAt} is null) = (${t.productUses} + ${t.variantUses} > 0)`),
  ],
);
