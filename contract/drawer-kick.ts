// Whether the cash drawer opened when asked, and if not, why: the screen says so rather than
// leave the cashier pulling at a locked drawer. A drawer is opened through the register's printer.
import { z } from 'zod';

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
