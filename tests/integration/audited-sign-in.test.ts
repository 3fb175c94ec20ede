// Signing in and out, changing a PIN or password and managing a second factor are changes like
// any other: when their audit entry cannot be written, nothing changes. The entry is refused by
// a trigger on the real PGlite, one action at a time, as tests/integration/audited-changes.test.ts
// does for selling.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { installAuditRefusal, type AuditRefusal } from '../support/refused-audit.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

describe('a sign-in or credential change whose audit entry cannot be written', () => {
  let demo: Demo;
  let refuseAudit: AuditRefusal['refuse'];
  let allowAudit: AuditRefusal['allow'];
  const sql = <R>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<R>(text, params);
  const failsInternally = (result: CallResult<unknown>) => expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  const count = async (from: string, params: unknown[] = []) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`, params))[0]!.n;
  const sessionsOf = (employeeId: string) => count(`auth.sessions WHERE employee_id = $1`, [employeeId]);
  const liveSessionsOf = (employeeId: string) => count(`auth.sessions WHERE employee_id = $1 AND revoked_at IS NULL`, [employeeId]);
  const secretHash = async (employeeId: string, provider: 'PIN' | 'PASSWORD') =>
    (
      await sql<{ h: string }>(
        `
    SELECT i.secret_hash AS h FROM auth.user_identities i JOIN business.employees e ON e.user_id = i.user_id
    WHERE e.id = $1 AND i.provider = $2 AND i.deleted_at IS NULL`,
        [employeeId, provider],
      )
    )[0]!.h;
  const stillSignedIn = async (token: string) => ok(await demo.engine.call('auth.whoAmI', {}, { token }));

  beforeAll(async () => {
    demo = await openDemoEngine('audited-sign-in');
    ({ refuse: refuseAudit, allow: allowAudit } = await installAuditRefusal(demo.engine.services.sql));
  }, 120_000);
  afterAll(() => demo?.dispose());
  // A test that failed half-way must not leave its refusal to the next one.
  afterEach(() => allowAudit());

  it('opens no session for a right PIN, and a switch leaves the one selling signed in', async () => {
    const { cashier, manager } = demo.people;
    await refuseAudit('auth.sign_in');
    failsInternally(await demo.engine.call('auth.signInWithPin', { employeeId: cashier.id, pin: cashier.pin }));
    expect(await sessionsOf(cashier.id)).toBe(0);
    await allowAudit();

    const selling = await signIn(demo.engine, cashier.id, cashier.pin);
    await refuseAudit('auth.switch');
    failsInternally(await demo.engine.call('auth.signInWithPin', { employeeId: manager.id, pin: manager.pin, switchFrom: selling }));
    expect(await sessionsOf(manager.id)).toBe(0);
    expect((await stillSignedIn(selling)).employee.id).toBe(cashier.id);
    await allowAudit();
  });

  it('signs nobody out', async () => {
    const { cashier } = demo.people;
    const here = await signIn(demo.engine, cashier.id, cashier.pin);
    const there = await signIn(demo.engine, cashier.id, cashier.pin);
    await refuseAudit('auth.sign_out_everywhere_else');
    failsInternally(await demo.engine.call('auth.signOutEverywhereElse', {}, { token: here }));
    await stillSignedIn(there);
    await refuseAudit('auth.sign_out');
    failsInternally(await demo.engine.call('auth.signOut', {}, { token: here }));
    await stillSignedIn(here);
    await allowAudit();
  });

  it('keeps the old PIN', async () => {
    const { cashier } = demo.people;
    const token = await signIn(demo.engine, cashier.id, cashier.pin);
    const before = await secretHash(cashier.id, 'PIN');
    await refuseAudit('auth.pin_change');
    failsInternally(await demo.engine.call('auth.changePin', { currentPin: cashier.pin, newPin: '8642' }, { token }));
    expect(await secretHash(cashier.id, 'PIN')).toBe(before);
    await allowAudit();
    await signIn(demo.engine, cashier.id, cashier.pin);
  });

  it('sets up, confirms and removes no authenticator, and a back-office sign-in opens no session, trusts no device and spends no recovery code', async () => {
    const { owner } = demo.people;
    const login = { email: owner.email, password: owner.password };
    // The demo gives the owner an authenticator (README): she signs in with it and sets up another in its place.
    const first = ok(await demo.engine.call('auth.signInWithPassword', { ...login, totp: totpCodeAt(owner.totpSecret, demo.clock.now()) }));

    const factorsBefore = await count(`auth.mfa_factors`);
    await refuseAudit('auth.mfa.enrollment_started');
    failsInternally(await demo.engine.call('auth.mfa.beginTotp', {}, { token: first.token }));
    expect(await count(`auth.mfa_factors`)).toBe(factorsBefore);
    await allowAudit();

    const started = ok(await demo.engine.call('auth.mfa.beginTotp', {}, { token: first.token }));
    const code = () => totpCodeAt(started.secret, demo.clock.now());
    const verifiedAt = () => sql(`SELECT mfa_verified_at FROM auth.sessions WHERE id = $1`, [first.sessionId]);
    const verifiedBefore = await verifiedAt();
    // A second on, so that a confirmation that went through would show in the session's time.
    demo.clock.advance(1_000);
    await refuseAudit('auth.mfa.enabled');
    failsInternally(await demo.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code() }, { token: first.token }));
    expect(await sql(`SELECT verified_at FROM auth.mfa_factors WHERE id = $1`, [started.factorId])).toEqual([{ verified_at: null }]);
    expect(await count(`auth.mfa_recovery_codes`)).toBe(0);
    expect(await verifiedAt()).toEqual(verifiedBefore);
    await allowAudit();
    const { recoveryCodes } = ok(
      await demo.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code() }, { token: first.token }),
    );

    demo.clock.advance(30_000);
    const sessionsBefore = await sessionsOf(owner.id);
    await refuseAudit('auth.sign_in');
    failsInternally(
      await demo.engine.call('auth.signInWithPassword', { ...login, totp: code(), trustThisDevice: true, deviceName: 'Caja 1' }),
    );
    expect(await sessionsOf(owner.id)).toBe(sessionsBefore);
    expect(await count(`auth.trusted_devices`)).toBe(0);

    // A recovery code is spent with the sign-in it lets through, or not at all.
    await refuseAudit('auth.mfa.recovery_code_used');
    failsInternally(await demo.engine.call('auth.signInWithPassword', { ...login, recoveryCode: recoveryCodes[0]! }));
    expect(await sessionsOf(owner.id)).toBe(sessionsBefore);
    expect(await count(`auth.mfa_recovery_codes WHERE used_at IS NOT NULL`)).toBe(0);
    await allowAudit();
    ok(await demo.engine.call('auth.signInWithPassword', { ...login, recoveryCode: recoveryCodes[0]! }));
    expect(await demo.engine.call('auth.signInWithPassword', { ...login, recoveryCode: recoveryCodes[0]! })).toMatchObject({
      ok: false,
      error: { code: 'MFA_INVALID' },
    });

    demo.clock.advance(30_000);
    await refuseAudit('auth.mfa.removed');
    failsInternally(await demo.engine.call('auth.mfa.removeFactor', { factorId: started.factorId, code: code() }, { token: first.token }));
    expect(await count(`auth.mfa_factors WHERE id = $1 AND deleted_at IS NULL AND verified_at IS NOT NULL`, [started.factorId])).toBe(1);
    expect(await count(`auth.mfa_recovery_codes WHERE deleted_at IS NULL`)).toBe(10);
    await allowAudit();
  });

  it('keeps the old password and the other sessions', async () => {
    const { owner } = demo.people;
    const other = (await sql<{ id: string }>(`SELECT id FROM auth.sessions WHERE employee_id = $1 AND revoked_at IS NULL`, [owner.id]))
      .length;
    expect(other).toBeGreaterThan(0);
    const token = ok(await demo.engine.call('auth.signInWithPin', { employeeId: owner.id, pin: owner.pin })).token;
    const live = await liveSessionsOf(owner.id);
    const before = await secretHash(owner.id, 'PASSWORD');
    await refuseAudit('auth.password_change');
    failsInternally(
      await demo.engine.call('auth.changePassword', { currentPassword: owner.password, newPassword: 'Otra-Contraseña-2027' }, { token }),
    );
    expect(await secretHash(owner.id, 'PASSWORD')).toBe(before);
    expect(await liveSessionsOf(owner.id)).toBe(live);
    await allowAudit();
  });
});
