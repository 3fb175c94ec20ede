import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_UP_MINUTES, needsStepUp, readStepUpMinutes, stepUpEnds, stepUpLive } from '#engine/services/auth/step-up.ts';
import { stepUpCodeReady } from '../../renderer/stores/back-office.ts';

describe('the back office step-up', () => {
  it('lasts the minutes set, and holds until just before it ends', () => {
    const at = new Date('2026-11-25T15:00:00Z');
    const until = stepUpEnds(at, 15)!;
    expect(until.toISOString()).toBe('2026-11-25T15:15:00.000Z');
    expect(stepUpLive(until, new Date('2026-11-25T15:14:59.999Z'))).toBe(true);
    expect(stepUpLive(until, until)).toBe(false);
    expect(stepUpLive(stepUpEnds(null, 15), at)).toBe(false);
  });

  it('takes the store setting only when it is a whole number of minutes from 1 to 480', () => {
    expect([readStepUpMinutes(undefined), readStepUpMinutes(5), readStepUpMinutes(480)]).toEqual([DEFAULT_STEP_UP_MINUTES, 5, 480]);
    expect([readStepUpMinutes(0), readStepUpMinutes(481), readStepUpMinutes(2.5), readStepUpMinutes('10')]).toEqual([15, 15, 15, 15]);
  });

  it('is needed for back-office changes, not for reads any session makes nor for selling', () => {
    expect(
      ['catalog.manage', 'inventory.adjust', 'staff.manage', 'roles.manage', 'settings.manage'].every((p) => needsStepUp(p as never)),
    ).toBe(true);
    expect(['public', 'session', 'sales.sell', 'sales.void', 'devices.manage', 'staff.unlock'].some((p) => needsStepUp(p as never))).toBe(
      false,
    );
  });

  it('lets the screen send a 6-digit code or a recovery code, and nothing else', () => {
    expect(['123456', ' 654321 ', 'abcde-23456', 'ABCDE-23456'].map(stepUpCodeReady)).toEqual([true, true, true, true]);
    expect(['12345', '1234567', 'abcde23456', 'abcd1-23456', ''].map(stepUpCodeReady)).toEqual([false, false, false, false, false]);
  });
});
