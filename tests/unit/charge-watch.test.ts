import { describe, expect, it } from 'vitest';
import { type Asked, chargesToAsk } from '#engine/services/payments/charge-watch.ts';

const NOW = Date.parse('2026-03-14T18:00:00Z');
const POLL = 10_000;
const asked = (entries: [string, number][]) => new Map<string, Asked>(entries.map(([id, at]) => [id, { at, unreachable: null }]));

describe('which open card charges the register asks its provider about', () => {
  it('asks about a charge a notice named that was not handled yet, however recently it asked', () => {
    const due = chargesToAsk({
      open: [{ id: 'c1', providerReference: 'ORD1' }],
      notices: [{ reference: 'ORD1', provider: 'mercadopago', at: '2026-03-14T17:59:59.500Z' }],
      handled: new Map(),
      asked: asked([['c1', NOW - 100]]),
      now: NOW,
      providerPollMs: POLL,
    });
    expect(due).toEqual([{ id: 'c1', why: 'notice' }]);
  });

  it('does not ask again for a notice already handled, and asks again when another delivery of it arrives', () => {
    const base = {
      open: [{ id: 'c1', providerReference: 'ORD1' }],
      handled: new Map([['ORD1', '2026-03-14T17:59:59.500Z']]),
      asked: asked([['c1', NOW - 100]]),
      now: NOW,
      providerPollMs: POLL,
    };
    expect(chargesToAsk({ ...base, notices: [{ reference: 'ORD1', provider: 'mercadopago', at: '2026-03-14T17:59:59.500Z' }] })).toEqual(
      [],
    );
    expect(chargesToAsk({ ...base, notices: [{ reference: 'ORD1', provider: 'mercadopago', at: '2026-03-14T17:59:59.900Z' }] })).toEqual([
      { id: 'c1', why: 'notice' },
    ]);
  });

  it('polls a charge no notice named only once the poll interval has passed since its provider last answered', () => {
    const input = {
      open: [
        { id: 'fresh', providerReference: 'ORD1' },
        { id: 'stale', providerReference: 'ORD2' },
        { id: 'unsent', providerReference: null },
      ],
      notices: [],
      handled: new Map(),
      asked: asked([
        ['fresh', NOW - POLL + 1],
        ['stale', NOW - POLL],
        ['unsent', NOW - POLL - 5],
      ]),
      now: NOW,
      providerPollMs: POLL,
    };
    expect(chargesToAsk(input)).toEqual([
      { id: 'stale', why: 'poll' },
      { id: 'unsent', why: 'poll' },
    ]);
  });

  it('leaves alone a charge never seen before: it was asked about when it started', () => {
    expect(
      chargesToAsk({
        open: [{ id: 'new', providerReference: 'ORD9' }],
        notices: [],
        handled: new Map(),
        asked: new Map(),
        now: NOW,
        providerPollMs: POLL,
      }),
    ).toEqual([]);
  });
});
