import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

let t: Awaited<ReturnType<typeof openDemoEngine>>;
beforeAll(async () => {
  t = await openDemoEngine('sign-in');
});
afterAll(() => t.dispose());

const auditCount = async () => (await t.engine.services.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM auth.audit_logs'))[0]!.n;
const lastAudit = async (action: string) =>
  (
    await t.engine.services.sql.query<Record<string, unknown>>(
      `SELECT * FROM auth.audit_logs WHERE action = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [action],
    )
  )[0];

describe('PIN sign-in at the register', () => {
  it('lists the employees of this branch for the sign-in screen without a session', async () => {
    const staff = ok(await t.engine.call('auth.staffForSignIn', {}));
    expect(staff.map((s) => s.displayName)).toEqual(['Ángela Ibáñez', 'Joaquín Peña', 'Rosa María Núñez']);
  });

  it('signs a cashier in with the right PIN and records it', async () => {
    const session = ok(await t.engine.call('auth.signInWithPin', { employeeId: t.people.cashier.id, pin: t.people.cashier.pin }));
    expect(session.employee.displayName).toBe('Ángela Ibáñez');
    expect(session.permissions).toContain('sales.sell');
    expect(session.permissions).not.toContain('staff.manage');
    expect(await lastAudit('auth.sign_in')).toMatchObject({
      outcome: 'SUCCESS',
      actor_employee_id: t.people.cashier.id,
      session_id: session.sessionId,
    });
    const me = ok(await t.engine.call('auth.whoAmI', {}, { token: session.token }));
    expect(me.employee.id).toBe(t.people.cashier.id);
  });

  it('answers a wrong PIN and an unknown employee with the same error', async () => {
    const wrong = await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: '0000' });
    const unknown = await t.engine.call('auth.signInWithPin', { employeeId: '019abf1c-0000-7000-8000-000000000000', pin: '0000' });
    expect(wrong).toEqual({ ok: false, error: { code: 'BAD_CREDENTIALS', message: 'wrong employee, address or secret' } });
    expect(unknown).toEqual(wrong);
    expect(await lastAudit('auth.sign_in')).toMatchObject({ outcome: 'FAILURE', details: { reason: 'unknown_identity', method: 'PIN' } });
    ok(await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: t.people.owner.pin }));
  });

  it('slows down repeated wrong PINs, locks on the fifth, and audits the lock and the unlock', async () => {
    const { id } = t.people.manager;
    t.sleeps.length = 0;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.engine.call('auth.signInWithPin', { employeeId: id, pin: '9999' });
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'LOCKED']);
    expect(t.sleeps).toEqual([0, 0, 1000, 2000]);
    expect(await lastAudit('auth.lockout')).toMatchObject({ actor_employee_id: id, details: { reason: 'too_many_failures' } });

    // Locked: even the right PIN is refused until the lock runs out.
    const locked = await t.engine.call('auth.signInWithPin', { employeeId: id, pin: t.people.manager.pin });
    expect(locked).toMatchObject({ ok: false, error: { code: 'LOCKED', params: { lockedUntil: '2026-11-25T15:15:00.000Z' } } });

    t.clock.advance(15 * 60_000 + 1);
    ok(await t.engine.call('auth.signInWithPin', { employeeId: id, pin: t.people.manager.pin }));
    expect(await lastAudit('auth.unlock')).toMatchObject({ actor_employee_id: id, details: { reason: 'lock_expired' } });
  });

  it('switches employees on one register, ending the previous session', async () => {
    const cashier = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
    const owner = ok(
      await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: t.people.owner.pin, switchFrom: cashier }),
    );
    expect(owner.employee.displayName).toBe('Rosa María Núñez');
    expect(await t.engine.call('auth.whoAmI', {}, { token: cashier })).toMatchObject({ ok: false, error: { code: 'SESSION_REVOKED' } });
    expect(await lastAudit('auth.switch')).toMatchObject({ actor_employee_id: t.people.cashier.id, details: { to: 'Rosa María Núñez' } });
  });
});

describe('sessions', () => {
  it('refuses every call once signed out', async () => {
    const token = await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    ok(await t.engine.call('auth.signOut', {}, { token }));
    for (const call of ['auth.whoAmI', 'staff.list', 'audit.tail', 'auth.refresh'] as const) {
      expect(await t.engine.dispatch({ call, input: {}, token })).toMatchObject({ ok: false, error: { code: 'SESSION_REVOKED' } });
    }
  });

  it('expires, and a refresh extends it with a new token that replaces the old', async () => {
    const token = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
    t.clock.advance(11 * 3600_000);
    const fresh = ok(await t.engine.call('auth.refresh', {}, { token }));
    expect(await t.engine.call('auth.whoAmI', {}, { token })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    t.clock.advance(11 * 3600_000);
    ok(await t.engine.call('auth.whoAmI', {}, { token: fresh.token }));
    t.clock.advance(2 * 3600_000);
    expect(await t.engine.call('auth.whoAmI', {}, { token: fresh.token })).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
  });

  it('signs out everywhere else but here', async () => {
    const a = await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    const b = await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    const c = await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    const r = ok(await t.engine.call('auth.signOutEverywhereElse', {}, { token: c }));
    expect(r.sessionsEnded).toBeGreaterThanOrEqual(2);
    for (const gone of [a, b])
      expect(await t.engine.call('auth.whoAmI', {}, { token: gone })).toMatchObject({ ok: false, error: { code: 'SESSION_REVOKED' } });
    ok(await t.engine.call('auth.whoAmI', {}, { token: c }));
  });

  it('stores only a hash of the token', async () => {
    const token = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
    const rows = await t.engine.services.sql.query(`SELECT 1 FROM auth.sessions WHERE refresh_token_hash = $1`, [token]);
    expect(rows).toEqual([]);
  });
});

describe('bad input', () => {
  const attempts = [
    ['an empty PIN', { employeeId: '019abf1c-0000-7000-8000-000000000000', pin: '' }, 'pin: a PIN is 4 to 8 digits'],
    [
      'a 200-digit PIN',
      { employeeId: '019abf1c-0000-7000-8000-000000000000', pin: '1'.repeat(200) },
      'pin: Too big: expected string to have <=8 characters',
    ],
    ['letters in a PIN', { employeeId: '019abf1c-0000-7000-8000-000000000000', pin: '12ab' }, 'pin: a PIN is 4 to 8 digits'],
    ['an employee id that is not an id', { employeeId: "1'; DROP TABLE business.employees; --", pin: '1234' }, 'employeeId: Invalid UUID'],
    ['an unexpected field', { employeeId: '019abf1c-0000-7000-8000-000000000000', pin: '1234', admin: true }, 'Unrecognized key: "admin"'],
  ] as const;
  it.each(attempts)('refuses %s with a clear error and changes nothing', async (_label, input, message) => {
    const before = await auditCount();
    const r = await t.engine.dispatch({ call: 'auth.signInWithPin', input });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!r.ok && r.error.message).toContain(message);
    expect(await auditCount()).toBe(before);
  });

  it('refuses a call that does not exist and a malformed request', async () => {
    expect(await t.engine.dispatch({ call: 'sales.giveEverythingAway', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CALL' },
    });
    expect(await t.engine.dispatch('not even an object')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await t.engine.dispatch({ call: 'auth.whoAmI', token: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { field: 'token' } },
    });
  });
});
