// The shift's sales history at the register: a page of the open shift's sales, newest first,
// found by receipt number or barcode if one is given, and one sale's lines and tenders. Kept in
// the selling domain's own module and spread into the contract with one line.
import { z } from 'zod';
import { call, text } from '../fields.ts';

/** Rows on one page of the history: a screen's worth, and a bound on what one call reads. */
export const MAX_HISTORY_PAGE_SIZE = 50;

export const historyCalls = {
  /** The open shift's sales (completed and voided), newest first; all of them with reports.shift, otherwise the caller's own. */
  'sales.history': call('sales.sell', z.object({
    /** From 1. */
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(MAX_HISTORY_PAGE_SIZE).default(20),
    /** A receipt number (12) or its barcode (RCAJA-1-000012), typed or scanned. */
    code: text(60, { min: 1, trim: false, scanned: true }).optional(),
  }).strict()),
  /** One sale of the history with its lines (and what came back of each), tenders and returns. */
  'sales.historySale': call('sales.sell', z.object({ saleId: z.uuid() }).strict()),
};
