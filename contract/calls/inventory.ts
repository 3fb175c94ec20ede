// The back office's stock calls: levels at this branch, receiving from a supplier, and adjusting
// (a count, or a change such as breakage). Each change carries an idempotency key made by the
// screen, so a retried or double-clicked request moves the stock once.
import { z } from 'zod';
import { amount, call, idempotencyKey, quantity, reason, shaped, text } from '../fields.ts';
import { stockChange, stockLevel, stockMovement } from '../stock.ts';

const signedQuantity = shaped(11, /^-?\d{1,6}(\.\d{1,3})?$/, 'a change such as -2 or 1.500').refine(
  (v) => /[1-9]/.test(v),
  'the change must not be zero',
);
const countedQuantity = shaped(10, /^\d{1,6}(\.\d{1,3})?$/, 'a counted quantity such as 12 or 3.250');

export const inventoryCalls = {
  /** The business's branches: where stock is kept and where employees work. */
  'inventory.branches': call('session', z.object({}).strict(), {
    output: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() }).strict()),
  }),
  /** One page of items with their stock here: the best matches for `text`, or every item newest first. */
  'inventory.levels': call(
    'session',
    z
      .object({
        text: text(100).optional(),
        after: z.uuid().optional(),
        limit: z.number().int().min(1).max(100).default(25),
      })
      .strict(),
    {
      output: z
        .object({
          items: z.array(stockLevel),
          /** Ask for the page after this variant (`after`); null on the last page and for a search. */
          next: z.uuid().nullable(),
        })
        .strict(),
    },
  ),
  /** The latest movements of one item at this branch, newest first. */
  'inventory.movements': call('session', z.object({ variantId: z.uuid(), limit: z.number().int().min(1).max(100).default(20) }).strict(), {
    output: z.array(stockMovement),
  }),
  'inventory.receive': call(
    'inventory.receive',
    z
      .object({
        variantId: z.uuid(),
        quantity,
        /** What one unit cost, as on the supplier's invoice. */
        unitCost: amount.optional(),
        /** The supplier's invoice or delivery note number. */
        supplierReference: text(60, { min: 1 }).optional(),
        idempotencyKey,
      })
      .strict(),
    { output: stockChange },
  ),
  'inventory.adjust': call(
    'inventory.adjust',
    z
      .object({
        variantId: z.uuid(),
        /** What is on the shelf now (a count): the stock becomes this. */
        countedQuantity: countedQuantity.optional(),
        /** Or a change: negative for breakage, theft, samples; positive for something found. */
        delta: signedQuantity.optional(),
        reason,
        /** The stock's version when the person looked: a count against stock that moved since is refused. */
        expectedVersion: z.number().int().min(0).max(2_000_000_000).optional(),
        idempotencyKey,
      })
      .strict()
      .refine((v) => (v.countedQuantity === undefined) !== (v.delta === undefined), 'give the counted quantity or the change, not both'),
    {
      output: stockChange,
    },
  ),
};
