// A migrated, empty terminal database made once per test run and copied into each new data
// directory a test opens. PGlite runs initdb in wasm for every new database (4 to 12 s on a
// loaded two-core machine) and then the migrations (about 1 s); a copy of the finished 43 MB
// directory takes a tenth of that. The engine then opens it as it opens any terminal's database
// after a restart: the migrations are checked, none is pending. Tests of a first start (initdb,
// the migrations, a missing or damaged directory) make their directories as before.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openLocalDatabase } from '#db/local.ts';
import { loadMigrations } from '#db/migrator.ts';

/** vitest's global set-up hands the template's path to every test process in this variable. */
export const TEMPLATE_ENV = 'POS_TEST_PGLITE_TEMPLATE';

// Named for what it holds: the migrations' contents and PGlite's version. A changed migration
// or a new PGlite makes a new template; an unchanged tree reuses the last run's.
function templateKey(): string {
  const require = createRequire(import.meta.url);
  const pgliteVersion = (
    JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const hash = createHash('sha256').update(pgliteVersion);
  for (const m of loadMigrations()) hash.update(`${m.tag}:${m.hash}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Builds the template unless this tree's is already there; answers the directory to copy from. */
export async function buildPgliteTemplate(): Promise<string> {
  const root = join(tmpdir(), `pos-pglite-template-${templateKey()}`);
  const pglite = join(root, 'pglite');
  if (existsSync(join(pglite, 'PG_VERSION'))) return pglite;
  // Built aside and renamed into place: a run killed halfway leaves no half template behind.
  const building = mkdtempSync(`${root}.building-`);
  const local = await openLocalDatabase(building);
  await local.close();
  try {
    renameSync(building, root);
  } catch (err) {
    // Another run finished the same template first.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(pglite, 'PG_VERSION'))) throw err;
  }
  return pglite;
}

/** A new data directory whose terminal database already holds the current schema and nothing else. */
export function freshDataDir(label: string): string {
  const template = process.env[TEMPLATE_ENV];
  if (!template || !existsSync(join(template, 'PG_VERSION')))
    throw new Error(`no terminal database template at ${TEMPLATE_ENV} (vitest's global set-up, tests/support/global-setup.ts, makes it)`);
  const dir = mkdtempSync(join(tmpdir(), `pos-${label}-`));
  const target = join(dir, 'pglite');
  cpSync(template, target, { recursive: true });
  chmodSync(target, 0o700);
  return dir;
}
