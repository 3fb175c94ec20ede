import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '#contract/calls.ts';
import { needsStepUp } from '#engine/services/auth/step-up.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { ok, openDemoEngine, signIn, stepUp } from '../support/demo-engine.ts';

let t: Awaited<ReturnType<typeof openDemoEngine>>;
let variant: { id: string; version: number; price: string };
beforeAll(async () => {
  t = await openDemoEngine('step-up');
  const [row] = await t.engine.services.sql.query<{ id: string; version: number; price: string }>(
    'SELECT id, version, price::text AS price FROM inventory.product_variants ORDER BY sku LIMIT 1',
  );
  variant = row!;
});
afterAll(() => t.dispose());

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.engine.services.sql.query<T>(text, params);
const code = (secret: string) => totpCodeAt(secret, t.clock.now());
const notTheCode = (secret: string) => (code(secret) === '000000' ? '111111' : '000000');
const priceNow = async () =>
  (
    await q<{ price: string; version: number }>('SELECT price::text AS price, version FROM inventory.product_variants WHERE id = $1', [
      variant.id,
    ])
  )[0]!;
const setPrice = async (token: string, price: string) =>
  t.engine.call('catalog.setPrice', { variantId: variant.id, version: (await priceNow()).version, price }, { token });

describe('the back office asks a PIN session for the password and the authenticator code before any change', () => {
  let manager: string;
  beforeAll(async () => {
    manager = await signIn(t.engine, t.people.manager.id, t.people.manager.pin);
  });

  it("refuses a manager's change on the PIN alone, writes nothing, and still lets them read the catalog and stock", async () => {
    const before = await priceNow();
    expect(await setPrice(manager, '99.00')).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    const hired = await t.engine.call(
      'staff.save',
      {
        code: '095',
        displayName: 'Sin Paso',
        roleId: '019abf1c-0000-7000-8000-000000000000',
        branchIds: [t.engine.services.terminal!.branchId],
      },
      { token: manager },
    );
    expect(hired).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    expect(await priceNow()).toEqual(before);
    expect(ok(await t.engine.call('catalog.products', { limit: 5 }, { token: manager })).items).toHaveLength(5);
    expect(ok(await t.engine.call('inventory.levels', { limit: 5 }, { token: manager })).items).toHaveLength(5);
    expect(ok(await t.engine.call('auth.whoAmI', {}, { token: manager })).stepUpUntil).toBeNull();
  });

  it('tells a cashier they may not, instead of asking for a password they do not have', async () => {
    const cashier = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
    expect(await setPrice(cashier, '99.00')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.engine.call('auth.stepUp', { password: 'Esperanza-Cajera-2026', totp: '123456' }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', params: { reason: 'no_password' } },
    });
  });

  it('asks for the code after the right password, refuses a wrong password or code, and opens for 15 minutes on both', async () => {
    const { password, totpSecret } = t.people.manager;
    expect(await t.engine.call('auth.stepUp', { password: 'not-the-password', totp: code(totpSecret) }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    expect(await t.engine.call('auth.stepUp', { password }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'MFA_REQUIRED' },
    });
    expect(await t.engine.call('auth.stepUp', { password, totp: notTheCode(totpSecret) }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'MFA_INVALID' },
    });
    // The owner's password is no way into the manager's session: the check is for the session's own person.
    expect(
      await t.engine.call('auth.stepUp', { password: t.people.owner.password, totp: code(t.people.owner.totpSecret) }, { token: manager }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });

    const opened = ok(await t.engine.call('auth.stepUp', { password, totp: code(totpSecret) }, { token: manager }));
    expect(opened.stepUpUntil).toBe(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    expect(ok(await t.engine.call('auth.whoAmI', {}, { token: manager })).stepUpUntil).toBe(opened.stepUpUntil);
    ok(await setPrice(manager, '31.50'));
    expect((await priceNow()).price).toBe('31.5000');

    const audit = await q<{ action: string; outcome: string; reason: string | null }>(
      `
      SELECT action, outcome, details->>'reason' AS reason FROM auth.audit_logs
      WHERE actor_employee_id = $1 AND action IN ('auth.step_up', 'auth.mfa') ORDER BY created_at, id`,
      [t.people.manager.id],
    );
    expect(audit).toEqual([
      { action: 'auth.step_up', outcome: 'FAILURE', reason: 'wrong_secret' },
      { action: 'auth.mfa', outcome: 'FAILURE', reason: 'wrong_totp' },
      { action: 'auth.step_up', outcome: 'FAILURE', reason: 'wrong_secret' },
      { action: 'auth.step_up', outcome: 'SUCCESS', reason: null },
    ]);
  });

  it("refuses the same code a second time, and does not carry the step-up to the manager's other sessions", async () => {
    const other = await signIn(t.engine, t.people.manager.id, t.people.manager.pin);
    expect(await setPrice(other, '32.00')).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    expect(
      await t.engine.call(
        'auth.stepUp',
        { password: t.people.manager.password, totp: code(t.people.manager.totpSecret) },
        { token: other },
      ),
    ).toMatchObject({ ok: false, error: { code: 'MFA_INVALID' } });
  });

  it("asks again once the step-up is over, and for as long as the store's setting says", async () => {
    t.clock.advance(15 * 60_000);
    expect(await setPrice(manager, '33.00')).toMatchObject({
      ok: false,
      error: { code: 'STEP_UP_REQUIRED', params: { reason: 'expired' } },
    });
    await t.engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES ($1, $2, 'auth.stepUpMinutes', '5'::jsonb)`,
      ['019abf1c-0000-7000-8000-0000000005a1', t.engine.services.terminal!.businessId],
    );
    const opened = ok(
      await t.engine.call(
        'auth.stepUp',
        { password: t.people.manager.password, totp: code(t.people.manager.totpSecret) },
        { token: manager },
      ),
    );
    expect(opened.stepUpUntil).toBe(new Date(t.clock.now().getTime() + 5 * 60_000).toISOString());
    t.clock.advance(4 * 60_000);
    ok(await setPrice(manager, '33.00'));
    t.clock.advance(60_000);
    expect(await setPrice(manager, '34.00')).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
  });

  it('ends at once when the back office is left', async () => {
    await stepUp(t, manager, t.people.manager);
    ok(await setPrice(manager, '35.00'));
    expect(ok(await t.engine.call('auth.endStepUp', {}, { token: manager }))).toEqual({ ended: true });
    expect(await setPrice(manager, '36.00')).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    expect(await q(`SELECT outcome FROM auth.audit_logs WHERE action = 'auth.step_up_ended'`)).toEqual([{ outcome: 'SUCCESS' }]);
  });

  it('counts wrong codes with the right password towards the same lock as a password sign-in', async () => {
    const owner = await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.engine.call(
        'auth.stepUp',
        { password: t.people.owner.password, totp: notTheCode(t.people.owner.totpSecret) },
        { token: owner },
      );
      answers.push(r.ok ? 'OK' : r.error.code);
    }
    expect(answers).toEqual(['MFA_INVALID', 'MFA_INVALID', 'MFA_INVALID', 'MFA_INVALID', 'LOCKED']);
    t.clock.advance(30_000);
    expect(
      await t.engine.call('auth.stepUp', { password: t.people.owner.password, totp: code(t.people.owner.totpSecret) }, { token: owner }),
    ).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(
      await t.engine.call('auth.signInWithPassword', {
        email: t.people.owner.email,
        password: t.people.owner.password,
        totp: code(t.people.owner.totpSecret),
      }),
    ).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });
});

describe('the authenticator behind the step-up', () => {
  it('cannot be replaced on the PIN alone, only once the old one has stepped the session up', async () => {
    const manager = await signIn(t.engine, t.people.manager.id, t.people.manager.pin);
    const started = ok(await t.engine.call('auth.mfa.beginTotp', {}, { token: manager }));
    t.clock.advance(30_000);
    expect(
      await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code(started.secret) }, { token: manager }),
    ).toMatchObject({ ok: false, error: { code: 'STEP_UP_REQUIRED' } });
    await stepUp(t, manager, t.people.manager);
    ok(await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: code(started.secret) }, { token: manager }));
    // The old secret opens nothing any more; the new one does.
    t.clock.advance(30_000);
    expect(
      await t.engine.call(
        'auth.stepUp',
        { password: t.people.manager.password, totp: code(t.people.manager.totpSecret) },
        { token: manager },
      ),
    ).toMatchObject({ ok: false, error: { code: 'MFA_INVALID' } });
    ok(await t.engine.call('auth.stepUp', { password: t.people.manager.password, totp: code(started.secret) }, { token: manager }));
  });
});

describe('which calls need the step-up', () => {
  it('is every call that changes the catalog, stock, staff, roles or settings, and no call a cashier makes at the till', () => {
    const gated = Object.entries(contract)
      .filter(([, spec]) => needsStepUp(spec.access))
      .map(([name]) => name)
      .sort();
    expect(gated).toEqual([
      'catalog.addBarcode',
      'catalog.removeBarcode',
      'catalog.saveProduct',
      'catalog.saveVariant',
      'catalog.setPrice',
      'inventory.adjust',
      'inventory.receive',
      'payments.providerTerminals',
      'payments.setProviderToken',
      'roles.list',
      'roles.save',
      'settings.setSelfInvoicing',
      'staff.list',
      'staff.save',
      'staff.setPin',
      'sync.resolveConflict',
    ]);
  });
});
