// Stock at this branch as the back office sees it: levels, movements, and what a change did.
// Quantities are decimal strings, in units or kilograms (a product sold by weight).
import { z } from 'zod';
import { decimal, utcTime } from './fields.ts';
import { SOLD_BY } from './tax-codes.ts';

/** Why stock moved: a sale, return or void at the till, or the back office receiving, adjusting or counting. */
export const MOVEMENT_KINDS = ['SALE', 'RETURN', 'VOID', 'RECEIVE', 'ADJUST', 'TRANSFER_IN', 'TRANSFER_OUT', 'COUNT'] as const;

/** The version of a level no one has counted or moved yet is 0. */
const stockVersion = z.number().int().min(0);

/** What inventory.receive and inventory.adjust answer, the first time and for a repeated idempotency key alike. */
export const stockChange = z
  .object({
    /** The movement written; null for a count that matched the stock (nothing moved). */
    movementId: z.uuid().nullable(),
    variantId: z.uuid(),
    /** What moved: positive arrived, negative left; "0" for a count that matched. */
    change: decimal,
    /** The stock now, and its version for the next count. */
    quantity: decimal,
    version: stockVersion,
    /** The idempotency key was seen before: this is that request's answer, and nothing moved again. */
    repeated: z.boolean(),
  })
  .strict();

export const stockLevel = z
  .object({
    variantId: z.uuid(),
    productId: z.uuid(),
    /** The product's name and the variant's. */
    name: z.string(),
    brand: z.string().nullable(),
    sku: z.string(),
    barcode: z.string().nullable(),
    unit: z.string(),
    soldBy: z.enum(SOLD_BY),
    /** "0" for an item never counted or moved here. */
    quantity: decimal,
    reorderPoint: decimal.nullable(),
    version: stockVersion,
    isActive: z.boolean(),
    /** At or under its reorder point. */
    low: z.boolean(),
  })
  .strict();

export const stockMovement = z
  .object({
    id: z.uuid(),
    kind: z.enum(MOVEMENT_KINDS),
    /** Signed: positive arrived, negative left. */
    quantity: decimal,
    unitCost: decimal.nullable(),
    /** The reason given, or the supplier's reference for a receipt. */
    reason: z.string().nullable(),
    /** Who moved it; null when no employee did. */
    employee: z.string().nullable(),
    occurredAt: utcTime,
  })
  .strict();

export type StockChange = z.output<typeof stockChange>;
export type StockLevel = z.output<typeof stockLevel>;
export type StockMovement = z.output<typeof stockMovement>;
