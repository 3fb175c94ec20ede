// A receipt printer's queue and condition, for the always-visible badge: jobs waiting, the last
// failure, and what the printer last said about itself.
import { z } from 'zod';

/** The conditions a printer can report (ESC/POS real-time status); each is a code the screens word for the cashier. */
export const PRINTER_CONDITIONS = [
  'OFFLINE',
  'DRAWER_OPEN',
  'COVER_OPEN',
  'FEED_BUTTON',
  'PAPER_END',
  'ERROR',
  'CUTTER_ERROR',
  'UNRECOVERABLE_ERROR',
  'AUTO_RECOVERABLE_ERROR',
  'PAPER_NEAR_END',
] as const;

export type PrinterCondition = (typeof PRINTER_CONDITIONS)[number];

export const printerCondition = z.enum(PRINTER_CONDITIONS);

export const printerState = z
  .object({
    printerUri: z.string(),
    /** Receipts and reports waiting for this printer. */
    pending: z.number().int().min(0),
    lastError: z.string().nullable(),
    /** What the printer last said about itself (paper near end, drawer open…); empty when it does not say. */
    conditions: z.array(printerCondition),
    /** A job is being sent to it now. */
    printing: z.boolean(),
  })
  .strict();

export type PrinterState = z.output<typeof printerState>;
