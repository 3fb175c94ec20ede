// Wrong PINs sent all at once, as a script against `pos serve` would send them: through the
// engine's dispatch (and, for overrides, over HTTP to a real serve-mode server) on a real
// PGlite on disk, with real Argon2 verifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { DEFAULT_THROTTLE } from '#engine/services/auth/throttle.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { startServer } from '#engine/server/serve.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { tempDir } from '../support/local.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const codeOf = (r: CallResult<unknown>) => (r.ok ? 'OK' : r.error.code);
const tally = (codes: string[]) => {
  const n: Record<string, number> = {};
  for (const c of codes) n[c] = (n[c] ?? 0) + 1;
  return n;
};
const audits = (t: Demo, where: string, params: unknown[]) =>
  t.engine.services.sql.query<{ action: string; outcome: string; details: Record<string, unknown> }>(
    `SELECT action, outcome, details FROM auth.audit_logs WHERE ${where} ORDER BY created_at, id`,
    params,
  );
const counters = async (t: Demo, employeeId: string) =>
  (
    await t.engine.services.sql.query<{ failed_attempts: number; locked_until: Date | null }>(
      `
  SELECT i.failed_attempts, i.locked_until FROM auth.user_identities i JOIN business.employees e ON e.user_id = i.user_id
  WHERE e.id = $1 AND i.provider = 'PIN'`,
      [employeeId],
    )
  )[0]!;

describe('fifty wrong PINs sent at once', () => {
  let t: Demo;
  beforeAll(async () => {
    t = await openDemoEngine('pin-race');
  }, 60_000);
  afterAll(() => t.dispose());

  it('to one employee are checked one after another: four are answered as wrong, the fifth locks, the rest are refused unchecked', async () => {
    const { manager } = t.people;
    t.sleeps.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.engine.call('auth.signInWithPin', { employeeId: manager.id, pin: '9999' })),
    );
    expect(answers.map(codeOf)).toEqual([...Array(4).fill('BAD_CREDENTIALS'), ...Array(46).fill('LOCKED')]);
    // The throttle's waits were taken in turn too, not skipped by arriving together.
    expect(t.sleeps).toEqual([0, 0, 1000, 2000]);

    const wrong = await audits(t, `action = 'auth.sign_in' AND actor_employee_id = $1 AND details->>'reason' = 'wrong_secret'`, [
      manager.id,
    ]);
    expect(wrong.map((a) => a.details.consecutiveFailures)).toEqual([1, 2, 3, 4, 5]);
    expect(await audits(t, `action = 'auth.lockout' AND actor_employee_id = $1`, [manager.id])).toHaveLength(1);
    expect(await audits(t, `action = 'auth.sign_in' AND actor_employee_id = $1 AND outcome = 'DENIED'`, [manager.id])).toHaveLength(45);

    const right = await t.engine.call('auth.signInWithPin', { employeeId: manager.id, pin: manager.pin });
    expect(right).toMatchObject({ ok: false, error: { code: 'LOCKED', params: { lockedUntil: '2026-11-25T15:15:00.000Z' } } });
  });

  it('as X-Override-Pin headers naming the owner close overrides on this register after the third, and the owner can still sign in', async () => {
    const { cashier, owner, manager } = t.people;
    const token = await signIn(t.engine, cashier.id, cashier.pin);
    const server = await startServer(t.engine, { port: 0, staticDir: tempDir('pin-race-static') });
    const unlockManager = async (pin: string) => {
      const res = await fetch(`${server.url}/api/staff.unlock`, {
        method: 'POST',
        body: JSON.stringify({ employeeId: manager.id }),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-override-employee': owner.id,
          'x-override-pin': pin,
        },
      });
      return { status: res.status, ...((await res.json()) as CallResult<unknown>) };
    };
    let answers: Awaited<ReturnType<typeof unlockManager>>[];
    let right: Awaited<ReturnType<typeof unlockManager>>;
    try {
      answers = await Promise.all(Array.from({ length: 50 }, () => unlockManager('0000')));
      right = await unlockManager(owner.pin);
    } finally {
      await server.close();
    }
    expect(answers.map(codeOf)).toEqual([...Array(2).fill('OVERRIDE_REFUSED'), ...Array(48).fill('LOCKED')]);
    expect(answers.map((a) => a.status)).toEqual([...Array(2).fill(403), ...Array(48).fill(423)]);
    expect(answers[2]).toMatchObject({ ok: false, error: { params: { scope: 'register' } } });

    const checked = await audits(t, `action = 'auth.override' AND approver_employee_id = $1 AND details->>'reason' = 'wrong_secret'`, [
      owner.id,
    ]);
    expect(checked).toHaveLength(3);
    // Refused unchecked: the 47 of the burst after the third, and the right PIN sent after it.
    expect(await audits(t, `action = 'auth.override' AND outcome = 'DENIED' AND details->>'reason' = 'register_limit'`, [])).toHaveLength(
      48,
    );
    const [closed] = await audits(t, `action = 'auth.lockout' AND entity_type = 'register'`, []);
    expect(closed).toMatchObject({ outcome: 'FAILURE', details: { reason: 'too_many_failures_on_register', scope: 'override' } });

    // The right PIN did not get through either, and the manager stays locked.
    expect(right).toMatchObject({ status: 423, ok: false, error: { code: 'LOCKED', params: { scope: 'register' } } });
    expect((await counters(t, manager.id)).locked_until).not.toBeNull();

    // Nothing was counted against the owner, whose own sign-in is untouched.
    expect(await counters(t, owner.id)).toEqual({ failed_attempts: 0, locked_until: null });
    ok(await t.engine.call('auth.signInWithPin', { employeeId: owner.id, pin: owner.pin }));
  });

  it('of an authenticator, after the right password, are checked one after another: four are answered as wrong, the fifth locks, and the right code sent among them does not get in', async () => {
    const { owner } = t.people;
    const login = { email: owner.email, password: owner.password };
    // With the demo's authenticator (README); she then sets up one of her own in its place.
    const first = ok(await t.engine.call('auth.signInWithPassword', { ...login, totp: totpCodeAt(owner.totpSecret, t.clock.now()) }));
    const started = ok(await t.engine.call('auth.mfa.beginTotp', {}, { token: first.token }));
    const code = () => totpCodeAt(started.secret, t.clock.now());
    ok(await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code() }, { token: first.token }));
    t.clock.advance(30_000);
    const right = code();
    const wrong = right === '000000' ? '111111' : '000000';
    const since = (await t.engine.services.sql.query<{ now: string }>(`SELECT clock_timestamp()::text AS now`))[0]!.now;
    t.sleeps.length = 0;
    // A script guessing codes sends the right one too; it must meet the lock like the others.
    const codes = [...Array(49).fill(wrong), right];
    const answers = await Promise.all(codes.map((totp) => t.engine.call('auth.signInWithPassword', { ...login, totp })));
    expect(answers.map(codeOf)).toEqual([...Array(4).fill('MFA_INVALID'), ...Array(46).fill('LOCKED')]);
    expect(t.sleeps).toEqual([0, 0, 1000, 2000]);

    const checked = await audits(
      t,
      `action = 'auth.mfa' AND actor_employee_id = $1 AND details->>'reason' = 'wrong_totp' AND created_at >= $2::timestamptz`,
      [owner.id, since],
    );
    expect(checked.map((a) => a.details.consecutiveFailures)).toEqual([1, 2, 3, 4, 5]);
    expect(await audits(t, `action = 'auth.lockout' AND entity_type = 'user' AND created_at >= $1::timestamptz`, [since])).toHaveLength(1);
    expect(await audits(t, `action = 'auth.sign_in' AND outcome = 'SUCCESS' AND created_at >= $1::timestamptz`, [since])).toEqual([]);
    expect(await t.engine.call('auth.signInWithPassword', { ...login, totp: code() })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED' },
    });
  });
});

