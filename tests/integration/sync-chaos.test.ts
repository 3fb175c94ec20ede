// Sync on a bad day, against a PostgreSQL server of the test's own (so it can be stopped):
// twenty terminals sell while central is stopped and restarted, their connections are killed
// mid-batch and a proxy cuts, delays and drops their traffic. Central must end with every sale
// exactly once and the same totals as the terminals' journals.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ROOT } from '../support/run-cli.ts';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy.ts';
import { startEngineProcess } from '../support/engine-process.ts';
import { fixtureScript } from '../support/fixture-bundle.ts';
import { openEngine } from '#engine/engine.ts';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { seedId } from '#engine/demo/seed-ids.ts';
import { ok, testClock } from '../support/demo-engine.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { branchId, businessId, demo, openTerminal, prepareCentral, provisionDir, provisionMany, waitFor } from '../support/sync-fixture.ts';

// The numbers; smaller ones through the environment only while working on this file.
const TERMINALS = Number(process.env.SYNC_CHAOS_TERMINALS ?? 20);
const SALES_EACH = Number(process.env.SYNC_CHAOS_SALES ?? 500);

let server: PrivatePostgres;
let adminUrl: string;
let central: Central;
let registerIds: string[];
let proxy: ChaosProxy;
const viaProxy = (url: string) => {
  const u = new URL(url);
  u.port = String(proxy.port);
  return u.toString();
};

beforeAll(async () => {
  server = await startPrivatePostgres();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE central');
  await admin.end();
  adminUrl = server.url('postgres', undefined, 'central');
  ({ central, registerIds } = await prepareCentral(adminUrl, TERMINALS + 3));
  proxy = await startChaosProxy(server.port);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await central?.close().catch(() => {});
  server?.remove();
});

