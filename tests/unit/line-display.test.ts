import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeText, fitLine, renderScreen } from '#engine/devices/display/line-display-commands.ts';
import { changeScreen, closingScreen, idleScreen, itemScreen, totalScreen } from '#engine/devices/display/line-display-screens.ts';
import type { CallName } from '#contract/calls.ts';
import { cartView, type CartLine, type CartView } from '#contract/cart-view.ts';
import { customerView } from '#contract/customer-view.ts';
import { registerDevicesSchema } from '#contract/device-settings.ts';
import { customerViewAfter } from '#engine/customer-facing.ts';
import { screenFor } from '#engine/devices/display-feed.ts';
import { readPoleDisplay } from '../support/pole-display-reader.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const pad = (s: string) => ascii(s.padEnd(20, ' '));

describe('the bytes a pole display gets', () => {
  it('on an Epson DM-D: initialise, PC850, USA set, overwrite mode, no cursor, clear, then each line from column 1', () => {
    expect(Array.from(renderScreen('epson', ['Leche entera 1 L', '$25.50']))).toEqual([
      0x1b,
      0x40,
      0x1b,
      0x74,
      0x02,
      0x1b,
      0x52,
      0x00,
      0x1f,
      0x01,
      0x1f,
      0x43,
      0x00,
      0x0c,
      0x1f,
      0x24,
      1,
      1,
      ...pad('Leche entera 1 L'),
      0x1f,
      0x24,
      1,
      2,
      ...pad('$25.50'),
    ]);
  });

  it('on a CD5220: initialise, overwrite mode, no cursor, PC437, clear, then ESC l to each line', () => {
    expect(Array.from(renderScreen('cd5220', ['Leche entera 1 L', '$25.50']))).toEqual([
      0x1b,
      0x40,
      0x1b,
      0x11,
      0x1b,
      0x5f,
      0x00,
      0x1b,
      0x74,
      0x00,
      0x0c,
      0x1b,
      0x6c,
      1,
      1,
      ...pad('Leche entera 1 L'),
      0x1b,
      0x6c,
      1,
      2,
      ...pad('$25.50'),
    ]);
  });

  it('selects no code table at all for a display set to plain ASCII', () => {
    expect(Array.from(renderScreen('cd5220', ['Pan', ''], { codepage: 'ascii' }).slice(0, 8))).toEqual([
      0x1b, 0x40, 0x1b, 0x11, 0x1b, 0x5f, 0x00, 0x0c,
    ]);
    expect(Array.from(renderScreen('epson', ['Pan', ''], { codepage: 'ascii' }).slice(0, 11))).toEqual([
      0x1b, 0x40, 0x1b, 0x52, 0x00, 0x1f, 0x01, 0x1f, 0x43, 0x00, 0x0c,
    ]);
  });

  it('selects the code page the settings name, whichever command set the display speaks', () => {
    expect(readPoleDisplay(renderScreen('epson', ['Piña', ''], { codepage: 'cp437' }))).toEqual([
      { lines: ['Piña'.padEnd(20), ' '.repeat(20)], codePage: 'cp437' },
    ]);
    expect(readPoleDisplay(renderScreen('cd5220', ['Piña', ''], { codepage: 'cp850' }))).toEqual([
      { lines: ['Piña'.padEnd(20), ' '.repeat(20)], codePage: 'cp850' },
    ]);
  });

  it("keeps a display's code page in its settings, and refuses one no display here speaks", () => {
    const display = (codepage?: string) =>
      registerDevicesSchema.safeParse({ display: { address: 'serial:/dev/ttyUSB1', commandSet: 'cd5220', codepage } });
    expect(display('ascii').data?.display).toEqual({ address: 'serial:/dev/ttyUSB1', commandSet: 'cd5220', codepage: 'ascii' });
    expect(display(undefined).success).toBe(true);
    expect(display('utf8').success).toBe(false);
  });

  it('pads short lines and cuts long ones to 20 columns', () => {
    expect(fitLine('Pan')).toBe('Pan'.padEnd(20));
    expect(fitLine('Refresco de cola sin azúcar 600 ml')).toBe('Refresco de cola sin');
    const bytes = renderScreen('cd5220', ['x'.repeat(30), '']);
    expect(bytes.length).toBe(11 + 2 * (4 + 20));
    expect(readPoleDisplay(bytes)[0]!.lines).toEqual(['x'.repeat(20), ' '.repeat(20)]);
  });

  it('writes every Spanish letter in PC850 as PC850 has it', () => {
    const spanish = '¡Año!¿Qué? áéíóú ÁÉÍÓÚ ñÑ üÜ';
    expect(iconv.decode(Buffer.from(encodeText('cp850', spanish)), 'cp850')).toBe(spanish);
    expect(Array.from(encodeText('cp850', 'áéíóúñÑÁÉÍÓÚüÜ¿¡'))).toEqual([
      0xa0, 0x82, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xb5, 0x90, 0xd6, 0xe0, 0xe9, 0x81, 0x9a, 0xa8, 0xad,
    ]);
  });

  it('writes Spanish in PC437 at the same bytes, with the capitals PC437 lacks as plain letters', () => {
    expect(iconv.decode(Buffer.from(encodeText('cp437', '¡Año!¿Qué? áéíóú ÁÉÍÓÚ ñÑ üÜ')), 'cp437')).toBe('¡Año!¿Qué? áéíóú AÉIOU ñÑ üÜ');
    expect(Array.from(encodeText('cp437', 'áéíóúñÑüÜ¿¡'))).toEqual(Array.from(encodeText('cp850', 'áéíóúñÑüÜ¿¡')));
  });

  it('spells Spanish in plain ASCII for a display set to ASCII', () => {
    expect(String.fromCharCode(...encodeText('ascii', '¡Piña! ¿Limón? Ángel, pingüino'))).toBe('!Pina! ?Limon? Angel, pinguino');
  });

  it('shows a letter it cannot place as "?" and never passes a control character on', () => {
    expect(String.fromCharCode(...encodeText('cp850', 'Té 茶 🍵'))).toBe('T\x82 ? ?');
    expect(Array.from(renderScreen('cd5220', ['a\x1b@\x0cb', ''])).slice(15, 20)).toEqual(ascii('a @ b'));
  });

  it('composes a letter written as a base and a combining accent into one column', () => {
    expect(Array.from(encodeText('cp850', 'n\u0303'))).toEqual([0xa4]);
    expect(fitLine('Jalapen\u0303os')).toHaveLength(20);
  });
});

