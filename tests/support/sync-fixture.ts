// Central with the demo store on it, and terminals provisioned against it: what the sync tests
// and the sync bench share. Every terminal is a real engine on its own data directory with its
// own journal, login and loop; its catalog and staff arrive by pulling from central.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import { connectCentral, migrateCentral, type Central } from '#db/central.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { seedDemoStore } from '#engine/demo/seed.ts';
import { seedId } from '#engine/demo/seed-ids.ts';
import { openEngine, type Engine, type EngineOptions } from '#engine/engine.ts';
import { ensurePermissions } from '#engine/services/auth/grants.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { writeSyncConfig, type SyncConfig } from '#engine/sync/sync-config.ts';
import type { SyncStatus } from '#engine/sync/sync-status.ts';
import { writeTerminal } from '#engine/terminal.ts';
import { createTestDatabase, type TestDatabase } from './central.ts';
import { ok } from './demo-engine.ts';
import { freshDataDir } from './pglite-template.ts';

export const demo = readDemoStore();
export const businessId = demo.store.business.id;
export const branchId = seedId(businessId, 'branch', demo.store.branch.code);

/** Migrates and seeds central with the demo store, and adds registers CAJA-3… up to `registers` in all. */
export async function prepareCentral(adminUrl: string, registers = 2): Promise<{ central: Central; registerIds: string[] }> {
  const central = await connectCentral(adminUrl);
  await migrateCentral(central.sql);
  await ensurePermissions(central.db as unknown as AppDb);
  await seedDemoStore(central.db as unknown as AppDb, demo);
  return { central, registerIds: await withRegisters(central, registers) };
}

/** vitest's global set-up names the run's migrated and seeded central database in this variable. */
export const CENTRAL_TEMPLATE_ENV = 'POS_TEST_CENTRAL_TEMPLATE';

/**
 * Central as prepareCentral leaves it, made once per test run on the test server: each test file
 * copies it (about 0.2 s) instead of migrating and seeding a database of its own (2.1-2.3 s, 1.5 s
 * of it the test process's CPU).
 */
export async function buildCentralTemplate(): Promise<{ name: string; remove(): Promise<void> }> {
  const database = await createTestDatabase('central_template');
  const { central } = await prepareCentral(database.url, demo.store.registers.length);
  // A template must have nobody connected when it is copied.
  await central.close();
  return { name: database.name, remove: database.drop };
}

/**
 * A database of its own on the test server holding central with the demo store, as
 * prepareCentral(url, registers) leaves one: copied from the run's template where global set-up
 * made one (the benches, run without it, migrate and seed their own).
 */
export async function createCentral(
  label: string,
  registers = 2,
): Promise<{ database: TestDatabase; central: Central; registerIds: string[] }> {
  const template = process.env[CENTRAL_TEMPLATE_ENV];
  const database = await createTestDatabase(label, template);
  if (!template) return { database, ...(await prepareCentral(database.url, registers)) };
  const central = await connectCentral(database.url);
  // What a database may do is not copied with it: the grant a migration made on the template's.
  await central.sql.exec(`GRANT CONNECT ON DATABASE ${database.name} TO pos_prober`);
  return { database, central, registerIds: await withRegisters(central, registers) };
}

async function withRegisters(central: Central, registers: number): Promise<string[]> {
  for (let n = demo.store.registers.length + 1; n <= registers; n++) {
    await central.sql.query(
      `INSERT INTO sales.cash_registers (id, business_id, branch_id, code, name) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING`,
      [seedId(businessId, 'register', `CAJA-${n}`), businessId, branchId, `CAJA-${n}`, `Caja ${n}`],
    );
  }
  const rows = await central.sql.query<{ id: string }>(`SELECT id FROM sales.cash_registers WHERE branch_id = $1 ORDER BY code`, [
    branchId,
  ]);
  return rows.map((r) => r.id).slice(0, registers);
}

