import { describe, expect, it } from 'vitest';
import { PullSchedule, type ChangeMark } from '#engine/sync/pull-schedule.ts';

const S = 1_000_000n; // a second in microseconds
const T0 = 1_800_000_000n * S; // central's clock at the start of each story
const mark = (changes: number, changedAt: bigint, now: bigint): ChangeMark => ({
  changes: String(changes),
  changedUs: changedAt,
  nowUs: now,
});

/** A schedule that has done its first full pull at local time 0, central's count then at 5. */
function started(opts: { settleSeconds?: number } = {}) {
  const s = new PullSchedule({ settleSeconds: opts.settleSeconds ?? 2, pullEveryMs: 30_000, probeEveryMs: 1_000 });
  s.observe(mark(5, T0 - 60n * S, T0), 0);
  expect(s.pullDue(0)).toBe(true);
  s.pulled(T0 - 2n * S, 0);
  return s;
}

describe('when the pull runs', () => {
  it('pulls at the start, then only probes while central says nothing moved, until the periodic pull', () => {
    const s = started();
    for (let at = 1_000; at < 30_000; at += 1_000) {
      s.observe(mark(5, T0 - 60n * S, T0 + BigInt(at) * 1000n), at);
      expect(s.pullDue(at)).toBe(false);
      expect(s.restMs(at)).toBe(1_000);
    }
    expect(s.pullDue(30_000)).toBe(true);
  });

  it('pulls a change once the settle window has passed it, not before, and is done once a pull came down past it', () => {
    const s = started();
    // A price committed at central at T0 + 10.3 s; the probe at local 11 s (central T0 + 11 s) sees it.
    s.observe(mark(6, T0 + 10_300_000n, T0 + 11n * S), 11_000);
    expect(s.owed).toBe(true);
    expect(s.pullDue(11_000)).toBe(false);
    // The horizon (now - 2 s) passes T0 + 10.3 s at central's T0 + 12.3 s: local 12.3 s and a
    // margin, after one more probe.
    expect(s.restMs(11_000)).toBe(1_000);
    s.observe(mark(6, T0 + 10_300_000n, T0 + 12n * S), 12_000);
    expect(s.pullDue(12_000)).toBe(false);
    expect(s.restMs(12_000)).toBe(350);
    expect(s.pullDue(12_350)).toBe(true);
    s.pulled(T0 + 10_310_000n, 12_400);
    expect(s.owed).toBe(false);
    expect(s.pullDue(13_400)).toBe(false);
  });

  it('owes a change central made just before its first probe until a pull came down past it, though the start pulled', () => {
    const s = new PullSchedule({ settleSeconds: 2, pullEveryMs: 300_000, probeEveryMs: 1_000 });
    // The store was seeded at central half a second before the register's first probe.
    s.observe(mark(5, T0 - 500_000n, T0), 0);
    expect(s.pullDue(0)).toBe(true);
    // The start's pull: its horizon (central's now - 2 s) is still behind the seeding.
    s.pulled(T0 - 2n * S, 10);
    expect(s.owed).toBe(true);
    expect(s.pullDue(500)).toBe(false);
    expect(s.pullDue(510)).toBe(true);
    s.pulled(T0 + 600_000n, 2_600);
    expect(s.owed).toBe(false);
    expect(s.pullDue(3_600)).toBe(false);
  });

  it('pulls at once a change older than the settle window (a probe late behind a long pull, or settle 0)', () => {
    const s = started({ settleSeconds: 0 });
    s.observe(mark(7, T0 + 5n * S, T0 + 5_200_000n), 5_200);
    expect(s.pullDue(5_250)).toBe(true);
  });

  it('tries again soon, then less often, while a transaction still open holds the horizon behind the change', () => {
    const s = started();
    s.observe(mark(6, T0 + 10n * S, T0 + 10_500_000n), 10_500);
    const tries: number[] = [];
    let at = 12_600;
    for (let i = 0; i < 8; i++) {
      expect(s.pullDue(at)).toBe(true);
      tries.push(at);
      s.pulled(T0 + 3n * S, at); // an import begun at T0 + 3 s is still writing
      at += s.restMs(at);
      // Probes in between find nothing new.
      while (!s.pullDue(at)) {
        s.observe(mark(6, T0 + 10n * S, T0 + BigInt(at) * 1000n), at);
        at += s.restMs(at);
      }
    }
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(gaps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(s.owed).toBe(true);
    // The import commits: its own bump moves the count, and the next pull is past both.
    s.observe(mark(7, T0 + 10n * S, T0 + BigInt(at) * 1000n), at);
    s.pulled(T0 + BigInt(at) * 1000n - 2n * S, at + 100);
    expect(s.owed).toBe(false);
  });

  it('rests no longer than a probe interval, nor past an owed pull or the periodic one', () => {
    const s = started();
    expect(s.restMs(29_500)).toBe(500);
    s.observe(mark(6, T0 + 1n * S, T0 + 1_100_000n), 1_100);
    expect(s.restMs(1_100)).toBe(1_000);
    expect(s.restMs(2_500)).toBe(550);
  });

  it('pulls when asked, whatever central says', () => {
    const s = started();
    s.observe(mark(5, T0 - 60n * S, T0 + 3n * S), 3_000);
    expect(s.pullDue(3_000)).toBe(false);
    s.ask();
    expect(s.pullDue(3_000)).toBe(true);
    s.pulled(T0 + 1n * S, 3_100);
    expect(s.pullDue(3_100)).toBe(false);
  });

  it('takes any other count as a change, a smaller one too (central restored from a backup)', () => {
    const s = started({ settleSeconds: 0 });
    s.observe(mark(2, T0 - 90n * S, T0 + 4n * S), 4_000);
    expect(s.owed).toBe(true);
    expect(s.pullDue(4_100)).toBe(true);
  });
});
