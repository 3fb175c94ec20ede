// The calls behind the category grid: touch buttons for the store's categories, then a page of
// their products, for what has no barcode to scan (bread by the piece, produce by weight).
// Kept in the selling domain's own module and spread into the contract with one line.
import { z } from 'zod';
import { call } from '../fields.ts';

/** Tiles on one page of the grid: enough for a 1920×1080 screen, few enough to answer in milliseconds. */
export const MAX_BROWSE_PAGE_SIZE = 60;

export const browseCalls = {
  /** The categories under `parentId` (the top level when it is not given), in the store's order. */
  'sales.categories': call('sales.sell', z.object({ parentId: z.uuid().optional() }).strict()),
  /** One page of a category's products, those without a barcode first (they cannot be scanned). */
  'sales.browse': call('sales.sell', z.object({
    categoryId: z.uuid(),
    /** From 1. */
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(MAX_BROWSE_PAGE_SIZE).default(24),
  }).strict()),
};
