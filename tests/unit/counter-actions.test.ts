// The counter actions' plain logic: arrow keys in lists and grids, the keys that open the
// counter's dialogs, store credit among split tenders, the tax rates as the cashier reads them,
// and the open-price items' SKUs.
import { describe, expect, it } from 'vitest';
import { isOpenPriceSku, openPriceSku } from '#engine/services/catalog/open-price.ts';
import { settleTenders } from '#engine/services/sales/tenders.ts';
import { arrowStep } from '../../renderer/components/arrow-keys.ts';
import { counterKey } from '../../renderer/components/counter-actions.tsx';
import { taxLabel } from '../../renderer/components/open-price-dialog.tsx';
import { createI18n } from '../../renderer/i18n/index.ts';
import { splitState, takeTender, tenderProblem, tendersForEngine, type PendingTender } from '../../renderer/screens/pay-split.ts';

const credit = (amount: string, balanceCode = 'SF-ABC', available = '31.50'): PendingTender => ({
  kind: 'STORE_CREDIT',
  methodId: 'credit',
  method: 'Saldo a favor',
  amount,
  balanceCode,
  available,
});
const cash = (tendered: string): PendingTender => ({ kind: 'CASH', methodId: 'cash', method: 'Efectivo', tendered });

describe('arrow keys in a list', () => {
  it('go to the first item from nowhere, whichever arrow of the list it is', () => {
    expect(arrowStep(null, 'ArrowDown', 5)).toBe(0);
    expect(arrowStep(null, 'ArrowUp', 5)).toBe(0);
  });

  it('move one item up or down and stay at either end', () => {
    expect(arrowStep(2, 'ArrowDown', 5)).toBe(3);
    expect(arrowStep(2, 'ArrowUp', 5)).toBe(1);
    expect(arrowStep(4, 'ArrowDown', 5)).toBe(4);
    expect(arrowStep(0, 'ArrowUp', 5)).toBe(0);
  });

  it('leave left, right, other keys and an empty list alone', () => {
    expect(arrowStep(1, 'ArrowLeft', 5)).toBeNull();
    expect(arrowStep(1, 'ArrowRight', 5)).toBeNull();
    expect(arrowStep(1, 'Enter', 5)).toBeNull();
    expect(arrowStep(null, 'ArrowDown', 0)).toBeNull();
  });
});

describe('arrow keys in a grid', () => {
  it('move a row up or down by the number of columns, and stay where there is no row', () => {
    expect(arrowStep(1, 'ArrowDown', 10, 4)).toBe(5);
    expect(arrowStep(5, 'ArrowUp', 10, 4)).toBe(1);
    expect(arrowStep(1, 'ArrowUp', 10, 4)).toBe(1);
    expect(arrowStep(7, 'ArrowDown', 10, 4)).toBe(7);
  });

  it("move left and right in reading order, from a row's end to the next row's start", () => {
    expect(arrowStep(3, 'ArrowRight', 10, 4)).toBe(4);
    expect(arrowStep(4, 'ArrowLeft', 10, 4)).toBe(3);
    expect(arrowStep(9, 'ArrowRight', 10, 4)).toBe(9);
    expect(arrowStep(0, 'ArrowLeft', 10, 4)).toBe(0);
  });
});

describe('the keys of the counter actions', () => {
  const key = (k: string, mods: { alt?: boolean; ctrl?: boolean; shift?: boolean } = {}) => ({
    key: k,
    altKey: mods.alt ?? false,
    ctrlKey: mods.ctrl ?? false,
    metaKey: false,
    shiftKey: mods.shift ?? false,
  });

  it('open the cancel dialog with Ctrl+Supr only when the sale has lines', () => {
    expect(counterKey(key('Delete', { ctrl: true }), true)).toBe('cancel');
    expect(counterKey(key('Delete', { ctrl: true }), false)).toBeNull();
  });

  it('leave Supr alone, for it takes the selected line out', () => {
    expect(counterKey(key('Delete'), true)).toBeNull();
  });

  it("open the open-price item with Alt+A and the drawer with Alt+C, whatever the letter's case", () => {
    expect(counterKey(key('a', { alt: true }), false)).toBe('openPrice');
    expect(counterKey(key('C', { alt: true }), false)).toBe('noSale');
    expect(counterKey(key('a'), false)).toBeNull();
    expect(counterKey(key('c', { alt: true, ctrl: true }), false)).toBeNull();
  });
});

describe('store credit among the tenders', () => {
  it('pays what it says, like a card, and the rest is owed or paid in cash with change', () => {
    expect(splitState('40.00', [credit('31.50')])).toMatchObject({ paid: '31.50', remaining: '8.50', covered: false });
    expect(splitState('40.00', [credit('31.50'), cash('10')])).toMatchObject({ remaining: '0.00', change: '1.50', covered: true });
  });

  it('is refused for more than the slip holds, more than is owed, without a code, or for a slip already taken', () => {
    expect(tenderProblem('100.00', [], credit('35', 'SF-ABC', '31.50'))).toBe('BALANCE_LOW');
    expect(tenderProblem('20.00', [], credit('25'))).toBe('TOO_LARGE');
    expect(tenderProblem('40.00', [], credit('10', '  '))).toBe('BALANCE_CODE');
    expect(tenderProblem('40.00', [credit('10')], credit('5', ' SF-ABC'))).toBe('SLIP_TAKEN');
    expect(tenderProblem('40.00', [credit('10')], credit('5', 'SF-XYZ'))).toBeNull();
  });

  it("goes to the engine as the slip's code and the amount, and the engine settles the same total", () => {
    const tenders = takeTender([credit('31.50', ' SF-ABC ')], cash('10'));
    expect(tendersForEngine(tenders)).toEqual([
      { methodId: 'credit', amount: '31.50', balanceCode: 'SF-ABC' },
      { methodId: 'cash', tendered: '10' },
    ]);
    const settled = settleTenders(
      '40.00',
      [
        { kind: 'STORE_CREDIT', methodId: 'credit', amount: '31.50' },
        { kind: 'CASH', methodId: 'cash', tendered: '10' },
      ],
      2,
    );
    expect([...settled.tenders.map((t) => t.amount), settled.change]).toEqual(['31.5000', '8.5000', '1.5000']);
  });
});

describe('the open-price items', () => {
  it('are known by a SKU that names their tax code', () => {
    expect(openPriceSku('IVA16')).toBe('VARIOS-IVA16');
    expect(isOpenPriceSku('VARIOS-EXENTO')).toBe(true);
    expect(isOpenPriceSku('ABR-000001')).toBe(false);
  });

  it('show their rate the way the cashier writes it', () => {
    expect(taxLabel(createI18n('es-MX', 'MXN', 'America/Mexico_City'), { taxCode: 'IVA16', taxRate: '0.160000' })).toBe('IVA 16 %');
    expect(taxLabel(createI18n('es-AR', 'ARS', 'America/Argentina/Buenos_Aires'), { taxCode: 'IVA10_5', taxRate: '0.105000' })).toBe(
      'IVA 10,5 %',
    );
    expect(taxLabel(createI18n('es-MX', 'MXN', 'America/Mexico_City'), { taxCode: 'EXENTO', taxRate: '0.000000' })).toBe('Exento');
    expect(taxLabel(createI18n('en', 'MXN', 'America/Mexico_City'), { taxCode: 'IVA0', taxRate: '0.000000' })).toBe('VAT 0 %');
  });
});
