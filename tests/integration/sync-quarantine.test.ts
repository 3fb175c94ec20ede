// One bad fact must never stop a register's sync. Facts already in a journal (or from an older
// terminal) may hold text PostgreSQL cannot store, or a payload no replay can read; central sets
// such a fact aside with its reason and applies the rest of the batch, and the status says so.
// And a push that waits on a lock at central fails within seconds and says why, instead of
// hanging while the badge says "online".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Central } from '#db/central.ts';
import { factHash, type Fact } from '#db/journal.ts';
import { buildSyncLoop } from '#engine/engine.ts';
import { deliverBatch } from '#engine/sync/central-ledger.ts';
import { outgoingFact } from '#engine/sync/outgoing-fact.ts';
import { Decimal } from 'decimal.js';
import type { JsonRow } from '#db/row-json.ts';
import { CASH_MOVED, type CashMovedFact } from '#engine/services/shifts/shift-facts.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { runPos } from '../support/run-cli.ts';
import { branchId, createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

let database: TestDatabase;
let central: Central;
let terminal: TestTerminal;
const TUNING = { idleMs: 100, settleSeconds: 0, backoff: { baseMs: 50, maxMs: 1_000 } };

beforeAll(async () => {
  let registerIds: string[];
  ({ database, central, registerIds } = await createCentral('sync_quarantine', 1));
  terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'sync-quarantine'), registerIds[0]!);
  await terminal.pushed('the shift to reach central', 30_000);
  await payIn('Cambio del banco');
  await terminal.sell(1);
}, 120_000);

