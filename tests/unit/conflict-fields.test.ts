// A catalog conflict field by field, as the back office and `pos sync status` show it.
import { describe, expect, it } from 'vitest';
import type { CatalogConflict } from '#contract/catalog-conflicts.ts';
import { differencesOf } from '#engine/sync/conflict-fields.ts';
import { formatConflicts } from '#engine/sync/conflicts-status.ts';

const CATEGORY = '01900000-0000-7000-8000-00000000000a';
const OTHER = '01900000-0000-7000-8000-00000000000b';

describe('the differences of a conflict', () => {
  it('compares prices as amounts, so 35 and 35.0000 are the same price, and shows them with two decimals', () => {
    const ours = { price: '35', cost: '20.1250', sku: 'A-1', name: null, barcode: '7501234567890', plu: null, is_active: true };
    const theirs = { price: '35.0000', cost: '20.1200', sku: 'A-1', name: 'Chico', barcode: '7501234567890', plu: null, is_active: false };
    expect(differencesOf('inventory.product_variants', ours, theirs)).toEqual([
      { field: 'name', ours: null, theirs: 'Chico' },
      { field: 'cost', ours: '20.125', theirs: '20.12' },
      { field: 'isActive', ours: true, theirs: false },
    ]);
  });

  it("names a product's category by its name and compares it by its id", () => {
    const row = { name: 'Arroz', sold_by: 'UNIT', unit: 'pza', tax_code: 'IVA0', is_active: true };
    expect(
      differencesOf(
        'inventory.products',
        { ...row, category_id: CATEGORY },
        { ...row, category_id: OTHER },
        {
          [CATEGORY]: 'Abarrotes',
          [OTHER]: 'Abarrotes',
        },
      ),
    ).toEqual([{ field: 'category', ours: 'Abarrotes', theirs: 'Abarrotes' }]);
    expect(differencesOf('inventory.products', { ...row, category_id: CATEGORY }, { ...row, category_id: CATEGORY })).toEqual([]);
  });
});

describe('the conflicts on the command line', () => {
  const conflict: CatalogConflict = {
    id: '01900000-0000-7000-8000-000000000001',
    kind: 'variant',
    rowId: '01900000-0000-7000-8000-000000000002',
    productId: '01900000-0000-7000-8000-000000000003',
    productName: 'Refresco de cola',
    sku: 'REF-600',
    register: { id: '01900000-0000-7000-8000-000000000004', code: 'CAJA-2', name: 'Caja 2' },
    author: { id: '01900000-0000-7000-8000-000000000005', name: 'Joaquín Peña' },
    createdAt: '2026-11-25T15:00:00.000Z',
    ourVersion: 4,
    theirVersion: 4,
    differences: [
      { field: 'price', ours: '23.50', theirs: '24.00' },
      { field: 'isActive', ours: false, theirs: true },
      { field: 'barcode', ours: null, theirs: '7501234567890' },
    ],
  };

  it('lists each open conflict with what its edit says and what central holds, field by field', () => {
    expect(formatConflicts({ central: 'answered', conflicts: [conflict] })).toBe(
      [
        'conflicts:    1 open (catalog edits central refused; a manager keeps one side in the back office, Alt+9)',
        `  variant REF-600 of "Refresco de cola", edited at CAJA-2 by Joaquín Peña from version 3, 2026-11-25T15:00:00.000Z (id ${conflict.id}):`,
        '    price: ours "23.50" / theirs "24.00"',
        '    isActive: ours no / theirs yes',
        '    barcode: ours (none) / theirs "7501234567890"',
      ].join('\n'),
    );
  });

  it('says when there is none, and when central could not be asked, and nothing for a register without central', () => {
    expect(formatConflicts({ central: 'answered', conflicts: [] })).toBe('conflicts:    none open');
    expect(formatConflicts({ central: 'unreachable', reason: 'central did not answer: connect ECONNREFUSED 127.0.0.1:1' })).toBe(
      'conflicts:    could not ask central: central did not answer: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(formatConflicts({ central: 'none' })).toBe('');
  });
});
