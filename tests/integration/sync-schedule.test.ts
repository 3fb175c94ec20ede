// The push and the pull on their own schedules, against the real PostgreSQL server: a price the
// owner changes at central reaches the online registers in seconds, the pull keeps coming down
// while a push waits behind a lock, and a push that fails right after a committed batch is
// retried at once, not after the backoff the outage before it had built up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Central } from '#db/central.ts';
import { buildSyncLoop, type EngineOptions } from '#engine/engine.ts';
import { lockLedger } from '#engine/sync/central-ledger.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import type { TestDatabase } from '../support/central.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

// The defaults a register runs with: a 2 s settle window, a full pull every 30 s, a probe a second.
const TUNING = { idleMs: 100, backoff: { baseMs: 50, maxMs: 1_000 } } satisfies EngineOptions['syncTuning'];

let database: TestDatabase;
let central: Central;
let registers: TestTerminal[] = [];

beforeAll(async () => {
  let registerIds: string[];
  ({ database, central, registerIds } = await createCentral('sync_schedule', 2));
  // The second register pushes 25 facts a batch at most, so a short catch-up takes several.
  const configs = [{}, { batchSize: 25 }];
  registers = await Promise.all(
    registerIds.map(async (id, i) =>
      openTerminal(await provisionDir(central, database.url, id, `sync-schedule-${i}`, configs[i]), id, { syncTuning: TUNING }),
    ),
  );
}, 180_000);

afterAll(async () => {
  await Promise.all(registers.map((r) => r.dispose()));
  await central?.close();
  await database?.drop();
});

const localPrice = async (on: TestTerminal, variantId: string) =>
  (
    await on.engine.services.sql.query<{ price: string }>('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [
      variantId,
    ])
  )[0]?.price;

async function variantAt(offset: number): Promise<string> {
  const [row] = await central.sql.query<{ id: string }>(
    'SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode OFFSET $1 LIMIT 1',
    [offset],
  );
  return row!.id;
}

/** The owner changes a price on central, as `pos central` connects: straight SQL over the owner's login. */
const ownerSetsPrice = (variantId: string, price: string) =>
  central.sql.query('UPDATE inventory.product_variants SET price = $2, version = version + 1 WHERE id = $1', [variantId, price]);

/** Milliseconds until the register holds the price. */
async function msUntilPrice(on: TestTerminal, variantId: string, price: string, started: number): Promise<number> {
  await waitFor(async () => (await localPrice(on, variantId)) === price, 30_000, `the price ${price}`);
  return performance.now() - started;
}

/** The engine's loop again, stopped and built anew (new connections, so a login's new settings apply). */
async function stopLoop(on: TestTerminal): Promise<void> {
  const loop = on.engine.services.sync;
  on.engine.services.sync = null;
  await loop?.stop();
}

function startLoop(on: TestTerminal, tuning: EngineOptions['syncTuning']): void {
  const loop = buildSyncLoop(on.engine.services, on.dir, tuning)!;
  on.engine.services.sync = loop;
  loop.start();
}