export type TestTerminal = {
  engine: Engine;
  dir: string;
  registerId: string;
  token: string;
  cash: string;
  /** Signs the cashier in again (a session ends when the clock moves on a day). */
  signIn(): Promise<void>;
  /** A cash sale of `lines` scanned items; completionMs is how long sales.complete took. */
  sell(lines?: number): Promise<{ saleId: string; total: string; completionMs: number }>;
  status(): SyncStatus;
  /** Waits until central has every fact; a timeout names `what` and the loop's status then. */
  pushed(what: string, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
};

export async function provisionDir(
  central: Central,
  adminUrl: string,
  registerId: string,
  label: string,
  config: Partial<SyncConfig> = {},
  centralUrl?: (url: string) => string,
): Promise<string> {
  const dir = freshDataDir(label);
  const p = await provisionTerminal(central, adminUrl, { businessId, branchId, registerId, password: `pw-${registerId.slice(-12)}` });
  writeTerminal(dir, p.terminal);
  writeSyncConfig(dir, { ...p.central, url: centralUrl ? centralUrl(p.central.url) : p.central.url, ...config });
  return dir;
}

/**
 * Provisioned data directories for many registers that already hold central's catalog: one
 * terminal pulls, and the others start from a copy of its database (as a shop's image would),
 * so twenty terminals do not each pull the same catalog in a test.
 */
export async function provisionMany(
  central: Central,
  adminUrl: string,
  registerIds: string[],
  label: string,
  config: Partial<SyncConfig> = {},
  centralUrl?: (url: string) => string,
): Promise<string[]> {
  const template = await provisionDir(central, adminUrl, registerIds[0]!, `${label}-template`, config, centralUrl);
  const engine = await openEngine(template, { purpose: 'sync template', devices: false, syncTuning: { idleMs: 100, settleSeconds: 0 } });
  try {
    await waitFor(() => engine.services.sync!.status().lastPullAt !== null, 120_000, 'the template pull');
  } finally {
    await engine.close();
  }
  const dirs: string[] = [];
  for (const registerId of registerIds) {
    const dir = await provisionDir(central, adminUrl, registerId, label, config, centralUrl);
    cpSync(join(template, 'pglite'), join(dir, 'pglite'), { recursive: true });
    dirs.push(dir);
  }
  rmSync(template, { recursive: true, force: true });
  return dirs;
}

/** Opens a provisioned terminal's engine, waits for its first pull, signs the cashier in and opens a shift. */
export async function openTerminal(dir: string, registerId: string, options: EngineOptions = {}): Promise<TestTerminal> {
  const engine = await openEngine(dir, {
    purpose: 'sync test',
    devices: false,
    syncTuning: { idleMs: 100, settleSeconds: 0, backoff: { baseMs: 50, maxMs: 1_000 } },
    ...options,
  });
  const barcodeRows = () =>
    engine.services.sql.query<{ barcode: string }>(
      `SELECT barcode FROM inventory.product_variants WHERE barcode IS NOT NULL AND deleted_at IS NULL ORDER BY barcode LIMIT 50`,
    );
  const cashierRow = () => engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '003'`);
  if (options.sync !== false) {
    await waitFor(() => engine.services.sync!.status().lastPullAt !== null, 60_000, 'the first pull').catch((err) => {
      throw new Error(`${(err as Error).message}: ${JSON.stringify(engine.services.sync!.status())}`);
    });
    // The first pull is not the whole of them: one within the settle window of central's seeding
    // pulls short of it (pull-schedule.ts), and a pass writes each table in transactions of its
    // own, so a look while one is under way can find the staff before the catalog.
    await waitFor(
      async () => (await cashierRow()).length > 0 && (await barcodeRows()).length > 0,
      60_000,
      'the staff and the catalog to come down',
    );
  }
  const cashier = (await cashierRow())[0]!;
  const signIn = async () =>
    ok(await engine.call('auth.signInWithPin', { employeeId: cashier.id, pin: demo.store.employees[2]!.pin })).token;
  let token = await signIn();
  const current = ok(await engine.call('shifts.current', {}, { token }));
  if (!current) ok(await engine.call('shifts.open', { idempotencyKey: `shift-${uuidv7()}`, openingFloat: '500.00' }, { token }));
  const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
  const barcodes = (await barcodeRows()).map((r) => r.barcode);
  let n = 0;
  return {
    engine,
    dir,
    registerId,
    cash,
    get token() {
      return token;
    },
    async signIn() {
      token = await signIn();
    },
    async sell(lines = 2) {
      const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
      for (let i = 0; i < lines; i++)
        ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcodes[(n++ * 7) % barcodes.length]! }, { token }));
      const started = performance.now();
      const done = ok(
        await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100000' }] }, { token }),
      );
      return { saleId: sale.id, total: done.total, completionMs: performance.now() - started };
    },
    status: () => engine.services.sync!.status(),
    async pushed(what, timeoutMs = 60_000) {
      await waitFor(() => engine.services.sync!.status().pending === 0, timeoutMs, what).catch((err) => {
        throw new Error(`${(err as Error).message}: ${JSON.stringify(engine.services.sync!.status())}`);
      });
    },
    async dispose() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
