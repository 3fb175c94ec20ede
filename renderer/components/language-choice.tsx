// The register's language, chosen on screen (sign-in and the register's settings): each language
// named in itself, so whoever cannot read the current one still finds theirs. Kept by the engine
// for this register and applied at once.
import type { I18n, Locale } from '../i18n/index.ts';
import { useCounter } from '../stores/counter-context.ts';
import { Message } from './message.tsx';

const NAMES: Record<Locale, string> = {
  'es-MX': 'Español (México)',
  'es-CO': 'Español (Colombia)',
  'es-AR': 'Español (Argentina)',
  en: 'English',
};

export function LanguageChoice({ i18n }: { i18n: I18n }) {
  const { useLanguage } = useCounter();
  const locale = useLanguage((s) => s.locale);
  const message = useLanguage((s) => s.message);
  const choose = useLanguage((s) => s.choose);
  return (
    <div className="language-choice">
      <label htmlFor="register-language">{i18n.t('language.label')}</label>
      <select id="register-language" value={locale} onChange={(e) => void choose(e.target.value as Locale)}>
        {(Object.keys(NAMES) as Locale[]).map((l) => (
          <option key={l} value={l} lang={l === 'en' ? 'en' : 'es'}>
            {NAMES[l]}
          </option>
        ))}
      </select>
      <Message text={message} />
    </div>
  );
}
