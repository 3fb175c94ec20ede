// The two places the schema lives: a terminal's PGlite on disk and a central PostgreSQL
// database. Tests that must hold on both iterate over these.
import type { AppDb } from '#db/app-db.ts';
import { migrate } from '#db/migrator.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { connectTestDatabase } from './central.ts';
import { openTempLocal } from './local.ts';

export type MigratedDatabase = { sql: SqlDatabase; db: AppDb; dispose(): Promise<void> };

export const BOTH_DATABASES: Record<'PGlite on disk' | 'central PostgreSQL', (label: string) => Promise<MigratedDatabase>> = {
  'PGlite on disk': async (label) => {
    const local = await openTempLocal(label);
    return { sql: local.sql, db: local.db as unknown as AppDb, dispose: local.dispose };
  },
  'central PostgreSQL': async (label) => {
    const { central, database } = await connectTestDatabase(label);
    await migrate(central.sql);
    return {
      sql: central.sql,
      db: central.db as unknown as AppDb,
      dispose: async () => {
        await central.close();
        await database.drop();
      },
    };
  },
};

export const DATABASE_NAMES = Object.keys(BOTH_DATABASES) as (keyof typeof BOTH_DATABASES)[];
