// Warm start, "from launch to ready to sell", on the demo store alone (the reference) and on
// stores of 100,000 and 1,000,000 products: the engine opened on a copy of the bench template
// until the first sign-in-free call answers, beside a bare PGlite open of the same directory in
// the same run; where openEngine's time goes, step by step; and `pos start` as a child process
// until it prints that the store is open. Target: ready to sell in under 1.5 s at 1,000,000.
// The first run builds the templates (bench-catalog.ts): about 3 minutes for a million products.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/pglite';
import type { AppDb } from '#db/app-db.ts';
import { openJournal } from '#db/journal.ts';
import { createPglite, pgliteSession } from '#db/local.ts';
import { loadMigrations, migrate } from '#db/migrator.ts';
import { acquireOwnerLock } from '#db/owner-lock.ts';
import * as schema from '#db/schema/index.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { openEngine } from '#engine/engine.ts';
import { loadOrCreateKeyFile } from '#engine/security/key-file.ts';
import { createSealer } from '#engine/security/sealed-json.ts';
import { ensurePermissions } from '#engine/services/auth/grants.ts';
import { readTerminal } from '#engine/terminal.ts';
import { copyBenchStore, dirSize, prepareBenchStore } from './bench-catalog.ts';
import { report, sample } from './stats.ts';

/** The demo store alone is the reference: what start costs before the catalog grows. */
const demoProducts = () => {
  const { catalog, store } = readDemoStore();
  // The seed adds a product per open-price item and one for gift cards beside the catalog's.
  return new Set(catalog.map((row) => row.product_key)).size + store.openPriceItems.length + (store.giftCardItem ? 1 : 0);
};
const RUNS = 7;
const REPO = fileURLToPath(new URL('../../', import.meta.url));

type Row = { name: string; times: number[] };

async function bareOpen(dir: string) {
  const pg = await createPglite(join(dir, 'pglite'));
  await pg.query('SELECT 1');
  return pg;
}

type Split = { ready: number[]; open: number[]; firstCall: number[]; firstScan: number[]; barcodes: string[] };

/**
 * openEngine, then the first call a sign-in screen makes: the register can take a PIN. With a
 * split, also times (apart, after ready) the first barcode lookup on the fresh engine: the
 * catalog's indexes read for the first time since start.
 */
async function readyToSell(dir: string, split?: Split) {
  const start = performance.now();
  const engine = await openEngine(dir, { purpose: 'bench start' });
  const opened = performance.now();
  const staff = await engine.call('auth.staffForSignIn', {});
  const ready = performance.now();
  if (!staff.ok || staff.value.length === 0) {
    await engine.close();
    throw new Error(`auth.staffForSignIn did not answer with the staff: ${JSON.stringify(staff)}`);
  }
  if (split) {
    split.ready.push(ready - start);
    split.open.push(opened - start);
    split.firstCall.push(ready - opened);
    const barcode = split.barcodes[split.firstScan.length % split.barcodes.length]!;
    const t = performance.now();
    const found = await engine.services.sql.query(
      `SELECT v.id, v.price, p.name, p.tax_rate FROM inventory.product_variants v
      JOIN inventory.products p ON p.id = v.product_id
      WHERE v.business_id = $1 AND v.barcode = $2 AND v.deleted_at IS NULL`,
      [engine.services.terminal!.businessId, barcode],
    );
    split.firstScan.push(performance.now() - t);
    if (found.length !== 1) throw new Error(`barcode ${barcode} not found`);
  }
  return engine;
}

/** Barcodes spread over the catalog (the newest variants by id, then every n-th), read once before the runs. */
async function someBarcodes(dir: string, n: number): Promise<string[]> {
  const pg = await bareOpen(dir);
  try {
    const rows = (
      await pg.query<{ barcode: string }>(`SELECT barcode FROM inventory.product_variants
      WHERE barcode IS NOT NULL AND deleted_at IS NULL ORDER BY id DESC LIMIT 5000`)
    ).rows;
    return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]!.barcode);
  } finally {
    await pg.close();
  }
}

/** openEngine's steps one by one (as engine.ts does them), to see which one costs what. */
async function phases(dir: string): Promise<Record<string, number>> {
  const took: Record<string, number> = {};
  let last = performance.now();
  const mark = (name: string) => {
    const now = performance.now();
    took[name] = now - last;
    last = now;
  };
  const lock = acquireOwnerLock(dir, 'bench start phases');
  mark('owner lock (better-sqlite3, EXCLUSIVE)');
  const pg = await createPglite(join(dir, 'pglite'));
  mark('PGlite.create (wasm, pg_trgm + unaccent, backend start)');
  try {
    await pg.exec(`SET TIME ZONE 'UTC'`);
    mark('first statement (SET TIME ZONE)');
    const migrations = loadMigrations();
    mark('read + hash migration files');
    const sql = pgliteSession(pg);
    const result = await migrate(sql, migrations);
    if (result.applied.length > 0) throw new Error('the bench store was not at the current schema');
    mark('migrate: check applied migrations (none pending)');
    const db = drizzle({ client: pg, schema }) as unknown as AppDb;
    mark('drizzle client');
    const journal = openJournal(dir);
    mark('journal open (WAL, synchronous=FULL)');
    try {
      await ensurePermissions(db);
      mark('ensurePermissions (INSERT … ON CONFLICT DO NOTHING)');
      createSealer(loadOrCreateKeyFile(join(dir, 'keys', 'pii.key')));
      readTerminal(dir);
      mark('key file + terminal.json');
    } finally {
      journal.close();
    }
  } finally {
    await pg.close();
    lock.release();
  }
  return took;
}

