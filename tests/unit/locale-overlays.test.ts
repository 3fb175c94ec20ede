// Colombia's and Argentina's words over Mexico's Spanish: small, about words that really differ,
// and never a key `es` does not have (a typo there would silently show Mexico's word).
import { describe, expect, it } from 'vitest';
import { esAR } from '../../renderer/i18n/es-ar.ts';
import { esCO } from '../../renderer/i18n/es-co.ts';
import { createI18n, messagesOf, switchableI18n } from '../../renderer/i18n/index.ts';
import { en, es } from '../../renderer/i18n/messages.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the es-CO and es-AR overlays', () => {
  for (const [name, overlay] of [
    ['es-CO', esCO],
    ['es-AR', esAR],
  ] as const) {
    it(`${name} only replaces keys that exist in es, with the same {placeholders}, and differs from es in each`, () => {
      const keys = Object.keys(overlay);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.length).toBeLessThan(Object.keys(es).length / 10);
      for (const key of keys) {
        expect(Object.hasOwn(es, key), `${name} key ${key} is not in es`).toBe(true);
        const text = overlay[key as keyof typeof es]!;
        expect(placeholders(text), key).toEqual(placeholders(es[key as keyof typeof es]));
        expect(text, key).not.toBe(es[key as keyof typeof es]);
      }
    });
  }

  it('says change, receipt and the shift report as each country does, and card the same everywhere', () => {
    const word = (locale: 'es-MX' | 'es-CO' | 'es-AR', key: keyof typeof es) => messagesOf(locale)[key];
    expect([word('es-MX', 'pay.change'), word('es-CO', 'pay.change'), word('es-AR', 'pay.change')]).toEqual([
      'Cambio',
      'Vueltas',
      'Vuelto',
    ]);
    expect([word('es-MX', 'receipt.gift'), word('es-CO', 'receipt.gift'), word('es-AR', 'receipt.gift')]).toEqual([
      'Ticket de regalo',
      'Tiquete de regalo',
      'Comprobante de regalo',
    ]);
    expect(word('es-MX', 'close.done')).toMatch(/^Corte Z/);
    expect(word('es-CO', 'close.done')).toMatch(/^Cierre de caja Z/);
    expect(word('es-AR', 'close.done')).toMatch(/^Cierre de caja Z/);
    expect(new Set(['es-MX', 'es-CO', 'es-AR'].map((l) => word(l as 'es-MX', 'pay.tab.card')))).toEqual(new Set(['Tarjeta']));
    // What no overlay names is Mexico's Spanish.
    expect(word('es-AR', 'sell.total')).toBe(es['sell.total']);
  });

  it('has every message key in English too', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });
});

describe('a register language that changes while the screens run', () => {
  it('speaks, formats money and tells listeners in the new language through the same object', () => {
    const i18n = switchableI18n('es-MX', 'MXN', 'America/Mexico_City');
    const heard: string[] = [];
    const stop = i18n.onChange((l) => heard.push(l));
    expect(i18n.t('receipt.change', { amount: i18n.money('8.5') })).toBe('Cambio: $8.50');
    i18n.setLocale('es-AR');
    expect(i18n.locale).toBe('es-AR');
    expect(i18n.t('receipt.change', { amount: i18n.money('8.5') })).toBe('Vuelto: $\u00a08,50');
    i18n.setLocale('es-AR');
    i18n.setLocale('en');
    expect(i18n.t('receipt.gift')).toBe('Gift receipt');
    stop();
    i18n.setLocale('es-CO');
    expect(heard).toEqual(['es-AR', 'en']);
    expect(i18n.t('pay.change')).toBe(createI18n('es-CO', 'MXN', 'America/Mexico_City').t('pay.change'));
  });
});
