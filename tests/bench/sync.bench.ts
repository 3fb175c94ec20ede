// Sync with the central PostgreSQL server (POS_TEST_PG_URL, or 127.0.0.1:5432): a terminal's
// 10,000-sale backlog pushed through the real loop (its own login, row-level security, the
// ledger, one transaction per batch), beside the same rows inserted with plain multi-row
// INSERTs by the schema's owner in the same run; and sale completion while the loop pushes,
// beside completion with the loop idle.
import { rmSync } from 'node:fs';
import { connectCentral } from '#db/central.ts';
import type { Fact } from '#db/journal.ts';
import { buildSyncLoop } from '#engine/engine.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { SHIFT_OPENED, type ShiftFact } from '#engine/services/shifts/shift-facts.ts';
import { createTestDatabase } from '../support/central.ts';
import { openTerminal, prepareCentral, provisionDir } from '../support/sync-fixture.ts';
import { report } from './stats.ts';

const BACKLOG = Number(process.env.BENCH_SYNC_BACKLOG ?? 10_000);
const SAMPLES = 300;

export async function benchSync(): Promise<void> {
  const database = await createTestDatabase('bench_sync');
  const baselineDb = await createTestDatabase('bench_sync_base');
  const { central, registerIds } = await prepareCentral(database.url, 1);
  const dir = await provisionDir(central, database.url, registerIds[0]!, 'bench-sync');
  try {
    // The catalog comes down once; then the terminal sells with its loop off, so a backlog builds up.
    await (await openTerminal(dir, registerIds[0]!)).engine.close();
    const t = await openTerminal(dir, registerIds[0]!, { sync: false });
    const idle: number[] = [];
    for (let i = 0; i < SAMPLES; i++) idle.push((await t.sell(2)).completionMs);
    for (let i = SAMPLES; i < BACKLOG; i++) await t.sell(2);
    const facts = t.engine.services.journal.after(0, BACKLOG * 2);
    const sales = facts.filter((f) => f.kind === SALE_COMPLETED).length;

    const loop = buildSyncLoop(t.engine.services, dir)!;
    const pushStart = performance.now();
    const { pushed } = await loop.syncOnce({ pull: false });
    const pushMs = performance.now() - pushStart;

    const { central: base } = await prepareCentral(baselineDb.url, 1);
    const baseMs = await plainInserts(baselineDb.url, facts, 250);
    await base.close();

    // Completion while the loop pushes each new sale (250 ms after it), against the idle run above.
    t.engine.services.sync = loop;
    loop.start();
    const busy: number[] = [];
    for (let i = 0; i < SAMPLES; i++) busy.push((await t.sell(2)).completionMs);
    await loop.stop();
    t.engine.services.sync = null;

    console.log(`\nsync: a backlog of ${sales} sales (${pushed} journal facts, 2 lines each) pushed to central, batches of 250`);
    console.log(
      `  the loop (terminal login, RLS, ledger, replay)     ${(pushMs / 1000).toFixed(1)} s   ${(sales / (pushMs / 1000)).toFixed(0)} sales/s`,
    );
    console.log(
      `  baseline: plain multi-row INSERTs, triggers off   ${(baseMs / 1000).toFixed(1)} s   ${(sales / (baseMs / 1000)).toFixed(0)} sales/s   (loop ${(pushMs / baseMs).toFixed(2)}x baseline time)`,
    );
    console.log(`  catch-up time for the ${sales}-sale backlog: ${(pushMs / 1000).toFixed(1)} s`);
    report(
      'sync: sales.complete (2 lines, cash) with the loop idle and with it pushing',
      [
        { name: 'sync idle', times: idle.sort((a, b) => a - b) },
        { name: 'sync pushing each sale', times: busy.sort((a, b) => a - b) },
      ],
      'sync idle',
    );
    await t.engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await central.close();
    await database.drop();
    await baselineDb.drop();
  }
}

/** The same rows, table by table, one multi-row INSERT per table per batch, in one transaction per batch: no ledger, no checks. */
async function plainInserts(url: string, facts: Fact[], batch: number): Promise<number> {
  const owner = await connectCentral(url);
  const started = performance.now();
  try {
    for (let i = 0; i < facts.length; i += batch) {
      const slice = facts.slice(i, i + batch);
      const salesOf = slice.filter((f) => f.kind === SALE_COMPLETED).map((f) => f.payload as CompletedSaleFact);
      await owner.sql.transaction(async (tx) => {
        // Plain inserts: no triggers (a completed sale's lines would be refused as edits) and no ledger.
        await tx.query(`SET LOCAL session_replication_role = replica`);
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
      });
    }
    return performance.now() - started;
  } finally {
    await owner.close();
  }
}
