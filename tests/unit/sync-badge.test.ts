// The status bar's central badge, rendered from the status the engine reports: refused facts and
// a failed pass are not shown as "online" in green.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { create } from 'zustand';
import { SyncBadge } from '../../renderer/components/sync-badge.tsx';
import { createI18n } from '../../renderer/i18n/index.ts';
import type { SyncState, SyncStore } from '../../renderer/stores/sync.ts';
import { composeStatus } from '#engine/sync/sync-status.ts';
import { NO_OUTCOME, type LoopOutcome, type Quarantined } from '#engine/sync/push-state.ts';

const i18n = createI18n('en', 'MXN', 'America/Mexico_City');

function badge(outcome: Partial<LoopOutcome>, quarantined: Quarantined[] = []): { text: string; className: string; details: string } {
  const status = composeStatus({
    centralUrl: 'postgres://pos_t_1@central/pos',
    outcome: { ...NO_OUTCOME, ...outcome },
    cursor: 3,
    head: 4,
    oldestPendingAt: '2026-12-01T12:00:00.000Z',
    quarantined,
  });
  const useSync = create<SyncState>()(() => ({
    status,
    notifications: null,
    bellOpen: false,
    refresh: async () => {},
    toggleBell: () => {},
    markAllRead: async () => {},
  })) as unknown as SyncStore;
  const html = renderToStaticMarkup(createElement(SyncBadge, { useSync, i18n }));
  const [, details, className, text] = /aria-label="([^"]*)" title="[^"]*" class="([^"]*)">([^<]*)</.exec(html)!;
  return { text: text!, className: className!, details: details! };
}

describe('the central badge', () => {
  it('is green and says online when central took everything', () => {
    expect(badge({ online: true })).toMatchObject({ text: 'Central: online · 1 to send', className: 'badge ok' });
  });

  it('needs attention, with the count and the first reason, once central set facts aside', () => {
    const shown = badge({ online: true }, [
      {
        seq: 12,
        kind: 'cash.moved',
        reason: 'central cannot store this fact: $.movement.reason holds a NUL character',
        at: '2026-12-01T12:00:00.000Z',
      },
    ]);
    expect(shown).toMatchObject({ text: 'Central: needs attention · 1 to send · 1 refused', className: 'badge warn' });
    expect(shown.details).toContain(
      '1 fact(s) refused by central and set aside; the first, #12 cash.moved: central cannot store this fact',
    );
  });

  it('needs attention, and says why, when central answered but the push waited on a lock', () => {
    const lastError = 'central is busy: another session holds a lock this push needs (a register cut off mid-push?); retrying';
    const shown = badge({ online: true, lastError, failingSince: '2026-12-01T12:00:00.000Z' });
    expect(shown).toMatchObject({ text: 'Central: needs attention · 1 to send', className: 'badge warn' });
    expect(shown.details).toContain(lastError);
  });
});
