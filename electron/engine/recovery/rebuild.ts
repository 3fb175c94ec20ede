// When PGlite cannot open (a torn write after a power cut, a deleted or garbage directory),
// the directory is set aside, never deleted, and a fresh one is built: reference data first
// (the demo store here; a real terminal re-pulls its catalog from central), then the journal
// replays every fact into it.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDb } from '../../../db/app-db.ts';
import { readDemoStore } from '../demo/demo-store.ts';
import { seedDemoStore } from '../demo/seed.ts';
import { readTerminal } from '../terminal.ts';

export function setAsideDamagedDatabase(dataDir: string, cause: unknown): string {
  const path = join(dataDir, 'pglite');
  const aside = join(dataDir, `pglite.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  console.warn(`engine: the database in ${path} cannot be opened (${(cause as Error)?.message ?? cause}); rebuilding it from the journal`);
  if (existsSync(path)) renameSync(path, aside);
  return aside;
}

export async function reseedReferenceData(dataDir: string, db: AppDb): Promise<void> {
  const terminal = readTerminal(dataDir);
  const demo = readDemoStore();
  if (!terminal || terminal.businessId === demo.store.business.id) {
    await seedDemoStore(db, demo);
    return;
  }
  console.warn('engine: this terminal\'s catalog and staff come from central; they return with the next sync');
}
