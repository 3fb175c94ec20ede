// Central PostgreSQL for tests: the server at POS_TEST_PG_URL (CI sets it), one fresh database
// per test file so files run in parallel without seeing each other.
import pg from 'pg';
import { connectCentral, type Central } from '#db/central.ts';
import type { SqlSession } from '#db/sql-session.ts';

export const ADMIN_URL = process.env.POS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/**
 * A new database on the test server, dropped by drop() (test scaffolding only): empty, or a copy
 * of the database named `template`, which nobody may be connected to meanwhile.
 */
export async function createTestDatabase(label: string, template?: string): Promise<TestDatabase> {
  const name = `pos_test_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`the tests need PostgreSQL at ${ADMIN_URL} (set POS_TEST_PG_URL): ${(err as Error).message}`);
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function connectTestDatabase(label: string): Promise<{ central: Central; database: TestDatabase }> {
  const database = await createTestDatabase(label);
  return { central: await connectCentral(database.url), database };
}

/**
 * A copy of one of central's rows, `changes` over it: another business, branch, register or sale
 * beside the seeded ones, every other column as the original has it (test data only).
 */
export const cloneRow = (sql: SqlSession, table: string, fromId: string, changes: Record<string, unknown>) =>
  sql.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table}, (SELECT to_jsonb(t) || $2::jsonb FROM ${table} t WHERE id = $1))`,
    [fromId, JSON.stringify(changes)],
  );
