// Before a terminal sends anything: is this login really this register's, and does central
// have every migration this terminal has? Either failing needs a person, not a retry storm.
import type pg from 'pg';
import { CENTRAL_MIGRATIONS_DIR, loadMigrations } from '#db/migrator.ts';

export class CentralNotReady extends Error {
  override name = 'CentralNotReady';
}

let wanted: { shared: string[]; central: string[] } | undefined;

export async function checkCentral(client: pg.ClientBase, registerId: string): Promise<void> {
  let who: string | null;
  try {
    who = (await client.query<{ who: string | null }>('SELECT sync.my_register()::text AS who')).rows[0]?.who ?? null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42883' || code === '3F000')
      throw new CentralNotReady('central has no terminal sync schema yet: run "pos central migrate" against it');
    throw err;
  }
  if (who !== registerId) {
    throw new CentralNotReady(
      who === null
        ? 'this login is not a provisioned terminal on central (or it was revoked): run "pos central provision-terminal" for this register'
        : `this login belongs to register ${who}, not to this terminal's register ${registerId}`,
    );
  }
  // The terminal relies on central's own migrations too (the pull horizon, what a terminal may write).
  wanted ??= { shared: loadMigrations().map((m) => m.tag), central: loadMigrations(CENTRAL_MIGRATIONS_DIR).map((m) => m.tag) };
  const { rows } = await client.query<{ tag: string }>(
    'SELECT tag FROM public.pos_migrations UNION ALL SELECT tag FROM public.pos_central_migrations',
  );
  const have = new Set(rows.map((r) => r.tag));
  const missing = [...wanted.shared, ...wanted.central].filter((t) => !have.has(t));
  if (missing.length > 0) {
    throw new CentralNotReady(`central's schema is older than this terminal's (missing ${missing.join(', ')}): run "pos central migrate"`);
  }
}
