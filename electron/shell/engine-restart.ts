// When the engine's process dies the shell starts it again, at once the first time and then
// slower, so a crash at start-up does not spin the CPU the cashier needs. It never gives up on a
// crash: a till that stops trying is a till that cannot sell. The open sale lives in PGlite and
// every completed one in the journal, so a restart loses nothing. An engine that says why it
// cannot open (start-failure.ts) is another matter: the screen says why, and restarting waits
// for a person where only a person can fix it.
import type { StartFailureReason } from '#engine/start-failure.ts';

/** Crashes further apart than this are unrelated. */
export const CRASH_WINDOW_MS = 60_000;
const DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000];

/** How long to wait before the next start, given the times of earlier crashes (newest last). */
export function restartDelay(crashTimes: readonly number[], now: number): number {
  const recent = crashTimes.filter((t) => now - t <= CRASH_WINDOW_MS).length;
  return DELAYS_MS[Math.min(Math.max(recent - 1, 0), DELAYS_MS.length - 1)]!;
}

/** Keeps only the crashes that still count, so a till that runs for months holds no growing list. */
export const recentCrashes = (crashTimes: readonly number[], now: number): number[] => crashTimes.filter((t) => now - t <= CRASH_WINDOW_MS);

/** How often the shell tries again while the engine cannot open (another process holds the data, an unknown cause). */
export const START_RETRY_MS = 10_000;

export type AfterExit = {
  /** What the register shows: the recovering screen, or why the engine cannot open. */
  page: 'recovering' | StartFailureReason;
  /** When to start the engine again; null when only a person can fix it (a newer version's data, a damaged file). */
  restartInMs: number | null;
};

/**
 * After the engine's process ended, unasked: a crash restarts behind the recovering screen; an
 * engine that said it could not open shows why, and is tried again only where waiting can help.
 */
export function afterEngineExit(failure: StartFailureReason | null, crashTimes: readonly number[], now: number): AfterExit {
  if (failure === null) return { page: 'recovering', restartInMs: restartDelay(crashTimes, now) };
  if (failure === 'newer-version' || failure === 'damaged') return { page: failure, restartInMs: null };
  return { page: failure, restartInMs: START_RETRY_MS };
}
