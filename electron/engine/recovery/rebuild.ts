// When PGlite cannot open (a torn write after a power cut, a deleted or garbage directory),
// the directory is set aside, never deleted, and a fresh one is built: reference data first
// (the demo store here; a real terminal re-pulls its catalog from central), then the journal
// replays every fact into it.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { AppDb } from '#db/app-db.ts';
import { readDemoStore } from '../demo/demo-store.ts';
import { seedDemoStore } from '../demo/seed.ts';
import { readTerminal } from '../terminal.ts';
import pg from 'pg';
import type { SqlDatabase } from '#db/sql-session.ts';
import { pullAll } from '../sync/pull.ts';
import { readSyncConfig } from '../sync/sync-config.ts';
import { describeSyncError } from '../sync/sync-errors.ts';
import { log } from '../log/logger.ts';

export function setAsideDamagedDatabase(dataDir: string, cause: unknown): string {
  const path = join(dataDir, 'pglite');
  const aside = join(dataDir, `pglite.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  log.warn(
    { err: cause, path },
    `recovery: the database in ${path} cannot be opened (${(cause as Error)?.message ?? cause}); rebuilding it from the journal`,
  );
  if (existsSync(path)) renameSync(path, aside);
  return aside;
}

export class CatalogUnavailable extends Error {
  override name = 'CatalogUnavailable';
}

export async function reseedReferenceData(dataDir: string, db: AppDb, sql: SqlDatabase): Promise<void> {
  const terminal = readTerminal(dataDir);
  const sync = readSyncConfig(dataDir);
  if (sync && terminal) {
    // The journal's facts point at the catalog, staff and register: they must be back before it
    // replays. UTC by the login's own setting (sync.fence_login), as the sync loop's connections are.
    const client = new pg.Client({ connectionString: sync.url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await pullAll(client, sql, { settleSeconds: 0 });
      log.warn({ rows }, `recovery: pulled ${rows} rows of catalog, staff and settings from central before replaying the journal`);
      return;
    } catch (err) {
      throw new CatalogUnavailable(
        `this terminal's database had to be rebuilt and central cannot be reached to bring its catalog back: ${describeSyncError(err)}`,
      );
    } finally {
      await client.end().catch(() => {});
    }
  }
  const demo = readDemoStore();
  if (!terminal || terminal.businessId === demo.store.business.id) {
    await seedDemoStore(db, demo);
    return;
  }
  log.warn("recovery: this terminal's catalog and staff come from central; they return with the next sync");
}
