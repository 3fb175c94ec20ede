import { describe, expect, it } from 'vitest';
import { combineSides, sideFailed, sideFrom, sideSucceeded } from '#engine/sync/loop-sides.ts';
import { NO_OUTCOME } from '#engine/sync/push-state.ts';

const fresh = sideFrom(NO_OUTCOME);
const lockWait = { online: true, error: 'central is busy: another session holds a lock', blocked: null };
const linkDown = { online: false, error: 'central is unreachable', blocked: null };

describe("one status from the push's and the pull's own attempts", () => {
  it('is what the last run recorded until either side has tried', () => {
    const stored = sideFrom({ ...NO_OUTCOME, online: true, lastError: 'x', failingSince: '2026-11-01T10:00:00.000Z' });
    expect(combineSides(stored, stored, true)).toEqual({
      online: true,
      lastError: 'x',
      failingSince: '2026-11-01T10:00:00.000Z',
      blocked: null,
    });
    expect(combineSides(fresh, fresh, false).online).toBe(false);
  });

  it("keeps the push's lock wait as the error while the pull comes down, online", () => {
    const push = sideFailed(fresh, lockWait, '2026-11-01T10:00:00.000Z', 1_000);
    const pull = sideSucceeded(2_000);
    expect(combineSides(push, pull, false)).toEqual({
      online: true,
      lastError: lockWait.error,
      failingSince: '2026-11-01T10:00:00.000Z',
      blocked: null,
    });
  });

  it('goes offline when the pull finds the link gone after an idle push last succeeded, and says since when', () => {
    const push = sideSucceeded(1_000);
    const pull = sideFailed(sideFailed(fresh, linkDown, '2026-11-01T10:00:05.000Z', 5_000), linkDown, '2026-11-01T10:00:09.000Z', 9_000);
    expect(combineSides(push, pull, true)).toEqual({
      online: false,
      lastError: linkDown.error,
      failingSince: '2026-11-01T10:00:05.000Z',
      blocked: null,
    });
  });

  it('dates the outage from the side that failed first, and clears only when both have succeeded', () => {
    const push = sideFailed(fresh, linkDown, '2026-11-01T10:00:07.000Z', 7_000);
    const pull = sideFailed(fresh, linkDown, '2026-11-01T10:00:03.000Z', 8_000);
    expect(combineSides(push, pull, true).failingSince).toBe('2026-11-01T10:00:03.000Z');
    expect(combineSides(push, sideSucceeded(9_000), true)).toMatchObject({ online: true, lastError: linkDown.error });
    expect(combineSides(sideSucceeded(10_000), sideSucceeded(9_000), false)).toEqual({
      online: true,
      lastError: null,
      failingSince: null,
      blocked: null,
    });
  });

  it('shows a block either side hit', () => {
    const blocked = { online: true, error: 'central is older', blocked: 'central is older' };
    expect(combineSides(sideSucceeded(1), sideFailed(fresh, blocked, '2026-11-01T10:00:00.000Z', 2), true).blocked).toBe(
      'central is older',
    );
  });
});
