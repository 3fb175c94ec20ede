// The cashier's language and the store's money and time: messages by key, amounts and dates
// through Intl. Amounts are the engine's decimal strings and are never turned into numbers.
import type { ClientError } from '../api/client.ts';
import { en, es, type MessageKey } from './messages.ts';

export type Locale = 'es-MX' | 'es-CO' | 'es-AR' | 'en';

export type I18n = {
  locale: Locale;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  money(amount: string): string;
  dateTime(iso: string): string;
  /** An engine error in the cashier's words: the most specific message the error allows. */
  error(error: ClientError): string;
};

const fill = (text: string, params: Record<string, string | number> = {}) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));

/** The locale Intl formats with: English is written as in the United States. */
export const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-US' : locale);

export function createI18n(locale: Locale, currency: string, timeZone: string): I18n {
  const messages = locale === 'en' ? en : es;
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
      const detail = error.code === 'INTERNAL' && typeof params.incidentId === 'string' ? 'incident' : [params.reason, params.what].find((v) => typeof v === 'string');
      const specific = detail ? (`error.${error.code}.${detail}` as MessageKey) : null;
      if (specific && specific in messages) return t(specific, { ...params, message: error.message });
      const general = `error.${error.code}` as MessageKey;
      return general in messages ? t(general, { ...params, message: error.message }) : error.message;
    },
  };
}
