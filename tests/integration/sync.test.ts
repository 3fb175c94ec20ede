// Push and pull against the real PostgreSQL server: a terminal's sales reach central exactly
// once, its catalog and staff come down, and a refused fact is set aside without blocking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PULL_TABLES } from '#engine/sync/pull-tables.ts';
import type { Central } from '#db/central.ts';
import type { TestDatabase } from '../support/central.ts';
import { createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { runPos } from '../support/run-cli.ts';
import { ok } from '../support/demo-engine.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '#engine/engine.ts';
import { writeTerminal } from '#engine/terminal.ts';
import { gtinCheckDigit } from '#contract/gtin.ts';
import { v7 as uuidv7 } from 'uuid';
import { userIdentities } from '#db/schema/auth.ts';
import { hashSecret } from '#engine/services/auth/secret-hash.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';

/**
 * Central sends no passwords to a terminal (README, "Row-level security"), so a synced terminal's
 * back office has none to ask for: the owner is given one on this terminal, sets up an
 * authenticator through the engine, and steps up with one of its recovery codes.
 */
async function stepUpOnThisTerminal(on: TestTerminal, employeeId: string, token: string) {
  const [row] = await on.engine.services.sql.query<{ user_id: string }>('SELECT user_id FROM business.employees WHERE id = $1', [
    employeeId,
  ]);
  const password = 'Dueña-en-esta-caja-2026';
  await on.engine.services.db.insert(userIdentities).values({
    id: uuidv7(),
    userId: row!.user_id,
    provider: 'PASSWORD',
    subject: 'duena-en-esta-caja@example.com',
    secretHash: await hashSecret(password),
  });
  const started = ok(await on.engine.call('auth.mfa.beginTotp', {}, { token }));
  const { recoveryCodes } = ok(
    await on.engine.call('auth.mfa.confirmTotp', { factorId: started.factorId, code: totpCodeAt(started.secret, new Date()) }, { token }),
  );
  ok(await on.engine.call('auth.stepUp', { password, recoveryCode: recoveryCodes[0]! }, { token }));
}

let database: TestDatabase;
let central: Central;
let registerIds: string[];
let terminal: TestTerminal;

beforeAll(async () => {
  ({ database, central, registerIds } = await createCentral('sync', 3));
  terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'sync-a'), registerIds[0]!);
}, 120_000);

