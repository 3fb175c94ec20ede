// The status bar says one thing about where the register stands: central's state (standalone,
// online, offline since when, needs attention) once someone is signed in, and that the screen
// lost its engine only when it did, instead of "online" beside "no central". The printer's badge
// says its state in one phrase, worst first, is a retry button when it is not ready, and asks
// about receipts whose printing is unknown.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { create } from 'zustand';
import type { ScreenProps } from '../../renderer/app.tsx';
import { StatusBar } from '../../renderer/components/status-bar.tsx';
import { createI18n } from '../../renderer/i18n/index.ts';
import type { PrinterState } from '#contract/printer-state.ts';
import { printerBadge, testPageFailure, uncertainQuestion } from '../../renderer/components/printer-words.ts';
import type { SyncState, SyncStore } from '../../renderer/stores/sync.ts';
import { composeStatus } from '#engine/sync/sync-status.ts';
import { NO_OUTCOME, type LoopOutcome } from '#engine/sync/push-state.ts';

const i18n = createI18n('es-MX', 'MXN', 'America/Mexico_City');

type Shown = { employee: boolean; online: boolean; central: 'standalone' | Partial<LoopOutcome> | null; printer?: PrinterState | null };

const READY: PrinterState = {
  printerUri: 'tcp://127.0.0.1:9100',
  pending: 0,
  uncertain: 0,
  health: 'online',
  statusSupport: 'yes',
  lastError: null,
  conditions: [],
  printing: false,
  checkedAt: '2026-12-01T15:05:00.000Z',
};
const printerIs = (state: Partial<PrinterState>): PrinterState => ({ ...READY, ...state });

/** Each element's text, its children's included, for the elements whose opening tag matches `attribute`. */
function textsOf(html: string, attribute: RegExp): string[] {
  const texts: string[] = [];
  for (const open of html.matchAll(new RegExp(`<(\\w+)[^>]*${attribute.source}[^>]*>`, 'g'))) {
    const tag = open[1]!;
    let depth = 1;
    let at = open.index + open[0].length;
    const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
    tags.lastIndex = at;
    for (let m = tags.exec(html); m && depth > 0; m = tags.exec(html)) {
      depth += m[1] ? -1 : 1;
      at = m.index;
    }
    texts.push(html.slice(open.index + open[0].length, at).replace(/<[^>]*>/g, ''));
  }
  return texts;
}

/** The bar as it renders for someone signed in (or not), with the printer given. */
function bar({ employee, online, central, printer = null }: Shown): string {
  const useRegister = create(() => ({
    employee: employee ? { displayName: 'Ángela Ibáñez' } : null,
    online,
    printer,
    printerRetrying: false,
    printCheckOpen: false,
    signOut: async () => {},
    retryPrinter: async () => {},
    openPrintCheck: async () => {},
  })) as unknown as ScreenProps['useRegister'];
  const status =
    central === null
      ? null
      : central === 'standalone'
        ? { configured: false as const }
        : composeStatus({
            centralUrl: 'postgres://pos_t_1@central/pos',
            outcome: { ...NO_OUTCOME, ...central },
            cursor: 3,
            head: 4,
            oldestPendingAt: '2026-12-01T12:00:00.000Z',
            quarantined: [],
          });
  const useSync = create<SyncState>()(() => ({
    status,
    notifications: null,
    bellOpen: false,
    refresh: async () => {},
    toggleBell: () => {},
    markAllRead: async () => {},
  })) as unknown as SyncStore;
  return renderToStaticMarkup(createElement(StatusBar, { useRegister, useSync, i18n } as unknown as Parameters<typeof StatusBar>[0]));
}

/** The texts of the bar's status badges, in order. */
const statuses = (shown: Shown) => textsOf(bar(shown), /role="status"/);

describe('the status bar', () => {
  it('says nothing about connections before anyone signs in', () => {
    expect(statuses({ employee: false, online: false, central: null })).toEqual([]);
  });

  it('says a standalone register is standalone, and nothing that contradicts it', () => {
    expect(statuses({ employee: true, online: true, central: 'standalone' })).toEqual([
      'Sin impresora',
      'Sin central (caja independiente)',
    ]);
  });

  it('says since when central has been out of reach', () => {
    const [, central] = statuses({
      employee: true,
      online: true,
      central: { online: false, failingSince: '2026-12-01T15:05:00.000Z', lastError: 'connect ECONNREFUSED' },
    });
    expect(central).toBe('Central: sin conexión desde 01/12/26, 9:05 a.m. · 1 por enviar');
  });

  it('says the screen lost its register instead of a central state it can no longer know', () => {
    expect(statuses({ employee: true, online: false, central: { online: true } })).toEqual(['Sin impresora', 'Sin conexión con la caja']);
  });
});

