// Finding the one item a scan or a tap means: by barcode, by scale PLU, by SKU or by id.
// Each is a single indexed query, because a scan must land in the cart in milliseconds.
import { prepared } from '#db/prepared.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { CatalogItem } from '#contract/catalog-item.ts';

export type { CatalogItem };

const SELECT_ITEM = `
  SELECT v.id AS "variantId", p.id AS "productId", p.name || coalesce(' ' || v.name, '') AS name, v.sku, v.barcode, v.plu,
         v.price::text AS price, p.unit, p.sold_by AS "soldBy", p.tax_code AS "taxCode", p.tax_rate::text AS "taxRate"
  FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
  WHERE v.business_id = $1 AND v.deleted_at IS NULL AND v.is_active AND p.deleted_at IS NULL AND p.is_active`;

const ITEM_COLUMNS =
  '"variantId" uuid, "productId" uuid, name text, sku text, barcode text, plu text, price text, unit text, "soldBy" text, "taxCode" text, "taxRate" text';

const one = async (sql: SqlSession, where: string, params: unknown[]) =>
  (await sql.query<CatalogItem>(`${SELECT_ITEM} AND ${where} LIMIT 1`, params))[0] ?? null;

// Scans are the hot path: these two are prepared once (see db/prepared.ts).
const byBarcode = prepared<CatalogItem>(
  'pos_item_by_barcode',
  ['uuid', 'text', 'text'],
  ITEM_COLUMNS,
  `${SELECT_ITEM} AND v.barcode IN ($2, $3) LIMIT 1`,
);
const byPlu = prepared<CatalogItem>('pos_item_by_plu', ['uuid', 'text'], ITEM_COLUMNS, `${SELECT_ITEM} AND v.plu = $2 LIMIT 1`);

/** `gtin` and `printed` are the forms a barcode may be stored in (EAN-13 and the printed UPC-A, say). */
export const itemByBarcode = async (sql: SqlSession, businessId: string, gtin: string, printed: string) =>
  (await byBarcode(sql, [businessId, gtin, printed]))[0] ?? null;

export const itemByPlu = async (sql: SqlSession, businessId: string, plu: string) => (await byPlu(sql, [businessId, plu]))[0] ?? null;

export const itemBySku = (sql: SqlSession, businessId: string, sku: string) => one(sql, 'v.sku = $2', [businessId, sku]);

export const itemByVariant = (sql: SqlSession, businessId: string, variantId: string) => one(sql, 'v.id = $2', [businessId, variantId]);
