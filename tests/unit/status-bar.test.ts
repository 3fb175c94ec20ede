// The status bar says one thing about where the register stands: central's state (standalone,
// online, offline since when, needs attention) once someone is signed in, and that the screen
// lost its engine only when it did, instead of "online" beside "no central".
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { create } from 'zustand';
import type { ScreenProps } from '../../renderer/app.tsx';
import { StatusBar } from '../../renderer/components/status-bar.tsx';
import { createI18n } from '../../renderer/i18n/index.ts';
import type { SyncState, SyncStore } from '../../renderer/stores/sync.ts';
import { composeStatus } from '#engine/sync/sync-status.ts';
import { NO_OUTCOME, type LoopOutcome } from '#engine/sync/push-state.ts';

const i18n = createI18n('es-MX', 'MXN', 'America/Mexico_City');

type Shown = { employee: boolean; online: boolean; central: 'standalone' | Partial<LoopOutcome> | null };

/** The texts of the bar's status badges, in order. */
function statuses({ employee, online, central }: Shown): string[] {
  const useRegister = create(() => ({
    employee: employee ? { displayName: 'Ángela Ibáñez' } : null,
    online,
    printer: null,
    signOut: async () => {},
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
  const html = renderToStaticMarkup(createElement(StatusBar, { useRegister, useSync, i18n } as unknown as Parameters<typeof StatusBar>[0]));
  return [...html.matchAll(/role="status"[^>]*>([^<]*)</g)].map((m) => m[1]!);
}

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
