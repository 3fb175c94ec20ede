import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { dispatch } from '#engine/dispatch.ts';
import { hashSecret } from '#engine/services/auth/secret-hash.ts';
import { kycContext } from '#engine/services/staff/handlers.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import * as s from '#db/schema/index.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';
import { runPos } from '../support/run-cli.ts';

let t: Awaited<ReturnType<typeof openDemoEngine>>;
let cashier: string;
let owner: string;
beforeAll(async () => {
  t = await openDemoEngine('permissions');
  cashier = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
  owner = await signInToBackOffice(t, t.people.owner);
});
afterAll(() => t.dispose());

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.engine.services.sql.query<T>(text, params);
const count = async (table: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
const roleId = async (name: string) => (await q<{ id: string }>('SELECT id FROM business.roles WHERE name = $1', [name]))[0]!.id;
const branchId = () => t.engine.services.terminal!.branchId;

describe('the engine enforces permissions whatever the renderer asks', () => {
  it('refuses a cashier who asks to add staff, edit roles or read the audit trail, and changes nothing', async () => {
    const before = [await count('business.employees'), await count('business.role_permissions')];
    const attempts = [
      { call: 'staff.save', input: { code: '099', displayName: 'Intruso', roleId: await roleId('Dueño'), branchIds: [branchId()] } },
      { call: 'roles.save', input: { id: await roleId('Cajero'), name: 'Cajero', maxDiscountRate: '1', permissions: ['staff.manage'] } },
      { call: 'audit.tail', input: {} },
    ];
    for (const attempt of attempts) {
      expect(await t.engine.dispatch({ ...attempt, token: cashier })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect([await count('business.employees'), await count('business.role_permissions')]).toEqual(before);
  });

  it('refuses every call but the public ones without a session', async () => {
    expect(await t.engine.call('staff.list', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(await t.engine.call('auth.whoAmI', {}, { token: 'made-up-token' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
  });
});

describe('a manager override', () => {
  it('is asked for when a cashier needs a permission a manager may lend', async () => {
    const r = await t.engine.call('staff.unlock', { employeeId: t.people.cashier.id }, { token: cashier });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'OVERRIDE_REQUIRED',
        message: expect.any(String),
        params: {
          permission: 'staff.unlock',
          subject: 'Ángela Ibáñez',
          approvers: [
            { employeeId: t.people.manager.id, displayName: 'Joaquín Peña', role: 'Gerente' },
            { employeeId: t.people.owner.id, displayName: 'Rosa María Núñez', role: 'Dueño' },
          ],
        },
      },
    });
  });

  it('authorises that one call with the manager PIN and is audited with both employees', async () => {
    ok(
      await t.engine.call(
        'staff.unlock',
        { employeeId: t.people.cashier.id },
        {
          token: cashier,
          override: { employeeId: t.people.manager.id, pin: t.people.manager.pin },
        },
      ),
    );
    const [row] = await q(
      `SELECT * FROM auth.audit_logs WHERE action = 'auth.override' AND outcome = 'SUCCESS' ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({
      actor_employee_id: t.people.cashier.id,
      approver_employee_id: t.people.manager.id,
      details: { call: 'staff.unlock', permission: 'staff.unlock', requestedByName: 'Ángela Ibáñez', approvedByName: 'Joaquín Peña' },
    });
    const [unlock] = await q(`SELECT * FROM auth.audit_logs WHERE action = 'auth.unlock' ORDER BY created_at DESC, id DESC LIMIT 1`);
    expect(unlock).toMatchObject({
      actor_employee_id: t.people.cashier.id,
      approver_employee_id: t.people.manager.id,
      details: { approvedBy: 'Joaquín Peña' },
    });
    // The override was for that call only.
    expect(await t.engine.call('staff.unlock', { employeeId: t.people.cashier.id }, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REQUIRED' },
    });
  });

  it('is refused with a wrong PIN, by an employee without the permission, or by oneself', async () => {
    const attempt = (override: { employeeId: string; pin: string }) =>
      t.engine.call('staff.unlock', { employeeId: t.people.cashier.id }, { token: cashier, override });
    expect(await attempt({ employeeId: t.people.manager.id, pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REFUSED' },
    });
    expect(await attempt({ employeeId: t.people.cashier.id, pin: t.people.cashier.pin })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REFUSED' },
    });
    const before = await count('auth.audit_logs');
    ok(await t.engine.call('staff.setPin', { employeeId: t.people.cashier.id, pin: t.people.cashier.pin }, { token: owner }));
    const other = ok(
      await t.engine.call(
        'staff.save',
        {
          code: '004',
          displayName: 'Beto Cañas',
          roleId: await roleId('Cajero'),
          branchIds: [branchId()],
        },
        { token: owner },
      ),
    );
    ok(await t.engine.call('staff.setPin', { employeeId: other.employeeId, pin: '4321' }, { token: owner }));
    expect(await attempt({ employeeId: other.employeeId, pin: '4321' })).toMatchObject({
      ok: false,
      error: { code: 'OVERRIDE_REFUSED', message: expect.stringContaining('Beto Cañas may not authorise') },
    });
    expect(
      await q(`SELECT outcome FROM auth.audit_logs WHERE action = 'auth.override' AND approver_employee_id = $1`, [other.employeeId]),
    ).toEqual([{ outcome: 'DENIED' }]);
    expect(await count('auth.audit_logs')).toBeGreaterThan(before);
  });
});

describe('an override inside a call', () => {
  const ARROZ = '7505599000026'; // 31.50
  let saleId: string;
  let lineId: string;
  let pricer: { id: string; pin: string };
  beforeAll(async () => {
    // Someone trusted with prices but not with discounts, whose discount limit would cover anything.
    const role = ok(
      await t.engine.call(
        'roles.save',
        { name: 'Precios', maxDiscountRate: '1', permissions: ['sales.sell', 'sales.price_override'] },
        { token: owner },
      ),
    );
    const hired = ok(
      await t.engine.call(
        'staff.save',
        { code: '080', displayName: 'Pablo Preciado', roleId: role.roleId, branchIds: [branchId()] },
        { token: owner },
      ),
    );
    ok(await t.engine.call('staff.setPin', { employeeId: hired.employeeId, pin: '8080' }, { token: owner }));
    pricer = { id: hired.employeeId, pin: '8080' };
    ok(await t.engine.call('shifts.open', { idempotencyKey: `perm-shift-${Date.now()}`, openingFloat: '500.00' }, { token: cashier }));
    saleId = ok(await t.engine.call('sales.open', { idempotencyKey: `perm-sale-${Date.now()}` }, { token: cashier })).id;
    lineId = ok(await t.engine.call('sales.addItem', { saleId, code: ARROZ }, { token: cashier })).lines[0]!.id;
    // 1.50 off 31.50 is within the cashier's 5 %; off 15.00 it is 10 %, which needs sales.discount.
    ok(await t.engine.call('sales.setLineDiscount', { saleId, lineId, discount: { kind: 'amount', value: '1.50' } }, { token: cashier }));
  }, 60_000);

  it('is checked again for each permission at stake: a price lent by one who may not discount does not carry the discount with it', async () => {
    const cut = await t.engine.call(
      'sales.overridePrice',
      { saleId, lineId, unitPrice: '15.00', reason: 'precio de oferta' },
      { token: cashier, override: { employeeId: pricer.id, pin: pricer.pin } },
    );
    expect(cut).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REFUSED', params: { permission: 'sales.discount' } } });
    const line = ok(await t.engine.call('sales.get', { saleId }, { token: cashier })).lines[0]!;
    expect(line).toMatchObject({ unitPrice: '31.5000' });
    expect(
      await q(
        `SELECT outcome, details->>'permission' AS permission FROM auth.audit_logs
      WHERE action = 'auth.override' AND approver_employee_id = $1 ORDER BY created_at, id`,
        [pricer.id],
      ),
    ).toEqual([
      { outcome: 'SUCCESS', permission: 'sales.price_override' },
      { outcome: 'DENIED', permission: 'sales.discount' },
    ]);
  });

  it('goes through when the approver holds every permission at stake, with each one audited', async () => {
    ok(
      await t.engine.call(
        'sales.overridePrice',
        { saleId, lineId, unitPrice: '15.00', reason: 'precio de oferta' },
        { token: cashier, override: { employeeId: t.people.manager.id, pin: t.people.manager.pin } },
      ),
    );
    expect(
      await q(
        `SELECT outcome, details->>'permission' AS permission FROM auth.audit_logs
      WHERE action = 'auth.override' AND approver_employee_id = $1 AND details->>'call' = 'sales.overridePrice' ORDER BY created_at, id`,
        [t.people.manager.id],
      ),
    ).toEqual([
      { outcome: 'SUCCESS', permission: 'sales.price_override' },
      { outcome: 'SUCCESS', permission: 'sales.discount' },
    ]);
    ok(
      await t.engine.call(
        'sales.void',
        { saleId, reason: 'prueba' },
        { token: cashier, override: { employeeId: t.people.manager.id, pin: t.people.manager.pin } },
      ),
    );
  });
});

/**
 * The back office asks for a password and an authenticator code; someone hired here has neither
 * until given them. The password is written as a seeded one is; the authenticator is set up
 * through the engine, and a recovery code from it steps the session up.
 */
async function stepUpNewcomer(employeeId: string, token: string) {
  const [row] = await q<{ user_id: string }>('SELECT user_id FROM business.employees WHERE id = $1', [employeeId]);
  const password = 'Supervisora-de-prueba-2026';
  await t.engine.services.db.insert(s.userIdentities).values({
    id: uuidv7(),
    userId: row!.user_id,
    provider: 'PASSWORD',
    subject: `${employeeId}@example.com`,
    secretHash: await hashSecret(password),
  });
  const started = ok(await t.engine.call('auth.mfa.beginTotp', {}, { token }));
  const { recoveryCodes } = ok(
    await t.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: totpCodeAt(started.secret, t.clock.now()) }, { token }),
  );
  ok(await t.engine.call('auth.stepUp', { password, recoveryCode: recoveryCodes[0]! }, { token }));
}

describe('nobody hands out more than they hold', () => {
  let manager: string;
  beforeAll(async () => {
    manager = await signInToBackOffice(t, t.people.manager);
  });
  const refusals = async (employeeId: string) =>
    q<{ details: { what: string; missing: string[] } }>(
      `SELECT details FROM auth.audit_logs WHERE action = 'auth.beyond_authority' AND outcome = 'DENIED' AND actor_employee_id = $1 ORDER BY created_at, id`,
      [employeeId],
    );

  it("refuses a manager who would give the owner's role to someone new or to themselves, and writes each attempt down", async () => {
    const before = await count('business.employees');
    const owners = await roleId('Dueño');
    const hire = await t.engine.call(
      'staff.save',
      { code: '090', displayName: 'Un amigo', roleId: owners, branchIds: [branchId()] },
      { token: manager },
    );
    expect(hire).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', params: { permissions: expect.arrayContaining(['roles.manage', 'settings.manage']) } },
    });
    const climb = await t.engine.call(
      'staff.save',
      {
        id: t.people.manager.id,
        code: '002',
        displayName: 'Joaquín Peña',
        roleId: owners,
        branchIds: [branchId()],
      },
      { token: manager },
    );
    expect(climb).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await count('business.employees')).toBe(before);
    expect(await q('SELECT role_id FROM business.employees WHERE id = $1', [t.people.manager.id])).toEqual([
      { role_id: await roleId('Gerente') },
    ]);
    expect((await refusals(t.people.manager.id)).map((r) => r.details.what)).toEqual(['giving the role Dueño', 'giving the role Dueño']);
  });

  it("refuses a manager who would set the owner's PIN and so sign in as the owner; the owner's PIN still works", async () => {
    const r = await t.engine.call('staff.setPin', { employeeId: t.people.owner.id, pin: '9999' }, { token: manager });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.engine.call('auth.signInWithPin', { employeeId: t.people.owner.id, pin: '9999' })).toMatchObject({ ok: false });
    await signIn(t.engine, t.people.owner.id, t.people.owner.pin);
    expect((await refusals(t.people.manager.id)).at(-1)!.details).toMatchObject({ what: 'setting the PIN of Rosa María Núñez' });
  });

  it('lets a manager hire a cashier and give them a PIN', async () => {
    const hired = ok(
      await t.engine.call(
        'staff.save',
        { code: '091', displayName: 'Nuevo Cajero', roleId: await roleId('Cajero'), branchIds: [branchId()] },
        { token: manager },
      ),
    );
    ok(await t.engine.call('staff.setPin', { employeeId: hired.employeeId, pin: '2468' }, { token: manager }));
    await signIn(t.engine, hired.employeeId, '2468');
  });

  it('refuses a role editor who would create a role with a permission they lack, or change a role above theirs', async () => {
    const supervisor = ok(
      await t.engine.call(
        'roles.save',
        {
          name: 'Supervisor',
          maxDiscountRate: '0.1',
          permissions: ['roles.manage', 'staff.manage', 'sales.sell'],
        },
        { token: owner },
      ),
    );
    const hired = ok(
      await t.engine.call(
        'staff.save',
        { code: '092', displayName: 'Sofía Supervisora', roleId: supervisor.roleId, branchIds: [branchId()] },
        { token: owner },
      ),
    );
    ok(await t.engine.call('staff.setPin', { employeeId: hired.employeeId, pin: '1357' }, { token: owner }));
    const editor = await signIn(t.engine, hired.employeeId, '1357');
    await stepUpNewcomer(hired.employeeId, editor);
    const rolesBefore = await count('business.roles');
    expect(
      await t.engine.call('roles.save', { name: 'Atajo', maxDiscountRate: '0', permissions: ['settings.manage'] }, { token: editor }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { permissions: ['settings.manage'] } } });
    expect(
      await t.engine.call(
        'roles.save',
        {
          id: supervisor.roleId,
          name: 'Supervisor',
          maxDiscountRate: '0.1',
          permissions: ['roles.manage', 'staff.manage', 'sales.sell', 'audit.view'],
        },
        { token: editor },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { permissions: ['audit.view'] } } });
    expect(
      await t.engine.call(
        'roles.save',
        { id: await roleId('Dueño'), name: 'Dueño', maxDiscountRate: '1', permissions: ['roles.manage'] },
        { token: editor },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await count('business.roles')).toBe(rolesBefore);
    ok(await t.engine.call('roles.save', { name: 'Solo ventas', maxDiscountRate: '0', permissions: ['sales.sell'] }, { token: editor }));
  });
});

describe('roles and permissions per business', () => {
  it('take effect on the next call and are audited with what was added and removed', async () => {
    const cajero = await roleId('Cajero');
    const current = ok(await t.engine.call('roles.list', {}, { token: owner })).find((r) => r.id === cajero)!;
    const next = [...current.permissions.filter((p) => p !== 'sales.reprint'), 'sales.void'];
    const changed = ok(
      await t.engine.call('roles.save', { id: cajero, name: 'Cajero', maxDiscountRate: '0.050000', permissions: next }, { token: owner }),
    );
    expect(changed).toMatchObject({ added: ['sales.void'], removed: ['sales.reprint'] });
    const me = ok(await t.engine.call('auth.whoAmI', {}, { token: cashier }));
    expect(me.permissions).toContain('sales.void');
    expect(me.permissions).not.toContain('sales.reprint');
    const [row] = await q(`SELECT * FROM auth.audit_logs WHERE action = 'roles.changed' ORDER BY created_at DESC LIMIT 1`);
    expect(row).toMatchObject({
      actor_employee_id: t.people.owner.id,
      details: { role: 'Cajero', added: ['sales.void'], removed: ['sales.reprint'] },
    });
  });

  it('will not let an owner take away their own right to edit roles', async () => {
    const r = await t.engine.call(
      'roles.save',
      { id: await roleId('Dueño'), name: 'Dueño', maxDiscountRate: '1', permissions: ['sales.sell'] },
      { token: owner },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('lets one person be a cashier here and the owner of another business', async () => {
    const db = t.engine.services.db;
    const [angela] = await q<{ user_id: string }>('SELECT user_id FROM business.employees WHERE id = $1', [t.people.cashier.id]);
    const ids = { business: uuidv7(), branch: uuidv7(), register: uuidv7(), role: uuidv7(), employee: uuidv7() };
    await db.insert(s.businesses).values({
      id: ids.business,
      name: 'Fonda Ángela',
      legalName: 'Ángela Ibáñez',
      type: 'RESTAURANT',
      country: 'MX',
      currency: 'MXN',
      taxId: 'IAIA800101AB1',
      ownerUserId: angela!.user_id,
    });
    await db.insert(s.branches).values({
      id: ids.branch,
      businessId: ids.business,
      code: 'F1',
      name: 'Fonda',
      timezone: 'America/Mexico_City',
      addressLine1: 'Calle 5',
      city: 'Puebla',
      state: 'Puebla',
      postalCode: '72000',
      country: 'MX',
    });
    await db.insert(s.cashRegisters).values({ id: ids.register, businessId: ids.business, branchId: ids.branch, code: 'C1', name: 'Caja' });
    await db.insert(s.roles).values({ id: ids.role, businessId: ids.business, name: 'Dueña' });
    const all = await q<{ id: string }>('SELECT id FROM business.permissions');
    await db.insert(s.rolePermissions).values(all.map((p) => ({ roleId: ids.role, permissionId: p.id })));
    await db.insert(s.employees).values({
      id: ids.employee,
      businessId: ids.business,
      userId: angela!.user_id,
      roleId: ids.role,
      code: '1',
      displayName: 'Ángela Ibáñez',
    });
    await db.insert(s.employeeBranches).values({ employeeId: ids.employee, branchId: ids.branch });
    await db
      .insert(s.userIdentities)
      .values({ userId: angela!.user_id, businessId: ids.business, provider: 'PIN', secretHash: await hashSecret('8642') });

    const fonda = {
      ...t.engine.services,
      terminal: { deviceId: 'fonda-1', businessId: ids.business, branchId: ids.branch, registerId: ids.register },
    };
    const there = await dispatch(fonda, { call: 'auth.signInWithPin', input: { employeeId: ids.employee, pin: '8642' } });
    expect(there.ok && (there.value as { permissions: string[] }).permissions).toContain('staff.manage');
    // Her shop's PIN does not open the corner shop, and her session there is no good here.
    expect(await t.engine.call('auth.signInWithPin', { employeeId: t.people.cashier.id, pin: '8642' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CREDENTIALS' },
    });
    const token = there.ok ? (there.value as { token: string }).token : '';
    expect(await t.engine.call('staff.list', {}, { token })).toMatchObject({ ok: false, error: { code: 'SESSION_REVOKED' } });
    expect(ok(await t.engine.call('auth.whoAmI', {}, { token: cashier })).permissions).not.toContain('staff.manage');
  });
});

describe('staff records', () => {
  it('store a name with SQL in it as plain text and change nothing else', async () => {
    const name = "Robert'); DROP TABLE business.employees; --";
    const before = await count('business.employees');
    const saved = ok(
      await t.engine.call(
        'staff.save',
        { code: '005', displayName: name, roleId: await roleId('Cajero'), branchIds: [branchId()] },
        { token: owner },
      ),
    );
    expect(await q('SELECT display_name FROM business.employees WHERE id = $1', [saved.employeeId])).toEqual([{ display_name: name }]);
    expect(await count('business.employees')).toBe(before + 1);
  });

  it('refuses a duplicate employee code with a clear conflict', async () => {
    const r = await t.engine.call(
      'staff.save',
      { code: '001', displayName: 'Otra Rosa', roleId: await roleId('Cajero'), branchIds: [branchId()] },
      { token: owner },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'employee code 001 is already used' } });
  });

  it('set a PIN as an Argon2id hash that then signs the employee in', async () => {
    const saved = ok(
      await t.engine.call(
        'staff.save',
        { code: '006', displayName: 'Lupita Muñoz', roleId: await roleId('Cajero'), branchIds: [branchId()] },
        { token: owner },
      ),
    );
    ok(await t.engine.call('staff.setPin', { employeeId: saved.employeeId, pin: '13579' }, { token: owner }));
    const [identity] = await q<{ secret_hash: string }>(
      `SELECT secret_hash FROM auth.user_identities WHERE user_id = $1 AND provider = 'PIN'`,
      [saved.userId],
    );
    expect(identity!.secret_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(ok(await t.engine.call('auth.signInWithPin', { employeeId: saved.employeeId, pin: '13579' })).employee.displayName).toBe(
      'Lupita Muñoz',
    );
    expect(await q(`SELECT 1 FROM auth.audit_logs WHERE action = 'auth.pin_set' AND entity_id = $1`, [saved.employeeId])).toHaveLength(1);
  });

  it('keep identity documents encrypted in the database, readable only with the key and only for that row', async () => {
    const kyc = { rfc: 'MUGL900101AB1', curp: 'MUGL900101MDFXXX09', domicilio: 'Av. Coyoacán 12, Ciudad de México' };
    const saved = ok(
      await t.engine.call(
        'staff.save',
        {
          code: '007',
          displayName: 'Guadalupe Muñoz',
          roleId: await roleId('Cajero'),
          branchIds: [branchId()],
          email: 'lupita.munoz@example.com',
          kyc: { level: 2, data: kyc },
        },
        { token: owner },
      ),
    );
    const [row] = await q<{ kyc_data: Parameters<typeof t.engine.services.sealer.open>[0]; raw: string }>(
      'SELECT kyc_data, kyc_data::text AS raw FROM auth.users WHERE id = $1',
      [saved.userId],
    );
    for (const value of Object.values(kyc)) expect(row!.raw).not.toContain(value);
    expect(t.engine.services.sealer.open(row!.kyc_data, kycContext(saved.userId))).toEqual(kyc);
    expect(() => t.engine.services.sealer.open(row!.kyc_data, kycContext(t.people.owner.id))).toThrow(/does not open/);
  });
});

describe('pos audit tail', () => {
  it('prints the latest entries with the names of both employees of an override', async () => {
    await t.engine.close();
    const r = await runPos(['audit', 'tail', '--data-dir', t.dir, '--limit', '200']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/auth\.override\s+SUCCESS\s+Ángela Ibáñez \(authorised by Joaquín Peña\)/);
    expect(r.stdout).toMatch(/auth\.sign_in\s+SUCCESS\s+Rosa María Núñez {"method":"PIN"}/);
    const bad = await runPos(['audit', 'tail', '--data-dir', t.dir, '--limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('pos: --limit must be a whole number from 1 to 1000');
  });
});
