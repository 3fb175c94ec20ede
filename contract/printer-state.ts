// A receipt printer's queue and condition, for the always-visible badge and the devices screen:
// jobs waiting, jobs whose outcome is unknown, how the printer is, and what it last said about itself.
import { z } from 'zod';
import { utcTime } from './fields.ts';
import { RECEIPT_KINDS } from './sales-vocabulary.ts';

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

/**
 * unknown: not reached yet. online: it answered, or took the last job. stopped: it says it
 * cannot print (out of paper, cover open, an error). hung: it takes the connection but neither
 * answers nor reads. offline: it cannot be reached (unplugged, switched off, wrong address).
 */
export const PRINTER_HEALTHS = ['unknown', 'online', 'stopped', 'hung', 'offline'] as const;
export type PrinterHealth = (typeof PRINTER_HEALTHS)[number];

/** yes: it answers real-time status requests. no: proven silent while otherwise healthy (it read every byte). */
export const STATUS_SUPPORTS = ['unknown', 'yes', 'no'] as const;
export type StatusSupport = (typeof STATUS_SUPPORTS)[number];

export const printerState = z
  .object({
    printerUri: z.string(),
    /** Receipts and reports waiting for this printer. */
    pending: z.number().int().min(0),
    /** Receipts sent whose outcome is unknown, waiting for the cashier to say whether they came out. */
    uncertain: z.number().int().min(0),
    health: z.enum(PRINTER_HEALTHS),
    statusSupport: z.enum(STATUS_SUPPORTS),
    lastError: z.string().nullable(),
    /** What the printer last said about itself (paper near end, drawer open…); empty when it does not say. */
    conditions: z.array(printerCondition),
    /** A job is being sent to it now. */
    printing: z.boolean(),
    /** When it was last heard from or tried; null before the first time. */
    checkedAt: utcTime.nullable(),
  })
  .strict();

export type PrinterState = z.output<typeof printerState>;

/** A receipt sent whose outcome is unknown, waiting for the cashier's word (the store chose to be asked). */
export const uncertainPrint = z
  .object({
    receiptId: z.uuid(),
    printerUri: z.string(),
    kind: z.enum(RECEIPT_KINDS),
    /** The sale's receipt code (RCAJA-1-000012) when it is a sale's; null for returns and reports. */
    receiptCode: z.string().nullable(),
    createdAt: utcTime,
    /** Why its outcome is unknown, in the printer's words (English, for the technician). */
    reason: z.string().nullable(),
  })
  .strict();

export type UncertainPrint = z.output<typeof uncertainPrint>;
