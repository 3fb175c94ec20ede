// The cashier's language and the store's money and time: messages by key, amounts and dates
// through Intl. Amounts are the engine's decimal strings and are never turned into numbers.
// Colombia and Argentina read Mexico's Spanish with their own words laid over it (es-co.ts,
// es-ar.ts). The register's language can change while it runs (switchableI18n): the screens
// and stores keep one I18n object, which starts speaking the new language.
import type { ClientError } from '../api/client.ts';
import { esAR } from './es-ar.ts';
import { esCO } from './es-co.ts';
import { en, es, type MessageKey } from './messages.ts';

export type Locale = 'es-MX' | 'es-CO' | 'es-AR' | 'en';

export const LOCALES: readonly Locale[] = ['es-MX', 'es-CO', 'es-AR', 'en'];

export const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

export type I18n = {
  locale: Locale;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  money(amount: string): string;
  dateTime(iso: string): string;
  /** An engine error in the cashier's words: the most specific message the error allows. */
  error(error: ClientError): string;
};

/** An I18n whose language can be changed in place; `onChange` hears each change. */
export type SwitchableI18n = I18n & { setLocale(locale: Locale): void; onChange(listener: (locale: Locale) => void): () => void };

const fill = (text: string, params: Record<string, string | number> = {}) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));

/** The locale Intl formats with: English is written as in the United States. */
export const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-US' : locale);

/** Every message of a locale: Mexico's Spanish under the country's own words. */
export function messagesOf(locale: Locale): Record<MessageKey, string> {
  if (locale === 'en') return en;
  if (locale === 'es-CO') return { ...es, ...esCO };
  if (locale === 'es-AR') return { ...es, ...esAR };
  return es;
}

export function createI18n(locale: Locale, currency: string, timeZone: string): I18n {
  const messages = messagesOf(locale);
  const money = new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
  const when = new Intl.DateTimeFormat(intlLocale(locale), { timeZone, dateStyle: 'short', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat(intlLocale(locale), { timeZone, timeStyle: 'short' });
  const t = (key: MessageKey, params?: Record<string, string | number>) => fill(messages[key], params);
  return {
    locale,
    t,
    money: (amount) => money.format(amount as unknown as number),
    dateTime: (iso) => when.format(new Date(iso)),
    error(error) {
      const given = (error.params ?? {}) as Record<string, string | number>;
      // A lock's end as the store's clock shows it ({until}).
      const params = typeof given.lockedUntil === 'string' ? { ...given, until: clock.format(new Date(given.lockedUntil)) } : given;
      // An internal error names its incident, the number support looks up in the terminal's log.
      // A refused input names its field (error.INVALID_INPUT.email) when nothing more specific does.
      const detail =
        error.code === 'INTERNAL' && typeof params.incidentId === 'string'
          ? 'incident'
          : [params.reason, params.what].find((v) => typeof v === 'string');
      const field = typeof params.field === 'string' ? (`error.${error.code}.${params.field}` as MessageKey) : null;
      const specific = detail ? (`error.${error.code}.${detail}` as MessageKey) : null;
      if (specific && specific in messages) return t(specific, { ...params, message: error.message });
      if (field && field in messages) return t(field, { ...params, message: error.message });
      const general = `error.${error.code}` as MessageKey;
      return general in messages ? t(general, { ...params, message: error.message }) : error.message;
    },
  };
}

/** One I18n for the whole app whose language changes in place, so stores holding it follow. */
export function switchableI18n(locale: Locale, currency: string, timeZone: string): SwitchableI18n {
  let current = createI18n(locale, currency, timeZone);
  const listeners = new Set<(locale: Locale) => void>();
  return {
    get locale() {
      return current.locale;
    },
    t: (key, params) => current.t(key, params),
    money: (amount) => current.money(amount),
    dateTime: (iso) => current.dateTime(iso),
    error: (error) => current.error(error),
    setLocale(next) {
      if (next === current.locale) return;
      current = createI18n(next, currency, timeZone);
      for (const listener of listeners) listener(next);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
