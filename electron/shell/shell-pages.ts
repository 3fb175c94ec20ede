// The pages the shell draws itself, served under app://pos/__shell/ with the same CSP as the
// screens: the "recovering" screen shown while the engine restarts, the pages saying why the
// engine cannot open, and the customer display on a second monitor. None has inline script; the
// display's script is a file of its own.
import type { StartFailureReason } from '#engine/start-failure.ts';
import { SHELL_PATH } from './app-origin.ts';

export type ShellPage = { body: string; type: string };

const STYLE = `html,body{margin:0;height:100%;background:#101418;color:#f4f6f8;font-family:system-ui,sans-serif}
main{display:flex;flex-direction:column;align-items:center;justify-content:center;height:100%;text-align:center;gap:1rem}
h1{font-size:2.2rem;margin:0}p{font-size:1.3rem;margin:0;color:#c5ccd3}
.big{font-size:5rem;font-weight:700}.line{font-size:2.6rem}
main>p{max-width:46rem}code{font-size:1.1rem;background:#232a31;padding:.1rem .4rem;border-radius:4px}`;

const page = (lang: string, title: string, main: string, script?: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="${SHELL_PATH}shell.css">${script ? `<script src="${SHELL_PATH}${script}" defer></script>` : ''}</head>
<body><main>${main}</main></body></html>`;

const RECOVERING = page(
  'es',
  'Recuperando…',
  `<h1 role="status">Recuperando la caja…</h1>
<p>El motor de la caja se reinicia. La venta abierta está guardada; vuelve en unos segundos.</p>
<p lang="en">Recovering: the till's engine is restarting. The open sale is safe.</p>`,
);

// Why the engine cannot open, and what to do, for whoever stands at the till; the detail is in
// the log (`pos logs`), where support reads it.
const START_FAILED: Record<StartFailureReason, string> = {
  'in-use': page(
    'es',
    'Caja abierta en otro programa',
    `<h1 role="alert">Los datos de esta caja están en uso por otro programa</h1>
<p>Otro proceso del punto de venta tiene abierta esta caja (por ejemplo <code>pos serve</code> u otra copia de la aplicación).</p>
<p>Ciérrelo: la caja se abre sola en cuanto quede libre (se vuelve a intentar cada 10 segundos).</p>
<p lang="en">Another POS process has this till's data open. Close it; the till opens by itself once it is free.</p>`,
  ),
  'newer-version': page(
    'es',
    'Se necesita una versión más nueva',
    `<h1 role="alert">Esta caja necesita una versión más nueva de la aplicación</h1>
<p>Sus datos fueron escritos por una versión más nueva. Instale esa versión o una posterior y vuelva a abrir la caja.</p>
<p>No borre ni restaure archivos: las ventas están en ellos.</p>
<p lang="en">This till's data was written by a newer version of the app. Install it and open the till again; do not delete or restore files.</p>`,
  ),
  damaged: page(
    'es',
    'Archivo dañado',
    `<h1 role="alert">Un archivo de datos de la caja está dañado</h1>
<p>No se puede leer el diario de ventas u otro archivo de la caja. No borre nada: las ventas están ahí.</p>
<p>Llame a soporte: <code>pos journal verify</code> y <code>pos logs</code> dicen qué archivo y qué pasó.</p>
<p lang="en">A data file of this till (the sales journal or another) cannot be read. Delete nothing; call support.</p>`,
  ),
  other: page(
    'es',
    'La caja no pudo abrir',
    `<h1 role="alert">La caja no pudo abrir sus datos</h1>
<p>Se vuelve a intentar cada 10 segundos. Si sigue igual, llame a soporte: <code>pos logs</code> tiene el detalle.</p>
<p lang="en">The till could not open its data; it tries again every 10 seconds. If this stays, call support (pos logs has the detail).</p>`,
  ),
};

const CUSTOMER_DISPLAY = page(
  'es',
  'Pantalla del cliente',
  `<div id="view" aria-live="polite"><h1>Bienvenido</h1></div>`,
  'customer-display.js',
);

// Runs in the customer display window: window.pos there hears only customer.view events.
const CUSTOMER_DISPLAY_SCRIPT = `'use strict';
(function () {
  var view = document.getElementById('view');
  function money(amount, currency) {
    try { return new Intl.NumberFormat('es', { style: 'currency', currency: currency }).format(amount); }
    catch (e) { return currency + ' ' + amount; }
  }
  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; n.textContent = text; return n; }
  function show(v) {
    view.replaceChildren();
    if (!v || v.kind === 'idle') { view.append(el('h1', '', 'Bienvenido')); return; }
    if (v.kind === 'line') {
      view.append(el('p', 'line', v.name), el('p', '', (v.isWeighed ? v.quantity + ' ' + v.unit : v.quantity + ' ×') + ' ' + money(v.lineTotal, v.currency)));
    }
    if (v.kind === 'paid') {
      view.append(el('p', '', 'Total ' + money(v.total, v.currency)), el('p', '', 'Pagó ' + money(v.paid, v.currency)),
        el('p', 'big', 'Cambio ' + money(v.change, v.currency)), el('h1', '', '¡Gracias por su compra!'));
      return;
    }
    view.append(el('p', 'big', 'Total ' + money(v.total, v.currency)));
  }
  if (window.pos) window.pos.onEvent(function (event, payload) { if (event === 'customer.view') show(payload); });
})();
`;

const PAGES: Record<string, ShellPage> = {
  ...Object.fromEntries(
    Object.entries(START_FAILED).map(([reason, body]) => [`start-failed-${reason}.html`, { body, type: 'text/html; charset=utf-8' }]),
  ),
  'recovering.html': { body: RECOVERING, type: 'text/html; charset=utf-8' },
  'customer-display.html': { body: CUSTOMER_DISPLAY, type: 'text/html; charset=utf-8' },
  'customer-display.js': { body: CUSTOMER_DISPLAY_SCRIPT, type: 'text/javascript; charset=utf-8' },
  'shell.css': { body: STYLE, type: 'text/css; charset=utf-8' },
};

export const RECOVERING_PATH = `${SHELL_PATH}recovering.html`;
export const CUSTOMER_DISPLAY_PATH = `${SHELL_PATH}customer-display.html`;
export const startFailedPath = (reason: StartFailureReason) => `${SHELL_PATH}start-failed-${reason}.html`;

/** The pages the register shows while it has no engine: left for the screens once the engine is ready. */
export const isEngineWaitPage = (url: string) => url.includes(RECOVERING_PATH) || url.includes(`${SHELL_PATH}start-failed-`);

/** The shell page an app:// path names, or null. */
export function shellPage(pathname: string): ShellPage | null {
  if (!pathname.startsWith(SHELL_PATH)) return null;
  const name = pathname.slice(SHELL_PATH.length);
  return Object.hasOwn(PAGES, name) ? PAGES[name]! : null;
}
