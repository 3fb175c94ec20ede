// The parked list's plain decisions: how old a parked sale is in words a cashier reads at a
// glance, and where the arrow keys move the choice.

export type Age = { unit: 'now' | 'minutes' | 'hours' | 'days'; n: number };

/** Under a minute is "just now"; then whole minutes, hours and days, rounded down. */
export function ageOf(sinceIso: string, now: Date): Age {
  const minutes = Math.floor(Math.max(0, now.getTime() - Date.parse(sinceIso)) / 60_000);
  if (minutes < 1) return { unit: 'now', n: 0 };
  if (minutes < 60) return { unit: 'minutes', n: minutes };
  if (minutes < 24 * 60) return { unit: 'hours', n: Math.floor(minutes / 60) };
  return { unit: 'days', n: Math.floor(minutes / (24 * 60)) };
}

/** The row the key moves to (ArrowUp/Down stop at the ends; Home/End jump), or null for any other key. */
export function movedTo(current: number, key: string, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return Math.min(count - 1, current + 1);
  if (key === 'ArrowUp') return Math.max(0, current - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}