describe('the screens a customer reads', () => {
  const screens = {
    'an item and the total': itemScreen('Jalapeños en escabeche 220 g', '$35.00', '$1,118.00'),
    'a short item': itemScreen('Pan', '$2.50', '$2.50'),
    'the total': totalScreen('TOTAL', '$1,118.00'),
    'the change': changeScreen('$200.00', '$82.00'),
    'the goodbye': closingScreen('¡Gracias por su compra!'),
    'the idle screen': idleScreen('Abarrotes La Esperanza'),
    'a short idle screen': idleScreen('La Esperanza'),
  };

  it.each(Object.entries(screens))('%s is two lines of exactly 20 characters', (_, lines) => {
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toHaveLength(20);
  });

  it('puts the item and its price on top and the sale total underneath', () => {
    expect(itemScreen('Pan', '$2.50', '$2.50')).toEqual(['Pan            $2.50', 'TOTAL          $2.50']);
    expect(itemScreen('3 x Leche', '$76.50', '$123.45')).toEqual(['3 x Leche     $76.50', 'TOTAL        $123.45']);
  });

  it('cuts a long product name but always shows the whole price and the whole total', () => {
    expect(itemScreen('Jalapeños en escabeche 220 g', '$35.00', '$1,118.00')).toEqual(['Jalapeños en  $35.00', 'TOTAL      $1,118.00']);
    expect(itemScreen('Detergente líquido para ropa', '$189,999.90', '$1,234,567.80')).toEqual([
      'Detergen $189,999.90',
      'TOTAL  $1,234,567.80',
    ]);
  });

  it('labels the total, the payment and the change in Spanish', () => {
    expect(totalScreen('TOTAL', '$1,118.00')).toEqual(['TOTAL'.padEnd(20), '$1,118.00'.padStart(20)]);
    expect(changeScreen('$200.00', '$82.00')).toEqual(['PAGO         $200.00', 'CAMBIO        $82.00']);
  });

  it('gives way to the amount when the label and a big amount do not both fit', () => {
    expect(changeScreen('$ 1.234.567.890,00', '$ 0,00')).toEqual(['P $ 1.234.567.890,00', 'CAMBIO        $ 0,00']);
  });

  it('centres the goodbye over both lines, breaking between words', () => {
    expect(closingScreen('¡Gracias por su compra!')).toEqual(['  ¡Gracias por su   ', '      compra!       ']);
    expect(closingScreen('Gracias')).toEqual(['      Gracias       ', ' '.repeat(20)]);
  });

  it('shows the store name between sales, with a welcome when there is room', () => {
    expect(idleScreen('La Esperanza')).toEqual(['    La Esperanza    ', '   ¡Bienvenidos!    ']);
    expect(idleScreen('Abarrotes La Esperanza')).toEqual(['    Abarrotes La    ', '     Esperanza      ']);
  });
});

