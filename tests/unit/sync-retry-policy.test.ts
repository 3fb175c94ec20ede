import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyFailure, isConnectionFailure, isRefusedLogin } from '#engine/sync/retry-policy.ts';
import { composeStatus, formatSyncStatus } from '#engine/sync/sync-status.ts';
import { NO_OUTCOME } from '#engine/sync/push-state.ts';
import { describeSyncError } from '#engine/sync/sync-errors.ts';
import { UNREACHED } from '#engine/sync/side-connection.ts';
import { unstorableText } from '#engine/sync/outgoing-fact.ts';

describe('what a failure talking to central means', () => {
  it('retries the network, central restarting, deadlocks, serialization failures, lock waits and statement timeouts', () => {
    for (const code of [
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      '08006',
      '57P01',
      '57P03',
      '53300',
      '53200',
      '40001',
      '40P01',
      '55P03',
      '57014',
    ]) {
      expect(classifyFailure(Object.assign(new Error('x'), { code }))).toBe('retry');
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'Query read timeout',
      'Client has encountered a connection error and is not queryable',
      'timeout exceeded when trying to connect',
    ]) {
      expect(classifyFailure(new Error(message))).toBe('retry');
    }
  });

  it("refuses the one fact for a constraint, row-level security, bad data, a trigger's refusal or an unknown kind", () => {
    for (const code of ['23505', '23503', '23502', '23514', '42501', '22P02', '22P05', '22021', '22001', 'P0001', 'PS404', '54001']) {
      expect(classifyFailure(Object.assign(new Error('x'), { code }))).toBe('reject');
    }
  });

  it('refuses the one fact when its replay could not read the payload, not the batch forever', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of null (reading 'id')"))).toBe('reject');
    expect(classifyFailure(new Error('a shift fact without its shift'))).toBe('reject');
  });

  it('refuses the one fact for a statement inside its savepoint after its replay swallowed an error (25P02), since sending it again meets it again', () => {
    expect(classifyFailure(Object.assign(new Error('current transaction is aborted'), { code: '25P02' }))).toBe('reject');
  });

  it('tells a cut link from a refused login', () => {
    expect(isConnectionFailure({ code: 'ECONNRESET' })).toBe(true);
    expect(isConnectionFailure({ code: '28P01' })).toBe(false);
    expect(isRefusedLogin({ code: '28P01' })).toBe(true);
    expect(isRefusedLogin({ code: '3D000' })).toBe(true);
    expect(isRefusedLogin({ code: '40001' })).toBe(false);
  });

  it('tells a central that never took the connection from a login a pooler held too long', () => {
    const unreached = Object.assign(new Error(UNREACHED), { code: 'ETIMEDOUT' });
    expect(describeSyncError(unreached)).toBe('central did not answer within 5 s (network down or server stopped?)');
    expect(classifyFailure(unreached)).toBe('retry');
    expect(isConnectionFailure(unreached)).toBe(true);
    const held = new Error('Connection terminated due to connection timeout');
    expect(describeSyncError(held)).toBe(
      "central took the connection but did not let this register in within 60 s (a pooler's queue, or central starting up); retrying",
    );
    expect(classifyFailure(held)).toBe('retry');
  });
});

describe('text central cannot store', () => {
  const fact = (payload: unknown, key = 'k') => ({ kind: 'cash.moved', idempotencyKey: key, payload });

  it('finds a NUL or a lone surrogate anywhere in a fact, and says where', () => {
    expect(unstorableText(fact({ movement: { reason: 'a\u0000b' } }))).toBe('$.movement.reason holds a NUL character');
    expect(unstorableText(fact({ lines: [{ note: 'x' }, { note: '\ud800' }] }))).toBe('$.lines[1].note holds a lone surrogate (U+D800)');
    expect(unstorableText(fact({ m: 'end \udc00' }))).toBe('$.m holds a lone surrogate (U+DC00)');
    expect(unstorableText(fact({ 'bad\u0000key': 1 }))).toBe('a key in $ holds a NUL character');
    expect(unstorableText(fact({}, 'key\ud83d'))).toBe('its idempotency key holds a lone surrogate (U+D83D)');
  });

  it('lets through every well-formed string, emoji and accents included', () => {
    expect(unstorableText(fact({ reason: 'Cambio 💵 para la caja — Núñez', n: 1, ok: true, none: null, list: ['ñ', '😀'] }))).toBeNull();
  });
});

