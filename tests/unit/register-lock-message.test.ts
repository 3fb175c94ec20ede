// What the cashier reads when a register stops taking PINs: the engine's own refusal, worded by
// the screens' i18n, with the time in the store's zone.
import { describe, expect, it } from 'vitest';
import { registerClosed } from '#engine/services/auth/register-window.ts';
import { createI18n } from '../../renderer/i18n/index.ts';

const asReceived = (err: ReturnType<typeof registerClosed>) => ({ code: err.code, message: err.message, params: err.params });

describe('a register closed to PINs', () => {
  const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');
  const en = createI18n('en', 'MXN', 'America/Mexico_City');
  // 15:15 UTC is 9:15 in Mexico City.
  const until = new Date('2026-11-25T15:15:00Z');

  it("says sign-ins on this register are paused until the store's local time, not that a manager should unlock the cashier", () => {
    const closed = asReceived(registerClosed('sign_in', until));
    expect(es.error(closed)).toBe('Los inicios de sesión en esta caja están en pausa hasta las 9:15 a.m. por demasiados PIN incorrectos.');
    expect(en.error(closed)).toBe('Sign-ins on this register are paused until 9:15 AM after too many wrong PINs.');
  });

  it('says authorisations are paused when it is overrides the register stopped taking', () => {
    const closed = asReceived(registerClosed('override', until));
    expect(es.error(closed)).toBe('Las autorizaciones en esta caja están en pausa hasta las 9:15 a.m. por demasiados PIN incorrectos.');
    expect(en.error(closed)).toBe('Authorisations on this register are paused until 9:15 AM after too many wrong PINs.');
  });

  it('shows the time where the store is, in Bogotá as in Mexico City', () => {
    const co = createI18n('es-CO', 'COP', 'America/Bogota');
    expect(co.error(asReceived(registerClosed('sign_in', until)))).toMatch(/hasta las 10:15\s/);
  });

  it('still tells an employee locked on their own to ask a manager', () => {
    const locked = { code: 'LOCKED' as const, message: 'locked', params: { lockedUntil: until.toISOString() } };
    expect(es.error(locked)).toBe('Demasiados intentos. Pida a un gerente que le desbloquee.');
  });
});
