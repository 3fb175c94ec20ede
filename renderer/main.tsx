// Starts the screens against the engine that served them (serve mode); the Electron preload
// will hand in its own client with the same shape.
import { createRoot } from 'react-dom/client';
import { httpClient } from './api/client.ts';
import { App } from './app.tsx';
import { createI18n, type Locale } from './i18n/index.ts';
import { createRegister } from './stores/register.ts';

const params = new URLSearchParams(window.location.search);
const locale = (params.get('lang') as Locale | null) ?? 'es-MX';
const i18n = createI18n(locale, 'MXN', 'America/Mexico_City');
document.documentElement.lang = locale === 'en' ? 'en' : 'es';
const client = httpClient();
const useRegister = createRegister(client, i18n);
createRoot(document.getElementById('root')!).render(<App useRegister={useRegister} i18n={i18n} />);
