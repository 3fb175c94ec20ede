// A catalog conflict field by field: which of the fields a manager edits the refused row and
// central's row disagree on, each side's value in words a person reads (money as a decimal
// string, a category by its name). The back office, the conflicts service and `pos sync status`
// all show it this way.
import { Decimal } from 'decimal.js';
import {
  type CatalogConflict,
  type ConflictDifference,
  type ConflictField,
  PRODUCT_CONFLICT_FIELDS,
  VARIANT_CONFLICT_FIELDS,
} from '#contract/catalog-conflicts.ts';
import type { CatalogConflictRecord } from '../ports.ts';

/** Where each field is kept in a product's or variant's row. */
const COLUMN: Record<ConflictField, string> = {
  name: 'name',
  brand: 'brand',
  description: 'description',
  category: 'category_id',
  soldBy: 'sold_by',
  unit: 'unit',
  taxCode: 'tax_code',
  fiscalProductCode: 'fiscal_product_code',
  fiscalUnitCode: 'fiscal_unit_code',
  isActive: 'is_active',
  sku: 'sku',
  barcode: 'barcode',
  plu: 'plu',
  price: 'price',
  cost: 'cost',
};

const MONEY: ReadonlySet<ConflictField> = new Set(['price', 'cost']);

type Row = Record<string, unknown>;

const raw = (row: Row, field: ConflictField): unknown => row[COLUMN[field]] ?? null;

/** Money compared as amounts ("35" and "35.0000" are one price); everything else as written. */
function same(field: ConflictField, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (MONEY.has(field)) return new Decimal(String(a)).equals(new Decimal(String(b)));
  return String(a) === String(b);
}

function shown(field: ConflictField, value: unknown, categories: Record<string, string>): string | boolean | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value;
  if (field === 'category') return categories[String(value)] ?? String(value);
  if (MONEY.has(field)) {
    const amount = new Decimal(String(value));
    return amount.decimalPlaces() <= 2 ? amount.toFixed(2) : amount.toFixed();
  }
  return String(value);
}

export const fieldsOf = (table: CatalogConflictRecord['table']): readonly ConflictField[] =>
  table === 'inventory.products' ? PRODUCT_CONFLICT_FIELDS : VARIANT_CONFLICT_FIELDS;

/** The fields on which `ours` and `theirs` (rows of `table`) disagree, in the screens' order. */
export function differencesOf(
  table: CatalogConflictRecord['table'],
  ours: Row,
  theirs: Row,
  categories: Record<string, string> = {},
): ConflictDifference[] {
  return fieldsOf(table)
    .filter((field) => !same(field, raw(ours, field), raw(theirs, field)))
    .map((field) => ({ field, ours: shown(field, raw(ours, field), categories), theirs: shown(field, raw(theirs, field), categories) }));
}

const versionOf = (row: Row) => Number(row.version ?? 0);
const textOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** A conflict as central recorded it, as the screens and the CLI show it: against central's row now. */
export function conflictView(record: CatalogConflictRecord): CatalogConflict {
  const variant = record.table === 'inventory.product_variants';
  return {
    id: record.id,
    kind: variant ? 'variant' : 'product',
    rowId: record.rowId,
    productId: record.product?.id ?? (variant ? textOrNull(record.theirs.product_id) : record.rowId),
    productName: record.product?.name ?? null,
    sku: variant ? textOrNull(record.theirs.sku) : null,
    register: record.register,
    author: record.author,
    createdAt: record.createdAt,
    ourVersion: versionOf(record.ours),
    theirVersion: versionOf(record.theirs),
    differences: differencesOf(record.table, record.ours, record.theirs, record.categories),
  };
}
