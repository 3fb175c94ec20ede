import { describe, expect, it } from 'vitest';
import { createI18n } from '../../renderer/i18n/index.ts';
import { quickAmounts } from '../../renderer/screens/pay.tsx';
import { codepagesOf, configOf, formOf, withModel } from '../../renderer/screens/devices-form.ts';
import {
  changedLine,
  gridPageSize,
  neighbourOf,
  quantityProblem,
  quantityText,
  stepQuantity,
  stepSelection,
} from '../../renderer/screens/sell-lines.ts';

describe("the pay screen's quick amounts", () => {
  it('offers the exact amount first, then the next round sums a customer hands over, smallest first', () => {
    expect(quickAmounts('144.9600')).toEqual(['144.96', '150.00', '160.00', '200.00', '500.00']);
  });

  it('does not offer the same sum twice when the total is already round', () => {
    expect(quickAmounts('100.0000')).toEqual(['100.00', '200.00', '500.00', '1000.00']);
  });

  it("rounds up to the banknotes of the store's currency", () => {
    expect(quickAmounts('4500.0000', 'COP')).toEqual(['4500.00', '5000.00', '6000.00', '10000.00', '20000.00']);
    expect(quickAmounts('1234.5000', 'ARS')).toEqual(['1234.50', '1300.00', '1400.00', '1500.00', '2000.00']);
  });
});

describe("the screens' words and numbers", () => {
  const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');
  const en = createI18n('en', 'MXN', 'America/Mexico_City');

  it('formats amounts from their decimal strings, in pesos, in each language', () => {
    expect(es.money('1234.5000')).toBe('$1,234.50');
    expect(en.money('0.0000')).toBe('$0.00');
  });

  it('words an engine error as specifically as its reason allows', () => {
    const badDigit = {
      code: 'INVALID_INPUT' as const,
      message: 'check digit',
      params: { reason: 'BAD_CHECK_DIGIT', code: '7501055300076' },
    };
    expect(es.error(badDigit)).toBe('El código 7501055300076 no es válido (dígito verificador). Escanéelo de nuevo.');
    expect(en.error(badDigit)).toBe('The code 7501055300076 is not valid (check digit). Scan it again.');
    expect(es.error({ code: 'NOT_FOUND', message: 'no product', params: { what: 'product', code: '123' } })).toBe(
      'No hay ningún producto con el código 123.',
    );
    expect(es.error({ code: 'INVALID_INPUT', message: 'x', params: { reason: 'SOMETHING_NEW' } })).toBe('Revise lo que escribió.');
    expect(es.error({ code: 'UNREACHABLE', message: 'fetch failed' })).toBe('No hay conexión con la caja. Reintentando…');
  });
});

describe("the cart's selected line", () => {
  const line = (id: string, quantity: string, unitPrice = '10.0000') => ({ id, quantity, unitPrice });

  it('follows the line a scan added, or the one whose quantity or price it changed', () => {
    expect(changedLine([line('a', '1.0000')], [line('a', '1.0000'), line('b', '1.0000')])).toBe('b');
    expect(changedLine([line('a', '1.0000'), line('b', '1.0000')], [line('a', '2.0000'), line('b', '1.0000')])).toBe('a');
    expect(changedLine([line('a', '1.0000')], [line('a', '1.0000', '8.0000')])).toBe('a');
    expect(changedLine([line('a', '1.0000')], [line('a', '1')])).toBeNull();
  });

  it('moves to the next line when the chosen one is removed, or the one before it at the end', () => {
    const lines = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(neighbourOf(lines, 'b')).toBe('c');
    expect(neighbourOf(lines, 'c')).toBe('b');
    expect(neighbourOf([{ id: 'a' }], 'a')).toBeNull();
  });

  it('steps up and down with the arrows and stops at either end', () => {
    const lines = [{ id: 'a' }, { id: 'b' }];
    expect(stepSelection(lines, 'a', 1)).toBe('b');
    expect(stepSelection(lines, 'b', 1)).toBe('b');
    expect(stepSelection(lines, 'a', -1)).toBe('a');
    expect(stepSelection(lines, null, -1)).toBe('b');
    expect(stepSelection([], null, 1)).toBeNull();
  });
});

describe('a quantity or weight typed on a line', () => {
  it('takes whole pieces and weights to the gram, as the engine does', () => {
    expect(quantityProblem('3', false)).toBeNull();
    expect(quantityProblem('0.750', true)).toBeNull();
    expect(quantityProblem('1.5', false)).toBe('WHOLE');
    expect(quantityProblem('0.0001', true)).toBe('FORMAT');
    expect(quantityProblem('tres', false)).toBe('FORMAT');
    expect(quantityProblem('0', false)).toBe('ZERO');
    expect(quantityProblem('10000', false)).toBe('TOO_LARGE');
    expect(quantityProblem('1000', true)).toBe('TOO_LARGE');
  });

  it('shows pieces whole and weights with their grams, and never steps below one piece', () => {
    expect(quantityText('3.0000', false)).toBe('3');
    expect(quantityText('1.2340', true)).toBe('1.234');
    expect(stepQuantity('2.0000', -1)).toBe('1');
    expect(stepQuantity('1.0000', -1)).toBeNull();
    expect(stepQuantity('9.0000', 1)).toBe('10');
  });
});

