import { describe, expect, it } from 'vitest';
import { createI18n } from '../../renderer/i18n/index.ts';
import { quickAmounts } from '../../renderer/screens/pay.tsx';

describe('the pay screen\'s quick amounts', () => {
  it('offers the exact amount first, then the next round sums a customer hands over, smallest first', () => {
    expect(quickAmounts('144.9600')).toEqual(['144.96', '150.00', '160.00', '200.00', '500.00']);
  });

  it('does not offer the same sum twice when the total is already round', () => {
    expect(quickAmounts('100.0000')).toEqual(['100.00', '200.00', '500.00']);
  });
});

describe('the screens\' words and numbers', () => {
  const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');
  const en = createI18n('en', 'MXN', 'America/Mexico_City');

  it('formats amounts from their decimal strings, in pesos, in each language', () => {
    expect(es.money('1234.5000')).toBe('$1,234.50');
    expect(en.money('0.0000')).toBe('$0.00');
  });

  it('words an engine error as specifically as its reason allows', () => {
    const badDigit = { code: 'INVALID_INPUT' as const, message: 'check digit', params: { reason: 'BAD_CHECK_DIGIT', code: '7501055300076' } };
    expect(es.error(badDigit)).toBe('El código 7501055300076 no es válido (dígito verificador). Escanéelo de nuevo.');
    expect(en.error(badDigit)).toBe('The code 7501055300076 is not valid (check digit). Scan it again.');
    expect(es.error({ code: 'NOT_FOUND', message: 'no product', params: { what: 'product', code: '123' } })).toBe('No hay ningún producto con el código 123.');
    expect(es.error({ code: 'INVALID_INPUT', message: 'x', params: { reason: 'SOMETHING_NEW' } })).toBe('Revise lo que escribió.');
    expect(es.error({ code: 'UNREACHABLE', message: 'fetch failed' })).toBe('No hay conexión con la caja. Reintentando…');
  });
});
