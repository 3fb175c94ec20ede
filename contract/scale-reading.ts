// What the scale said when asked for a weight: a stable weight, or why there is none. The
// 'scale.reading' event carries either; scale.read answers only a stable weight and refuses the
// rest with a DEVICE_ERROR whose reason is the reading's, so a screen never holds an answer
// that looks successful and has no weight in it.
import { z } from 'zod';
import { decimal } from './fields.ts';

/** stable: weightKg holds the weight; motion, underload, overload: the load must settle or change; error: see reason. */
export const SCALE_STATUSES = ['stable', 'motion', 'underload', 'overload', 'error'] as const;

/**
 * Why a reading has no weight, as scale.read's DEVICE_ERROR reason (the screens word each one):
 * the load is moving, over capacity, under zero, the scale is outside its zero capture range, or
 * it answered something that is not a reading.
 */
export const NO_WEIGHT_REASONS = ['MOTION', 'OVERLOAD', 'UNDER_ZERO', 'OUTSIDE_ZERO_RANGE', 'PROTOCOL'] as const;

/** A weight the scale says is stable: kilograms as a decimal string at the scale's own resolution ("1.234"). */
export const stableReading = z.object({ deviceId: z.string(), weightKg: decimal, status: z.literal('stable') }).strict();

// Each status with the reasons it can have: the reason never contradicts the status.
const noWeight = <S extends Exclude<(typeof SCALE_STATUSES)[number], 'stable'>, R extends (typeof NO_WEIGHT_REASONS)[number]>(
  status: S,
  reasons: readonly [R, ...R[]],
) =>
  z
    .object({
      deviceId: z.string(),
      weightKg: z.null(),
      status: z.literal(status),
      reason: z.enum(reasons),
      /** Why there is no weight, in English for logs; the screens word the reason themselves. */
      message: z.string(),
    })
    .strict();

export const scaleReading = z.discriminatedUnion('status', [
  stableReading,
  noWeight('motion', ['MOTION']),
  noWeight('overload', ['OVERLOAD']),
  noWeight('underload', ['UNDER_ZERO']),
  noWeight('error', ['OUTSIDE_ZERO_RANGE', 'PROTOCOL']),
]);

export type ScaleReading = z.output<typeof scaleReading>;
export type StableReading = z.output<typeof stableReading>;
export type NoWeightReason = (typeof NO_WEIGHT_REASONS)[number];
