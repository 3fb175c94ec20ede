// Open-price items ("Varios"): what a shop sells without a barcode or a fixed price, rung up
// with the description and price the cashier types. Each is a real catalog product, one per tax
// rate, found by its SKU (VARIOS-IVA16, VARIOS-EXENTO…), so the line points at a variant like
// any other and the journal, sync, stock and receipts need nothing of their own. The store
// offers the rates it has such a product for; its catalog price is never used.
import { Decimal } from 'decimal.js';
import type { SqlSession } from '#db/sql-session.ts';
import { itemBySku, type CatalogItem } from './lookup.ts';
import { ALL_TAX_CODES, type TaxCode } from '#contract/tax-codes.ts';

export const OPEN_PRICE_SKU_PREFIX = 'VARIOS-';

export const openPriceSku = (code: TaxCode) => `${OPEN_PRICE_SKU_PREFIX}${code}`;

export const isOpenPriceSku = (sku: string) => sku.startsWith(OPEN_PRICE_SKU_PREFIX);

/** The item that carries `code`, or null; one whose product says another rate does not count. */
export async function openPriceItem(sql: SqlSession, businessId: string, code: TaxCode): Promise<CatalogItem | null> {
  const item = await itemBySku(sql, businessId, openPriceSku(code));
  return item && item.taxCode === code && item.soldBy === 'UNIT' ? item : null;
}

/** The rates an open-price item may carry in this store, highest first. */
export async function openPriceRates(sql: SqlSession, businessId: string): Promise<{ taxCode: TaxCode; taxRate: string; name: string }[]> {
  const rows = await sql.query<{ sku: string }>(
    `SELECT v.sku FROM inventory.product_variants v WHERE v.business_id = $1 AND v.sku LIKE $2 AND v.deleted_at IS NULL AND v.is_active`,
    [businessId, `${OPEN_PRICE_SKU_PREFIX}%`],
  );
  const codes = ALL_TAX_CODES.filter((code) => rows.some((r) => r.sku === openPriceSku(code)));
  const items = await Promise.all(codes.map((code) => openPriceItem(sql, businessId, code)));
  return items
    .filter((i) => i !== null)
    .map((i) => ({ taxCode: i.taxCode, taxRate: i.taxRate, name: i.name }))
    .sort((a, b) => new Decimal(b.taxRate).comparedTo(a.taxRate));
}
