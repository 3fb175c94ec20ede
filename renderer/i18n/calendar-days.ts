// The calendar days of the factura global as the manager sees them: which day is yesterday where
// the branch is (not where the screen's machine thinks it is), and a day written in their words.
import { intlLocale, type I18n } from './index.ts';

const DAY_MS = 24 * 3600 * 1000;

/** YYYY-MM-DD of the calendar day `at` falls on in `timeZone`. */
export function dayIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The day before `day` (YYYY-MM-DD), counted on the calendar, so no daylight-saving change moves it. */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** Yesterday at the branch: the latest day whose factura global can already be issued. */
export const yesterdayIn = (timeZone: string, now: Date) => dayBefore(dayIn(timeZone, now));

/** A day (YYYY-MM-DD) as the manager reads it: "25 nov 2026", "Nov 25, 2026". */
export function calendarDay(i18n: Pick<I18n, 'locale'>, day: string): string {
  return new Intl.DateTimeFormat(intlLocale(i18n.locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