/** Waits (up to 3 s) for terminals in the middle of a batch, then kills their backends. */
async function terminateTerminalBackends(): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    for (let tries = 0; tries < 150; tries++) {
      const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE usename LIKE 'pos\\_t\\_%' AND state IN ('active', 'idle in transaction')`);
      if (rowCount) return `terminated ${rowCount} backends mid-batch`;
      await new Promise((r) => setTimeout(r, 20));
    }
    return 'found no batch in flight to terminate';
  } catch (err) {
    return `could not reach central to terminate backends (${(err as Error).message})`;
  } finally {
    await admin.end().catch(() => {});
  }
}

/** A child process running some of the terminals; next(step) resolves with its line for that step. */
function startTerminals(script: string, terminals: { dir: string; registerId: string }[]) {
  const child = spawn(process.execPath, [script, JSON.stringify({ terminals, sales: SALES_EACH })], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiting: { step: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of waiting.filter((x) => x.step === line.step)) w.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    next: (step: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const seen = lines.find((l) => l.step === step);
        if (seen) return resolve(seen);
        waiting.push({ step, resolve });
        void exited.then((code) => reject(new Error(`the terminals' process exited (${code}) before "${step}": ${stderr}`)));
      }),
    close: async () => {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type JournalTotals = { sales: number; total: Decimal; head: number };

function journalTotals(dir: string): JournalTotals {
  const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
  try {
    let sales = 0;
    let total = new Decimal(0);
    for (const row of db.prepare<[string], { payload: string }>('SELECT payload FROM facts WHERE kind = ?').iterate(SALE_COMPLETED)) {
      const fact = JSON.parse(row.payload) as CompletedSaleFact;
      sales++;
      total = total.plus(String(fact.sale.total));
    }
    const head = db.prepare<[], { n: number | null }>('SELECT max(seq) AS n FROM facts').get()!.n ?? 0;
    return { sales, total, head };
  } finally {
    db.close();
  }
}

async function centralTotals(): Promise<Map<string, { sales: number; total: Decimal; facts: number; maxSeq: number }>> {
  const sales = await central.sql.query<{ register_id: string; n: string; total: string }>(
    `SELECT register_id, count(*) AS n, sum(total)::text AS total FROM sales.sales WHERE status = 'COMPLETED' GROUP BY register_id`,
  );
  const ledger = await central.sql.query<{ register_id: string; n: string; max: string }>(
    `SELECT register_id, count(*) AS n, max(seq) AS max FROM sync.ledger WHERE status = 'APPLIED' GROUP BY register_id`,
  );
  const out = new Map<string, { sales: number; total: Decimal; facts: number; maxSeq: number }>();
  for (const s of sales) out.set(s.register_id, { sales: Number(s.n), total: new Decimal(s.total), facts: 0, maxSeq: 0 });
  for (const l of ledger) {
    const entry = out.get(l.register_id) ?? { sales: 0, total: new Decimal(0), facts: 0, maxSeq: 0 };
    out.set(l.register_id, { ...entry, facts: Number(l.n), maxSeq: Number(l.max) });
  }
  return out;
}

describe('sync under failure', () => {
  it(`ends with every sale of ${TERMINALS} terminals on central exactly once while central restarts, connections die and the link misbehaves`, async () => {
    const ids = registerIds.slice(0, TERMINALS);
    const dirs = await provisionMany(central, adminUrl, ids, 'chaos', { batchSize: 50 }, viaProxy);
    // Two processes of ten terminals each: both cores sell, and this process stays free to make trouble on time.
    const script = await fixtureScript('sync-terminals-child');
    const children = [0, 1].map((k) =>
      startTerminals(
        script,
        dirs.map((dir, i) => ({ dir, registerId: ids[i]! })).filter((_, i) => i % 2 === k),
      ),
    );
    await Promise.all(children.map((c) => c.next('ready')));
    console.log(`sync chaos: ${TERMINALS} terminals ready`);
    const started = Date.now();
    const random = seededRandom(20261130).next;
    const log: string[] = [];
    let selling = true;
    let restarts = 0;
    let step = 0;
    const chaos = (async () => {
      while (selling) {
        await new Promise((r) => setTimeout(r, 1_000 + random() * 2_000));
        if (!selling) break;
        // Every kind of trouble comes round in turn; only the pauses between them are random.
        const action = ['terminate', 'cut', 'restart', 'delay', 'drop'][step++ % 5];
        if (action === 'terminate') log.push(await terminateTerminalBackends());
        else if (action === 'cut') log.push(`proxy cut ${proxy.cutAll()} connections`);
        else if (action === 'delay') {
          proxy.delay(300);
          await new Promise((r) => setTimeout(r, 2_000));
          proxy.delay(0);
          log.push('proxy delayed traffic 300 ms for 2 s');
        } else if (action === 'drop') {
          proxy.dropRate(0.05);
          await new Promise((r) => setTimeout(r, 2_000));
          proxy.dropRate(0);
          log.push('proxy dropped 5 % of chunks for 2 s');
        } else if (restarts < 3) {
          restarts++;
          server.stop();
          await new Promise((r) => setTimeout(r, 3_000));
          server.start();
          log.push('central stopped for 3 s and restarted');
        }
      }
    })();
    let drained: { registerId: string; pending: number; quarantined: unknown[] }[];
    try {
      await Promise.all(children.map((c) => c.next('sold')));
    } finally {
      selling = false;
      await chaos;
    }
    const soldIn = Date.now() - started;
    console.log(`sync chaos: sold in ${soldIn} ms; ${log.join('; ')}`);
    try {
      drained = (await Promise.all(children.map((c) => c.next('drained')))).flatMap((line) => line.statuses as typeof drained);
    } finally {
      await Promise.all(children.map((c) => c.close()));
    }
    expect(drained.filter((s) => s.pending > 0 || s.quarantined.length > 0)).toEqual([]);
    expect(restarts).toBeGreaterThan(0);
    expect(log.some((line) => line.includes('mid-batch'))).toBe(true);

    const byRegister = await centralTotals();
    let all = 0;
    for (const [i, dir] of dirs.entries()) {
      const journal = journalTotals(dir);
      const onCentral = byRegister.get(ids[i]!);
      expect(journal.sales).toBe(SALES_EACH);
      expect(onCentral?.sales).toBe(journal.sales);
      expect(onCentral?.total.toFixed(4)).toBe(journal.total.toFixed(4));
      // Every fact once: as many ledger rows as the journal has facts, ending at its head.
      expect(onCentral?.facts).toBe(journal.head);
      expect(onCentral?.maxSeq).toBe(journal.head);
      all += journal.sales;
    }
    const [{ n }] = (await central.sql.query<{ n: string }>(`SELECT count(*) AS n FROM sales.sales WHERE status = 'COMPLETED'`)) as [
      { n: string },
    ];
    expect(Number(n)).toBe(all);
    console.log(
      `sync chaos: sold in ${soldIn} ms, all pushed ${Date.now() - started} ms after the first sale; ${all} sales from ${TERMINALS} terminals; ${log.length} disruptions: ${log.join('; ')}`,
    );
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 900_000);
});

/** Facts central's ledger holds for a register. */
async function ledgerCount(registerId: string): Promise<number> {
  const [row] = await central.sql.query<{ n: string }>('SELECT count(*) AS n FROM sync.ledger WHERE register_id = $1', [registerId]);
  return Number(row!.n);
}

describe('a terminal that goes away', () => {
  it('resumes a push killed between batches, and central holds each fact once', async () => {
    const registerId = registerIds[TERMINALS]!;
    const dir = await provisionDir(central, adminUrl, registerId, 'killed', { batchSize: 5 }, viaProxy);
    const barcodes = demo.catalog
      .map((r) => r.barcode)
      .filter((b): b is string => !!b)
      .slice(0, 40);
    let engine = await startEngineProcess(dir);
    try {
      // The register itself comes down with the first pull; then central goes out of reach.
      const cashierName = demo.store.employees[2]!.displayName;
      await waitFor(
        async () => {
          const staff = await engine.call('auth.staffForSignIn', {});
          return staff.ok && staff.value.some((s) => s.displayName === cashierName);
        },
        60_000,
        'the staff to come down',
      );
      const cashier = ok(await engine.call('auth.staffForSignIn', {})).find((s) => s.displayName === cashierName)!;
      const token = ok(
        await engine.call('auth.signInWithPin', { employeeId: cashier.employeeId, pin: demo.store.employees[2]!.pin }),
      ).token;
      await waitFor(
        async () => {
          const status = ok(await engine.call('sync.status', {}, { token }));
          return status.configured && status.lastPullAt !== null;
        },
        60_000,
        'the first pull to finish',
      );
      proxy.refuse(true);
      proxy.cutAll();
      // A backlog sold while central cannot be reached.
      ok(await engine.call('shifts.open', { idempotencyKey: 'killed-shift-1', openingFloat: '500.00' }, { token }));
      const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
      for (let i = 0; i < 120; i++) {
        const sale = ok(await engine.call('sales.open', { idempotencyKey: `killed-sale-${i}` }, { token }));
        ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcodes[i % barcodes.length]! }, { token }));
        ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100000' }] }, { token }));
      }
    } finally {
      engine.child.kill('SIGKILL');
      await engine.exited;
      proxy.refuse(false);
    }
    const head = journalTotals(dir).head;
    expect(await ledgerCount(registerId)).toBeLessThan(head / 2);
    // Central comes back; the terminal starts pushing 5 facts a batch over a slow link and is killed mid-way.
    proxy.refuse(false);
    proxy.delay(15);
    const before = await ledgerCount(registerId);
    engine = await startEngineProcess(dir);
    try {
      await waitFor(async () => (await ledgerCount(registerId)) > before, 60_000, 'the first batch');
    } finally {
      engine.child.kill('SIGKILL');
      await engine.exited;
      proxy.delay(0);
    }
    const atKill = await ledgerCount(registerId);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(head);
    engine = await startEngineProcess(dir);
    try {
      // The head read again: a restarted engine forwards audit entries the killed one had not.
      await waitFor(async () => (await ledgerCount(registerId)) === journalTotals(dir).head, 120_000, 'the rest of the push');
    } finally {
      engine.child.kill('SIGKILL');
      await engine.exited;
    }
    const journal = journalTotals(dir);
    const onCentral = (await centralTotals()).get(registerId)!;
    expect(onCentral).toMatchObject({ sales: journal.sales, facts: journal.head, maxSeq: journal.head });
    expect(onCentral.total.toFixed(4)).toBe(journal.total.toFixed(4));
    console.log(`killed mid-push with ${atKill} of ${head} facts on central; resumed without duplicates`);
  }, 300_000);

  it('catches up after a week offline, and tells the managers while it is out', async () => {
    const registerId = registerIds[TERMINALS + 1]!;
    const dir = await provisionDir(central, adminUrl, registerId, 'week', { alertAfterMinutes: 30 }, viaProxy);
    const clock = testClock(new Date(Date.UTC(2026, 10, 2, 15)));
    const t = await openTerminal(dir, registerId, {
      now: clock.now,
      syncTuning: { idleMs: 200, settleSeconds: 0, backoff: { baseMs: 100, maxMs: 1_000 } },
    });
    try {
      proxy.refuse(true);
      proxy.cutAll();
      for (let day = 0; day < 7; day++) {
        for (let i = 0; i < 30; i++) {
          await t.sell(1);
          await new Promise((r) => setImmediate(r));
        }
        clock.advance(24 * 3600_000);
        await t.signIn();
      }
      await waitFor(() => t.status().failingSince !== null, 30_000, 'the loop to notice');
      const status = t.status();
      expect(status).toMatchObject({ online: false, pending: expect.any(Number) });
      expect(status.pending).toBeGreaterThanOrEqual(210);
      // A manager sees it under the bell.
      const [manager] = await t.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
      const managerToken = ok(
        await t.engine.call('auth.signInWithPin', { employeeId: manager!.id, pin: demo.store.employees[1]!.pin }),
      ).token;
      await waitFor(
        async () => ok(await t.engine.call('notifications.list', {}, { token: managerToken })).unread > 0,
        30_000,
        'the outage notification',
      );
      const { items } = ok(await t.engine.call('notifications.list', {}, { token: managerToken }));
      expect(items[0]).toMatchObject({ severity: 'WARNING', data: expect.objectContaining({ code: 'sync.outage' }) });
      expect(ok(await t.engine.call('notifications.list', {}, { token: t.token })).unread).toBe(0);

      const back = Date.now();
      proxy.refuse(false);
      // Push and pull reach central on their own connections: the badge is clear once both have.
      await waitFor(() => t.status().pending === 0 && t.status().lastError === null, 120_000, 'the catch-up');
      const catchUpMs = Date.now() - back;
      expect(t.status()).toMatchObject({ online: true, lastError: null, failingSince: null });
      const journal = journalTotals(dir);
      const onCentral = (await centralTotals()).get(registerId)!;
      expect(onCentral).toMatchObject({ sales: journal.sales, facts: journal.head });
      expect(onCentral.total.toFixed(4)).toBe(journal.total.toFixed(4));
      const [span] = await central.sql.query<{ days: string }>(
        `SELECT extract(day FROM max(completed_at) - min(completed_at))::text AS days FROM sales.sales WHERE register_id = $1`,
        [registerId],
      );
      expect(Number(span!.days)).toBe(6);
      console.log(`a week offline: ${journal.head} facts caught up in ${catchUpMs} ms`);
    } finally {
      proxy.refuse(false);
      await t.dispose();
    }
  }, 300_000);

  it('refuses the old login once a register is provisioned again, and a terminal with a wrong password keeps selling and says why', async () => {
    const registerId = registerIds[TERMINALS + 2]!;
    const first = await provisionTerminal(central, adminUrl, { businessId, branchId, registerId, password: 'first-password-1234' });
    await provisionTerminal(central, adminUrl, { businessId, branchId, registerId, password: 'second-password-5678' });
    const old = new pg.Client({ connectionString: first.central.url });
    const refused = await old.connect().then(
      () => 'connected',
      (err: { code?: string }) => err.code,
    );
    await old.end().catch(() => {});
    expect(refused).toBe('28P01');

    // CAJA-2 of the demo store, which this terminal holds without any pull.
    const demoRegister = seedId(businessId, 'register', demo.store.registers[1]!.code);
    const dir = await provisionDir(central, adminUrl, demoRegister, 'wrong-password', {}, (url) => {
      const u = new URL(viaProxy(url));
      u.password = 'not-the-password';
      return u.toString();
    });
    // The shop's own catalog was loaded on this terminal another way (the demo store here), so it can sell.
    const engine = await openEngine(dir, {
      purpose: 'wrong password',
      devices: false,
      syncTuning: { idleMs: 200, backoff: { baseMs: 50, maxMs: 500 } },
    });
    try {
      await setUpDemoStore(engine);
      await waitFor(() => engine.services.sync!.status().lastError !== null, 30_000, 'the refused login');
      expect(engine.services.sync!.status()).toMatchObject({ online: false, lastError: expect.stringContaining('wrong password') });
      const staff = ok(await engine.call('auth.staffForSignIn', {}));
      const cashier = staff.find((s) => s.displayName === demo.store.employees[2]!.displayName)!;
      const token = ok(
        await engine.call('auth.signInWithPin', { employeeId: cashier.employeeId, pin: demo.store.employees[2]!.pin }),
      ).token;
      ok(await engine.call('shifts.open', { idempotencyKey: 'wrong-password-shift', openingFloat: '100.00' }, { token }));
      expect(engine.services.sync!.status().pending).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
