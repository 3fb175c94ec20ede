// The calls behind the category grid: touch buttons for the store's categories, then a page of
// their products, for what has no barcode to scan (bread by the piece, produce by weight).
// Kept in the selling domain's own module and spread into the contract with one line.
import { z } from 'zod';
import { catalogHit } from '../catalog-item.ts';
import { call } from '../fields.ts';

/** Tiles on one page of the grid: enough for a 1920×1080 screen, few enough to answer in milliseconds. */
export const MAX_BROWSE_PAGE_SIZE = 60;

/** A category's touch button. */
export const categoryTile = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The button's colour as the store chose it (a CSS colour), or null for the default. */
    color: z.string().nullable(),
    parentId: z.uuid().nullable(),
    /** It opens subcategories rather than (or besides) products. */
    hasChildren: z.boolean(),
  })
  .strict();

/** A product's tile: what a tap puts on the line (the tax is read again when it does). */
export const browseTile = catalogHit.omit({ taxCode: true, taxRate: true }).strict();

export const browsePage = z
  .object({
    category: z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable() }).strict(),
    items: z.array(browseTile),
    /** The page shown: the last one when the one asked for is past the end. */
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    /** Items in the whole category. */
    total: z.number().int().min(0),
    pageCount: z.number().int().min(1),
  })
  .strict();

export type CategoryTile = z.output<typeof categoryTile>;
export type BrowseTile = z.output<typeof browseTile>;
export type BrowsePage = z.output<typeof browsePage>;

export const browseCalls = {
  /** The categories under `parentId` (the top level when it is not given), in the store's order. */
  'sales.categories': call('sales.sell', z.object({ parentId: z.uuid().optional() }).strict(), { output: z.array(categoryTile) }),
  /** One page of a category's products, those without a barcode first (they cannot be scanned). */
  'sales.browse': call(
    'sales.sell',
    z
      .object({
        categoryId: z.uuid(),
        /** From 1. */
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(MAX_BROWSE_PAGE_SIZE).default(24),
      })
      .strict(),
    { output: browsePage },
  ),
};
