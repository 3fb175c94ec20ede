// How long the background stamping rests after a pass: the idle period when all went through, a
// doubling rest while the PAC is unreachable, and the longest while a person must act.
import { describe, expect, it } from 'vitest';
import { restAfter } from '#engine/services/invoicing/stamping-loop.ts';

const tuning = { idleMs: 60_000, backoff: { baseMs: 1_000, maxMs: 10_000 } };
const down = { reason: 'UNAVAILABLE' as const, code: 'UNAVAILABLE', message: 'no responde' };

describe('the rest after a stamping pass', () => {
  it('is the idle period after a pass the PAC answered', () => {
    expect(restAfter(null, 0, tuning)).toBe(60_000);
  });

  it('doubles with each pass the PAC could not be reached, up to the longest', () => {
    expect([1, 2, 3, 4, 5, 9].map((failures) => restAfter(down, failures, tuning))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('is the longest at once when the account or the CSD is refused: retrying sooner changes nothing', () => {
    expect(restAfter({ reason: 'AUTH', code: '300', message: 'usuario' }, 1, tuning)).toBe(10_000);
    expect(restAfter({ reason: 'CSD', code: 'CSD_EXPIRED', message: 'venció' }, 1, tuning)).toBe(10_000);
  });
});
