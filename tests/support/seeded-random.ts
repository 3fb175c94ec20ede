/**
 * The one pseudo-random generator tests and benches use. It is seeded so that a failure replays
 * exactly: the same seed gives the same sequence on every run and every machine, so the inputs
 * that broke a test can be produced again from nothing but its seed. (Math.random() cannot be
 * replayed; a failure it found would be gone on the next run.)
 *
 * mulberry32: 32-bit integer steps only, so no platform's floating point can change a sequence.
 * It is statistically plain, which is all jitter, junk inputs and bench data need.
 */
export type SeededRandom = {
  /** A number in [0, 1). */
  next: () => number;
  /** An integer in [0, bound). */
  int: (bound: number) => number;
  /** A number in [min, max). */
  between: (min: number, max: number) => number;
  /** One of the items, each as likely as the others. */
  pick: <T>(items: readonly T[]) => T;
};

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  // Closures, not methods, so `seededRandom(7).next` can be handed on as a plain () => number.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (bound: number) => Math.floor(next() * bound);
  return {
    next,
    int,
    between: (min, max) => min + next() * (max - min),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('seededRandom.pick: nothing to pick from');
      return items[int(items.length)]!;
    },
  };
}
