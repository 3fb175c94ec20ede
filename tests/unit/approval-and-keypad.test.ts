// The words of the approval dialog for each kind of override the engine asks for, the PIN's own
// check, and what a keypad press does to a field's text.
import { describe, expect, it } from 'vitest';
import { approvalAsk, pinProblem } from '../../renderer/components/approval-ask.ts';
import { padEdit } from '../../renderer/components/keypad-edit.ts';
import { createI18n } from '../../renderer/i18n/index.ts';

const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');
const en = createI18n('en', 'MXN', 'America/Mexico_City');
const ar = createI18n('es-AR', 'ARS', 'America/Argentina/Buenos_Aires');
const joaquin = { employeeId: '0190a0b0-0000-7000-8000-000000000002', displayName: 'Joaquín Peña', role: 'Gerente' };
const asked = (params: Record<string, unknown>) => ({
  code: 'OVERRIDE_REQUIRED' as const,
  message: 'a manager must authorise this',
  params: { approvers: [joaquin], ...params },
});

describe('the approval dialog says what is approved', () => {
  it("names the product and both prices of a price override, in the cashier's language", () => {
    const override = asked({ permission: 'sales.price_override', subject: 'Arroz súper extra 900 g', from: '31.5000', to: '20.00' });
    expect(approvalAsk(es, override)).toEqual({
      what: 'Cambiar el precio de Arroz súper extra 900 g de $31.50 a $20.00',
      approvers: [joaquin],
    });
    expect(approvalAsk(en, override).what).toBe('Change the price of Arroz súper extra 900 g from $31.50 to $20.00');
  });

  it('gives a discount as its rate, and a fixed one as money with its share, on the line or the whole sale', () => {
    expect(approvalAsk(es, asked({ permission: 'sales.discount', rate: '0.150000', subject: 'Arroz súper extra 900 g' })).what).toBe(
      'Descuento de 15 % en Arroz súper extra 900 g',
    );
    expect(approvalAsk(es, asked({ permission: 'sales.discount', rate: '0.125', amount: '10.00' })).what).toBe(
      'Descuento de $10.00 (12.5 %) en toda la venta',
    );
    expect(approvalAsk(ar, asked({ permission: 'sales.discount', rate: '0.125' })).what).toBe('Descuento de 12,5 % en toda la venta');
  });

  it('shows a variance with its sign, and none when the close is blind', () => {
    expect(
      approvalAsk(es, asked({ permission: 'shifts.approve_variance', amount: '-120.0000', reason: 'a variance of -120.0000' })).what,
    ).toBe('Cerrar el turno con una diferencia de caja de -$120.00');
    expect(approvalAsk(es, asked({ permission: 'shifts.approve_variance', reason: 'a count outside the tolerance' })).what).toBe(
      'Cerrar el turno con un conteo fuera de la tolerancia',
    );
  });

  it('words a void, a return, a no-sale and an unlock, and falls back to the plain wording when a figure is missing', () => {
    expect(approvalAsk(es, asked({ permission: 'sales.void', amount: '40.0000' })).what).toBe('Cancelar la venta en curso, de $40.00');
    expect(approvalAsk(es, asked({ permission: 'sales.return', amount: '31.5000', subject: 'RCAJA-1-000001' })).what).toBe(
      'Devolver $31.50 del ticket RCAJA-1-000001',
    );
    expect(approvalAsk(es, asked({ permission: 'sales.return' })).what).toBe('Una devolución');
    expect(approvalAsk(es, asked({ permission: 'drawer.no_sale' })).what).toBe('Abrir el cajón sin venta');
    expect(approvalAsk(en, asked({ permission: 'staff.unlock', subject: 'Ángela Ibáñez' })).what).toBe('Unlock Ángela Ibáñez');
  });

  it("keeps the engine's words for a permission it has no wording for, and an empty list when none came", () => {
    expect(approvalAsk(es, { code: 'OVERRIDE_REQUIRED', message: 'x', params: { permission: 'reports.business' } })).toEqual({
      what: 'Se necesita la autorización de un gerente.',
      approvers: [],
    });
  });
});

describe('a PIN', () => {
  it('takes 4 to 8 digits and nothing else', () => {
    expect(pinProblem(es, '1357')).toBeNull();
    expect(pinProblem(es, '13a7')).toBe('El PIN lleva solo números.');
    expect(pinProblem(es, '135')).toBe('El PIN tiene de 4 a 8 números.');
    expect(pinProblem(en, '123456789')).toBe('A PIN has 4 to 8 digits.');
  });
});

describe('a keypad press', () => {
  const at = (value: string, start = value.length, end = start) => ({ value, start, end });
  const digit = (text: string) => ({ kind: 'text' as const, text });

  it('goes in at the caret, or replaces what is selected, as a typed key would', () => {
    expect(padEdit(at('50'), digit('0'), '.')).toEqual(at('500'));
    expect(padEdit(at('50', 1), digit('00'), '.')).toEqual({ value: '5000', start: 3, end: 3 });
    expect(padEdit(at('31.50', 0, 5), digit('2'), '.')).toEqual(at('2'));
  });

  it("takes one decimal separator, the locale's, and reads a separator pressed first as a zero and the separator", () => {
    expect(padEdit(at('12.5'), digit('.'), '.')).toEqual(at('12.5'));
    expect(padEdit(at(''), digit(','), ',')).toEqual(at('0,'));
    expect(padEdit(at('12'), digit(','), ',')).toEqual(at('12,'));
  });

  it('deletes the digit before the caret or the selection, and clears the whole field', () => {
    expect(padEdit(at('500'), { kind: 'back' }, '.')).toEqual(at('50'));
    expect(padEdit(at('500', 0), { kind: 'back' }, '.')).toEqual(at('500', 0));
    expect(padEdit(at('1234', 1, 3), { kind: 'back' }, '.')).toEqual({ value: '14', start: 1, end: 1 });
    expect(padEdit(at('1234'), { kind: 'clear' }, '.')).toEqual(at(''));
  });

  it("never writes past the field's length: an eight-digit PIN takes no ninth", () => {
    expect(padEdit(at('1234567'), digit('00'), '.', 8)).toEqual(at('12345670'));
    expect(padEdit(at('12345678'), digit('9'), '.', 8)).toEqual(at('12345678'));
    expect(padEdit(at('123'), digit('4'), '.', -1)).toEqual(at('1234'));
  });
});
