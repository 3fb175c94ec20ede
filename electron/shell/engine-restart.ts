// When the engine's process dies the shell starts it again, at once the first time and then
// slower, so a crash at start-up does not spin the CPU the cashier needs. It never gives up: a
// till that stops trying is a till that cannot sell. The open sale lives in PGlite and every
// completed one in the journal, so a restart loses nothing.

/** Crashes further apart than this are unrelated. */
export const CRASH_WINDOW_MS = 60_000;
const DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000];

/** How long to wait before the next start, given the times of earlier crashes (newest last). */
export function restartDelay(crashTimes: readonly number[], now: number): number {
  const recent = crashTimes.filter((t) => now - t <= CRASH_WINDOW_MS).length;
  return DELAYS_MS[Math.min(Math.max(recent - 1, 0), DELAYS_MS.length - 1)]!;
}

/** Keeps only the crashes that still count, so a till that runs for months holds no growing list. */
export const recentCrashes = (crashTimes: readonly number[], now: number): number[] =>
  crashTimes.filter((t) => now - t <= CRASH_WINDOW_MS);