describe('backoff', () => {
  it('waits nothing before the first failure and stays under a cap that doubles up to the maximum', () => {
    const policy = { baseMs: 500, maxMs: 60_000 };
    expect(backoffDelay(0, policy, () => 0.99)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(3, policy, () => 0.999)).toBeLessThan(2_000);
    expect(backoffDelay(3, policy, () => 0.999)).toBeGreaterThan(1_990);
    expect(backoffDelay(40, policy, () => 0.999)).toBeLessThan(60_000);
    expect(backoffDelay(40, policy, () => 0)).toBe(0);
  });
});

describe('the sync status', () => {
  it('counts what the journal holds past the cursor and never shows the password', () => {
    const status = composeStatus({
      centralUrl: 'postgres://pos_t_abc:secret@central.example:6432/pos',
      outcome: NO_OUTCOME,
      cursor: 7,
      head: 10,
      oldestPendingAt: '2026-11-30T12:00:00.000Z',
      quarantined: [],
    });
    expect(status).toMatchObject({ configured: true, central: 'pos_t_abc@central.example:6432/pos', online: false, pending: 3 });
    expect(JSON.stringify(status)).not.toContain('secret');
    expect(
      composeStatus({ centralUrl: 'postgres://h/db', outcome: NO_OUTCOME, cursor: 12, head: 10, oldestPendingAt: null, quarantined: [] })
        .pending,
    ).toBe(0);
  });

  const online = { ...NO_OUTCOME, online: true };
  const base = { centralUrl: 'postgres://h/db', cursor: 10, head: 10, oldestPendingAt: null };

  it('is online only when central answers, nothing was refused and the last pass went through', () => {
    expect(composeStatus({ ...base, outcome: online, quarantined: [] })).toMatchObject({ state: 'online', attention: null });
    expect(composeStatus({ ...base, outcome: NO_OUTCOME, quarantined: [] }).state).toBe('offline');
    expect(composeStatus({ ...base, outcome: { ...online, blocked: 'wrong password' }, quarantined: [] }).state).toBe('blocked');
  });

  it('needs attention while refused facts are set aside, with their count and the first reason', () => {
    const quarantined = [
      {
        seq: 7,
        kind: 'cash.moved',
        reason: 'central cannot store this fact: $.movement.reason holds a NUL character',
        at: '2026-12-01T00:00:00.000Z',
      },
      { seq: 9, kind: 'sale.completed', reason: '42501 new row violates row-level security policy', at: '2026-12-01T00:00:01.000Z' },
    ];
    const status = composeStatus({ ...base, outcome: online, quarantined });
    expect(status).toMatchObject({ state: 'attention', online: true });
    expect(status.attention).toBe(
      '2 fact(s) refused by central and set aside; the first, #7 cash.moved: central cannot store this fact: $.movement.reason holds a NUL character',
    );
    const printed = formatSyncStatus(status, new Date('2026-12-01T00:01:00.000Z'));
    expect(printed).toMatch(/^state: +needs attention \(online\)$/m);
    expect(printed).toMatch(/^attention: +2 fact\(s\) refused by central/m);
  });

  it('needs attention when central answered but the last pass failed, such as a lock held past lock_timeout', () => {
    const lastError = describeSyncError(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }));
    expect(lastError).toMatch(/^central is busy: another session holds a lock/);
    expect(describeSyncError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toMatch(
      /statement timeout/,
    );
    expect(
      composeStatus({ ...base, outcome: { ...online, lastError, failingSince: '2026-12-01T00:00:00.000Z' }, quarantined: [] }),
    ).toMatchObject({ state: 'attention', lastError });
  });
});
