// A sale as the till shows it while it is being rung up: its lines, discounts and totals, priced
// by the engine after every change. Every cart call answers it (open, scan, quantity, discount,
// price, park, recall), so the screen simply shows the latest answer.
import { z } from 'zod';
import { decimal, utcTime } from './fields.ts';
import { SALE_STATUSES } from './sales-vocabulary.ts';
import { TAX_CODES } from './tax-codes.ts';

/** A discount as the cashier gave it: `rate` a fraction of what it applies to, `amount` money off. */
export const givenDiscount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate'), value: decimal }).strict(),
  z.object({ kind: z.literal('amount'), value: decimal }).strict(),
]);

/** One tax of the sale: `base` is what it is charged on (the lines' subtotals), `rate` a fraction. */
export const taxSummary = z.object({ taxCode: z.enum(TAX_CODES), rate: decimal, base: decimal, amount: decimal }).strict();

export const cartLine = z
  .object({
    id: z.uuid(),
    lineNo: z.number().int(),
    variantId: z.uuid(),
    /** As sold: the product's name then its variant's, or the cashier's words for an open-price item. */
    name: z.string(),
    sku: z.string(),
    barcode: z.string().nullable(),
    unit: z.string(),
    /** Pieces, or kilograms when weighed. */
    quantity: decimal,
    isWeighed: z.boolean(),
    unitPrice: decimal,
    /** The catalog's price when the cashier overrode it; null when not overridden. */
    listPrice: decimal.nullable(),
    taxCode: z.enum(TAX_CODES),
    taxRate: decimal,
    /** The line's own discount as given; null when it has none. */
    discount: givenDiscount.nullable(),
    /** The line's own discount plus its share of a sale discount, in money. */
    discountAmount: decimal,
    subtotal: decimal,
    taxAmount: decimal,
    total: decimal,
  })
  .strict();

export const cartView = z
  .object({
    id: z.uuid(),
    status: z.enum(SALE_STATUSES),
    /** Moves on with every change: a write naming an older one is refused as stale. */
    version: z.number().int(),
    parkLabel: z.string().nullable(),
    employeeId: z.uuid(),
    openedAt: utcTime,
    currency: z.string(),
    pricesIncludeTax: z.boolean(),
    /** The discount on the whole sale as given; spread over the lines' discountAmount. */
    saleDiscount: givenDiscount.nullable(),
    lines: z.array(cartLine),
    totals: z
      .object({
        subtotal: decimal,
        discountTotal: decimal,
        taxTotal: decimal,
        total: decimal,
        taxes: z.array(taxSummary),
      })
      .strict(),
  })
  .strict();

export type CartView = z.output<typeof cartView>;
export type CartLine = z.output<typeof cartLine>;