describe("the register's limit on sign-ins", () => {
  // A short window, so the test can see it pass on the audit trail's own clock.
  const windowMinutes = 0.2;
  let t: Demo;
  beforeAll(async () => {
    t = await openDemoEngine('pin-register', { throttle: { ...DEFAULT_THROTTLE, registerWindowMinutes: windowMinutes } });
  }, 60_000);
  afterAll(() => t.dispose());

  it('closes sign-in after ten wrong PINs spread over employees and unknown ids, without locking anyone, and opens again when the window passes', async () => {
    const { owner, manager, cashier } = t.people;
    const cashierToken = await signIn(t.engine, cashier.id, cashier.pin);
    const started = Date.now();
    const spray = [owner, owner, owner, manager, manager, manager, cashier, cashier, cashier]
      .map((p) => p.id)
      .concat('019abf1c-0000-7000-8000-00000000beef');
    const answers = await Promise.all(spray.map((employeeId) => t.engine.call('auth.signInWithPin', { employeeId, pin: '0000' })));
    expect(tally(answers.map(codeOf))).toEqual({ BAD_CREDENTIALS: 9, LOCKED: 1 });
    const closing = answers.map((a) => (a.ok ? undefined : a.error)).find((e) => e?.code === 'LOCKED')!;
    expect(closing.params).toMatchObject({ scope: 'register' });
    const reopens = Date.parse(String(closing.params!.lockedUntil));
    expect(reopens).toBeGreaterThanOrEqual(started + windowMinutes * 60_000 - 1_000);

    // The right PIN is refused unchecked while the register is closed; no employee was locked.
    expect(await t.engine.call('auth.signInWithPin', { employeeId: owner.id, pin: owner.pin })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED', params: { scope: 'register' } },
    });
    for (const p of [owner, manager, cashier]) expect(await counters(t, p.id)).toEqual({ failed_attempts: 3, locked_until: null });
    expect(await audits(t, `action = 'auth.sign_in' AND outcome = 'DENIED' AND details->>'reason' = 'register_limit'`, [])).toHaveLength(1);

    // Sign-in and overrides are counted apart: a manager can still authorise at this register.
    ok(
      await t.engine.call(
        'staff.unlock',
        { employeeId: owner.id },
        { token: cashierToken, override: { employeeId: manager.id, pin: manager.pin } },
      ),
    );

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, reopens - Date.now()) + 250));
    ok(await t.engine.call('auth.signInWithPin', { employeeId: owner.id, pin: owner.pin }));
  }, 60_000);
});
