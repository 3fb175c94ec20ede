// Starts the screens against the engine: over window.pos in the desktop app (the preload's
// MessagePort to the engine), over HTTP and the WebSocket of the server that served them otherwise.
import { createRoot } from 'react-dom/client';
import { httpClient } from './api/client.ts';
import { ipcClient } from './api/ipc-transport.ts';
import { App } from './app.tsx';
import { createI18n, type Locale } from './i18n/index.ts';
import { createRegister } from './stores/register.ts';
import { createBackOffice } from './stores/back-office.ts';
import { createSync } from './stores/sync.ts';

const client = window.pos ? ipcClient(window.pos) : httpClient();
// The store's own currency, timezone and language (by its country); ?lang=en for English.
const info = await client.send('terminal.info', {});
const place: { currency: string; timezone: string; locale: Locale } = info.ok ? info.value : { currency: 'MXN', timezone: 'America/Mexico_City', locale: 'es-MX' };
const asked = new URLSearchParams(window.location.search).get('lang');
const locale: Locale = asked === 'en' || asked === 'es-MX' || asked === 'es-CO' || asked === 'es-AR' ? asked : place.locale;
const i18n = createI18n(locale, place.currency, place.timezone);
document.documentElement.lang = locale === 'en' ? 'en' : 'es';
const useRegister = createRegister(client, i18n);
const useBackOffice = createBackOffice(client, i18n);
const useSync = createSync(client, useRegister);
createRoot(document.getElementById('root')!).render(<App useRegister={useRegister} useBackOffice={useBackOffice} useSync={useSync} i18n={i18n} />);
