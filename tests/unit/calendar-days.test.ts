import { describe, expect, it } from 'vitest';
import { calendarDay, dayBefore, yesterdayIn } from '../../renderer/i18n/calendar-days.ts';

describe('the days the factura global is asked for', () => {
  it('takes yesterday on the branch’s calendar, not on UTC’s', () => {
    // 05:30 UTC on the 26th is still 23:30 on the 25th in Mexico City: yesterday there is the 24th.
    expect(yesterdayIn('America/Mexico_City', new Date('2026-11-26T05:30:00Z'))).toBe('2026-11-24');
    expect(yesterdayIn('UTC', new Date('2026-11-26T05:30:00Z'))).toBe('2026-11-25');
    expect(yesterdayIn('America/Bogota', new Date('2026-11-26T15:00:00Z'))).toBe('2026-11-25');
  });

  it('steps back over the end of a month, a leap day and a change of year', () => {
    expect(dayBefore('2026-03-01')).toBe('2026-02-28');
    expect(dayBefore('2028-03-01')).toBe('2028-02-29');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
  });

  it('writes a day as the manager reads it, whatever the time zone of the screen', () => {
    expect(calendarDay({ locale: 'es-MX' }, '2026-11-25')).toMatch(/^25 nov\.? 2026$/);
    expect(calendarDay({ locale: 'en' }, '2026-11-25')).toBe('Nov 25, 2026');
  });
});