describe('the pull on its own schedule', () => {
  it('brings a price the owner changes at central down to every online register within 5 s, with the default settle window and pull interval', async () => {
    const rounds: number[][] = [];
    for (let round = 0; round < 3; round++) {
      const variant = await variantAt(round);
      const price = `4${round}.7500`;
      await ownerSetsPrice(variant, price);
      const started = performance.now();
      rounds.push(await Promise.all(registers.map((r) => msUntilPrice(r, variant, price, started))));
      // Off the probe's beat, so the rounds do not all land at the same point of it.
      await new Promise((r) => setTimeout(r, 700));
    }
    console.log(
      `a price changed at central reached 2 registers after ${rounds.map((ms) => ms.map((m) => `${Math.round(m)} ms`).join(' / ')).join('; ')}`,
    );
    const slowest = rounds.map((ms) => Math.max(...ms)).sort((a, b) => a - b);
    expect(slowest[1]).toBeLessThan(5_000);
    expect(slowest[2]).toBeLessThan(10_000);
  }, 120_000);

  it('brings down, on a pass asked for now (pos sync now), a price changed at central the moment before, waiting out the settle window', async () => {
    const [register] = registers;
    await stopLoop(register!);
    const loop = buildSyncLoop(register!.engine.services, register!.dir, TUNING)!;
    try {
      const variant = await variantAt(5);
      await ownerSetsPrice(variant, '57.2500');
      const started = performance.now();
      const { pulled } = await loop.syncOnce();
      const tookMs = performance.now() - started;
      expect(await localPrice(register!, variant)).toBe('57.2500');
      expect(pulled).toBeGreaterThan(0);
      // It waited for the window (2 s after the change), not for the loop's next pass.
      expect(tookMs).toBeLessThan(10_000);
    } finally {
      await loop.stop();
      startLoop(register!, TUNING);
    }
  }, 60_000);

  it('keeps bringing prices down while the push waits behind a lock at central, and the push goes through once it is released', async () => {
    const [register] = registers;
    const url = readSyncConfig(register!.dir)!.url;
    const role = pg.escapeIdentifier(new URL(url).username);
    const [setting] = await central.sql.query<{ lock_timeout: string | null }>(
      `SELECT (SELECT split_part(c, '=', 2) FROM pg_roles r, unnest(r.rolconfig) c WHERE r.rolname = $1 AND c LIKE 'lock_timeout=%') AS lock_timeout`,
      [new URL(url).username],
    );
    // A push that waits long (a stock row held by an import): 25 s instead of the login's 5 s.
    await central.sql.exec(`ALTER ROLE ${role} SET lock_timeout = '25s'`);
    const holder = new pg.Client({ connectionString: url });
    holder.on('error', () => {});
    try {
      await stopLoop(register!);
      startLoop(register!, TUNING);
      await waitFor(() => register!.status().lastPullAt !== null, 30_000, 'the first pull');
      await holder.connect();
      await holder.query('BEGIN');
      await lockLedger(holder);
      const sale = await register!.sell(1);
      const pushWaits = async () =>
        Number(
          (
            await central.sql.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
              [`pos-terminal ${register!.registerId} push`],
            )
          )[0]!.n,
        ) === 1;
      await waitFor(pushWaits, 15_000, 'the push to wait on the lock');
      const variant = await variantAt(10);
      await ownerSetsPrice(variant, '61.2500');
      const started = performance.now();
      const ms = await msUntilPrice(register!, variant, '61.2500', started);
      console.log(`with the push waiting on a lock, a price changed at central came down after ${Math.round(ms)} ms`);
      expect(ms).toBeLessThan(10_000);
      // Still waiting: the pull did not come after the push, nor instead of it.
      expect(await pushWaits()).toBe(true);
      expect(register!.status()).toMatchObject({ online: true, pending: expect.any(Number) });
      expect(register!.status().pending).toBeGreaterThan(0);
      await holder.query('ROLLBACK');
      await waitFor(() => register!.status().pending === 0, 30_000, 'the push once the lock is released');
      expect(register!.status()).toMatchObject({ state: 'online', lastError: null });
      expect(
        Number((await central.sql.query<{ n: string }>('SELECT count(*) AS n FROM sales.sales WHERE id = $1', [sale.saleId]))[0]!.n),
      ).toBe(1);
    } finally {
      await holder.end().catch(() => {});
      await central.sql.exec(
        setting!.lock_timeout === null
          ? `ALTER ROLE ${role} RESET lock_timeout`
          : `ALTER ROLE ${role} SET lock_timeout = '${setting!.lock_timeout}'`,
      );
    }
  }, 120_000);
});

