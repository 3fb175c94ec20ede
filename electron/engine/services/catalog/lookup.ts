// Finding the one item a scan or a tap means: by barcode, by scale PLU, by SKU or by id.
// Each is a single indexed query, because a scan must land in the cart in milliseconds.
import type { SqlSession } from '#db/sql-session.ts';
import type { CatalogItem } from '#contract/catalog-item.ts';

export type { CatalogItem };

const SELECT_ITEM = `
  SELECT v.id AS "variantId", p.id AS "productId", p.name || coalesce(' ' || v.name, '') AS name, v.sku, v.barcode, v.plu,
         v.price::text AS price, p.unit, p.sold_by AS "soldBy", p.tax_code AS "taxCode", p.tax_rate::text AS "taxRate"
  FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
  WHERE v.business_id = $1 AND v.deleted_at IS NULL AND v.is_active AND p.deleted_at IS NULL AND p.is_active`;

const one = async (sql: SqlSession, where: string, params: unknown[]) =>
  (await sql.query<CatalogItem>(`${SELECT_ITEM} AND ${where} LIMIT 1`, params))[0] ?? null;

/** `gtin` and `printed` are the forms a barcode may be stored in (EAN-13 and the printed UPC-A, say). */
export const itemByBarcode = (sql: SqlSession, businessId: string, gtin: string, printed: string) =>
  one(sql, 'v.barcode IN ($2, $3)', [businessId, gtin, printed]);

export const itemByPlu = (sql: SqlSession, businessId: string, plu: string) => one(sql, 'v.plu = $2', [businessId, plu]);

export const itemBySku = (sql: SqlSession, businessId: string, sku: string) => one(sql, 'v.sku = $2', [businessId, sku]);

export const itemByVariant = (sql: SqlSession, businessId: string, variantId: string) => one(sql, 'v.id = $2', [businessId, variantId]);
