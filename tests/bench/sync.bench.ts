// Sync with the central PostgreSQL server (POS_TEST_PG_URL, or 127.0.0.1:5432): a terminal's
// 10,000-sale backlog pushed through the real loop (its own login, row-level security, the
// ledger, one transaction per batch), beside the same rows inserted with plain multi-row
// INSERTs by the schema's owner in the same run; and sale completion while the loop pushes,
// beside completion with the loop idle. It ends by printing the three targets it is held to.
import { rmSync } from 'node:fs';
import { connectCentral } from '#db/central.ts';
import type { Fact } from '#db/journal.ts';
import { buildSyncLoop } from '#engine/engine.ts';
import { ledgerRow } from '#engine/sync/outgoing-fact.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { SHIFT_OPENED, type ShiftFact } from '#engine/services/shifts/shift-facts.ts';
import { createTestDatabase } from '../support/central.ts';
import { openTerminal, prepareCentral, provisionDir } from '../support/sync-fixture.ts';
import { percentile, report } from './stats.ts';

const BACKLOG = Number(process.env.BENCH_SYNC_BACKLOG ?? 10_000);
// A p99 of 300 sales is their third slowest: one run read 7.3 ms idle and 12.5 ms busy, the one
// before 18.3 and 14.1. A thousand of each, and a backlog the push takes as long to clear.
const SAMPLES = 1_000;
/** Sales left unpushed for the loop to catch up on while the cashier goes on selling. */
const CATCH_UP = BACKLOG;

type Target = { what: string; measured: string; met: boolean };

export async function benchSync(): Promise<void> {
  const database = await createTestDatabase('bench_sync');
  const baselineDb = await createTestDatabase('bench_sync_base');
  const keyedDb = await createTestDatabase('bench_sync_keys');
  const ledgerDb = await createTestDatabase('bench_sync_ledger');
  const { central, registerIds } = await prepareCentral(database.url, 1);
  const dir = await provisionDir(central, database.url, registerIds[0]!, 'bench-sync');
  try {
    // The catalog comes down once; then the terminal sells with its loop off, so a backlog builds up.
    await (await openTerminal(dir, registerIds[0]!)).engine.close();
    const t = await openTerminal(dir, registerIds[0]!, { sync: false });
    // The push thread starts with the engine's loop, long before a backlog comes due: a register
    // coming back after an outage has had it all along. Started here, before the clock (run from
    // the sources, that start builds the thread's bundle too, which an installed app never does).
    const loop = buildSyncLoop(t.engine.services, dir)!;
    const threadStart = performance.now();
    await loop.syncOnce({ pull: false });
    const threadMs = performance.now() - threadStart;
    for (let i = 0; i < BACKLOG; i++) await t.sell(2);
    // The baselines insert these too: the shift the sales belong to was among the first facts.
    const facts = t.engine.services.journal.after(0, BACKLOG * 2);
    const sales = facts.filter((f) => f.kind === SALE_COMPLETED).length;

    const pushStart = performance.now();
    const { pushed } = await loop.syncOnce({ pull: false });
    const pushMs = performance.now() - pushStart;

    const { central: base } = await prepareCentral(baselineDb.url, 1);
    const baseMs = await plainInserts(baselineDb.url, facts, 250, { foreignKeys: false });
    await base.close();
    // Beside it, not a target: the same INSERTs with the foreign keys checked, as central must.
    const { central: keyed } = await prepareCentral(keyedDb.url, 1);
    const keyedMs = await plainInserts(keyedDb.url, facts, 250, { foreignKeys: true });
    await keyed.close();
    // And with each fact kept in central's ledger besides, by one more plain INSERT a batch: what
    // exactly-once costs before any check a terminal's login is held to.
    const { central: ledgered } = await prepareCentral(ledgerDb.url, 1);
    await ledgered.sql.query(
      `INSERT INTO sync.terminals (register_id, business_id, branch_id, role_name)
      SELECT id, business_id, branch_id, 'bench_ledger_baseline' FROM sales.cash_registers WHERE id = $1`,
      [registerIds[0]],
    );
    const ledgerMs = await plainInserts(ledgerDb.url, facts, 250, { foreignKeys: true, ledger: registerIds[0]! });
    await ledgered.close();

    // Completion while the loop catches up on a backlog of its own, in this same process, beside
    // completion just before with the loop not running: the same database, as large (a sale rung
    // up into 13,000 costs more than one into 300, which made an earlier idle figure too low).
    for (let i = 0; i < CATCH_UP - SAMPLES; i++) await t.sell(2);
    const idle: number[] = [];
    for (let i = 0; i < SAMPLES; i++) idle.push((await t.sell(2)).completionMs);
    t.engine.services.sync = loop;
    loop.start();
    const busy: number[] = [];
    let whilePushing = 0;
    for (let i = 0; i < SAMPLES; i++) {
      if (t.status().pending > 0) whilePushing++;
      busy.push((await t.sell(2)).completionMs);
    }
    await loop.stop();
    t.engine.services.sync = null;

    const rate = sales / (pushMs / 1000);
    const baseRate = sales / (baseMs / 1000);
    console.log(`\nsync: a backlog of ${sales} sales (${pushed} journal facts, 2 lines each) pushed to central`);
    console.log(`  the loop (terminal login, RLS, triggers, ledger)   ${(pushMs / 1000).toFixed(1)} s   ${rate.toFixed(0)} sales/s`);
    console.log(`  (not counted) the push thread's start, with the first facts, before the backlog   ${(threadMs / 1000).toFixed(1)} s`);
    console.log(
      `  baseline: plain multi-row INSERTs as the owner, triggers off, no ledger   ${(baseMs / 1000).toFixed(1)} s   ${baseRate.toFixed(0)} sales/s`,
    );
    console.log(
      `  (not a target) the same INSERTs with foreign keys checked, row triggers off, no ledger   ${(keyedMs / 1000).toFixed(1)} s   ${(sales / (keyedMs / 1000)).toFixed(0)} sales/s`,
    );
    console.log(
      `  (not a target) those INSERTs and one more into the ledger, the facts whole   ${(ledgerMs / 1000).toFixed(1)} s   ${(sales / (ledgerMs / 1000)).toFixed(0)} sales/s   the loop at ${(ledgerMs / pushMs).toFixed(2)}x its rate`,
    );
    const idleP99 = percentile(
      idle.sort((a, b) => a - b),
      99,
    );
    const busyP99 = percentile(
      busy.sort((a, b) => a - b),
      99,
    );
    report(
      `sync: sales.complete (2 lines, cash) with the loop idle, and while it catches up on ${CATCH_UP} sales (${whilePushing} of ${SAMPLES} sales rung up with the push behind)`,
      [
        { name: 'sync idle', times: idle },
        { name: 'sync catching up', times: busy },
      ],
      'sync idle',
    );
    const backlogS = (pushMs / 1000) * (10_000 / sales);
    const targets: Target[] = [
      { what: 'push rate at least 0.5x the baseline', measured: `${(rate / baseRate).toFixed(2)}x`, met: rate >= 0.5 * baseRate },
      {
        what: 'a 10,000-sale backlog on central in under 15 s',
        measured: `${backlogS.toFixed(1)} s${sales === 10_000 ? '' : ` (scaled from ${sales})`}`,
        met: backlogS < 15,
      },
      {
        what: 'sales.complete p99 while pushing at most 1.2x idle p99',
        measured: `${(busyP99 / idleP99).toFixed(2)}x (${busyP99.toFixed(1)} ms against ${idleP99.toFixed(1)} ms)`,
        met: busyP99 <= 1.2 * idleP99,
      },
    ];
    console.log('\nsync targets:');
    for (const target of targets) console.log(`  ${target.met ? 'met    ' : 'NOT MET'}  ${target.what.padEnd(56)} ${target.measured}`);
    await t.engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await central.close();
    await database.drop();
    await baselineDb.drop();
    await keyedDb.drop();
    await ledgerDb.drop();
  }
}

