import { describe, expect, it } from 'vitest';
import { afterFailure, DEFAULT_THROTTLE, isLocked } from '#engine/services/auth/throttle.ts';

const now = new Date('2026-11-25T12:00:00Z');

describe('the wrong-PIN policy', () => {
  it('answers the first two failures at once and then more slowly', () => {
    const delays = [0, 1, 2, 3].map((before) => afterFailure(DEFAULT_THROTTLE, before, now).delayMs);
    expect(delays).toEqual([0, 0, 1000, 2000]);
  });

  it('locks on the fifth failure for fifteen minutes and starts counting again', () => {
    expect(afterFailure(DEFAULT_THROTTLE, 4, now)).toEqual({
      failedAttempts: 0,
      delayMs: 0,
      lockedUntil: new Date('2026-11-25T12:15:00Z'),
    });
  });

  it('repeats the last delay when the list is shorter than the count', () => {
    expect(afterFailure({ lockAfter: 10, lockMinutes: 1, delaysMs: [0, 500] }, 6, now).delayMs).toBe(500);
  });

  it('treats a lock as over at the instant it ends', () => {
    expect(isLocked(new Date('2026-11-25T12:15:00Z'), new Date('2026-11-25T12:14:59.999Z'))).toBe(true);
    expect(isLocked(new Date('2026-11-25T12:15:00Z'), new Date('2026-11-25T12:15:00Z'))).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });

  it('stops overrides on a register before they could lock the employee they name, and sign-ins after more failures than one employee may make', () => {
    expect(DEFAULT_THROTTLE.registerOverrideLimit).toBeLessThan(DEFAULT_THROTTLE.lockAfter);
    expect(DEFAULT_THROTTLE.registerSignInLimit).toBeGreaterThan(DEFAULT_THROTTLE.lockAfter);
    expect(DEFAULT_THROTTLE.registerWindowMinutes).toBe(DEFAULT_THROTTLE.lockMinutes);
  });
});