afterAll(async () => {
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

/** Stops the terminal's loop, so what is written next reaches central in one batch when it starts again. */
async function pauseSync(): Promise<void> {
  const loop = terminal.engine.services.sync;
  terminal.engine.services.sync = null;
  await loop?.stop();
}

/** The engine's own loop again, on a fresh connection (so a login's new settings apply). */
function resumeSync(): void {
  const loop = buildSyncLoop(terminal.engine.services, terminal.dir, TUNING)!;
  terminal.engine.services.sync = loop;
  loop.start();
}

/** A pay-in through the contract; its movement's id. */
async function payIn(reason: string): Promise<string> {
  ok(
    await terminal.engine.call(
      'shifts.cashMovement',
      { kind: 'PAY_IN', amount: '10.00', reason, idempotencyKey: `pay-in-${uuidv7()}` },
      { token: terminal.token },
    ),
  );
  const fact = terminal.engine.services.journal
    .after(0, 100_000)
    .filter((f) => f.kind === CASH_MOVED)
    .at(-1)! as Fact<CashMovedFact>;
  return fact.payload.movement.id as string;
}

/** A pay-in as a journal holds it, with `reason` as given: written straight into the journal, past every check at the contract. */
function forgedPayIn(reason: string): Fact<CashMovedFact> {
  const journal = terminal.engine.services.journal;
  const real = journal
    .after(0, 100_000)
    .filter((f) => f.kind === CASH_MOVED)
    .at(-1)! as Fact<CashMovedFact>;
  const id = uuidv7();
  const key = `forged-${id}`;
  return journal.append<CashMovedFact>(CASH_MOVED, key, { movement: { ...real.payload.movement, id, idempotency_key: key, reason } }).fact;
}

type LedgerRow = {
  seq: string;
  status: string;
  reason: string | null;
  kind: string;
  idempotency_key: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
  payload: string;
};

async function ledgerRows(fromSeq: number, toSeq: number): Promise<LedgerRow[]> {
  return central.sql.query<LedgerRow>(
    `SELECT seq, status, reason, kind, idempotency_key, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
      prev_hash, hash, payload
    FROM sync.ledger WHERE register_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
    [terminal.registerId, fromSeq, toSeq],
  );
}

/** What the register's journal hashed: central holds each fact's payload as the journal's text. */
const rehash = (row: LedgerRow) => factHash(row.prev_hash, Number(row.seq), row.kind, row.idempotency_key, row.recorded_at, row.payload);

const centralCount = async (sql: string, params: unknown[]) => Number((await central.sql.query<{ n: string }>(sql, params))[0]!.n);

const POISONS = [
  { what: "a lone surrogate in a pay-in's reason", poison: () => forgedPayIn('Cambio \ud800 del banco'), reason: /cannot store/ },
  { what: "a NUL in a pay-in's reason", poison: () => forgedPayIn('Cambio\u0000del banco'), reason: /cannot store/ },
  {
    what: 'a sale whose payload no replay can read (a plain TypeError, no SQLSTATE)',
    poison: () => terminal.engine.services.journal.append(SALE_COMPLETED, `forged-${uuidv7()}`, { sale: null }).fact,
    reason: /TypeError/,
  },
  {
    what: "a sale line whose variant id is not a uuid (central locks a batch's stock rows before any fact is applied)",
    poison: () => {
      const journal = terminal.engine.services.journal;
      const real = journal
        .after(0, 100_000)
        .filter((f) => f.kind === SALE_COMPLETED)
        .at(-1)! as Fact<CompletedSaleFact>;
      const id = uuidv7();
      const mangle = <R extends Record<string, unknown>>(rows: R[]) => rows.map((r) => ({ ...r, variant_id: 'not-a-uuid' }));
      return journal.append<CompletedSaleFact>(SALE_COMPLETED, `forged-${id}`, {
        ...real.payload,
        sale: { ...real.payload.sale, id },
        items: mangle(real.payload.items),
        stock: mangle(real.payload.stock),
      }).fact;
    },
    reason: /^(22P02|23\d{3}) /,
  },
];

describe('a fact central cannot take', () => {
  it.each(POISONS)(
    'is set aside alone when it holds $what, and every other fact of its batch is applied',
    async ({ poison, reason }) => {
      const journal = terminal.engine.services.journal;
      const quarantinedBefore = terminal.status().quarantined.length;
      await pauseSync();
      const first = journal.head().seq + 1;
      const before = await terminal.sell(2);
      const bad = poison();
      const movementAfter = await payIn('Cambio del banco');
      const after = await terminal.sell(1);
      const last = journal.head().seq;
      expect(last - first).toBeGreaterThanOrEqual(3);
      resumeSync();
      await terminal.pushed('the batch past the poisoned fact');

      const rows = await ledgerRows(first, last);
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
      expect(rows.filter((r) => r.status === 'QUARANTINED').map((r) => Number(r.seq))).toEqual([bad.seq]);
      const badRow = rows.find((r) => Number(r.seq) === bad.seq)!;
      expect(badRow.reason).toMatch(reason);
      expect(badRow.hash).toBe(bad.hash);
      for (const { saleId } of [before, after]) {
        expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1 AND status = 'COMPLETED'`, [saleId])).toBe(1);
      }
      expect(await centralCount('SELECT count(*) AS n FROM sales.cash_movements WHERE id = $1', [movementAfter])).toBe(1);

      const status = terminal.status();
      expect(status.quarantined).toHaveLength(quarantinedBefore + 1);
      expect(status.quarantined.at(-1)).toMatchObject({ seq: bad.seq, kind: bad.kind, reason: expect.stringMatching(reason) });
      expect(status).toMatchObject({
        state: 'attention',
        online: true,
        lastError: null,
        attention: expect.stringContaining(`${quarantinedBefore + 1} fact`),
      });
      // And the log says which fact and why, for whoever looks after the incident.
      expect(readFileSync(join(terminal.dir, 'logs', 'engine.log'), 'utf8')).toContain(`central set fact #${bad.seq} (${bad.kind}) aside`);

      // The chain goes on from the quarantined fact's hash: the next batch is taken as usual.
      const next = await terminal.sell(1);
      await terminal.pushed('the batch after', 30_000);
      expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1`, [next.saleId])).toBe(1);
    },
    120_000,
  );

  it("keeps an unstorable payload in the ledger as its journal text, which still hashes to the fact's hash", async () => {
    await pauseSync();
    const bad = forgedPayIn('\u0000\ud800');
    resumeSync();
    await terminal.pushed('the push');
    const [row] = await ledgerRows(bad.seq, bad.seq);
    expect(row).toMatchObject({ status: 'QUARANTINED', recorded_at: bad.recordedAt });
    // Whoever looks at it later can check it is the fact the terminal journaled, unchanged.
    expect(rehash(row!)).toBe(bad.hash);
    expect(JSON.parse(row!.payload)).toEqual(bad.payload);
  }, 120_000);

  it('is reported as needing attention, with the count and the first reason, by sync.status and pos sync status', async () => {
    const status = ok(await terminal.engine.call('sync.status', {}, { token: terminal.token }));
    if (!status.configured) throw new Error('not configured');
    const first = status.quarantined[0]!;
    expect(status.state).toBe('attention');
    expect(status.attention).toContain(`${status.quarantined.length} fact(s)`);
    expect(status.attention).toContain(first.reason);
    const human = await runPos(['sync', 'status', '--data-dir', terminal.dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/state: +needs attention/);
    expect(human.stdout).toContain(`${status.quarantined.length} fact(s)`);
  });
});

describe('a batch of 250 facts with one forged sale in the middle', () => {
  it('lands the 249 others as one set and sets the forged one aside alone, with the stock of exactly the 249 moved', async () => {
    const journal = terminal.engine.services.journal;
    await terminal.pushed('central to hold everything before');
    await pauseSync();
    const cursor = journal.head().seq;
    for (let i = 0; i < 124; i++) await terminal.sell(2);
    // A hostile register's sale: its lines as sold, but a stock movement that takes 100 of a line's item.
    const real = journal
      .after(cursor, 1000)
      .filter((f) => f.kind === SALE_COMPLETED)
      .at(-1)! as Fact<CompletedSaleFact>;
    const forgedId = uuidv7();
    const items: JsonRow[] = real.payload.items.map((i) => ({ ...i, id: uuidv7(), sale_id: forgedId }));
    const forged = journal.append<CompletedSaleFact>(SALE_COMPLETED, `forged-${forgedId}`, {
      ...real.payload,
      sale: {
        ...real.payload.sale,
        id: forgedId,
        idempotency_key: `forged-${forgedId}`,
        receipt_number: Number(real.payload.sale.receipt_number) + 1000,
      },
      items,
      payments: real.payload.payments.map((t) => ({ ...t, id: uuidv7(), sale_id: forgedId, idempotency_key: `forged-${uuidv7()}` })),
      stock: real.payload.stock.map((m, i) => {
        const line = items.find((l) => l.variant_id === m.variant_id)!;
        return {
          ...m,
          id: uuidv7(),
          reference_id: forgedId,
          idempotency_key: `${forgedId}:stock:${line.id}`,
          quantity: i === 0 ? '-100.0000' : m.quantity!,
        };
      }),
    }).fact;
    for (let i = 0; i < 125; i++) await terminal.sell(2);
    const batch = journal.after(cursor, 250);
    expect(batch).toHaveLength(250);
    expect(batch.every((f) => f.kind === SALE_COMPLETED)).toBe(true);
    expect(batch[124]!.seq).toBe(forged.seq);

    const levels = async () =>
      new Map(
        (
          await central.sql.query<{ variant_id: string; quantity: string }>(
            'SELECT variant_id, quantity::text FROM inventory.stock_levels WHERE branch_id = $1',
            [branchId],
          )
        ).map((r) => [r.variant_id, new Decimal(r.quantity)]),
      );
    const before = await levels();
    const outgoing = batch.map(outgoingFact);
    const login = new pg.Client({ connectionString: readSyncConfig(terminal.dir)!.url });
    await login.connect();
    try {
      const delivery = await deliverBatch(login, terminal.registerId, outgoing);
      expect(delivery).toMatchObject({ head: batch.at(-1)!.seq, applied: 249, duplicates: 0 });
      expect(delivery.refused).toEqual([
        { seq: forged.seq, kind: SALE_COMPLETED, reason: expect.stringContaining("not a line of this register's completed sale") },
      ]);
      // Sent again (a COMMIT whose answer was lost) it changes nothing; a part of it that ends below
      // central's head is answered with central's head and its hash, for the push to check against its journal.
      expect(await deliverBatch(login, terminal.registerId, outgoing)).toMatchObject({
        head: batch.at(-1)!.seq,
        applied: 0,
        duplicates: 250,
      });
      await expect(deliverBatch(login, terminal.registerId, outgoing.slice(0, 100))).rejects.toMatchObject({
        name: 'CursorMismatch',
        centralHead: batch.at(-1)!.seq,
        centralHash: batch.at(-1)!.hash,
      });
    } finally {
      await login.end();
    }

    const rows = await ledgerRows(batch[0]!.seq, batch.at(-1)!.seq);
    expect(rows.filter((r) => r.status === 'QUARANTINED').map((r) => Number(r.seq))).toEqual([forged.seq]);
    expect(rows.filter((r) => r.status === 'APPLIED')).toHaveLength(249);
    // Each kept as the register journaled it: its hash can be checked at central, the forged one's too.
    expect(rows.filter((r) => rehash(r) !== r.hash)).toEqual([]);
    const landed = batch.filter((f) => f.seq !== forged.seq).map((f) => (f.payload as CompletedSaleFact).sale.id);
    expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = ANY($1::uuid[]) AND status = 'COMPLETED'`, [landed])).toBe(
      249,
    );
    expect(await centralCount('SELECT count(*) AS n FROM sales.sales WHERE id = $1', [forgedId])).toBe(0);
    expect(
      await centralCount('SELECT count(*) AS n FROM sales.sale_items WHERE sale_id = ANY($1::uuid[]) AND deleted_at IS NULL', [landed]),
    ).toBe(249 * 2);
    // Each variant moved by exactly what the 249 sales' own movements say, once.
    const moved = new Map<string, Decimal>();
    for (const f of batch)
      if (f.seq !== forged.seq)
        for (const m of (f.payload as CompletedSaleFact).stock)
          moved.set(String(m.variant_id), (moved.get(String(m.variant_id)) ?? new Decimal(0)).plus(String(m.quantity)));
    const after = await levels();
    for (const [variant, quantity] of moved)
      expect(
        after
          .get(variant)!
          .minus(before.get(variant) ?? 0)
          .toFixed(4),
      ).toBe(quantity.toFixed(4));

    expect(await ledgerRows(batch[0]!.seq, batch.at(-1)!.seq)).toHaveLength(250);

    // The register's own loop finds central ahead of its cursor and goes on from there.
    resumeSync();
    await terminal.sell(1);
    await terminal.pushed('the sale after the batch');
  }, 180_000);
});

