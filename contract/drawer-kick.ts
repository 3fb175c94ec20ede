// Whether the cash drawer opened when asked, and if not, why: the screen says so rather than
// leave the cashier pulling at a locked drawer. A drawer is opened through the register's printer.
import { z } from 'zod';
import { utcTime } from './fields.ts';

export const drawerKick = z
  .object({
    opened: z.boolean(),
    /** NO_PRINTER: the register has none to open it through; PRINTER_FAILED: the printer refused. */
    reason: z.enum(['NO_PRINTER', 'PRINTER_FAILED']).nullable(),
    /** The printer's own words when it failed, for whoever fixes it. */
    message: z.string().nullable(),
  })
  .strict();

export type DrawerKick = z.output<typeof drawerKick>;

/**
 * The 'drawer.failed' event: the drawer did not open for a sale or a return paid in cash (the
 * kick is a reaction to the sale's fact, after the call has answered, so the answer cannot say).
 * Only a failure is sent: a drawer that opens is seen and heard at the counter, and no screen
 * has anything to do about it. And only a printer that failed: a register with no printer at all
 * (NO_PRINTER) has no drawer that opens by itself, its cashier knows, and being told so on every
 * cash sale would teach them to ignore the alert that matters.
 */
export const drawerFailed = z
  .object({
    /** The sale paid, or null for a return. */
    saleId: z.uuid().nullable(),
    /** The return refunded, or null for a sale. */
    returnId: z.uuid().nullable(),
    registerCode: z.string(),
    reason: z.literal('PRINTER_FAILED'),
    /** The printer's own words, for whoever fixes it. */
    message: z.string(),
    /** When the kick failed. */
    at: utcTime,
  })
  .strict();

export type DrawerFailed = z.output<typeof drawerFailed>;
