// The shift's sales history at the register: a page of the open shift's sales, newest first,
// found by receipt number or barcode if one is given, and one sale's lines and tenders. Kept in
// the selling domain's own module and spread into the contract with one line.
import { z } from 'zod';
import { call, decimal, text, utcTime } from '../fields.ts';
import { TENDER_KINDS } from '../payment-vocabulary.ts';

/** Rows on one page of the history: a screen's worth, and a bound on what one call reads. */
export const MAX_HISTORY_PAGE_SIZE = 50;

/**
 * How a sale stands in the history: a voided sale stays voided; a completed one is returned once
 * every unit sold came back, and partly returned once anything did.
 */
export const HISTORY_STATUSES = ['COMPLETED', 'PARTLY_RETURNED', 'RETURNED', 'VOIDED'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

const receiptNumber = z.number().int().min(1).nullable();

const historyTender = z
  .object({
    kind: z.enum(TENDER_KINDS),
    /** The payment method's name, as the store calls it. */
    method: z.string(),
    amount: decimal,
    /** The change cash gave; null for other tenders. */
    change: decimal.nullable(),
    cardLast4: z.string().nullable(),
  })
  .strict();

/** A sale as the history lists it; a voided sale has no receipt number. */
export const historyRow = z
  .object({
    saleId: z.uuid(),
    receiptNumber,
    receiptCode: z.string().nullable(),
    /** When it was completed or voided. */
    at: utcTime,
    cashier: z.string(),
    /** A count of units: whole pieces, and one for each weighed line. */
    items: z.number().int().min(0),
    total: decimal,
    tenders: z.array(historyTender),
    status: z.enum(HISTORY_STATUSES),
  })
  .strict();

export type HistoryRow = z.output<typeof historyRow>;

const historyPage = z
  .object({
    /** Null when the register has no open shift (and so no history). */
    shiftId: z.uuid().nullable(),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    /** Sales matching, across every page. */
    total: z.number().int().min(0),
    pageCount: z.number().int().min(0),
    sales: z.array(historyRow),
  })
  .strict();

const historySale = z
  .object({
    saleId: z.uuid(),
    receiptNumber,
    receiptCode: z.string().nullable(),
    at: utcTime.nullable(),
    cashier: z.string(),
    status: z.enum(HISTORY_STATUSES),
    subtotal: decimal,
    discountTotal: decimal,
    taxTotal: decimal,
    total: decimal,
    change: decimal,
    voidReason: z.string().nullable(),
    lines: z.array(
      z
        .object({
          lineId: z.uuid(),
          lineNo: z.number().int(),
          name: z.string(),
          sku: z.string(),
          unit: z.string(),
          isWeighed: z.boolean(),
          quantity: decimal,
          unitPrice: decimal,
          /** The line's discount in money, its share of a sale discount included. */
          discount: decimal,
          total: decimal,
          /** What came back of it in returns so far. */
          returned: decimal,
        })
        .strict(),
    ),
    tenders: z.array(historyTender),
    returns: z.array(z.object({ returnNumber: z.number().int().min(1), total: decimal, at: utcTime, reason: z.string() }).strict()),
  })
  .strict();

export const historyCalls = {
  /** The open shift's sales (completed and voided), newest first; all of them with reports.shift, otherwise the caller's own. */
  'sales.history': call(
    'sales.sell',
    z
      .object({
        /** From 1. */
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(MAX_HISTORY_PAGE_SIZE).default(20),
        /** A receipt number (12) or its barcode (RCAJA-1-000012), typed or scanned. */
        code: text(60, { min: 1, trim: false, scanned: true }).optional(),
      })
      .strict(),
    { output: historyPage },
  ),
  /** One sale of the history with its lines (and what came back of each), tenders and returns. */
  'sales.historySale': call('sales.sell', z.object({ saleId: z.uuid() }).strict(), { output: historySale }),
};
