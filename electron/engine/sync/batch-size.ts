// How many facts go in the push's next batch. A batch is one central transaction: too small and
// a 10,000-fact catch-up pays a round trip per handful of facts, too large and one slow central
// (a busy branch's stock rows, a far link) holds a long transaction open and risks the
// statement timeout. So the size follows how long batches take, aiming at about a second each.

/** The bounds a push adapts within. */
export type BatchSizing = { min: number; max: number; targetMs: number };

/** The size a catch-up starts from, before any batch has been timed. */
const START = 250;
const MIN = 25;
const TARGET_MS = 1_000;

/** From sync.json's batchSize, the most facts a batch may carry (a configured size under 25 is kept as it is). */
export function batchSizing(configured: number): BatchSizing {
  return { min: Math.min(MIN, configured), max: configured, targetMs: TARGET_MS };
}

export function firstBatchSize(sizing: BatchSizing): number {
  return Math.min(sizing.max, Math.max(sizing.min, START));
}

/** How a batch went: delivered (how many facts, how long) or cut short by a timeout. */
export type BatchTiming = { facts: number; ms: number } | 'timed out';

/**
 * Doubles after a full batch that took under half the target, halves after one that took over
 * twice the target or timed out; otherwise keeps the size. A short batch (the journal's tail)
 * says nothing about a larger one, so only a full one makes the size grow.
 */
export function nextBatchSize(size: number, timing: BatchTiming, sizing: BatchSizing): number {
  const clamp = (n: number) => Math.min(sizing.max, Math.max(sizing.min, Math.round(n)));
  if (timing === 'timed out' || timing.ms > sizing.targetMs * 2) return clamp(size / 2);
  if (timing.facts >= size && timing.ms < sizing.targetMs / 2) return clamp(size * 2);
  return clamp(size);
}

/** The most facts the batch after one of `size` may carry: what the push reads ahead while it is delivered. */
export function largestNextBatch(size: number, sizing: BatchSizing): number {
  // What follows a full batch that took no time at all.
  return nextBatchSize(size, { facts: size, ms: 0 }, sizing);
}

/** A failure that says the batch was too much for the time allowed: central's statement timeout or the driver's read timeout. */
export function isBatchTimeout(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === '57014' || (typeof e?.message === 'string' && /^Query read timeout/.test(e.message));
}