type Child = { ready: number; exited: Promise<void> };

/** Starts `pos` and resolves when a stdout line matches `ready` (or, without one, at exit). */
function startPos(args: string[], ready?: RegExp): Promise<Child> {
  const start = performance.now();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'pos.mjs'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  const checkedExit = exited.then((code) => {
    if (code !== 0) throw new Error(`pos ${args.join(' ')} exited with ${code}: ${err.trim() || out.trim()}`);
  });
  child.stderr.on('data', (chunk: Buffer) => void (err += chunk));
  return new Promise<Child>((resolve, reject) => {
    if (ready) {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        if (ready.test(out)) resolve({ ready: performance.now() - start, exited: checkedExit });
      });
    } else {
      child.stdout.on('data', (chunk: Buffer) => void (out += chunk));
    }
    checkedExit.then(
      () =>
        ready && !ready.test(out)
          ? reject(new Error(`pos ${args.join(' ')} exited without printing ${ready}: ${out.trim()}`))
          : resolve({ ready: performance.now() - start, exited: checkedExit }),
      reject,
    );
  });
}

export async function benchStart() {
  for (const products of [demoProducts(), 100_000, 1_000_000]) {
    const label = products.toLocaleString('en-US');
    await prepareBenchStore(products);
    let t = performance.now();
    const dir = await copyBenchStore(products, `start-${products}`);
    console.log(
      `\n[start] ${label} products: a fresh copy of the template (${(dirSize(dir) / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    try {
      // The first open of a fresh copy: files just written, so in the page cache, but every
      // PostgreSQL cache empty. Later runs reopen the same copy, as a terminal starts each day.
      t = performance.now();
      const firstEngine = await readyToSell(dir);
      const first = performance.now() - t;
      await firstEngine.close();
      console.log(`[start] first open of the copy, ready to sell: ${first.toFixed(0)} ms`);

      // Interleaved, so a noisy neighbour slows every row alike instead of one.
      const bare: number[] = [];
      const close: number[] = [];
      const split: Split = { ready: [], open: [], firstCall: [], firstScan: [], barcodes: await someBarcodes(dir, RUNS) };
      for (let i = 0; i < RUNS; i++) {
        t = performance.now();
        const pg = await bareOpen(dir);
        bare.push(performance.now() - t);
        await pg.close();
        const engine = await readyToSell(dir, split);
        t = performance.now();
        await engine.close();
        close.push(performance.now() - t);
      }
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const baseline = `baseline: bare PGlite open of the same directory + SELECT 1`;
      report(
        `Warm start, ${label} products, in process (target: ready to sell < 1500 ms at 1,000,000)`,
        [
          { name: baseline, times: sorted(bare) },
          { name: 'ready to sell: openEngine + auth.staffForSignIn', times: sorted(split.ready) },
          { name: '  of which openEngine', times: sorted(split.open) },
          { name: '  of which the first call (auth.staffForSignIn)', times: sorted(split.firstCall) },
          { name: 'then the first barcode lookup (SQL, after ready)', times: sorted(split.firstScan) },
          { name: 'engine.close (after ready; not part of start)', times: sorted(close) },
        ],
        baseline,
      );

      const engine = await readyToSell(dir);
      try {
        report(`The same call on an engine already open, ${label} products`, [
          { name: 'auth.staffForSignIn, warm', times: await sample(50, () => engine.call('auth.staffForSignIn', {})) },
        ]);
      } finally {
        await engine.close();
      }

      const byPhase = new Map<string, number[]>();
      for (let i = 0; i < RUNS + 1; i++) {
        const took = await phases(dir);
        if (i === 0) continue; // warm-up
        for (const [name, ms] of Object.entries(took)) byPhase.set(name, [...(byPhase.get(name) ?? []), ms]);
      }
      const phaseRows: Row[] = [...byPhase].map(([name, times]) => ({ name, times: sorted(times) }));
      phaseRows.push({
        name: 'sum of the steps',
        times: sorted(Array.from({ length: RUNS }, (_, i) => [...byPhase.values()].reduce((s, xs) => s + xs[i]!, 0))),
      });
      report(`Where openEngine's time goes, ${label} products (its steps one by one)`, phaseRows);

      await benchChildStart(dir, label);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** `pos start` prints "<store> (already seeded) in DIR" once the engine is open. */
async function benchChildStart(dir: string, label: string) {
  const readyLine = /already seeded\) in /;
  const help: number[] = [];
  const start: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const h = await startPos(['help']);
    await h.exited;
    const s = performance.now();
    const c = await startPos(['start', '--data-dir', dir], readyLine);
    await c.exited;
    if (i === 0) continue; // warm-up: the engine bundle is built, the page cache
    help.push(h.ready);
    start.push(c.ready);
    whole.push(performance.now() - s);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const baseline = 'baseline: node bin/pos.mjs help (node, the engine bundle, every module loaded)';
  report(
    `Warm start, ${label} products, as a process: node bin/pos.mjs start --data-dir COPY`,
    [
      { name: baseline, times: sorted(help) },
      { name: 'launch until "… (already seeded) in DIR" is printed', times: sorted(start) },
      { name: 'launch until the process has exited (engine closed)', times: sorted(whole) },
    ],
    baseline,
  );
}
