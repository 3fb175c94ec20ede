// A stock receipt or adjustment as a journal fact: the movement row as written (a count carries
// the change it came to, not the count, so replaying it beside the sales that happened around it
// gives the same stock), the id its stock level takes if it is the item's first, and the item
// itself, so a fact about an item created at this terminal replays into a PGlite that lost it.
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { products, productVariants, stockLevels, stockMovements } from '#db/schema/inventory.ts';
import type { SqlDatabase } from '#db/sql-session.ts';

export const STOCK_RECEIVED = 'stock.received';
export const STOCK_ADJUSTED = 'stock.adjusted';

export type StockFact = {
  /** Null for a count that matched the stock: nothing moved, and the count is on record. */
  movement: JsonRow | null;
  stockLevelId: string;
  variantId: string;
  branchId: string;
  /** The stock before, and what the person counted (adjustments by count only). */
  before: string;
  counted: string | null;
  product: JsonRow;
  variant: JsonRow;
};

export const REFERENCE = { receive: 'stock.receive', adjust: 'stock.adjust' } as const;

/** Journal key and the movement's idempotency key: the call's kind and the screen's own key. */
export const stockKey = (what: keyof typeof REFERENCE, clientKey: string) => `${REFERENCE[what]}:${clientKey}`;

const APPLY_MOVEMENT = `
WITH f AS (SELECT $1::jsonb AS d),
m AS (
  INSERT INTO inventory.stock_movements
  SELECT x.* FROM f, jsonb_populate_record(NULL::inventory.stock_movements, f.d->'movement') x
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING variant_id, branch_id, quantity
)
INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity)
SELECT (f.d->>'stockLevelId')::uuid, m.variant_id, m.branch_id, m.quantity FROM f, m
ON CONFLICT (variant_id, branch_id) DO UPDATE
  SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1
RETURNING id`;

/** Puts a stock fact back: the item if PGlite lost it, then the movement once. True when something was written. */
export async function replayStockFact(sql: SqlDatabase, fact: StockFact): Promise<boolean> {
  if (!fact.movement) return false;
  return sql.transaction(async (tx) => {
    // Never over a newer version of the item: only when it is missing altogether.
    await tx.query(
      `INSERT INTO inventory.products SELECT * FROM jsonb_populate_record(NULL::inventory.products, $1::jsonb) ON CONFLICT DO NOTHING`,
      [JSON.stringify(fact.product)],
    );
    await tx.query(
      `INSERT INTO inventory.product_variants SELECT * FROM jsonb_populate_record(NULL::inventory.product_variants, $1::jsonb) ON CONFLICT DO NOTHING`,
      [JSON.stringify(fact.variant)],
    );
    return (await tx.query(APPLY_MOVEMENT, [JSON.stringify(fact)])).length > 0;
  });
}

/** The fact of a movement PGlite holds: to journal it when the journal missed it (a crash between the two). */
export async function readStockFact(
  db: AppDb,
  movementId: string,
  extra: { before: string; counted: string | null },
): Promise<StockFact | null> {
  const [movement] = await db.select().from(stockMovements).where(eq(stockMovements.id, movementId));
  if (!movement) return null;
  const [level] = await db
    .select({ id: stockLevels.id })
    .from(stockLevels)
    .where(and(eq(stockLevels.variantId, movement.variantId), eq(stockLevels.branchId, movement.branchId)));
  const [variant] = await db.select().from(productVariants).where(eq(productVariants.id, movement.variantId));
  const [product] = await db.select().from(products).where(eq(products.id, variant!.productId));
  return {
    movement: toRow(stockMovements, movement),
    stockLevelId: level!.id,
    variantId: movement.variantId,
    branchId: movement.branchId,
    ...extra,
    product: toRow(products, product!),
    variant: toRow(productVariants, variant!),
  };
}

export const factKindOf = (referenceType: string | null) => (referenceType === REFERENCE.receive ? STOCK_RECEIVED : STOCK_ADJUSTED);
