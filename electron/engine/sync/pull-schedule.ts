// When the pull runs. Every probeEveryMs the loop asks central one tiny question
// (sync.pull_changes(): has anything this register pulls changed, and when); a full pull runs
// only when the answer moved, and at the latest every pullEverySeconds as a safety net.
//
// A change seen is owed until a pull has brought every table down past it. Central's pull
// horizon keeps pulls behind the settle window and behind any transaction still writing
// (c0002_pull_horizon), so a pull right after the count moved could come back short: the owed
// pull waits until the horizon can have passed the change, and one that still came back short
// (a push or an import held the horizon) is tried again soon, then less and less often.

/** What sync.pull_changes() answers, its instants in microseconds of central's clock. */
export type ChangeMark = { changes: string; changedUs: bigint; nowUs: bigint };

export type PullScheduleOptions = { settleSeconds: number; pullEveryMs: number; probeEveryMs: number };

/** A moment past the horizon's earliest, so the pull's own horizon is strictly beyond the change. */
const MARGIN_MS = 50;
const FIRST_RETRY_MS = 500;

/**
 * Milliseconds from the moment central said `nowUs` until its pull horizon can have passed a
 * change made at `changedUs` (the settle window after it), and a margin.
 */
export function msUntilSettled(changedUs: bigint, nowUs: bigint, settleSeconds: number): number {
  return Math.max(0, Number(changedUs + BigInt(Math.round(settleSeconds * 1e6)) - nowUs) / 1000) + MARGIN_MS;
}

export class PullSchedule {
  readonly #opts: PullScheduleOptions;
  #seen: string | null = null;
  #owedUs: bigint | null = null;
  #dueAt = 0;
  #lastFull = Number.NEGATIVE_INFINITY;
  #asked = true;
  #shortPulls = 0;

  constructor(opts: PullScheduleOptions) {
    this.#opts = opts;
  }

  /** Someone wants a full pull now (`sync.now`, the start). */
  ask(): void {
    this.#asked = true;
  }

  /** Central has changes this register has not pulled yet. */
  get owed(): boolean {
    return this.#owedUs !== null;
  }

  /** What a probe answered, `at` this machine's clock when it answered. */
  observe(mark: ChangeMark, at: number): void {
    // The first answer has nothing to compare with, and the start's pull can come back short of
    // it: a change made within the settle window before (a register set up right after its
    // store was seeded) would wait for the periodic pull. So it too is owed until a pull's
    // horizon has passed it; a change older than the window is passed by the start's pull itself.
    if (this.#seen === null || mark.changes !== this.#seen) {
      if (this.#owedUs === null || mark.changedUs > this.#owedUs) this.#owedUs = mark.changedUs;
      this.#dueAt = at + msUntilSettled(this.#owedUs, mark.nowUs, this.#opts.settleSeconds);
      this.#shortPulls = 0;
    }
    this.#seen = mark.changes;
  }

  pullDue(at: number): boolean {
    return this.#asked || at - this.#lastFull >= this.#opts.pullEveryMs || (this.#owedUs !== null && at >= this.#dueAt);
  }

  /** A full pull finished with every table brought down to below `horizonUs` (central's clock). */
  pulled(horizonUs: bigint, at: number): void {
    this.#asked = false;
    this.#lastFull = at;
    if (this.#owedUs === null) return;
    if (horizonUs > this.#owedUs) {
      this.#owedUs = null;
      this.#shortPulls = 0;
      return;
    }
    this.#shortPulls++;
    this.#dueAt = at + Math.min(this.#opts.pullEveryMs, FIRST_RETRY_MS * 2 ** Math.min(this.#shortPulls - 1, 20));
  }

  /** How long to rest before the next probe (or the pull due before it). */
  restMs(at: number): number {
    let next = Math.min(at + this.#opts.probeEveryMs, this.#lastFull + this.#opts.pullEveryMs);
    if (this.#owedUs !== null) next = Math.min(next, this.#dueAt);
    return Math.max(0, next - at);
  }
}
