// What central tells a business's managers: found by the alert scan in what arrived lately, sent
// to the staff whose role is concerned, on the channels each chose, once per occurrence.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { scanAlerts } from '#engine/server/central/notify/alerts/alert-scan.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import type { TestDatabase } from '../support/central.ts';
import { branchId, businessId, createCentral, provisionDir } from '../support/sync-fixture.ts';

type Sent = { code: string; channel: string; recipient: string; employee: string | null };

describe('alerts at central', () => {
  let database: TestDatabase;
  let central: Central;
  let registerId: string;
  let people: Record<string, { employee: string; user: string }>;
  let seq = 0;
  const now = () => new Date();
  const scan = () => scanAlerts(central.sql, { now, lookbackMs: 10 * 60_000 });

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('central_alerts', 1));
    registerId = registerIds[0]!;
    await seedTemplates(central.sql);
    // Provisioning makes the register a terminal central knows (its ledger's owner).
    await provisionDir(central, database.url, registerId, 'central-alerts');
    const staff = await central.sql.query<{ code: string; id: string; user_id: string }>(
      `SELECT code, id, user_id FROM business.employees`,
    );
    people = Object.fromEntries(staff.map((s) => [s.code, { employee: s.id, user: s.user_id }]));
  }, 120_000);

  afterAll(async () => {
    await central?.close();
    await database?.drop();
  });

  /** Everything addressed for this alert code: in-app rows (channel IN_APP) and jobs. */
  async function sentFor(code: string): Promise<Sent[]> {
    const inApp = await central.sql.query<Sent>(
      `SELECT data->>'code' AS code, 'IN_APP' AS channel, '' AS recipient, employee_id AS employee
       FROM communication.in_app_notifications WHERE data->>'code' = $1`,
      [code],
    );
    const jobs = await central.sql.query<Sent>(
      `SELECT t.code, j.channel, j.recipient, NULL AS employee FROM communication.notification_jobs j
       JOIN communication.notification_templates t ON t.id = j.template_id WHERE t.code = $1`,
      [code],
    );
    return [...inApp, ...jobs].sort((a, b) =>
      `${a.channel}${a.recipient}${a.employee}`.localeCompare(`${b.channel}${b.recipient}${b.employee}`),
    );
  }

  async function ledger(kind: string, payload: object, status: 'APPLIED' | 'QUARANTINED' = 'APPLIED', reason: string | null = null) {
    seq += 1;
    await central.sql.query(
      `INSERT INTO sync.ledger (register_id, seq, kind, idempotency_key, recorded_at, prev_hash, hash, payload, status, reason)
       VALUES ($1, $2, $3, $4, now(), 'x', 'y', $5, $6, $7)`,
      [registerId, seq, kind, `test:${seq}`, JSON.stringify(payload), status, reason],
    );
  }

  it("tells the owner and the manager, not the cashier, of a shift closed over the store's tolerance, once", async () => {
    const shiftId = uuidv7();
    await ledger('shift.closed', {
      shift: {
        id: shiftId,
        closed_by: people['003']!.employee,
        expected_cash: '1500.0000',
        counted_cash: '1450.0000',
        variance: '-50.0000',
      },
    });
    await scan();
    await scan();
    const sent = await sentFor('shift.variance');
    expect(sent).toEqual(
      [
        { code: 'shift.variance', channel: 'EMAIL', recipient: 'joaquin.pena@laesperanza.example', employee: null },
        { code: 'shift.variance', channel: 'EMAIL', recipient: 'rosa.nunez@laesperanza.example', employee: null },
        ...[people['001']!.employee, people['002']!.employee]
          .sort()
          .map((employee) => ({ code: 'shift.variance', channel: 'IN_APP', recipient: '', employee })),
      ].sort((a, b) => `${a.channel}${a.recipient}${a.employee}`.localeCompare(`${b.channel}${b.recipient}${b.employee}`)),
    );
    const [bell] = await central.sql.query<{ title: string; body: string; severity: string; branch_id: string }>(
      `SELECT title, body, severity, branch_id FROM communication.in_app_notifications WHERE data->>'code' = 'shift.variance' LIMIT 1`,
    );
    expect(bell!.severity).toBe('WARNING');
    expect(bell!.branch_id).toBe(branchId);
    expect(`${bell!.title} ${bell!.body}`).toContain('-$50.00');
  });

  it('stays quiet about a variance within tolerance', async () => {
    await central.sql.query(`UPDATE business.settings SET value = '"20"' WHERE business_id = $1 AND key = 'shift.varianceTolerance'`, [
      businessId,
    ]);
    forgetStoreSettings(central.sql);
    const before = (await sentFor('shift.variance')).length;
    await ledger('shift.closed', {
      shift: { id: uuidv7(), closed_by: people['003']!.employee, expected_cash: '100.0000', counted_cash: '90.0000', variance: '-10.0000' },
    });
    await scan();
    expect(await sentFor('shift.variance')).toHaveLength(before);
  });

  it('tells those who manage sync of a quarantined fact, with its reason', async () => {
    await ledger('sale.completed', {}, 'QUARANTINED', 'the sale is not of this business');
    await scan();
    const sent = await sentFor('sync.quarantine');
    expect(sent.filter((s) => s.channel === 'IN_APP')).toHaveLength(2);
    const [job] = await central.sql.query<{ payload: { data: Record<string, string> } }>(
      `SELECT j.payload FROM communication.notification_jobs j JOIN communication.notification_templates t ON t.id = j.template_id
       WHERE t.code = 'sync.quarantine' LIMIT 1`,
    );
    expect(job!.payload.data).toMatchObject({ register: 'CAJA-1', factKind: 'sale.completed', reason: 'the sale is not of this business' });
  });

  it('keeps a quarantined fact whose text jsonb refuses, and tells of it like any other', async () => {
    const inApp = async () => (await sentFor('sync.quarantine')).filter((s) => s.channel === 'IN_APP').length;
    const before = await inApp();
    const lockouts = (await sentFor('auth.lockout')).length;
    // As the ledger keeps an unstorable fact: the journal's JSON text, a NUL written as an escape.
    for (const kind of ['audit.recorded', 'shift.closed'])
      await ledger(
        kind,
        { action: 'auth.lockout', shift: { variance: '-900.0000' }, note: 'a\u0000b' },
        'QUARANTINED',
        'central cannot store this fact',
      );
    await scan();
    // Each to the two who manage sync; no lockout alert from a fact central did not apply.
    expect((await inApp()) - before).toBe(4);
    expect(await sentFor('auth.lockout')).toHaveLength(lockouts);
  });

  it('reports a register with an open shift that has not called in for longer than its store allows, once per silence', async () => {
    await central.sql.query(`UPDATE sync.terminals SET last_seen_at = now() - interval '5 minutes' WHERE register_id = $1`, [registerId]);
    await scan();
    expect(await sentFor('register.silent')).toEqual([]); // no open shift
    await central.sql.query(
      `INSERT INTO sales.shifts (id, business_id, branch_id, register_id, opened_by, status, business_date, opened_at, opening_float)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', current_date, now() - interval '2 hours', 500)`,
      [uuidv7(), businessId, branchId, registerId, people['003']!.employee],
    );
    await scan();
    expect(await sentFor('register.silent')).toEqual([]); // quiet for 5 minutes, the store allows 15
    await central.sql.query(`UPDATE sync.terminals SET last_seen_at = now() - interval '20 minutes' WHERE register_id = $1`, [registerId]);
    await scan();
    await scan();
    expect((await sentFor('register.silent')).filter((s) => s.channel === 'IN_APP')).toHaveLength(2);
  });

  it('tells whoever receives stock of a level at or under its reorder point, once a day, on the channels each chose', async () => {
    // The manager wants low stock by SMS and not by e-mail; the owner keeps the defaults.
    await central.sql.query(
      `INSERT INTO communication.notification_preferences (id, user_id, code, channel, enabled) VALUES
       ($1, $3, 'stock.low', 'EMAIL', false), ($2, $3, '*', 'SMS', true)`,
      [uuidv7(), uuidv7(), people['002']!.user],
    );
    const [level] = await central.sql.query<{ id: string }>(
      `UPDATE inventory.stock_levels SET quantity = 3, reorder_point = 10
       WHERE id = (SELECT id FROM inventory.stock_levels WHERE branch_id = $1 ORDER BY id LIMIT 1) RETURNING id`,
      [branchId],
    );
    expect(level).toBeDefined();
    await scan();
    await scan();
    const sent = (await sentFor('stock.low')).map((s) => `${s.channel} ${s.recipient}`);
    expect(sent.filter((s) => s.startsWith('IN_APP'))).toHaveLength(2);
    expect(sent.filter((s) => !s.startsWith('IN_APP'))).toEqual(['EMAIL rosa.nunez@laesperanza.example', 'SMS +525512340002']);
  });
});
