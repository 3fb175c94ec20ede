// Every register's audit trail reaches central as facts, append-only there too, and central
// alerts on what is in it: a lockout to those who may unlock, a sign-in from a register the
// person never used to those who manage staff. Two real registers push to one real central.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { AUDIT_RECORDED } from '#engine/services/audit/audit-forward.ts';
import { scanAlerts } from '#engine/server/central/notify/alerts/alert-scan.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { DEFAULT_THROTTLE } from '#engine/services/auth/throttle.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { ARROZ } from '../support/invoicing-counter.ts';
import { runPos } from '../support/run-cli.ts';
import { businessId, createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const throttle = { ...DEFAULT_THROTTLE, delaysMs: [0] };

describe("the registers' audit trail at central", () => {
  let database: TestDatabase;
  let central: Central;
  let first: TestTerminal;
  let second: TestTerminal;
  let employees: Record<string, string>;
  const scan = () => scanAlerts(central.sql, { now: () => new Date(), lookbackMs: 10 * 60_000 });

  const atCentral = (action: string, registerId: string) =>
    central.sql.query<{ id: string; actor_employee_id: string | null; session_id: string | null; details: Record<string, unknown> }>(
      `SELECT id, actor_employee_id, session_id, details FROM auth.audit_logs WHERE action = $1 AND details->>'register' = $2 ORDER BY created_at`,
      [action, registerId],
    );
  const inApp = (code: string) =>
    central.sql.query<{ employee_id: string; title: string; body: string }>(
      `SELECT employee_id, title, body FROM communication.in_app_notifications WHERE data->>'code' = $1 ORDER BY employee_id`,
      [code],
    );
  const pushed = (terminal: TestTerminal) => {
    terminal.engine.services.sync!.kick();
    return waitFor(
      () => terminal.engine.services.journal.after(0, 100_000).some((f) => f.kind === AUDIT_RECORDED) && terminal.status().pending === 0,
      30_000,
      'the audit entries pushed',
    );
  };

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('audit_at_central', 2));
    await seedTemplates(central.sql);
    first = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'audit-1'), registerIds[0]!, { throttle });
    const rows = await central.sql.query<{ code: string; id: string }>('SELECT code, id FROM business.employees');
    employees = Object.fromEntries(rows.map((r) => [r.code, r.id]));
  }, 180_000);

  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
    await central?.close();
    await database?.drop();
  });

  it('carries sign-ins to central with the register named, and central refuses to change them', async () => {
    await pushed(first);
    await waitFor(async () => (await atCentral('auth.sign_in', first.registerId)).length > 0, 30_000, 'the sign-in at central');
    const [signIn] = await atCentral('auth.sign_in', first.registerId);
    expect(signIn).toMatchObject({ actor_employee_id: employees['003'], session_id: null, details: { method: 'PIN' } });
    expect(signIn!.details.terminalSession).toEqual(expect.any(String));
    await expect(central.sql.query(`UPDATE auth.audit_logs SET action = 'x' WHERE id = $1`, [signIn!.id])).rejects.toThrow();
    // A first sign-in anywhere is not a new device: nobody is told.
    await scan();
    expect(await inApp('auth.new_device')).toEqual([]);
  });

  it('tells the owner and the manager, not the cashier, when wrong PINs lock an employee out, once', async () => {
    const cashier = demo.store.employees[2]!;
    const wrong = cashier.pin === '0000' ? '1111' : '0000';
    const codes: string[] = [];
    for (let i = 0; i < throttle.lockAfter; i++) {
      const answer = await first.engine.call('auth.signInWithPin', { employeeId: employees['003']!, pin: wrong });
      codes.push(answer.ok ? 'OK' : answer.error.code);
    }
    expect(codes.at(-1)).toBe('LOCKED');
    await pushed(first);
    await waitFor(async () => (await atCentral('auth.lockout', first.registerId)).length === 1, 30_000, 'the lockout at central');
    await scan();
    await scan();
    const told = await inApp('auth.lockout');
    expect(told.map((t) => t.employee_id).sort()).toEqual([employees['001'], employees['002']].sort());
    expect(`${told[0]!.title} ${told[0]!.body}`).toContain(cashier.displayName);
  });

  it('tells those who manage staff of a sign-in at a register the person never used', async () => {
    second = await openTerminal(
      await provisionDir(central, database.url, (await registerIds())[1]!, 'audit-2'),
      (await registerIds())[1]!,
      {
        throttle,
      },
    );
    await pushed(second);
    await waitFor(async () => (await atCentral('auth.sign_in', second.registerId)).length > 0, 30_000, 'the sign-in at central');
    await scan();
    const told = await inApp('auth.new_device');
    expect(told.map((t) => t.employee_id).sort()).toEqual([employees['001'], employees['002']].sort());
    const register = (
      await central.sql.query<{ code: string }>('SELECT code FROM sales.cash_registers WHERE id = $1', [second.registerId])
    )[0]!;
    expect(`${told[0]!.title} ${told[0]!.body}`).toContain(`Caja ${register.code}`);
  });

  it("lists every register's entries for the owner with pos central audit, and refuses a bad --since", async () => {
    const listed = await runPos(['central', 'audit', '--url', database.url, '--business', businessId, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = JSON.parse(listed.stdout) as { action: string; details: { register?: string } }[];
    const registers = new Set(lines.filter((l) => l.action === 'auth.sign_in').map((l) => l.details.register));
    expect(registers).toEqual(new Set([first.registerId, second.registerId]));
    const since = await runPos(['central', 'audit', '--url', database.url, '--business', businessId, '--since', 'yesterday']);
    expect(since.code).not.toBe(0);
    expect(since.stderr).toContain('--since must be an ISO date');
  });

  it('carries a price override and a void, with who approved them, to central, where pos central audit --since lists them', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const manager = demo.store.employees[1]!;
    const override = { employeeId: employees[manager.code]!, pin: manager.pin };
    const token = first.token;
    const sale = ok(await first.engine.call('sales.open', { idempotencyKey: `audit-sale-${uuidv7()}` }, { token }));
    const line = ok(await first.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token })).lines[0]!;
    ok(
      await first.engine.call(
        'sales.overridePrice',
        { saleId: sale.id, lineId: line.id, unitPrice: '1.00', reason: 'Precio de anaquel' },
        { token, override },
      ),
    );
    ok(await first.engine.call('sales.void', { saleId: sale.id, reason: 'El cliente no lo quiso' }, { token, override }));
    await pushed(first);
    const entries = (action: string) =>
      central.sql.query<{ approver_employee_id: string | null }>(
        `SELECT approver_employee_id FROM auth.audit_logs WHERE action = $1 AND details->>'register' = $2 AND created_at >= $3`,
        [action, first.registerId, since],
      );
    for (const action of ['sales.price_override', 'sales.void']) {
      await waitFor(async () => (await entries(action)).length > 0, 30_000, `${action} at central`);
      expect(
        (await entries(action)).map((e) => e.approver_employee_id),
        action,
      ).toEqual([override.employeeId]);
    }
    // Append-only there as here.
    await expect(central.sql.query(`UPDATE auth.audit_logs SET outcome = 'FAILURE' WHERE action = 'sales.void'`)).rejects.toThrow();
    const listed = await runPos(['central', 'audit', '--url', database.url, '--business', businessId, '--since', since, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const actions = (JSON.parse(listed.stdout) as { action: string }[]).map((l) => l.action);
    expect(actions).toEqual(expect.arrayContaining(['sales.price_override', 'sales.void']));
  });

  it('sets aside an entry claiming another branch, and keeps it off central', async () => {
    const id = uuidv7();
    const { fact } = first.engine.services.journal.append(AUDIT_RECORDED, `audit:${id}`, {
      id,
      business_id: businessId,
      branch_id: uuidv7(),
      action: 'auth.sign_in',
      outcome: 'SUCCESS',
      details: {},
      created_at: new Date().toISOString(),
    });
    first.engine.services.sync!.kick();
    await waitFor(() => first.status().quarantined.some((q) => q.seq === fact.seq), 30_000, 'the forged entry set aside');
    expect((await central.sql.query('SELECT 1 FROM auth.audit_logs WHERE id = $1', [id])).length).toBe(0);
  });

  async function registerIds(): Promise<string[]> {
    return (await central.sql.query<{ id: string }>('SELECT id FROM sales.cash_registers ORDER BY code')).map((r) => r.id);
  }
});