describe('managers told of facts set aside', () => {
  type Note = { employee_id: string; data: { count: number; firstSeq: number; firstKind: string; reason: string; throughSeq: number } };
  const notes = () =>
    terminal.engine.services.sql.query<Note>(`SELECT employee_id, data FROM communication.in_app_notifications
    WHERE data->>'code' = 'sync.quarantine' ORDER BY created_at, id`);

  it('get one notification per burst of facts central set aside, naming the count and the first reason, and never the same one twice', async () => {
    const [{ n: managers }] = (await terminal.engine.services.sql.query<{ n: number }>(
      `
      SELECT count(DISTINCT e.id)::int AS n FROM business.employees e
      JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $1 AND eb.deleted_at IS NULL
      JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
      JOIN business.permissions p ON p.id = rp.permission_id AND p.code = 'sync.manage'
      WHERE e.deleted_at IS NULL AND e.status = 'ACTIVE'`,
      [branchId],
    )) as [{ n: number }];
    expect(managers).toBeGreaterThan(0);
    const before = (await notes()).length;
    await pauseSync();
    const first = forgedPayIn('Cambio \ud800 uno');
    const second = forgedPayIn('Cambio \ud800 dos');
    resumeSync();
    await terminal.pushed('the batch with two facts central cannot store');
    await waitFor(async () => (await notes()).length > before, 10_000, 'the notification');
    const fresh = (await notes()).slice(before);
    expect(fresh).toHaveLength(managers);
    for (const note of fresh) {
      expect(note.data).toMatchObject({
        count: 2,
        firstSeq: first.seq,
        firstKind: 'cash.moved',
        throughSeq: second.seq,
        reason: expect.stringMatching(/cannot store/),
      });
    }

    // Another pass, and a loop started afresh as after a restart, announce nothing again.
    await pauseSync();
    resumeSync();
    await terminal.sell(1);
    await terminal.pushed('the next sale', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await notes()).toHaveLength(before + managers);
  }, 120_000);
});