describe('a push after an outage', () => {
  it('is retried at once when a batch fails right after one central committed, not after the backoff the outage built up', async () => {
    const register = registers[1]!;
    await stopLoop(register);
    const head = Number(
      (
        await central.sql.query<{ head: string }>('SELECT coalesce(max(seq), 0) AS head FROM sync.ledger WHERE register_id = $1', [
          register.registerId,
        ])
      )[0]!.head,
    );
    for (let i = 0; i < 30; i++) await register.sell(1);
    expect(register.engine.services.journal.head().seq - head).toBeGreaterThan(25);
    // Central turns down this register's first four pushes (an outage, as the loop sees it), takes
    // the fifth's first batch and fails its second, then takes everything: counted by transaction.
    await central.sql.exec(`
      CREATE SEQUENCE public.test_pushes;
      CREATE SEQUENCE public.test_push_xid;
      CREATE FUNCTION public.test_fail_pushes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      DECLARE n bigint;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM added WHERE register_id = '${register.registerId}') THEN RETURN NULL; END IF;
        IF (SELECT last_value FROM public.test_push_xid) = pg_current_xact_id()::text::bigint THEN RETURN NULL; END IF;
        PERFORM setval('public.test_push_xid', pg_current_xact_id()::text::bigint);
        n := nextval('public.test_pushes');
        IF n <= 4 OR n = 6 THEN RAISE EXCEPTION 'test: push % turned down', n USING ERRCODE = '40001'; END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER test_fail_pushes AFTER INSERT ON sync.ledger REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION public.test_fail_pushes();`);
    try {
      // The default backoff (0.5 s doubling), each wait its longest: 0.5 + 1 + 2 + 4 s of outage,
      // after which the fifth failure in a row would wait 8 s.
      const started = performance.now();
      startLoop(register, { ...TUNING, backoff: { baseMs: 500, maxMs: 60_000 }, random: () => 0.999 });
      await waitFor(() => register.status().pending === 0, 60_000, 'the catch-up');
      const took = performance.now() - started;
      const [pushes] = await central.sql.query<{ n: string }>('SELECT last_value AS n FROM public.test_pushes');
      expect(Number(pushes!.n)).toBeGreaterThanOrEqual(7);
      // The batches as central received them: the one committed before the failure, and the next.
      const batches = await central.sql.query<{ facts: number; at: Date }>(
        `SELECT count(*)::int AS facts, received_at AS at FROM sync.ledger WHERE register_id = $1 AND seq > $2
        GROUP BY received_at ORDER BY received_at`,
        [register.registerId, head],
      );
      expect(batches[0]!.facts).toBe(25);
      const gap = batches[1]!.at.getTime() - batches[0]!.at.getTime();
      console.log(
        `catch-up of ${batches.reduce((n, b) => n + b.facts, 0)} facts after 4 refused pushes took ${Math.round(took)} ms; the batch after the failed one came ${gap} ms after the committed one`,
      );
      expect(gap).toBeLessThan(4_000);
    } finally {
      await central.sql.exec('DROP TRIGGER test_fail_pushes ON sync.ledger; DROP FUNCTION public.test_fail_pushes()');
    }
  }, 120_000);
});

