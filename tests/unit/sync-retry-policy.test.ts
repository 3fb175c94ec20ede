import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyFailure, isConnectionFailure, isRefusedLogin } from '../../electron/engine/sync/retry-policy.ts';
import { composeStatus } from '../../electron/engine/sync/sync-status.ts';
import { NO_OUTCOME } from '../../electron/engine/sync/push-state.ts';

describe('what a failure talking to central means', () => {
  it('retries the network, central restarting, deadlocks and serialization failures', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', '08006', '57P01', '57P03', '53300', '40001', '40P01']) {
      expect(classifyFailure({ code })).toBe('retry');
    }
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('retry');
  });

  it('refuses the one fact for a constraint, row-level security or bad data', () => {
    for (const code of ['23505', '23503', '42501', '22P02', 'PS002']) expect(classifyFailure({ code })).toBe('reject');
  });

  it('tells a cut link from a refused login', () => {
    expect(isConnectionFailure({ code: 'ECONNRESET' })).toBe(true);
    expect(isConnectionFailure({ code: '28P01' })).toBe(false);
    expect(isRefusedLogin({ code: '28P01' })).toBe(true);
    expect(isRefusedLogin({ code: '3D000' })).toBe(true);
    expect(isRefusedLogin({ code: '40001' })).toBe(false);
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
      centralUrl: 'postgres://pos_t_abc:secret@central.example:6432/pos', outcome: NO_OUTCOME,
      cursor: 7, head: 10, oldestPendingAt: '2026-11-30T12:00:00.000Z', quarantined: [],
    });
    expect(status).toMatchObject({ configured: true, central: 'pos_t_abc@central.example:6432/pos', online: false, pending: 3 });
    expect(JSON.stringify(status)).not.toContain('secret');
    expect(composeStatus({ centralUrl: 'postgres://h/db', outcome: NO_OUTCOME, cursor: 12, head: 10, oldestPendingAt: null, quarantined: [] }).pending).toBe(0);
  });
});
