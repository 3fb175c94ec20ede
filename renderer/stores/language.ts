// The register's language as the screens choose it: kept by the engine for this register
// (terminal.setLocale), so every screen of the register opens in it after a restart, and
// applied at once through the app's one switchable I18n, without a reload.
import { create } from 'zustand';
import type { ContractClient } from '../api/client.ts';
import type { Locale, SwitchableI18n } from '../i18n/index.ts';

export type LanguageState = {
  locale: Locale;
  message: string | null;
  choose(locale: Locale): Promise<void>;
};

export function createLanguage(client: ContractClient, i18n: SwitchableI18n) {
  return create<LanguageState>()((set) => ({
    locale: i18n.locale,
    message: null,
    async choose(locale) {
      // Kept first: a choice the engine did not keep would be lost at the next start, so it is said, not shown.
      const saved = await client.send('terminal.setLocale', { locale, idempotencyKey: `locale:${crypto.randomUUID()}` });
      if (!saved.ok) return set({ message: i18n.error(saved.error) });
      i18n.setLocale(locale);
      document.documentElement.lang = locale === 'en' ? 'en' : 'es';
      set({ locale, message: null });
    },
  }));
}

export type LanguageStore = ReturnType<typeof createLanguage>;
