// The pull's probe through PgBouncer's entry the registers share (README, "Two hundred registers"):
// every register logs in to it as itself and PgBouncer opens its server connections as
// pos_prober, so central learns who asks from the register's probe key. A price changed at
// central still comes down in seconds, the probes go to the shared entry, and a key that is not a
// live register's gets nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { readSharedChangeMark } from '#engine/sync/pull.ts';
import { revokeTerminal } from '#engine/sync/provision.ts';
import { urlOfDatabase } from '#engine/sync/side-connection.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import { ADMIN_URL, type TestDatabase } from '../support/central.ts';
import { installPoolerLookup, preparePgbouncer, type PrivatePgbouncer } from '../support/private-pgbouncer.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const PROBE_ALIAS = 'central_probe';
const LOOKUP = { user: `pos_probe_auth_${process.pid}`, password: `lookup-${process.pid}` };

let database: TestDatabase;
let central: Central;
let bouncer: PrivatePgbouncer;
let registerIds: string[];
let register: TestTerminal;
const viaBouncer = (url: string) => {
  const u = new URL(url);
  return bouncer.url(decodeURIComponent(u.username), decodeURIComponent(u.password));
};

beforeAll(async () => {
  ({ database, central, registerIds } = await createCentral('shared_probe', 3));
  // README: the operator gives pos_prober a login (and PgBouncer its password; this server trusts 127.0.0.1).
  await central.sql.exec('ALTER ROLE pos_prober LOGIN');
  bouncer = await preparePgbouncer({
    database: database.name,
    maxDbConnections: 10,
    poolSize: 2,
    maxClients: 50,
    lookup: await installPoolerLookup(central, database.name, LOOKUP.user, LOOKUP.password),
    probeAlias: PROBE_ALIAS,
  });
  await bouncer.start();
  const dir = await provisionDir(
    central,
    database.url,
    registerIds[0]!,
    'shared-probe',
    { probeDatabase: PROBE_ALIAS, pullEverySeconds: 300 },
    viaBouncer,
  );
  register = await openTerminal(dir, registerIds[0]!, { syncTuning: { idleMs: 100, backoff: { baseMs: 50, maxMs: 1_000 } } });
}, 180_000);

afterAll(async () => {
  await register?.dispose();
  await bouncer?.remove();
  await central?.close();
  await database?.drop();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(LOOKUP.user)}`);
  } finally {
    await admin.end();
  }
});

/** PgBouncer's count of transactions it has run on an entry. */
async function transactionsOn(entry: string): Promise<number> {
  const stats = new pg.Client({ connectionString: bouncer.consoleUrl });
  await stats.connect();
  try {
    const { rows } = await stats.query<{ database: string; total_xact_count: string }>('SHOW STATS');
    return Number(rows.find((r) => r.database === entry)?.total_xact_count ?? 0);
  } finally {
    await stats.end();
  }
}

describe('the shared probe', () => {
  it("brings a price changed at central down within seconds, probing through the registers' shared entry", async () => {
    const config = readSyncConfig(register.dir)!;
    expect(config.probeKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Between pulls the register's own login stays off central: only the shared entry is asked.
    await waitFor(() => register.status().pending === 0, 30_000, 'the sign-in and shift to be pushed');
    // An audit entry becomes a fact on the push's next pass, so the start-up's last one may still
    // go up after nothing was pending (a clean-clone CI run saw that one push inside the window).
    // The window starts once the register's own entry has been quiet for a second.
    let ownBefore = await transactionsOn(bouncer.alias);
    await waitFor(
      async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        const own = await transactionsOn(bouncer.alias);
        const quiet = own === ownBefore && register.status().pending === 0;
        ownBefore = own;
        return quiet;
      },
      30_000,
      "the register's own entry to fall quiet",
    );
    const probesBefore = await transactionsOn(PROBE_ALIAS);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await transactionsOn(bouncer.alias)).toBe(ownBefore);
    expect(await transactionsOn(PROBE_ALIAS)).toBeGreaterThanOrEqual(probesBefore + 2);
    const [variant] = await central.sql.query<{ id: string }>(
      'SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode LIMIT 1',
    );
    await central.sql.query('UPDATE inventory.product_variants SET price = $2, version = version + 1 WHERE id = $1', [
      variant!.id,
      '77.2500',
    ]);
    const started = performance.now();
    await waitFor(
      async () =>
        (
          await register.engine.services.sql.query<{ price: string }>(
            'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1',
            [variant!.id],
          )
        )[0]?.price === '77.2500',
      30_000,
      'the new price',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('answers a register its own business only with its own live key', async () => {
    const config = readSyncConfig(register.dir)!;
    // The register's own login (its sync.json points at the pooler), on the shared entry.
    const client = new pg.Client({ connectionString: urlOfDatabase(config.url, PROBE_ALIAS) });
    await client.connect();
    try {
      const [{ who }] = (await client.query<{ who: string }>('SELECT session_user::text AS who')).rows as [{ who: string }];
      expect(who).toBe('pos_prober');
      const mark = await readSharedChangeMark(client, registerIds[0]!, config.probeKey!);
      expect(mark.nowUs).toBeGreaterThan(0n);
      const refused = (registerId: string, key: string) =>
        readSharedChangeMark(client, registerId, key).catch((err: { code?: string }) => err.code);
      await expect(refused(registerIds[0]!, `${config.probeKey!}x`)).resolves.toBe('28000');
      // Another register's id with this register's key.
      await expect(refused(registerIds[1]!, config.probeKey!)).resolves.toBe('28000');
      // A register provisioned again gets a new key; the old one stops working.
      const other = await provisionDir(central, database.url, registerIds[2]!, 'shared-probe-other');
      const first = readSyncConfig(other)!.probeKey!;
      await expect(readSharedChangeMark(client, registerIds[2]!, first)).resolves.toMatchObject({ changes: expect.any(String) });
      const again = readSyncConfig(await provisionDir(central, database.url, registerIds[2]!, 'shared-probe-again'))!.probeKey!;
      await expect(refused(registerIds[2]!, first)).resolves.toBe('28000');
      await expect(readSharedChangeMark(client, registerIds[2]!, again)).resolves.toMatchObject({ changes: expect.any(String) });
      // A revoked register's key gets nothing either.
      await revokeTerminal(central, registerIds[2]!);
      await expect(refused(registerIds[2]!, again)).resolves.toBe('28000');
    } finally {
      await client.end();
    }
  }, 60_000);
});
