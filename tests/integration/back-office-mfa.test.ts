import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { ok, openDemoEngine } from '../support/demo-engine.ts';

let t: Awaited<ReturnType<typeof openDemoEngine>>;
let secret: string;
let recoveryCodes: string[];
beforeAll(async () => {
  t = await openDemoEngine('mfa');
  // The demo gives the manager an authenticator (README); these tests start from one who has none yet.
  await t.engine.services.sql.query(
    `UPDATE auth.mfa_factors SET deleted_at = now() WHERE user_id = (SELECT user_id FROM business.employees WHERE id = $1)`,
    [t.people.manager.id],
  );
});
afterAll(() => t.dispose());

const manager = () => ({ email: t.people.manager.email, password: t.people.manager.password });
const code = () => totpCodeAt(secret, t.clock.now());
const nextStep = () => t.clock.advance(30_000);

describe('password sign-in for the back office', () => {
  it('refuses a wrong password and an unknown address alike', async () => {
    const wrong = await t.engine.call('auth.signInWithPassword', { email: t.people.manager.email, password: 'not-the-password' });
    const unknown = await t.engine.call('auth.signInWithPassword', { email: 'nadie@example.com', password: 'not-the-password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect(unknown).toEqual(wrong);
  });

  it('lets a manager without a second factor do nothing but set one up', async () => {
    const first = ok(await t.engine.call('auth.signInWithPassword', manager()));
    expect(first.mfaEnrollmentRequired).toBe(true);
    expect(await t.engine.call('staff.list', {}, { token: first.token })).toMatchObject({
      ok: false,
      error: { code: 'MFA_ENROLLMENT_REQUIRED' },
    });

    const started = ok(await t.engine.call('auth.mfa.beginTotp', {}, { token: first.token }));
    expect(started.otpauthUri).toMatch(/^otpauth:\/\/totp\/Countertop%20POS:Joaqu%C3%ADn%20Pe%C3%B1a\?/);
    secret = started.secret;
    expect(
      await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: '000000' }, { token: first.token }),
    ).toMatchObject({ ok: false, error: { code: 'MFA_INVALID' } });
    recoveryCodes = ok(
      await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code() }, { token: first.token }),
    ).recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    ok(await t.engine.call('staff.list', {}, { token: first.token }));
  });

  it('keeps the TOTP secret and recovery codes out of the database in clear', async () => {
    const [factor] = await t.engine.services.sql.query<{ raw: string }>(
      'SELECT secret::text AS raw FROM auth.mfa_factors WHERE verified_at IS NOT NULL',
    );
    expect(factor!.raw).not.toContain(secret);
    const hashes = await t.engine.services.sql.query<{ code_hash: string }>('SELECT code_hash FROM auth.mfa_recovery_codes');
    expect(hashes).toHaveLength(10);
    expect(hashes.every((h) => h.code_hash.startsWith('$argon2id$') && !recoveryCodes.some((c) => h.code_hash.includes(c)))).toBe(true);
  });

  it('then asks for the code, refuses a wrong one and a replayed one, and accepts the current one', async () => {
    expect(await t.engine.call('auth.signInWithPassword', manager())).toMatchObject({ ok: false, error: { code: 'MFA_REQUIRED' } });
    nextStep();
    expect(await t.engine.call('auth.signInWithPassword', { ...manager(), totp: '123456' === code() ? '654321' : '123456' })).toMatchObject(
      { ok: false, error: { code: 'MFA_INVALID' } },
    );
    const current = code();
    const session = ok(await t.engine.call('auth.signInWithPassword', { ...manager(), totp: current }));
    expect(session.mfaEnrollmentRequired).toBe(false);
    ok(await t.engine.call('staff.list', {}, { token: session.token }));
    expect(await t.engine.call('auth.signInWithPassword', { ...manager(), totp: current })).toMatchObject({
      ok: false,
      error: { code: 'MFA_INVALID' },
    });
  });

  it('accepts each recovery code once', async () => {
    const recoveryCode = recoveryCodes[3]!;
    ok(await t.engine.call('auth.signInWithPassword', { ...manager(), recoveryCode }));
    expect(await t.engine.call('auth.signInWithPassword', { ...manager(), recoveryCode })).toMatchObject({
      ok: false,
      error: { code: 'MFA_INVALID' },
    });
    const [row] = await t.engine.services.sql.query(`SELECT outcome FROM auth.audit_logs WHERE action = 'auth.mfa.recovery_code_used'`);
    expect(row).toEqual({ outcome: 'SUCCESS' });
  });

  it('skips the code on a device trusted after one good code', async () => {
    nextStep();
    const trusted = ok(
      await t.engine.call('auth.signInWithPassword', {
        ...manager(),
        totp: code(),
        trustThisDevice: true,
        deviceName: 'Laptop de Joaquín',
      }),
    );
    expect(trusted.trustedDeviceToken).toBeTruthy();
    ok(await t.engine.call('auth.signInWithPassword', { ...manager(), trustedDeviceToken: trusted.trustedDeviceToken }));
    expect(await t.engine.call('auth.signInWithPassword', { ...manager(), trustedDeviceToken: 'forged' })).toMatchObject({
      ok: false,
      error: { code: 'MFA_REQUIRED' },
    });
  });

  it('locks after repeated wrong codes even when the password is right', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.engine.call('auth.signInWithPassword', { ...manager(), totp: '000000' === code() ? '111111' : '000000' });
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes).toEqual(['MFA_INVALID', 'MFA_INVALID', 'MFA_INVALID', 'MFA_INVALID', 'LOCKED']);
  });

  it('changes the password only with the current one, signing out the other sessions', async () => {
    t.clock.advance(16 * 60_000);
    const owner = ok(await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: t.people.owner.pin }));
    const other = ok(await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: t.people.owner.pin }));
    expect(
      await t.engine.call(
        'auth.changePassword',
        { currentPassword: 'wrong-password!', newPassword: 'Nueva-Contraseña-2027' },
        { token: owner.token },
      ),
    ).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect(
      await t.engine.call(
        'auth.changePassword',
        { currentPassword: t.people.owner.password, newPassword: 'corta' },
        { token: owner.token },
      ),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'newPassword: a password has at least 12 characters' } });
    ok(
      await t.engine.call(
        'auth.changePassword',
        { currentPassword: t.people.owner.password, newPassword: 'Nueva-Contraseña-2027' },
        { token: owner.token },
      ),
    );
    expect(await t.engine.call('auth.whoAmI', {}, { token: other.token })).toMatchObject({ ok: false, error: { code: 'SESSION_REVOKED' } });
    expect(
      await t.engine.call('auth.signInWithPassword', {
        email: t.people.owner.email,
        password: 'Nueva-Contraseña-2027',
        totp: totpCodeAt(t.people.owner.totpSecret, t.clock.now()),
      }),
    ).toMatchObject({ ok: true });
  });
});
