// Makes a data directory the demo store's first register (CAJA-1), unless it already is a terminal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { branches, cashRegisters } from '#db/schema/index.ts';
import type { Engine } from '../engine.ts';
import { readTerminal, writeTerminal, type Terminal } from '../terminal.ts';
import { readDemoStore, type DemoStore } from './demo-store.ts';
import { seedDemoStore, type SeedResult } from './seed.ts';
import { enrollDemoAuthenticators } from './demo-authenticators.ts';

export async function ensureDemoTerminal(engine: Engine, store: DemoStore): Promise<Terminal> {
  const existing = readTerminal(engine.dataDir);
  if (existing) return existing;
  const businessId = store.business.id;
  const [register] = await engine.services.db
    .select({ registerId: cashRegisters.id, branchId: branches.id })
    .from(cashRegisters)
    .innerJoin(branches, eq(branches.id, cashRegisters.branchId))
    .where(
      and(eq(branches.businessId, businessId), eq(branches.code, store.branch.code), eq(cashRegisters.code, store.registers[0]!.code)),
    );
  if (!register) throw new Error('the demo store is not seeded in this data directory');
  const terminal = writeTerminal(engine.dataDir, { businessId, ...register });
  engine.reloadTerminal();
  return terminal;
}

/**
 * Loads the demo store (first run only) and makes this data directory its first register. On a
 * terminal that syncs, the sync loop may be pulling the same rows from central as this runs:
 * the seed goes through the engine's write queue, so no pulled batch lands between its check
 * and its transaction (the ids are the same on both sides, so whichever comes second updates
 * rather than collides). A synced terminal of another business gets nothing from the demo.
 */
export async function setUpDemoStore(engine: Engine, demo = readDemoStore()): Promise<SeedResult & { store: DemoStore }> {
  const terminal = readTerminal(engine.dataDir);
  if (terminal && terminal.businessId !== demo.store.business.id && existsSync(join(engine.dataDir, 'sync.json'))) {
    return { seeded: false, businessId: terminal.businessId, store: demo.store };
  }
  const seeded = await engine.services.writes(() => seedDemoStore(engine.services.db, demo));
  await engine.services.writes(() => enrollDemoAuthenticators(engine.services, demo.store));
  await ensureDemoTerminal(engine, demo.store);
  return { ...seeded, store: demo.store };
}
