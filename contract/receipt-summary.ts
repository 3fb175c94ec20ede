// What the pay screen shows once a sale is paid: its receipt number and code, the total as
// rounded for cash, what was paid and the change, tender by tender.
import { z } from 'zod';
import { decimal, utcTime } from './fields.ts';
import { TENDER_KINDS } from './payment-vocabulary.ts';

export const receiptSummary = z
  .object({
    saleId: z.uuid(),
    receiptNumber: z.number().int().min(1),
    /** What the receipt's barcode encodes (RCAJA-1-000012): returns scan it. */
    receiptCode: z.string(),
    currency: z.string(),
    /** What was due: the sale's total after any cash rounding. */
    total: decimal,
    /** Cash rounding to the smallest coin in use, signed. */
    rounding: decimal,
    paid: decimal,
    change: decimal,
    completedAt: utcTime,
    tenders: z.array(
      z
        .object({
          /** The payment method's name, as the store calls it. */
          method: z.string(),
          kind: z.enum(TENDER_KINDS),
          amount: decimal,
          /** Cash handed over, and the change it gave; null for other tenders. */
          tendered: decimal.nullable(),
          change: decimal.nullable(),
          cardLast4: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export type ReceiptSummary = z.output<typeof receiptSummary>;