const LOCK_HOLDERS = [
  {
    // Held by central's owner under the key sync.lock_my_ledger() takes for this register: a
    // terminal's own session left idle in a transaction is ended by central after 15 s (before
    // the next push), which a loaded machine can take to get through the checks below.
    what: "this register's ledger lock, held by another session as a pusher that lost power holds it",
    hold: async (client: pg.Client) =>
      void (await client.query(
        `SELECT pg_advisory_xact_lock(hashtext((SELECT secret FROM sync.lock_secret) || ':sync.ledger:' || $1::text))`,
        [terminal.registerId],
      )),
  },
  {
    what: "the branch's stock rows, held by another session",
    hold: async (client: pg.Client) =>
      void (await client.query('SELECT 1 FROM inventory.stock_levels WHERE branch_id = $1 FOR UPDATE', [branchId])),
  },
];

describe('a push that waits on a lock at central', () => {
  it.each(LOCK_HOLDERS.map((h, i) => ({ ...h, price: `6${i}.2500` })))(
    "fails within the login's lock_timeout when another session holds $what, says so in the status, still pulls, and goes through once it is released",
    async ({ hold, price }) => {
      const url = readSyncConfig(terminal.dir)!.url;
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      holder.on('error', () => {});
      try {
        const [setting] = await central.sql.query<{ lock_timeout: string }>(
          `SELECT coalesce((SELECT split_part(c, '=', 2) FROM pg_roles r, unnest(r.rolconfig) c WHERE r.rolname = $1 AND c LIKE 'lock_timeout=%'), '0') AS lock_timeout`,
          [new URL(url).username],
        );
        // The terminal logins' own limit, where central's migrations do not set it yet.
        if (setting!.lock_timeout === '0')
          await central.sql.exec(`ALTER ROLE ${pg.escapeIdentifier(new URL(url).username)} SET lock_timeout = '2s'`);
        await pauseSync();
        const [variant] = await central.sql.query<{ id: string }>(
          'SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode OFFSET 10 LIMIT 1',
        );
        await central.sql.query('UPDATE inventory.product_variants SET price = $2, version = version + 1 WHERE id = $1', [
          variant!.id,
          price,
        ]);
        await holder.query('BEGIN');
        await hold(holder);
        resumeSync();
        const sale = await terminal.sell(1);
        await waitFor(() => terminal.status().lastError !== null, 30_000, 'the lock wait to show in the status');
        expect(terminal.status()).toMatchObject({
          state: 'attention',
          online: true,
          blocked: null,
          lastError: expect.stringMatching(/lock/),
        });
        expect(terminal.status().pending).toBeGreaterThan(0);
        // The catalog still comes down while the push waits.
        await waitFor(
          async () =>
            (
              await terminal.engine.services.sql.query<{ price: string }>(
                'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1',
                [variant!.id],
              )
            )[0]!.price === price,
          30_000,
          'the pull',
        );
        expect(terminal.status()).toMatchObject({ lastError: expect.stringMatching(/lock/), lastPullAt: expect.any(String) });
        const human = await runPos(['sync', 'status', '--data-dir', terminal.dir]);
        expect(human.stdout).toMatch(/last error: +central is busy: another session holds a lock/);
        await holder.query('ROLLBACK');
        await terminal.pushed('the push once the lock is released');
        expect(terminal.status()).toMatchObject({ online: true, lastError: null });
        expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1`, [sale.saleId])).toBe(1);
      } finally {
        await holder.end().catch(() => {});
      }
    },
    120_000,
  );
});
