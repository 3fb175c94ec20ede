// Applies db/migrations to PGlite or PostgreSQL. Unlike drizzle's migrator, which compares
// timestamps and silently skips a migration older than the newest applied one, this one tracks
// every migration by tag and content hash, applies all pending ones in one transaction, and
// refuses a database that holds a migration this build does not know (a newer app wrote it).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase } from './sql-session.ts';
import { APP_LAYOUT, APP_ROOT } from './app-root.ts';

export const MIGRATIONS_DIR = APP_LAYOUT.migrations;
/** Central only (terminal roles, the sync ledger, row-level security), tracked apart from the shared ones. */
export const CENTRAL_MIGRATIONS_DIR = join(APP_ROOT, 'db', 'central-migrations');
const BREAKPOINT = '--> statement-breakpoint';

export type Migration = { tag: string; hash: string; statements: string[] };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

type Journal = { entries: { idx: number; when: number; tag: string }[] };

/** Reads the migrations in journal order and checks that the folder and journal agree. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(`${dir}/meta/_journal.json`, 'utf8')) as Journal;
  const tags = journal.entries.map((e) => e.tag);
  journal.entries.forEach((entry, i) => {
    if (entry.idx !== i) throw new MigrationError(`migration journal entry ${entry.tag} has idx ${entry.idx}, expected ${i}`);
  });
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4));
  const orphans = files.filter((f) => !tags.includes(f));
  if (orphans.length > 0) {
    throw new MigrationError(
      `migration file(s) not in meta/_journal.json: ${orphans.join(', ')} ` +
        `(create migrations with "npx drizzle-kit generate", hand-written ones with --custom)`,
    );
  }
  return tags.map((tag) => {
    const text = readFileSync(`${dir}/${tag}.sql`, 'utf8');
    const statements = text
      .split(BREAKPOINT)
      .map((s) => s.trim())
      .filter((s) => stripComments(s) !== '');
    return { tag, hash: createHash('sha256').update(text).digest('hex'), statements };
  });
}

const stripComments = (sql: string) => sql.replace(/^\s*--.*$/gm, '').trim();

export async function migrate(db: SqlDatabase, migrations = loadMigrations(), table = 'public.pos_migrations'): Promise<MigrationResult> {
  if (!/^public\.pos_[a-z_]+$/.test(table)) throw new MigrationError(`not a migration table name: ${table}`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    tag text PRIMARY KEY,
    hash text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  return db.transaction(async (tx) => {
    // Two `pos central migrate` runs against one server take turns instead of racing.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('public.pos_migrations'))`);
    const applied = await tx.query<{ tag: string; hash: string }>(`SELECT tag, hash FROM ${table}`);
    const known = new Map(migrations.map((m) => [m.tag, m]));
    const unknown = applied.filter((row) => !known.has(row.tag)).map((row) => row.tag);
    if (unknown.length > 0) {
      throw new MigrationError(
        `the database was migrated by a newer version of this app ` +
          `(unknown migration ${unknown.join(', ')}); install the newer version to open it`,
      );
    }
    const changed = applied.filter((row) => known.get(row.tag)!.hash !== row.hash).map((row) => row.tag);
    if (changed.length > 0) {
      throw new MigrationError(
        `migration ${changed.join(', ')} was edited after it was applied; write a new migration instead of changing an applied one`,
      );
    }
    const done = new Set(applied.map((row) => row.tag));
    const pending = migrations.filter((m) => !done.has(m.tag));
    for (const migration of pending) {
      for (const statement of migration.statements) {
        try {
          await tx.exec(statement);
        } catch (err) {
          throw new MigrationError(`migration ${migration.tag} failed: ${(err as Error).message}`);
        }
      }
      await tx.query(`INSERT INTO ${table} (tag, hash) VALUES ($1, $2)`, [migration.tag, migration.hash]);
    }
    const [guards] = await tx.query<{ installed: boolean }>(
      `SELECT to_regprocedure('public.pos_install_table_guards()') IS NOT NULL AS installed`,
    );
    if (pending.length > 0 && guards?.installed) {
      // Tables added by any migration get the delete refusal and updated_at trigger.
      await tx.exec('SELECT public.pos_install_table_guards()');
    }
    return { applied: pending.map((m) => m.tag), alreadyApplied: applied.length };
  });
}
