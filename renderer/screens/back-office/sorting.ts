// Sorting the back office's tables by a column: names in dictionary order ("Ángela" beside
// "Angélica", "Núñez" after "Nava"), codes with their digits as numbers ("SKU-9" before "SKU-10"),
// amounts and quantities as the engine's decimal strings (compared by decimal.js, never as
// floating-point numbers). Rows with nothing in the column go last either way.
import { Decimal } from 'decimal.js';

export type Direction = 'ascending' | 'descending';
export type SortKind = 'text' | 'decimal' | 'number';
export type Sort<C extends string> = { column: C; direction: Direction } | null;
export type Column<R> = { kind: SortKind; value(row: R): string | number | null | undefined };

const words = new Intl.Collator('es', { sensitivity: 'base', numeric: true });

function compareValues(kind: SortKind, a: string | number, b: string | number): number {
  if (kind === 'number') return Number(a) - Number(b);
  if (kind === 'decimal') return new Decimal(a).comparedTo(new Decimal(b));
  return words.compare(String(a), String(b));
}

const blank = (v: unknown): v is null | undefined | '' => v === null || v === undefined || v === '';

/** `rows` in the order `sort` asks for (a new array); ties keep the order they came in. */
export function sortRows<R, C extends string>(rows: readonly R[], columns: Record<C, Column<R>>, sort: Sort<C>): R[] {
  if (!sort) return [...rows];
  const { kind, value } = columns[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((x, y) => {
      if (blank(x.v) || blank(y.v)) return blank(x.v) === blank(y.v) ? x.index - y.index : blank(x.v) ? 1 : -1;
      return sign * compareValues(kind, x.v, y.v) || x.index - y.index;
    })
    .map((x) => x.row);
}

/** A header pressed: ascending first, then descending, then back to ascending. */
export function nextSort<C extends string>(current: Sort<C>, column: C): Sort<C> {
  if (current?.column === column && current.direction === 'ascending') return { column, direction: 'descending' };
  return { column, direction: 'ascending' };
}

/** What aria-sort says for a column header. */
export const ariaSort = <C extends string>(sort: Sort<C>, column: C): Direction | 'none' =>
  sort?.column === column ? sort.direction : 'none';