describe('what the pole display shows as the sale changes', () => {
  const SALE = '01900000-0000-7000-8000-000000000001';
  const line = (n: number, name: string, quantity: string, total: string, more: Partial<CartLine> = {}): CartLine => ({
    id: `01900000-0000-7000-8000-00000000010${n}`,
    lineNo: n,
    variantId: `01900000-0000-7000-8000-00000000020${n}`,
    name,
    sku: `SKU-${n}`,
    barcode: `750000000000${n}`,
    unit: 'pza',
    quantity,
    isWeighed: false,
    unitPrice: total,
    listPrice: null,
    taxCode: 'IVA16',
    taxRate: '0.16',
    discount: null,
    discountAmount: '0',
    subtotal: total,
    taxAmount: '0',
    total,
    ...more,
  });
  const cart = (lines: CartLine[], total: string): CartView =>
    cartView.parse({
      id: SALE,
      status: 'OPEN',
      version: lines.length,
      parkLabel: null,
      employeeId: '01900000-0000-7000-8000-000000000003',
      openedAt: '2026-11-25T15:00:00.000Z',
      currency: 'MXN',
      pricesIncludeTax: true,
      saleDiscount: null,
      lines,
      totals: { subtotal: total, discountTotal: '0', taxTotal: '0', total, taxes: [] },
    });
  const shown = (call: CallName, input: object, after: CartView) => {
    const view = customerViewAfter(call, input, after);
    expect(customerView.safeParse(view).success).toBe(true);
    return screenFor(view!, 'La Esperanza');
  };
  const leche = line(1, 'Leche entera 1 L', '1', '25.50');
  const pan = line(2, 'Pan de caja integral grande', '1', '48.00');

  it('shows the item just scanned with its price, and the total of the sale so far', () => {
    expect(shown('sales.addItem', { saleId: SALE, code: leche.barcode }, cart([leche], '25.50'))).toEqual([
      'Leche entera  $25.50',
      'TOTAL         $25.50',
    ]);
    expect(shown('sales.addItem', { saleId: SALE, code: pan.barcode }, cart([leche, pan], '73.50'))).toEqual([
      'Pan de caja i $48.00',
      'TOTAL         $73.50',
    ]);
  });

  it('shows the line a second scan added to, not the newest line', () => {
    const twoLeches = { ...leche, quantity: '2', total: '51.00' };
    expect(shown('sales.addItem', { saleId: SALE, code: leche.barcode }, cart([twoLeches, pan], '99.00'))).toEqual([
      '2 x Leche ent $51.00',
      'TOTAL         $99.00',
    ]);
  });

  it('shows the total after a change of quantity, a discount, a price override and an open-price item', () => {
    const three = { ...leche, quantity: '3', total: '76.50' };
    expect(shown('sales.setQuantity', { saleId: SALE, lineId: leche.id, quantity: '3' }, cart([three, pan], '124.50'))[1]).toBe(
      'TOTAL        $124.50',
    );
    expect(
      shown('sales.setLineDiscount', { saleId: SALE, lineId: pan.id, discount: null }, cart([leche, { ...pan, total: '40.00' }], '65.50')),
    ).toEqual(['Pan de caja i $40.00', 'TOTAL         $65.50']);
    expect(shown('sales.overridePrice', { saleId: SALE, lineId: leche.id, unitPrice: '20', reason: 'x' }, cart([leche], '20.00'))[1]).toBe(
      'TOTAL         $20.00',
    );
    const varios = line(3, 'Varios IVA 16 %', '1', '15.00');
    expect(
      shown(
        'sales.addOpenItem',
        { saleId: SALE, description: 'Varios', unitPrice: '15', taxCode: 'IVA16' },
        cart([leche, varios], '40.50'),
      ),
    ).toEqual(['Varios IVA 16 $15.00', 'TOTAL         $40.50']);
  });

  it('shows a weighed item with its weight', () => {
    const limon = line(1, 'Limón', '1.234', '41.96', { isWeighed: true, unit: 'kg', quantity: '1.234' });
    expect(shown('sales.addItem', { saleId: SALE, code: '2000101012340' }, cart([limon], '41.96'))).toEqual([
      '1.234 kg Limó $41.96',
      'TOTAL         $41.96',
    ]);
  });
});