describe("the printer's badge", () => {
  const said = (printer: PrinterState | null) => {
    const b = printerBadge(i18n, printer);
    return [b.text, b.waiting, b.tone, b.retry];
  };

  it('says the worst first: unreachable, not responding, stopped, then receipts waiting, then paper running low', () => {
    // A printer that went away says so, whatever it said about its paper before it went.
    expect(said(printerIs({ health: 'offline', conditions: ['PAPER_END'], pending: 2, lastError: 'connect ECONNREFUSED' }))).toEqual([
      'Impresora sin conexión',
      '2 en espera',
      'warn',
      true,
    ]);
    expect(said(printerIs({ health: 'hung', lastError: 'stopped answering' }))).toEqual(['La impresora no responde', null, 'warn', true]);
    expect(said(printerIs({ health: 'stopped', conditions: ['OFFLINE', 'PAPER_END'], pending: 1 }))).toEqual([
      'Sin papel',
      '1 en espera',
      'warn',
      true,
    ]);
    expect(said(printerIs({ health: 'stopped', conditions: ['OFFLINE', 'COVER_OPEN'] }))).toEqual(['Tapa abierta', null, 'warn', true]);
    expect(said(printerIs({ health: 'stopped', conditions: ['OFFLINE', 'COVER_OPEN', 'PAPER_END'] }))[0]).toBe('Sin papel');
    expect(said(printerIs({ health: 'stopped', conditions: ['CUTTER_ERROR'] }))[0]).toBe('Impresora detenida');
    expect(said(printerIs({ pending: 3, conditions: ['PAPER_NEAR_END'] }))).toEqual(['3 tickets en espera', null, 'neutral', true]);
    expect(said(printerIs({ pending: 1, lastError: 'stopped answering' }))).toEqual(['1 ticket en espera', null, 'warn', true]);
    expect(said(printerIs({ conditions: ['PAPER_NEAR_END', 'DRAWER_OPEN'] }))).toEqual(['Queda poco papel', null, 'caution', false]);
    expect(said(printerIs({}))).toEqual(['Impresora lista', null, 'ok', false]);
    expect(said(printerIs({ health: 'unknown', checkedAt: null }))).toEqual(['Buscando la impresora…', null, 'neutral', false]);
    expect(said(null)).toEqual(['Sin impresora', null, 'neutral', false]);
  });

  it('is a button that retries the printer, with its key, only when the printer is not ready', () => {
    const hung = bar({ employee: true, online: true, central: 'standalone', printer: printerIs({ health: 'hung' }) });
    expect(textsOf(hung, /aria-keyshortcuts="Alt\+I"/)).toEqual(['La impresora no respondeReintentar']);
    expect(textsOf(hung, /role="status"/)[0]).toBe('La impresora no respondeReintentar');
    const ready = bar({ employee: true, online: true, central: 'standalone', printer: READY });
    expect(textsOf(ready, /role="status"/)).toEqual(['Impresora lista', 'Sin central (caja independiente)']);
    expect(textsOf(ready, /aria-keyshortcuts/)).toEqual([]);
  });

  it('asks whether the receipts whose printing is unknown came out, and its key then opens the question', () => {
    expect(uncertainQuestion(i18n, 0)).toBeNull();
    expect(uncertainQuestion(i18n, 1)).toBe('¿Salió el ticket?');
    expect(uncertainQuestion(i18n, 2)).toBe('¿Salieron los 2 tickets?');
    expect(uncertainQuestion(createI18n('es-CO', 'COP', 'America/Bogota'), 1)).toBe('¿Salió el tiquete?');
    const html = bar({ employee: true, online: true, central: 'standalone', printer: printerIs({ health: 'hung', uncertain: 1 }) });
    // The key asks (the more pressing); the retry stays a button of its own.
    expect(textsOf(html, /aria-keyshortcuts="Alt\+I"/)).toEqual(['¿Salió el ticket?Alt+I']);
    expect(textsOf(html, /role="status"/)[0]).toBe('La impresora no respondeReintentar');
  });
});

describe('a test page that did not print', () => {
  const failed = (reason: string, conditions: string[] = []) =>
    testPageFailure(i18n, { code: 'DEVICE_ERROR', message: 'x', params: { reason } }, conditions);

  it("says why in the manager's words, what stopped the printer when it said so", () => {
    expect(failed('TIMEOUT')).toBe('No se imprimió la página de prueba: la impresora no responde');
    expect(failed('NOT_FOUND')).toBe(
      'No se imprimió la página de prueba: no hay impresora en esa dirección (¿está encendida y conectada?)',
    );
    expect(failed('FAILED', ['OFFLINE', 'PAPER_END'])).toBe('No se imprimió la página de prueba: la impresora no tiene papel');
    expect(failed('FAILED', ['COVER_OPEN'])).toBe('No se imprimió la página de prueba: la tapa de la impresora está abierta');
    expect(failed('FAILED')).toBe('No se imprimió la página de prueba: la impresora falló');
    expect(testPageFailure(i18n, { code: 'INVALID_INPUT', message: 'x', params: { reason: 'BAD_ADDRESS' } }, [])).toBe(
      'No se imprimió la página de prueba: la dirección no es válida',
    );
  });

  it("leaves errors that are not the printer's to be said as any other", () => {
    expect(failed('NO_SCALE')).toBeNull();
    expect(testPageFailure(i18n, { code: 'FORBIDDEN', message: 'x' }, [])).toBeNull();
    expect(testPageFailure(i18n, { code: 'UNREACHABLE', message: 'x' }, [])).toBeNull();
  });
});
