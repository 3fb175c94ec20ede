// Catalog changes made at this terminal's back office, as journal facts: the whole product or
// variant row after the change. PGlite may lose its latest writes on a power cut; replaying these
// puts the newest version back, and never overwrites a newer one (the version column decides),
// so a stock movement or a sale of an item created here always finds its item again.
import type { Journal } from '#db/journal.ts';
import { newerVersionUpsert, toRow, type JsonRow } from '#db/row-json.ts';
import { products, productVariants } from '#db/schema/inventory.ts';
import type { SqlDatabase } from '#db/sql-session.ts';

export const PRODUCT_SAVED = 'catalog.product_saved';
export const VARIANT_SAVED = 'catalog.variant_saved';

/** `by`: the employee who made the edit; central applies it only if they hold catalog.manage there. */
export type ProductSavedFact = { product: JsonRow; by?: string };
export type VariantSavedFact = { variant: JsonRow; by?: string };

export const productFactKey = (id: string, version: number) => `product:${id}:v${version}`;
export const variantFactKey = (id: string, version: number) => `variant:${id}:v${version}`;

/** Puts a product or variant row back unless PGlite holds that version or a newer one. */
export const upsertProduct = newerVersionUpsert(products, 'inventory.products');
export const upsertVariant = newerVersionUpsert(productVariants, 'inventory.product_variants');

export const replayProductSaved = (sql: SqlDatabase, fact: ProductSavedFact) => upsertProduct(sql, fact.product);
export const replayVariantSaved = (sql: SqlDatabase, fact: VariantSavedFact) => upsertVariant(sql, fact.variant);

export function journalProduct(journal: Journal, product: typeof products.$inferSelect, by: string): void {
  journal.append(PRODUCT_SAVED, productFactKey(product.id, product.version), {
    product: toRow(products, product),
    by,
  } satisfies ProductSavedFact);
}

export function journalVariant(journal: Journal, variant: typeof productVariants.$inferSelect, by: string): void {
  journal.append(VARIANT_SAVED, variantFactKey(variant.id, variant.version), {
    variant: toRow(productVariants, variant),
    by,
  } satisfies VariantSavedFact);
}
