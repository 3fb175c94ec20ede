// The terminal's operational store: PGlite on disk holding the seven schemas.
// PGlite runs with fsync off; facts that must survive power loss also go to the journal.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import * as schema from './schema/index.ts';
import { migrate, type MigrationResult } from './migrator.ts';
import { preparingStatements } from './pglite-statements.ts';
import type { SqlDatabase, SqlSession } from './sql-session.ts';

export type LocalDb = PgliteDatabase<typeof schema>;

export type LocalDatabase = {
  pg: PGlite;
  db: LocalDb;
  sql: SqlDatabase;
  migration: MigrationResult;
  close(): Promise<void>;
};

const session = (pg: Pick<PGlite, 'exec' | 'query'>): SqlSession => ({
  async exec(text) {
    await pg.exec(text);
  },
  async query<Row>(text: string, params?: unknown[]) {
    return (await pg.query<Row>(text, params)).rows;
  },
});

export function pgliteSession(pg: PGlite): SqlDatabase {
  return {
    ...session(pg),
    transaction: (fn) => pg.transaction((tx) => fn(session(tx))),
  };
}

/**
 * PostgreSQL's 128 MB of shared buffers are zeroed in wasm memory at every start: most of a
 * PGlite open. A terminal's hot pages (today's sales, the indexes a scan walks) fit in 32 MB,
 * and a page read beyond them comes from the operating system's file cache.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * V8 runs a WebAssembly function as its baseline compiler (Liftoff) made it until the function
 * has executed about 1.8 MB worth of code, then compiles it again with TurboFan. Starting
 * PostgreSQL (reading its catalogs, checking the migrations) crosses that for many functions that
 * then hardly run again, so a process opening PGlite spent more CPU optimising than starting:
 * `pos db migrate` with nothing to do took 1.4-1.6 s and 2.1 CPU-seconds, 1.1 s and 1.5 with this.
 * A budget 55 times larger leaves that start unoptimised while what a register keeps running still
 * crosses it soon: 400 two-line sales on a fresh process took no longer, nor did 1,500. Set before
 * the first PGlite compiles (on loading this module): V8 reads it as it compiles and instantiates.
 */
setFlagsFromString('--wasm-tiering-budget=100000000');

/** A PGlite with the extensions the migrations need; every PGlite in the product comes from here. */
export const createPglite = async (path?: string) =>
  preparingStatements(await PGlite.create(path, { extensions: { pg_trgm, unaccent }, startParams: START_PARAMS }));

/**
 * Opens (creating on first use) the PGlite store under dataDir/pglite and brings it to the
 * current schema. `dataDir` of undefined gives an in-memory store, for tests where speed matters.
 * The caller must hold the data directory's owner lock: two PGlite instances corrupt one directory.
 */
export async function openLocalDatabase(dataDir: string | undefined): Promise<LocalDatabase> {
  let path: string | undefined;
  if (dataDir !== undefined) {
    path = join(dataDir, 'pglite');
    mkdirSync(path, { recursive: true, mode: 0o700 });
  }
  const created = path !== undefined && !existsSync(join(path, 'PG_VERSION'));
  const pg = await createPglite(path);
  try {
    if (created) await dropTemplateDatabases(pg);
    await pg.exec(`SET TIME ZONE 'UTC'`);
    const sql = pgliteSession(pg);
    const migration = await migrate(sql);
    return { pg, db: drizzle({ client: pg, schema }), sql, migration, close: () => pg.close() };
  } catch (err) {
    await pg.close().catch(() => {});
    throw err;
  }
}

/**
 * initdb makes template0 and template1 beside the database PGlite serves, for CREATE DATABASE to
 * copy. A terminal never creates a database: they were 600 of the directory's 1,406 files and
 * 14 of its 43 MB, copied with it wherever it goes (a shop's image of a register, a technician's
 * back-up). Dropped once, when the directory is new; a start killed before this keeps them, harmlessly.
 */
async function dropTemplateDatabases(pg: PGlite): Promise<void> {
  for (const name of ['template0', 'template1']) {
    await pg.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
    await pg.exec(`DROP DATABASE ${name}`);
  }
}