describe("central's change count", () => {
  /** sync.pull_changes() as a register's own login sees it. */
  async function asRegister<T>(on: TestTerminal, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: readSyncConfig(on.dir)!.url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  const count = (client: pg.Client) =>
    client
      .query<{ changes: string; changed_us: string }>('SELECT changes::text, changed_us::text FROM sync.pull_changes()')
      .then((r) => r.rows[0]!);

  it('moves when a price is committed, not while its transaction is open nor for one rolled back, and dates the change', async () => {
    const variant = await variantAt(20);
    await asRegister(registers[0]!, async (probe) => {
      const before = await count(probe);
      const owner = new pg.Client({ connectionString: database.url });
      await owner.connect();
      try {
        await owner.query('BEGIN');
        await owner.query('UPDATE inventory.product_variants SET price = 12.3400, version = version + 1 WHERE id = $1', [variant]);
        expect(await count(probe)).toEqual(before);
        await owner.query('ROLLBACK');
        expect(await count(probe)).toEqual(before);
        await owner.query('BEGIN');
        await owner.query('UPDATE inventory.product_variants SET price = 12.3400, version = version + 1 WHERE id = $1', [variant]);
        const [{ written, ended }] = (
          await owner.query<{ written: string; ended: string }>(
            `SELECT floor(extract(epoch FROM updated_at) * 1000000)::bigint::text AS written,
                    floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text AS ended
             FROM inventory.product_variants WHERE id = $1`,
            [variant],
          )
        ).rows as [{ written: string; ended: string }];
        await owner.query('COMMIT');
        const after = await count(probe);
        expect(BigInt(after.changes)).toBeGreaterThan(BigInt(before.changes));
        // Dated at or past the updated_at of what it wrote, so a pull whose horizon has passed
        // the date has passed the row too; and no later than its transaction's last statement.
        expect(BigInt(after.changed_us)).toBeGreaterThanOrEqual(BigInt(written));
        expect(BigInt(after.changed_us)).toBeLessThanOrEqual(BigInt(ended));
      } finally {
        await owner.end();
      }
    });
  });

  it("does not move for a register's pushed sale, so a busy branch does not wake its registers", async () => {
    const [register] = registers;
    await waitFor(() => register!.status().pending === 0, 30_000, 'nothing waiting');
    await asRegister(register!, async (probe) => {
      const before = await count(probe);
      await register!.sell(2);
      await waitFor(() => register!.status().pending === 0, 30_000, 'the sale to reach central');
      expect(await count(probe)).toEqual(before);
    });
  });

  it('never makes two writers of one business wait for each other, however long the first one stays open', async () => {
    const [first, second] = [await variantAt(21), await variantAt(22)];
    const importer = new pg.Client({ connectionString: database.url });
    const editor = new pg.Client({ connectionString: database.url });
    await Promise.all([importer.connect(), editor.connect()]);
    try {
      const editorSlot = (await editor.query<{ slot: number }>('SELECT pg_backend_pid() % 64 AS slot')).rows[0]!.slot;
      const [{ business }] = (await central.sql.query<{ business: string }>(
        'SELECT business_id AS business FROM inventory.product_variants WHERE id = $1',
        [first],
      )) as [{ business: string }];
      await central.sql.query('INSERT INTO sync.change_counts (business_id, slot) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        business,
        editorSlot,
      ]);
      await importer.query('BEGIN');
      await importer.query('UPDATE inventory.product_variants SET price = 1.1100, version = version + 1 WHERE id = $1', [first]);
      // The editor's own counter row too, as an import in a session whose number shares its slot would.
      await importer.query('SELECT 1 FROM sync.change_counts WHERE business_id = $1 AND slot = $2 FOR UPDATE', [business, editorSlot]);
      await editor.query(`SET lock_timeout = '1s'`);
      const before = await central.sql.query<{ n: string }>(
        'SELECT sum(changes)::text AS n FROM sync.change_counts WHERE business_id = $1',
        [business],
      );
      await editor.query('UPDATE inventory.product_variants SET price = 2.2200, version = version + 1 WHERE id = $1', [second]);
      const after = await central.sql.query<{ n: string }>(
        'SELECT sum(changes)::text AS n FROM sync.change_counts WHERE business_id = $1',
        [business],
      );
      expect(BigInt(after[0]!.n)).toBe(BigInt(before[0]!.n) + 1n);
      await importer.query('COMMIT');
    } finally {
      await Promise.all([importer.end(), editor.end()]);
    }
  });

  it('is read by a register only through sync.pull_changes()', async () => {
    await asRegister(registers[0]!, async (client) => {
      await expect(client.query('SELECT * FROM sync.change_counts')).rejects.toMatchObject({ code: '42501' });
      await expect(client.query('SELECT sync.count_pulled_change()')).rejects.toMatchObject({
        code: expect.stringMatching(/^(42501|0A000)$/),
      });
    });
  });
});
