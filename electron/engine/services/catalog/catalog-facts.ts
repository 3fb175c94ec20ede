// Catalog changes made at this terminal's back office, as journal facts: the whole product or
// variant row after the change. PGlite may lose its latest writes on a power cut; replaying these
// puts the newest version back, and never overwrites a newer one (the version column decides),
// so a stock movement or a sale of an item created here always finds its item again.
import type { Journal } from '#db/journal.ts';
import { columnsOf, toRow, type JsonRow } from '#db/row-json.ts';
import { products, productVariants } from '#db/schema/inventory.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';

export const PRODUCT_SAVED = 'catalog.product_saved';
export const VARIANT_SAVED = 'catalog.variant_saved';

/** `by`: the employee who made the edit; central applies it only if they hold catalog.manage there. */
export type ProductSavedFact = { product: JsonRow; by?: string };
export type VariantSavedFact = { variant: JsonRow; by?: string };

export const productFactKey = (id: string, version: number) => `product:${id}:v${version}`;
export const variantFactKey = (id: string, version: number) => `variant:${id}:v${version}`;

const setList = (cols: string[]) =>
  cols
    .filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
const PRODUCT_SET = setList(columnsOf(products));
const VARIANT_SET = setList(columnsOf(productVariants));

/** Puts a product row back unless PGlite holds that version or a newer one. */
export async function upsertProduct(sql: SqlSession, row: JsonRow): Promise<boolean> {
  const done = await sql.query(
    `INSERT INTO inventory.products SELECT * FROM jsonb_populate_record(NULL::inventory.products, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET ${PRODUCT_SET} WHERE inventory.products.version < EXCLUDED.version RETURNING id`,
    [JSON.stringify(row)],
  );
  return done.length > 0;
}

export async function upsertVariant(sql: SqlSession, row: JsonRow): Promise<boolean> {
  const done = await sql.query(
    `INSERT INTO inventory.product_variants SELECT * FROM jsonb_populate_record(NULL::inventory.product_variants, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET ${VARIANT_SET} WHERE inventory.product_variants.version < EXCLUDED.version RETURNING id`,
    [JSON.stringify(row)],
  );
  return done.length > 0;
}

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