/**
 * The same rows, table by table, one multi-row INSERT per table per batch, in one transaction per
 * batch: no row triggers, with `foreignKeys` false no foreign-key checks either
 * (session_replication_role = replica skips both), and with `ledger` (a register's id) the
 * batch's facts written whole into sync.ledger as well.
 */
async function plainInserts(url: string, facts: Fact[], batch: number, opts: { foreignKeys: boolean; ledger?: string }): Promise<number> {
  const owner = await connectCentral(url);
  const tables = ['sales.shifts', 'sales.sales', 'sales.sale_items', 'payments.transactions', 'inventory.stock_movements'];
  // A database of its own, dropped after: its row triggers go (a completed sale's lines would be refused as edits), its foreign keys stay.
  if (opts.foreignKeys) for (const table of tables) await owner.sql.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  const started = performance.now();
  try {
    for (let i = 0; i < facts.length; i += batch) {
      const slice = facts.slice(i, i + batch);
      const salesOf = slice.filter((f) => f.kind === SALE_COMPLETED).map((f) => f.payload as CompletedSaleFact);
      await owner.sql.transaction(async (tx) => {
        // Plain inserts: no triggers (a completed sale's lines would be refused as edits) and no ledger.
        if (!opts.foreignKeys) await tx.query(`SET LOCAL session_replication_role = replica`);
        const rows = (table: string, list: unknown[]) =>
          list.length === 0
            ? Promise.resolve()
            : tx
                .query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [JSON.stringify(list)])
                .then(() => undefined);
        await rows(
          'sales.shifts',
          slice.filter((f) => f.kind === SHIFT_OPENED).map((f) => (f.payload as ShiftFact).shift),
        );
        await rows(
          'sales.sales',
          salesOf.map((s) => s.sale),
        );
        await rows(
          'sales.sale_items',
          salesOf.flatMap((s) => s.items),
        );
        await rows(
          'payments.transactions',
          salesOf.flatMap((s) => s.payments),
        );
        await rows(
          'inventory.stock_movements',
          salesOf.flatMap((s) => s.stock.map(({ stock_level_id: _, ...m }) => m)),
        );
        if (opts.ledger)
          await tx.query(
            `INSERT INTO sync.ledger (register_id, seq, kind, idempotency_key, recorded_at, prev_hash, hash, payload, status)
            SELECT $2, f.seq, f.kind, f.idempotency_key, f.recorded_at, f.prev_hash, f.hash, f.payload, 'APPLIED'
            FROM jsonb_to_recordset($1::jsonb) AS f(seq bigint, kind text, idempotency_key text, recorded_at timestamptz, prev_hash text, hash text, payload text)`,
            [
              // The rows the loop stages, as central-ledger.ts shapes them (the bench's facts are all storable).
              JSON.stringify(slice.map((f) => ledgerRow(f, true))),
              opts.ledger,
            ],
          );
      });
    }
    return performance.now() - started;
  } finally {
    await owner.close();
  }
}
