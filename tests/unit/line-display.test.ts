import { describe, expect, it } from 'vitest';
import { encodeText, fitLine, renderScreen } from '#engine/devices/display/line-display-commands.ts';
import { changeScreen, closingScreen, idleScreen, itemScreen, totalScreen } from '#engine/devices/display/line-display-screens.ts';

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

  it('on a CD5220: initialise, overwrite mode, no cursor, clear, then ESC l to each line', () => {
    expect(Array.from(renderScreen('cd5220', ['Leche entera 1 L', '$25.50']))).toEqual([
      0x1b,
      0x40,
      0x1b,
      0x11,
      0x1b,
      0x5f,
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

  it('pads short lines and cuts long ones to 20 columns', () => {
    expect(fitLine('Pan')).toBe('Pan'.padEnd(20));
    expect(fitLine('Refresco de cola sin azúcar 600 ml')).toBe('Refresco de cola sin');
    const bytes = renderScreen('cd5220', ['x'.repeat(30), '']);
    expect(bytes.length).toBe(8 + 2 * (4 + 20));
  });

  it('shows Spanish letters through PC850 on an Epson display', () => {
    expect(Array.from(encodeText('epson', '¡Año!¿Qué?'))).toEqual([0xad, 0x41, 0xa4, 0x6f, 0x21, 0xa8, 0x51, 0x75, 0x82, 0x3f]);
    expect(Array.from(encodeText('epson', 'áéíóúñÑÁÉÍÓÚüÜ'))).toEqual([
      0xa0, 0x82, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xb5, 0x90, 0xd6, 0xe0, 0xe9, 0x81, 0x9a,
    ]);
  });

  it('spells Spanish in plain ASCII on a CD5220, whose code pages differ from clone to clone', () => {
    expect(String.fromCharCode(...encodeText('cd5220', '¡Piña! ¿Limón? Ángel, pingüino'))).toBe('!Pina! ?Limon? Angel, pinguino');
  });

  it('shows a letter it cannot place as "?" and never passes a control character on', () => {
    expect(String.fromCharCode(...encodeText('epson', 'Té 茶 🍵'))).toBe('T\x82 ? ?');
    expect(Array.from(renderScreen('cd5220', ['a\x1b@\x0cb', ''])).slice(12, 17)).toEqual(ascii('a @ b'));
  });

  it('composes a letter written as a base and a combining accent into one column', () => {
    expect(Array.from(encodeText('epson', 'n\u0303'))).toEqual([0xa4]);
    expect(fitLine('Jalapen\u0303os')).toHaveLength(20);
  });
});

describe('the screens a customer reads', () => {
  const screens = {
    'an item': itemScreen('Jalapeños en escabeche 220 g', '$35.00'),
    'a short item': itemScreen('Pan', '$2.50'),
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

  it('puts the item name on top, carries it on where there is room, and right-aligns the price', () => {
    expect(itemScreen('Jalapeños en escabeche 220 g', '$35.00')).toEqual(['Jalapeños en'.padEnd(20), 'escabeche 220 $35.00']);
    expect(itemScreen('Pan', '$2.50')).toEqual(['Pan'.padEnd(20), '$2.50'.padStart(20)]);
  });

  it('cuts a long product name but always shows the whole price', () => {
    const [first, second] = itemScreen('Detergente líquido para ropa de color concentrado 3 L', '$189,999.90');
    expect(first).toBe('Detergente líquido  ');
    expect(second.endsWith(' $189,999.90')).toBe(true);
    const [, word] = itemScreen('Supercalifragilisticoespialidoso', '$10.00');
    expect(word).toBe(`${'oespialidoso'.padEnd(14)}$10.00`);
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