afterAll(async () => {
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

const centralCount = async (sql: string, params: unknown[] = []) => Number((await central.sql.query<{ n: string }>(sql, params))[0]!.n);

describe('sync with central', () => {
  it('pulls the catalog, staff and settings down before the first sale', async () => {
    const [local] = await terminal.engine.services.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory.product_variants');
    expect(local!.n).toBe(await centralCount('SELECT count(*) AS n FROM inventory.product_variants'));
    expect(terminal.status()).toMatchObject({ state: 'online', online: true, lastError: null, blocked: null, attention: null });
  });

  it('pushes each completed sale to central once, with its lines and payments', async () => {
    const sales = [await terminal.sell(2), await terminal.sell(3)];
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
    for (const { saleId } of sales) {
      expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1 AND status = 'COMPLETED'`, [saleId])).toBe(1);
      expect(await centralCount('SELECT count(*) AS n FROM payments.transactions WHERE sale_id = $1', [saleId])).toBe(1);
    }
    const head = terminal.engine.services.journal.head().seq;
    expect(await centralCount('SELECT count(*) AS n FROM sync.ledger WHERE register_id = $1', [terminal.registerId])).toBe(head);
    expect(await centralCount('SELECT max(seq) AS n FROM sync.ledger WHERE register_id = $1', [terminal.registerId])).toBe(head);
  });

  it('brings a price changed on central down to the terminal', async () => {
    const [variant] = await central.sql.query<{ id: string }>(
      'SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode LIMIT 1',
    );
    await central.sql.query(`UPDATE inventory.product_variants SET price = 123.4500, version = version + 1 WHERE id = $1`, [variant!.id]);
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    const token = ok(
      await terminal.engine.call('auth.signInWithPin', { employeeId: manager!.id, pin: demo.store.employees[1]!.pin }),
    ).token;
    expect(ok(await terminal.engine.call('sync.now', {}, { token }))).toEqual({ started: true });
    await waitFor(
      async () =>
        (
          await terminal.engine.services.sql.query<{ price: string }>(
            'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1',
            [variant!.id],
          )
        )[0]!.price === '123.4500',
      60_000,
      'the new price',
    );
    expect((await terminal.engine.call('sync.now', {}, { token: terminal.token })).ok).toBe(false);
  });

  it('brings down what a central transaction wrote while it stayed open past the settle window, and rows inserted stamped a week ago', async () => {
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    const token = ok(
      await terminal.engine.call('auth.signInWithPin', { employeeId: manager!.id, pin: demo.store.employees[1]!.pin }),
    ).token;
    const pullNow = async () => {
      const before = terminal.status().lastPullAt;
      ok(await terminal.engine.call('sync.now', {}, { token }));
      await waitFor(() => terminal.status().lastPullAt !== before, 60_000, 'a pull');
    };
    const priceOf = async (id: string) =>
      (
        await terminal.engine.services.sql.query<{ price: string }>(
          'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1',
          [id],
        )
      )[0]!.price;
    const [slow, fast] = await central.sql.query<{ id: string }>(
      'SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode OFFSET 1 LIMIT 2',
    );
    // A slow import: its updated_at is when it began, and it commits after a quicker edit was pulled.
    const importer = new pg.Client({ connectionString: database.url });
    await importer.connect();
    try {
      await importer.query('BEGIN');
      await importer.query('UPDATE inventory.product_variants SET price = 77.7700, version = version + 1 WHERE id = $1', [slow!.id]);
      await new Promise((r) => setTimeout(r, 3_000));
      await central.sql.query('UPDATE inventory.product_variants SET price = 88.8800, version = version + 1 WHERE id = $1', [fast!.id]);
      await new Promise((r) => setTimeout(r, 2_500));
      await pullNow();
      await importer.query('COMMIT');
    } finally {
      await importer.end();
    }
    // A category made on a register that was offline for a week arrives stamped a week ago.
    const [business] = await central.sql.query<{ id: string }>('SELECT business_id AS id FROM inventory.categories LIMIT 1');
    const [old] = await central.sql.query<{ id: string }>(
      `INSERT INTO inventory.categories (id, business_id, name, updated_at, created_at)
      VALUES (gen_random_uuid(), $1, 'Hecha sin conexión', now() - interval '7 days', now() - interval '7 days') RETURNING id`,
      [business!.id],
    );
    await new Promise((r) => setTimeout(r, 2_500));
    await pullNow();
    expect([await priceOf(slow!.id), await priceOf(fast!.id)]).toEqual(['77.7700', '88.8800']);
    expect(await terminal.engine.services.sql.query('SELECT name FROM inventory.categories WHERE id = $1', [old!.id])).toEqual([
      { name: 'Hecha sin conexión' },
    ]);
  });

  it("stamps inserts into every pulled table with central's clock", async () => {
    const stamped = await central.sql.query<{ table: string }>(`
      SELECT n.nspname || '.' || c.relname AS table FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE g.tgname = 'sync_stamp_arrival'`);
    expect(stamped.map((r) => r.table).sort()).toEqual(PULL_TABLES.map((t) => t.table).sort());
  });

  it('sends a product made and stock received in the back office up to central, where the register beside it pulls the product', async () => {
    const owner = demo.store.employees[0]!;
    const [ownerRow] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '001'`);
    const token = ok(await terminal.engine.call('auth.signInWithPin', { employeeId: ownerRow!.id, pin: owner.pin })).token;
    await stepUpOnThisTerminal(terminal, ownerRow!.id, token);
    const body = '750999900001';
    const barcode = `${body}${gtinCheckDigit(body)}`;
    const saved = ok(
      await terminal.engine.call(
        'catalog.saveProduct',
        {
          name: 'Pan de elote de la casa',
          taxCode: 'IVA0',
          variant: { sku: 'PAN-ELOTE-CASA', price: '35.00', barcode },
        },
        { token },
      ),
    );
    ok(
      await terminal.engine.call(
        'inventory.receive',
        { variantId: saved.variantId!, quantity: '12', idempotencyKey: 'sync-receive-pan-1' },
        { token },
      ),
    );
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
    expect(terminal.status().quarantined).toEqual([]);
    expect(
      await centralCount(`SELECT count(*) AS n FROM inventory.product_variants WHERE id = $1 AND barcode = $2`, [saved.variantId, barcode]),
    ).toBe(1);
    expect(
      await centralCount(`SELECT count(*) AS n FROM inventory.stock_movements WHERE variant_id = $1 AND quantity = 12`, [saved.variantId]),
    ).toBe(1);
    const beside = await openTerminal(await provisionDir(central, database.url, registerIds[1]!, 'sync-b'), registerIds[1]!);
    try {
      const [pulled] = await beside.engine.services.sql.query<{ price: string }>(
        'SELECT price::text AS price FROM inventory.product_variants WHERE barcode = $1',
        [barcode],
      );
      expect(pulled).toEqual({ price: '35.0000' });
    } finally {
      await beside.dispose();
    }
    // The register beside it pulls the whole catalog first: 48 s on a loaded 2-core machine.
  }, 120_000);

  it('sets aside a fact central refuses, with its reason, and pushes the sales behind it', async () => {
    const journal = terminal.engine.services.journal;
    const real = journal.after(0, 10_000).find((f) => f.kind === SALE_COMPLETED)!.payload as CompletedSaleFact;
    // A sale that claims to be another register's: central's row-level security refuses it.
    const forged: CompletedSaleFact = {
      ...real,
      sale: { ...real.sale, id: '01900000-0000-7000-8000-000000000001', register_id: registerIds[1]! },
    };
    const { fact } = journal.append(SALE_COMPLETED, 'forged-sale-for-another-register', forged);
    const after = await terminal.sell(1);
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push past the refused fact');
    expect(terminal.status().quarantined).toEqual([
      expect.objectContaining({ seq: fact.seq, kind: SALE_COMPLETED, reason: expect.stringContaining('42501') }),
    ]);
    expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1`, [after.saleId])).toBe(1);
    expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1`, [forged.sale.id])).toBe(0);
    const [ledger] = await central.sql.query<{ status: string; reason: string }>(
      'SELECT status, reason FROM sync.ledger WHERE register_id = $1 AND seq = $2',
      [terminal.registerId, fact.seq],
    );
    expect(ledger).toMatchObject({ status: 'QUARANTINED', reason: expect.stringContaining('row-level security') });
  });

  it("brings down to the bell what central addresses to this branch's staff, and a notification read at the register stays read", async () => {
    const [manager] = await terminal.engine.services.sql.query<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM business.employees WHERE code = '002'`,
    );
    const note = (
      await central.sql.query<{ id: string }>(
        `INSERT INTO communication.in_app_notifications (id, user_id, business_id, employee_id, severity, title, body, data)
       VALUES (gen_random_uuid(), $1, $2, $3, 'WARNING', 'Diferencia en el corte', 'La caja CAJA-1 cerró con -$50.00', '{"code":"shift.variance"}')
       RETURNING id`,
        [manager!.user_id, demo.store.business.id, manager!.id],
      )
    )[0]!.id;
    const token = ok(
      await terminal.engine.call('auth.signInWithPin', { employeeId: manager!.id, pin: demo.store.employees[1]!.pin }),
    ).token;
    const bell = async () => ok(await terminal.engine.call('notifications.list', {}, { token }));
    await new Promise((r) => setTimeout(r, 100));
    ok(await terminal.engine.call('sync.now', {}, { token }));
    await waitFor(async () => (await bell()).items.some((n) => n.id === note), 60_000, 'the notification');
    expect((await bell()).items.find((n) => n.id === note)).toMatchObject({ title: 'Diferencia en el corte', readAt: null });
    ok(await terminal.engine.call('notifications.markRead', { ids: [note] }, { token }));

    await central.sql.query(`UPDATE communication.in_app_notifications SET body = body || ' (revisado)' WHERE id = $1`, [note]);
    await new Promise((r) => setTimeout(r, 100));
    ok(await terminal.engine.call('sync.now', {}, { token }));
    await waitFor(async () => (await bell()).items.some((n) => n.id === note && n.body.endsWith('(revisado)')), 60_000, 'the change');
    expect((await bell()).items.find((n) => n.id === note)!.readAt).not.toBeNull();
  });

  it('reports the same status on the command line while the terminal runs', async () => {
    const human = await runPos(['sync', 'status', '--data-dir', terminal.dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/state: +needs attention \(online\)/);
    expect(human.stdout).toMatch(/attention: +1 fact\(s\) refused by central and set aside; the first, #\d+ sale\.completed: 42501/);
    expect(human.stdout).toMatch(/pending: +0 fact/);
    expect(human.stdout).toMatch(/quarantined: +1\n +#\d+ sale\.completed: 42501/);
    const json = JSON.parse((await runPos(['sync', 'status', '--data-dir', terminal.dir, '--json'])).stdout);
    expect(json).toMatchObject({
      configured: true,
      state: 'attention',
      online: true,
      pending: 0,
      quarantined: [expect.objectContaining({ kind: SALE_COMPLETED })],
    });
    expect(JSON.stringify(json)).not.toContain('pw-');
  });

  // Two whole-catalog pulls (the terminal's first, and the rebuild's): the second alone took 45 s on a loaded 2-core machine.
  it('rebuilds a lost database by pulling the catalog from central first, then replaying the journal; with central out of reach it waits for it', async () => {
    // A register of its own: the one beside the first may have pushed its sign-in and shift from
    // another journal, and a fresh journal after that is (rightly) blocked as a replaced one.
    const dir = await provisionDir(central, database.url, registerIds[2]!, 'sync-rebuild');
    const t = await openTerminal(dir, registerIds[2]!);
    const { saleId } = await t.sell(2);
    await waitFor(() => t.status().pending === 0, 30_000, 'the push');
    await t.engine.close();
    rmSync(join(dir, 'pglite'), { recursive: true });
    // Central out of reach: the terminal says so and leaves nothing half-built.
    const config = JSON.parse(readFileSync(join(dir, 'sync.json'), 'utf8')) as { url: string };
    const unreachable = new URL(config.url);
    unreachable.port = '1';
    writeFileSync(join(dir, 'sync.json'), JSON.stringify({ ...config, url: unreachable.toString() }));
    await expect(openEngine(dir, { purpose: 'rebuild test', devices: false, sync: false })).rejects.toThrow(
      /central cannot be reached to bring its catalog back/,
    );
    expect(existsSync(join(dir, 'pglite'))).toBe(false);
    writeFileSync(join(dir, 'sync.json'), JSON.stringify(config));
    const engine = await openEngine(dir, { purpose: 'rebuild test', devices: false, sync: false });
    try {
      expect(engine.rebuilt).toBe('deleted');
      expect(engine.reconciliation.replayed).toBeGreaterThan(0);
      expect(await engine.services.sql.query('SELECT status FROM sales.sales WHERE id = $1', [saleId])).toEqual([{ status: 'COMPLETED' }]);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('provisions a register and configures a data directory from the command line, refusing one that belongs to another register', async () => {
    const printed = await runPos([
      'central',
      'provision-terminal',
      '--url',
      database.url,
      '--business',
      demo.store.business.id,
      '--branch',
      terminal.engine.services.terminal!.branchId,
      '--register',
      registerIds[1]!,
    ]);
    expect(printed.code).toBe(0);
    const config = JSON.parse(printed.stdout) as { terminal: { registerId: string }; central: { url: string } };
    expect(config.terminal.registerId).toBe(registerIds[1]);
    expect(new URL(config.central.url).username).toMatch(/^pos_t_[0-9a-f]{24}$/);
    const dir = mkdtempSync(join(tmpdir(), 'pos-configure-'));
    try {
      writeFileSync(join(dir, 'caja.json'), printed.stdout);
      const configured = await runPos(['sync', 'configure', '--data-dir', dir, '--config', join(dir, 'caja.json')]);
      expect(configured.stderr).toBe('');
      expect(JSON.parse(readFileSync(join(dir, 'terminal.json'), 'utf8'))).toMatchObject(config.terminal);
      expect(statSync(join(dir, 'sync.json')).mode & 0o777).toBe(0o600);
      const status = await runPos(['sync', 'status', '--data-dir', dir]);
      expect(status.stdout).toMatch(/pending: +0 fact/);
      expect(status.stdout).toMatch(/last push: +never/);
      const another = mkdtempSync(join(tmpdir(), 'pos-configure-other-'));
      writeTerminal(another, { ...terminal.engine.services.terminal!, registerId: registerIds[0]! });
      const other = await runPos(['sync', 'configure', '--data-dir', another, '--config', join(dir, 'caja.json')]);
      rmSync(another, { recursive: true, force: true });
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`is already register ${registerIds[0]}`);
      const junk = await runPos(['sync', 'configure', '--data-dir', dir, '--config', join(dir, 'terminal.json')]);
      expect(junk.stderr).toMatch(/not a terminal configuration/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Where central's ledger ends for the first register. */
  const ledgerHead = async () =>
    Number(
      (
        await central.sql.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM sync.ledger WHERE register_id = $1', [registerIds[0]])
      )[0]!.seq ?? 0,
    );

  // The last two in the file: provisioning the first register again ends the login its terminal pushes with.
  it('blocks a new journal for a register whose facts central already holds further, before it counts any sale as sent', async () => {
    await terminal.pushed("the first terminal's facts");
    const held = await ledgerHead();
    // New hardware for the same register: provisioned again, a fresh data directory and journal.
    const replacement = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'sync-replaced'), registerIds[0]!);
    try {
      const { saleId } = await replacement.sell(1);
      expect(replacement.engine.services.journal.head().seq).toBeLessThan(held);
      await waitFor(() => replacement.status().blocked !== null, 30_000, 'the push to stop');
      expect(replacement.status()).toMatchObject({
        state: 'blocked',
        blocked: expect.stringContaining(`central holds this register's facts up to ${held}, and this terminal's journal ends at`),
      });
      // The sale is still waiting to be sent, not taken for one central has.
      expect(replacement.status().pending).toBe(replacement.engine.services.journal.head().seq);
      expect(await central.sql.query('SELECT id FROM sales.sales WHERE id = $1', [saleId])).toEqual([]);
      expect(await ledgerHead()).toBe(held);
    } finally {
      await replacement.dispose();
    }
  });

  it("blocks a new journal that has reached central's head for the register before it ever connects, its sales all still waiting", async () => {
    const held = await ledgerHead();
    const dir = await provisionDir(central, database.url, registerIds[0]!, 'sync-replaced-later');
    let replacement = await openTerminal(dir, registerIds[0]!);
    try {
      // Sold while the push is blocked, until the new journal reaches central's head: the seq
      // central answers is then one this journal has too, under a different fact.
      const sales: string[] = [];
      while (replacement.engine.services.journal.head().seq < held) sales.push((await replacement.sell(1)).saleId);
      await replacement.engine.close();
      replacement = await openTerminal(dir, registerIds[0]!);
      await waitFor(() => (replacement.status().blocked ?? '').includes('is not this terminal'), 30_000, 'the push to stop at once');
      expect(replacement.status()).toMatchObject({
        state: 'blocked',
        blocked: expect.stringContaining(`central's fact ${held} for this register is not this terminal's fact ${held}`),
        pending: replacement.engine.services.journal.head().seq,
      });
      expect(await central.sql.query('SELECT id FROM sales.sales WHERE id = ANY($1::uuid[])', [sales])).toEqual([]);
      expect(await ledgerHead()).toBe(held);
    } finally {
      await replacement.dispose();
    }
  });
});
