// Products as the back office reads them: a page of the catalog, and one product with its
// variants and their stock at this branch. Prices and stock are decimal strings.
import { z } from 'zod';
import { decimal } from './fields.ts';
import { SOLD_BY, TAX_CODES } from './tax-codes.ts';

/** Counts edits: an edit names the version it was made on, and a stale one is refused. */
const version = z.number().int().min(1);

export const productRow = z
  .object({
    id: z.uuid(),
    name: z.string(),
    brand: z.string().nullable(),
    category: z.string().nullable(),
    categoryId: z.uuid().nullable(),
    soldBy: z.enum(SOLD_BY),
    unit: z.string(),
    isActive: z.boolean(),
    version,
    /** Live variants; the first one's SKU and barcode stand for the product in the list. */
    variants: z.number().int().min(0),
    sku: z.string().nullable(),
    barcode: z.string().nullable(),
    minPrice: decimal.nullable(),
    maxPrice: decimal.nullable(),
    /** Units (or kilograms) at this terminal's branch, over every variant; null when none was ever counted. */
    stock: decimal.nullable(),
  })
  .strict();

export const productPage = z
  .object({
    items: z.array(productRow),
    /** Ask for the page after this product (`after`); null on the last page and for a search. */
    next: z.uuid().nullable(),
  })
  .strict();

export const variantDetail = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    sku: z.string(),
    barcode: z.string().nullable(),
    plu: z.string().nullable(),
    price: decimal,
    /** What one unit cost; null when unknown, and for whoever may neither buy stock nor edit the catalog. */
    cost: decimal.nullable(),
    isActive: z.boolean(),
    version,
    /** This branch's stock of it: quantity, reorder point and the version a count must name. */
    stock: z
      .object({ quantity: decimal, reorderPoint: decimal.nullable(), version: z.number().int().min(0) })
      .strict()
      .nullable(),
  })
  .strict();

export const productDetail = z
  .object({
    id: z.uuid(),
    name: z.string(),
    brand: z.string().nullable(),
    description: z.string().nullable(),
    categoryId: z.uuid().nullable(),
    soldBy: z.enum(SOLD_BY),
    unit: z.string(),
    taxCode: z.enum(TAX_CODES),
    /** The rate the tax code stands for, as a fraction: 0.160000 for IVA16. */
    taxRate: decimal,
    fiscalProductCode: z.string().nullable(),
    fiscalUnitCode: z.string().nullable(),
    isActive: z.boolean(),
    version,
    variants: z.array(variantDetail),
  })
  .strict();

export type ProductRow = z.output<typeof productRow>;
export type ProductPage = z.output<typeof productPage>;
export type VariantDetail = z.output<typeof variantDetail>;
export type ProductDetail = z.output<typeof productDetail>;
