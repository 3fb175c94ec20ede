// Starts the screens against the engine: over window.pos in the desktop app (the preload's
// MessagePort to the engine), over HTTP and the WebSocket of the server that served them otherwise.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { httpClient } from './api/client.ts';
import { ipcClient } from './api/ipc-transport.ts';
import { App } from './app.tsx';
import { isLocale, switchableI18n, type Locale } from './i18n/index.ts';
import { createRegister } from './stores/register.ts';
import { createBackOffice } from './stores/back-office.ts';
import { createSync } from './stores/sync.ts';
import { createHistory } from './stores/history.ts';
import { createLanguage } from './stores/language.ts';
import { CounterContext } from './stores/counter-context.ts';

const client = window.pos ? ipcClient(window.pos) : httpClient();
// The store's own currency and timezone, and the language chosen on this register (its
// country's until one is chosen); ?lang=en for English on this screen only. Read once: the
// register's store takes what it needs of it (the cash check) from here too.
const info = await client.send('terminal.info', {});
const place: { currency: string; timezone: string; locale: Locale } = info.ok
  ? info.value
  : { currency: 'MXN', timezone: 'America/Mexico_City', locale: 'es-MX' };
const asked = new URLSearchParams(window.location.search).get('lang');
const locale: Locale = isLocale(asked) ? asked : place.locale;
const i18n = switchableI18n(locale, place.currency, place.timezone);
document.documentElement.lang = locale === 'en' ? 'en' : 'es';
const useRegister = createRegister(client, i18n, info.ok ? info.value : null);
const useBackOffice = createBackOffice(client, i18n, place);
const useSync = createSync(client, useRegister);
const stores = { useHistory: createHistory(client, i18n), useLanguage: createLanguage(client, i18n) };

/** Draws every screen again in the register's new language when it changes: no reload, nothing typed or rung up is lost. */
function Root() {
  const [, setShown] = useState(i18n.locale);
  useEffect(() => i18n.onChange(setShown), []);
  return (
    <CounterContext.Provider value={stores}>
      <App useRegister={useRegister} useBackOffice={useBackOffice} useSync={useSync} i18n={i18n} />
    </CounterContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Root />);
