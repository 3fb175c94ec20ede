// The two pages the shell draws itself, served under app://pos/__shell/ with the same CSP as the
// screens: the "recovering" screen shown while the engine restarts, and the customer display on
// a second monitor. Neither has inline script; the display's script is a file of its own.
import { SHELL_PATH } from './app-origin.ts';

export type ShellPage = { body: string; type: string };

const STYLE = `html,body{margin:0;height:100%;background:#101418;color:#f4f6f8;font-family:system-ui,sans-serif}
main{display:flex;flex-direction:column;align-items:center;justify-content:center;height:100%;text-align:center;gap:1rem}
h1{font-size:2.2rem;margin:0}p{font-size:1.3rem;margin:0;color:#c5ccd3}
.big{font-size:5rem;font-weight:700}.line{font-size:2.6rem}`;

const page = (lang: string, title: string, main: string, script?: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="${SHELL_PATH}shell.css">${script ? `<script src="${SHELL_PATH}${script}" defer></script>` : ''}</head>
<body><main>${main}</main></body></html>`;

const RECOVERING = page('es', 'Recuperando…', `<h1 role="status">Recuperando la caja…</h1>
<p>El motor de la caja se reinicia. La venta abierta está guardada; vuelve en unos segundos.</p>
<p lang="en">Recovering: the till's engine is restarting. The open sale is safe.</p>`);

const CUSTOMER_DISPLAY = page('es', 'Pantalla del cliente', `<div id="view" aria-live="polite"><h1>Bienvenido</h1></div>`, 'customer-display.js');

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
  'recovering.html': { body: RECOVERING, type: 'text/html; charset=utf-8' },
  'customer-display.html': { body: CUSTOMER_DISPLAY, type: 'text/html; charset=utf-8' },
  'customer-display.js': { body: CUSTOMER_DISPLAY_SCRIPT, type: 'text/javascript; charset=utf-8' },
  'shell.css': { body: STYLE, type: 'text/css; charset=utf-8' },
};

export const RECOVERING_PATH = `${SHELL_PATH}recovering.html`;
export const CUSTOMER_DISPLAY_PATH = `${SHELL_PATH}customer-display.html`;

/** The shell page an app:// path names, or null. */
export function shellPage(pathname: string): ShellPage | null {
  if (!pathname.startsWith(SHELL_PATH)) return null;
  const name = pathname.slice(SHELL_PATH.length);
  return Object.hasOwn(PAGES, name) ? PAGES[name]! : null;
}
