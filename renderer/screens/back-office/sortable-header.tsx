// A column header that sorts its table: a button (Tab reaches it, Enter or Space presses it) in
// a <th> whose aria-sort says the order shown. Pressing it again turns the order round.
import { useState } from 'react';
import { ariaSort, nextSort, sortRows, type Column, type Sort } from './sorting.ts';

export function SortableHeader<C extends string>({
  column,
  label,
  sort,
  onSort,
  className,
}: {
  column: C;
  label: string;
  sort: Sort<C>;
  onSort(sort: Sort<C>): void;
  className?: string;
}) {
  const order = ariaSort(sort, column);
  return (
    <th scope="col" aria-sort={order} className={className}>
      <button type="button" className="bo-sort" onClick={() => onSort(nextSort(sort, column))}>
        {label}
        <span aria-hidden="true" className="bo-sort-mark">
          {order === 'ascending' ? '▲' : order === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

/** The rows in the order chosen by the headers, and the headers' state. */
export function useSorted<R, C extends string>(rows: readonly R[], columns: Record<C, Column<R>>, initial: Sort<C> = null) {
  const [sort, setSort] = useState<Sort<C>>(initial);
  return { rows: sortRows(rows, columns, sort), sort, setSort };
}
