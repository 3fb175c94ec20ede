// What the back office reads: a page of products (never the whole catalog: a store may have a
// million) and one product with its variants and their stock here. Browsing walks the primary
// key (ids are UUIDv7, so newest first) a page at a time; a text goes through the register's own
// search and its best matches come back grouped by product.
import type { SqlSession } from '#db/sql-session.ts';
import { searchCatalog } from './search.ts';
import type { ProductDetail, ProductPage, ProductRow, VariantDetail } from '#contract/catalog-products.ts';

const ROW = `
  SELECT p.id, p.name, p.brand, c.name AS category, p.category_id AS "categoryId", p.sold_by AS "soldBy", p.unit,
         p.is_active AS "isActive", p.version, coalesce(vs.variants, 0) AS variants, vs.sku, vs.barcode,
         vs."minPrice", vs."maxPrice", st.stock
  FROM inventory.products p
  LEFT JOIN inventory.categories c ON c.id = p.category_id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS variants, min(v.price)::text AS "minPrice", max(v.price)::text AS "maxPrice",
           (array_agg(v.sku ORDER BY v.id))[1] AS sku, (array_agg(v.barcode ORDER BY v.id))[1] AS barcode
    FROM inventory.product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) vs ON true
  LEFT JOIN LATERAL (
    SELECT sum(l.quantity)::text AS stock FROM inventory.stock_levels l
    JOIN inventory.product_variants v ON v.id = l.variant_id AND v.deleted_at IS NULL
    WHERE v.product_id = p.id AND l.branch_id = $2::uuid AND l.deleted_at IS NULL) st ON true`;

export type ProductQuery = {
  businessId: string;
  branchId: string | null;
  text?: string;
  categoryId?: string;
  after?: string;
  limit: number;
};

export async function listProducts(sql: SqlSession, q: ProductQuery): Promise<ProductPage> {
  if (q.text && q.text.trim() !== '') {
    const hits = await searchCatalog(sql, q.businessId, q.text, { limit: Math.min(100, q.limit * 3) });
    const ids = [...new Set(hits.map((h) => h.productId))].slice(0, q.limit);
    if (ids.length === 0) return { items: [], next: null };
    const rows = await sql.query<ProductRow>(
      `${ROW}
      WHERE p.id = ANY($3::uuid[]) AND p.business_id = $1 AND p.deleted_at IS NULL AND ($4::uuid IS NULL OR p.category_id = $4::uuid)`,
      [q.businessId, q.branchId, ids, q.categoryId ?? null],
    );
    const order = new Map(ids.map((id, i) => [id, i]));
    return { items: rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!), next: null };
  }
  // The page's ids first, on their own: the per-product summaries then run for those few rows
  // only, whatever the planner believes about the table's size.
  const rows = await sql.query<ProductRow>(
    `
    WITH page AS MATERIALIZED (
      SELECT p.id FROM inventory.products p
      WHERE p.business_id = $1 AND p.deleted_at IS NULL AND ($3::uuid IS NULL OR p.id < $3::uuid) AND ($4::uuid IS NULL OR p.category_id = $4::uuid)
      ORDER BY p.id DESC LIMIT $5)
    ${ROW} JOIN page ON page.id = p.id
    ORDER BY p.id DESC`,
    [q.businessId, q.branchId, q.after ?? null, q.categoryId ?? null, q.limit + 1],
  );
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  return { items, next: more ? items[items.length - 1]!.id : null };
}

export async function productDetail(
  sql: SqlSession,
  businessId: string,
  branchId: string | null,
  productId: string,
): Promise<ProductDetail | null> {
  const [product] = await sql.query<Omit<ProductDetail, 'variants'>>(
    `
    SELECT id, name, brand, description, category_id AS "categoryId", sold_by AS "soldBy", unit, tax_code AS "taxCode",
           tax_rate::text AS "taxRate", fiscal_product_code AS "fiscalProductCode", fiscal_unit_code AS "fiscalUnitCode",
           is_active AS "isActive", version
    FROM inventory.products WHERE id = $1 AND business_id = $2 AND deleted_at IS NULL`,
    [productId, businessId],
  );
  if (!product) return null;
  const variants = await sql.query<VariantDetail>(
    `
    SELECT v.id, v.name, v.sku, v.barcode, v.plu, v.price::text AS price, v.cost::text AS cost, v.is_active AS "isActive", v.version,
           CASE WHEN l.id IS NULL THEN NULL ELSE jsonb_build_object('quantity', l.quantity::text, 'reorderPoint', l.reorder_point::text, 'version', l.version) END AS stock
    FROM inventory.product_variants v
    LEFT JOIN inventory.stock_levels l ON l.variant_id = v.id AND l.branch_id = $2::uuid AND l.deleted_at IS NULL
    WHERE v.product_id = $1 AND v.deleted_at IS NULL ORDER BY v.id`,
    [productId, branchId],
  );
  return { ...product, variants };
}
