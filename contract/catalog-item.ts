// An item of the catalog as the till finds it, by a scan, a search or a tap on the category
// grid: the variant to put on the line, with its price, unit and tax.
import { z } from 'zod';
import { decimal } from './fields.ts';
import { SOLD_BY, TAX_CODES } from './tax-codes.ts';

export const catalogItem = z
  .object({
    variantId: z.uuid(),
    productId: z.uuid(),
    /** Product name, then the variant's name if it has one ("Café soluble 200 g"). */
    name: z.string(),
    sku: z.string(),
    barcode: z.string().nullable(),
    /** The code a scale label or a keyed-in produce number carries. */
    plu: z.string().nullable(),
    /** Per piece, or per kilogram when sold by weight. */
    price: decimal,
    unit: z.string(),
    soldBy: z.enum(SOLD_BY),
    taxCode: z.enum(TAX_CODES),
    /** A fraction: 0.160000 for IVA 16 %. */
    taxRate: decimal,
  })
  .strict();

/** A search result carries the brand too: two rices of the same size are told apart by it. */
export const catalogHit = catalogItem.extend({ brand: z.string().nullable() }).strict();

export type CatalogItem = z.output<typeof catalogItem>;
export type CatalogHit = z.output<typeof catalogHit>;