describe("the category grid's page", () => {
  it('holds as many tiles as fit beside the cart and the totals without scrolling, within what the engine pages', () => {
    expect(gridPageSize(1024, 768)).toBe(8);
    expect(gridPageSize(1920, 1080)).toBe(49);
    expect(gridPageSize(1280, 800)).toBe(15);
    expect(gridPageSize(640, 480)).toBe(8);
    expect(gridPageSize(3840, 2160)).toBe(60);
  });
});

describe('the devices form', () => {
  const saved = {
    printer: { uri: 'tcp://10.0.0.5:9100', model: 'epson-tm-t20iii', paperWidth: 80 as const },
    scanners: [{ address: 'hid:/dev/hidraw0' }],
    scale: { address: 'serial:/dev/ttyUSB2?baud=9600', unit: 'kg' as const },
  };

  it("saves what was typed, the printer's model and code page with it", () => {
    const form = {
      ...formOf(saved),
      displayAddress: ' serial:/dev/ttyUSB1?baud=9600 ',
      scanners: [...formOf(saved).scanners, { address: '', suffix: 'CR' as const }],
    };
    expect(configOf(form)).toEqual({
      problems: [],
      config: {
        printer: { uri: 'tcp://10.0.0.5:9100', model: 'epson-tm-t20iii', paperWidth: 80 },
        scanners: [{ address: 'hid:/dev/hidraw0', suffix: 'CR' }],
        display: { address: 'serial:/dev/ttyUSB1?baud=9600', commandSet: 'cd5220' },
        scale: { address: 'serial:/dev/ttyUSB2?baud=9600', unit: 'kg' },
      },
    });
  });

  it("saves the printer's model and code page chosen, and leaves out the defaults, which unset means too", () => {
    expect(formOf(saved)).toMatchObject({ printerModel: 'epson-tm-t20iii', printerCodepage: 'auto' });
    const chosen = { ...formOf(saved), printerModel: 'star-tsp100iv', printerCodepage: 'cp858' as const };
    expect(configOf(chosen).config.printer).toEqual({
      uri: 'tcp://10.0.0.5:9100',
      model: 'star-tsp100iv',
      codepage: 'cp858',
      paperWidth: 80,
    });
    const defaults = { ...formOf(saved), printerModel: '', printerCodepage: 'auto' as const };
    expect(configOf(defaults).config.printer).toEqual({ uri: 'tcp://10.0.0.5:9100', paperWidth: 80 });
    expect(formOf({ ...saved, printer: { uri: 'tcp://10.0.0.5:9100', codepage: 'windows1252' } })).toMatchObject({
      printerModel: '',
      printerCodepage: 'windows1252',
      paperWidth: 80,
    });
  });

  it('offers only the code pages the chosen model has, and a model without the one chosen goes back to automatic', () => {
    expect(codepagesOf('')).toEqual(['auto', 'cp850', 'cp858', 'windows1252', 'iso8859-15']);
    expect(codepagesOf('mpt-ii')).toEqual(['auto', 'cp850']);
    const pinned = { ...formOf(saved), printerCodepage: 'windows1252' as const };
    expect(withModel(pinned, 'star-tsp100iv')).toMatchObject({ printerModel: 'star-tsp100iv', printerCodepage: 'windows1252' });
    expect(withModel(pinned, 'mpt-ii')).toMatchObject({ printerModel: 'mpt-ii', printerCodepage: 'auto' });
  });

  it("keeps a display's code page, and leaves it out when the form says to use its commands' usual one", () => {
    const withDisplay = {
      ...saved,
      display: { address: 'serial:/dev/ttyUSB1', commandSet: 'cd5220' as const, codepage: 'ascii' as const },
    };
    expect(formOf(withDisplay).displayCodepage).toBe('ascii');
    expect(configOf(formOf(withDisplay)).config.display).toEqual(withDisplay.display);
    const usual = { ...formOf(withDisplay), displayCodepage: '' as const };
    expect(configOf(usual).config.display).toEqual({ address: 'serial:/dev/ttyUSB1', commandSet: 'cd5220' });
  });

  it('names each address that cannot be used, and an empty one means no device', () => {
    const form = {
      ...formOf(saved),
      printerUri: 'impresora',
      scanners: [{ address: 'serial:/dev/ttyACM0?baud=123', suffix: 'CR' as const }],
      scaleAddress: '',
      displayAddress: 'COM3',
    };
    const { config, problems } = configOf(form);
    expect(problems).toEqual(['printer', 'scanner.0', 'display']);
    expect(config.scale).toBeUndefined();
  });
});

describe('money and dates in Colombia and Argentina', () => {
  it("shows Colombian pesos without cents, as the country writes them, and Bogotá's time", () => {
    const co = createI18n('es-CO', 'COP', 'America/Bogota');
    expect(co.money('144960.0000')).toBe('$\u00a0144.960');
    expect(co.dateTime('2026-11-25T15:00:00Z')).toBe('25/11/26, 10:00 a. m.');
  });

  it("shows Argentine pesos with a decimal comma and Buenos Aires' time", () => {
    const ar = createI18n('es-AR', 'ARS', 'America/Argentina/Buenos_Aires');
    expect(ar.money('1234.5000')).toBe('$\u00a01.234,50');
    expect(ar.dateTime('2026-11-25T15:00:00Z')).toBe('25/11/26, 12:00 p. m.');
  });
});
