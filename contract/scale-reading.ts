// What the scale said when asked for a weight: a stable weight, or why there is none.
import { z } from 'zod';
import { decimal } from './fields.ts';

/** stable: weightKg holds the weight; motion, underload, overload: the load must settle or change; error: see message. */
export const SCALE_STATUSES = ['stable', 'motion', 'underload', 'overload', 'error'] as const;

export const scaleReading = z
  .object({
    deviceId: z.string(),
    /** Kilograms as a decimal string at the scale's own resolution ("1.234"); null unless stable. */
    weightKg: decimal.nullable(),
    status: z.enum(SCALE_STATUSES),
    /** Why there is no weight, in English for logs; the screens word the status themselves. */
    message: z.string().optional(),
  })
  .strict();

export type ScaleReading = z.output<typeof scaleReading>;
