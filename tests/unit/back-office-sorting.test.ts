import { describe, expect, it } from 'vitest';
import { ariaSort, nextSort, sortRows, type Column } from '../../renderer/screens/back-office/sorting.ts';

type Row = { name: string; sku: string; price: string | null; count: number };
const rows: Row[] = [
  { name: 'Núñez', sku: 'SKU-10', price: '1000.5000', count: 3 },
  { name: 'ángela', sku: 'SKU-9', price: '99.9900', count: 21 },
  { name: 'Nava', sku: 'SKU-100', price: null, count: 7 },
  { name: 'Angélica', sku: 'SKU-2', price: '99.99', count: 7 },
];
const columns: Record<'name' | 'sku' | 'price' | 'count', Column<Row>> = {
  name: { kind: 'text', value: (r) => r.name },
  sku: { kind: 'text', value: (r) => r.sku },
  price: { kind: 'decimal', value: (r) => r.price },
  count: { kind: 'number', value: (r) => r.count },
};
const by = (column: keyof typeof columns, direction: 'ascending' | 'descending' = 'ascending') =>
  sortRows(rows, columns, { column, direction });

describe('sorting the back office tables', () => {
  it('puts names in dictionary order, accents and capitals aside', () => {
    expect(by('name').map((r) => r.name)).toEqual(['ángela', 'Angélica', 'Nava', 'Núñez']);
  });

  it('reads the digits in a code as a number, so SKU-9 comes before SKU-10', () => {
    expect(by('sku').map((r) => r.sku)).toEqual(['SKU-2', 'SKU-9', 'SKU-10', 'SKU-100']);
  });

  it('compares amounts as decimals, not as text, and keeps equal amounts in the order they came', () => {
    expect(by('price').map((r) => r.name)).toEqual(['ángela', 'Angélica', 'Núñez', 'Nava']);
    expect(by('price', 'descending').map((r) => r.name)).toEqual(['Núñez', 'ángela', 'Angélica', 'Nava']);
  });

  it('leaves rows with nothing in the column at the end in both directions', () => {
    expect(by('price', 'descending').at(-1)!.name).toBe('Nava');
    expect(by('price').at(-1)!.name).toBe('Nava');
  });

  it('keeps the order it was given when nothing is chosen, without changing the list it was given', () => {
    const before = [...rows];
    expect(sortRows(rows, columns, null)).toEqual(rows);
    by('count', 'descending');
    expect(rows).toEqual(before);
  });

  it('turns a header from ascending to descending and back, and says so for aria-sort', () => {
    const first = nextSort(null, 'price');
    expect(first).toEqual({ column: 'price', direction: 'ascending' });
    const second = nextSort(first, 'price');
    expect(second).toEqual({ column: 'price', direction: 'descending' });
    expect(nextSort(second, 'price')).toEqual({ column: 'price', direction: 'ascending' });
    expect(nextSort(second, 'name')).toEqual({ column: 'name', direction: 'ascending' });
    expect([ariaSort(second, 'price'), ariaSort(second, 'name'), ariaSort(null, 'name')]).toEqual(['descending', 'none', 'none']);
  });
});
