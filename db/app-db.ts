// The drizzle database type both stores share: PGlite on the terminal, node-postgres on central.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.ts';

export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;
