// What the customer sees while the cashier works, on the pole display and on a second monitor:
// the line just rung up, the total, the change, or nothing (a welcome). The engine works it out
// from each call's answer and sends it as the 'customer.view' event.
import { z } from 'zod';
import { decimal } from './fields.ts';

export const customerView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }).strict(),
  z
    .object({
      kind: z.literal('line'),
      name: z.string(),
      quantity: decimal,
      unit: z.string(),
      isWeighed: z.boolean(),
      /** The line's own total; `total` is the sale's so far. */
      lineTotal: decimal,
      total: decimal,
      currency: z.string(),
    })
    .strict(),
  z.object({ kind: z.literal('total'), total: decimal, currency: z.string() }).strict(),
  z.object({ kind: z.literal('paid'), total: decimal, paid: decimal, change: decimal, currency: z.string() }).strict(),
]);

export type CustomerView = z.output<typeof customerView>;
