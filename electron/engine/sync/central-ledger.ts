// Central's side of a push, run over the terminal's own login: one transaction per batch.
// The ledger row (register, seq) of every fact is written in the same transaction as the
// records it carries, so a batch delivered twice (the answer was lost, the terminal died before
// moving its cursor) changes nothing the second time, and a batch is either all there or not.
// A fact central cannot take, for whatever reason in the data, is kept in the ledger as
// QUARANTINED with the reason and the rest of the batch goes on: one bad fact never stops a
// register's sync. Only a failure of the link or of central itself sends the batch again.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Fact } from '#db/journal.ts';
import { REPLAYS } from '../recovery/fact-replay.ts';
import { CENTRAL_APPLY } from './central-apply.ts';
import { classifyFailure, hasSqlState } from './retry-policy.ts';
import { savepointSession } from './savepoint-session.ts';
import { applySaleRun, type RunFact } from './central-sale-runs.ts';
import { STAGED_COLUMNS, UNSTORABLE, type OutgoingFact } from './outgoing-fact.ts';
import { binaryCopy } from './copy-binary.ts';
import { COPY_RUN_ROWS, CREATE_RUN_ROWS } from './sale-run-staging.ts';
import type { CompletedSaleFact } from '../services/sales/completed-sale.ts';

export type Delivery = {
  /** The last seq central now holds for this terminal. */
  head: number;
  applied: number;
  /** Facts at or below central's head already: a redelivery. */
  duplicates: number;
  refused: { seq: number; kind: string; reason: string }[];
};

/** The terminal's idea of where central is was wrong: start again from central's head. */
export class CursorMismatch extends Error {
  override name = 'CursorMismatch';
  constructor(
    readonly centralHead: number,
    /** The hash of central's last fact for this terminal ('' when it holds none). */
    readonly centralHash: string,
  ) {
    super(`central holds this terminal's facts up to ${centralHead}`);
  }
}

/** Central holds a different history for this terminal: a person has to look. */
export class ChainMismatch extends Error {
  override name = 'ChainMismatch';
}

/** Where central's ledger ends for a register: its last fact's seq and hash (0 and '' when it holds none). */
export type Head = { seq: number; hash: string };

export async function centralHead(client: pg.ClientBase, registerId: string): Promise<Head> {
  const { rows } = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM sync.ledger WHERE register_id = $1 ORDER BY seq DESC LIMIT 1',
    [registerId],
  );
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: '' };
}

/**
 * Two pushers for one terminal (a process that was killed, still holding a connection, and its
 * successor) take turns instead of racing for the same sequence numbers. Central takes the lock
 * for this login's own register, under a key terminals cannot compute. Held to the transaction's end.
 */
export async function lockLedger(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT sync.lock_my_ledger()');
}

export async function deliverBatch(
  client: pg.ClientBase,
  registerId: string,
  batch: readonly OutgoingFact[],
  now: () => Date = () => new Date(),
): Promise<Delivery> {
  if (batch.length === 0) throw new Error('an empty batch');
  await client.query('BEGIN');
  try {
    await lockLedger(client);
    const head = await centralHead(client, registerId);
    const fresh = batch.filter((o) => o.fact.seq > head.seq);
    const duplicates = batch.length - fresh.length;
    const overlap = batch.find((o) => o.fact.seq === head.seq)?.fact;
    if (overlap && overlap.hash !== head.hash) {
      throw new ChainMismatch(
        `fact ${head.seq} differs from the one central received earlier; this terminal's journal is not the one it pushed from`,
      );
    }
    if (fresh.length === 0) {
      // All below central's head, which the batch does not reach: nothing here can be checked
      // against central's last fact. The push checks that against its journal and goes on from there.
      if (!overlap) throw new CursorMismatch(head.seq, head.hash);
      await client.query('COMMIT');
      return { head: head.seq, applied: 0, duplicates, refused: [] };
    }
    const first = fresh[0]!.fact;
    if (first.seq !== head.seq + 1) throw new CursorMismatch(head.seq, head.hash);
    if (head.seq > 0 && first.prevHash !== head.hash) {
      throw new ChainMismatch(
        `fact ${first.seq} does not follow fact ${head.seq} as central received it; this terminal's journal was replaced`,
      );
    }
    await lockInOrder(client, fresh);
    const refused: Delivery['refused'] = [];
    await stageBatch(client, fresh);
    const statuses = await applyFacts(client, fresh);
    for (const [i, status] of statuses.entries())
      if (status.status === 'QUARANTINED') refused.push({ seq: fresh[i]!.fact.seq, kind: fresh[i]!.fact.kind, reason: status.reason! });
    await client.query(
      `
      INSERT INTO sync.ledger (register_id, seq, kind, idempotency_key, recorded_at, prev_hash, hash, payload, status, reason, received_at)
      SELECT $1, b.seq, b.kind, b.idempotency_key, b.recorded_at::timestamptz, b.prev_hash, b.hash, b.payload, s.status, s.reason, $3
      FROM pg_temp.${STAGED} b JOIN jsonb_to_recordset($2::jsonb) AS s(seq bigint, status text, reason text) ON s.seq = b.seq`,
      [registerId, JSON.stringify(statuses.map((st, i) => ({ seq: fresh[i]!.fact.seq, ...st }))), now().toISOString()],
    );
    await client.query('COMMIT');
    return { head: fresh.at(-1)!.fact.seq, applied: fresh.length - refused.length, duplicates, refused };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

type Status = { status: 'APPLIED' | 'QUARANTINED'; reason: string | null };

/**
 * Applies the batch's facts in order, each one's status in its place. Consecutive plain sales go
 * as one set (central-sale-runs.ts) inside a savepoint; a run central refuses is split in halves,
 * and so on down to single facts, which take the one-fact path below with its exact reason: a
 * forged fact among 250 costs about 2·log2(250) set attempts, not 250 savepoints.
 */
async function applyFacts(client: pg.ClientBase, batch: readonly OutgoingFact[]): Promise<Status[]> {
  const statuses: Status[] = [];
  const one = oneByOne(client);
  for (let i = 0; i < batch.length; ) {
    let end = i + 1;
    if (batch[i]!.run) while (end < batch.length && batch[end]!.run) end++;
    if (end - i > 1) statuses.push(...(await applyRun(client, batch.slice(i, end), one)));
    else statuses.push(await one(batch[i]!.fact, batch[i]!.unstorable));
    i = end;
  }
  return statuses;
}

async function applyRun(
  client: pg.ClientBase,
  run: readonly OutgoingFact[],
  one: (fact: Fact, unstorable: string | null) => Promise<Status>,
): Promise<Status[]> {
  if (run.length === 1) return [await one(run[0]!.fact, null)];
  const name = `pos_run_${run[0]!.fact.seq}_${run.length}`;
  await client.query(`SAVEPOINT ${name}`);
  try {
    const sales: RunFact[] = run.map((o) => ({ seq: o.fact.seq, payload: o.fact.payload as CompletedSaleFact, rows: o.run! }));
    await applySaleRun(client, sales);
    await client.query(`RELEASE SAVEPOINT ${name}`);
    return run.map(() => ({ status: 'APPLIED', reason: null }));
  } catch (err) {
    if (classifyFailure(err) === 'retry') throw err;
    if (!hasSqlState(err)) await client.query('SELECT 1');
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await client.query(`RELEASE SAVEPOINT ${name}`);
    const half = Math.ceil(run.length / 2);
    return [...(await applyRun(client, run.slice(0, half), one)), ...(await applyRun(client, run.slice(half), one))];
  }
}

/** One fact in a savepoint of its own, through its kind's replay; refused, it is quarantined with the reason. */
function oneByOne(client: pg.ClientBase): (fact: Fact, unstorable: string | null) => Promise<Status> {
  let sql = savepointSession(client);
  return async (fact, unstorable) => {
    if (unstorable) {
      // Never handed to a replay: node-postgres would send a lone surrogate as U+FFFD, and
      // the record would land changed instead of refused.
      return {
        status: 'QUARANTINED',
        reason: `central cannot store this fact: ${unstorable}; its payload is kept as the journal's JSON text`,
      };
    }
    const replay = CENTRAL_APPLY[fact.kind] ?? REPLAYS[fact.kind];
    try {
      if (!replay)
        throw Object.assign(new Error(`central does not know facts of kind "${fact.kind}" (a newer terminal?)`), { code: 'PS404' });
      await sql.transaction(async () => replay(sql, fact.payload as never));
      return { status: 'APPLIED', reason: null };
    } catch (err) {
      if (classifyFailure(err) === 'retry') throw err;
      // No SQLSTATE: a replay that could not read its payload, unless the connection went
      // with it. Central answering now is what makes it the fact's fault (if it does not,
      // this throws the link's error and the batch is sent again).
      if (!hasSqlState(err)) await client.query('SELECT 1');
      // Statements planned inside the rolled-back savepoint are gone with it.
      sql = savepointSession(client);
      return { status: 'QUARANTINED', reason: describeRefusal(err) };
    }
  };
}

/**
 * Every terminal of a branch moves the same stock levels (and a business's terminals the same
 * gift-card balances), each in the order its own sales happened to touch them: two batches
 * could each hold a row the other needs. Taking all of a batch's rows first, in id order,
 * turns that deadlock into a short wait.
 */
async function lockInOrder(client: pg.ClientBase, batch: readonly OutgoingFact[]): Promise<void> {
  const variants = new Set(batch.flatMap((o) => o.variants));
  const balances = new Set(batch.flatMap((o) => o.balances));
  if (variants.size > 0) {
    // Central takes them: the login may not lock (nor write) stock rows itself.
    await client.query('SELECT sync.lock_stock_levels($1::uuid[])', [[...variants]]);
  }
  if (balances.size > 0) {
    await client.query('SELECT 1 FROM payments.balances WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[...balances]]);
  }
}

// A fact's payload (about 5 kB) is compressed where it is staged, and the ledger keeps it as
// compressed there: with lz4 where the server has it (most builds of PostgreSQL 14 and later)
// rather than the default pglz, which compresses slower (10,000 sales pushed in 5.3 s instead of
// 6.1 s here, when the sale runs read the payloads back too). The payload is the journal's text,
// stored as it came (the ledger keeps that text, c0034). Named for its columns: a pooler's
// server connection may still hold the table a terminal of another version staged into.
const STAGED = 'pos_staged_text';
const STAGING_TABLE = `DO $$ BEGIN
  IF to_regclass('pg_temp.${STAGED}') IS NULL THEN
    EXECUTE format('CREATE TEMP TABLE ${STAGED} (seq bigint PRIMARY KEY, kind text NOT NULL, idempotency_key text NOT NULL,
      recorded_at text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL, payload text %s NOT NULL) ON COMMIT DELETE ROWS',
      CASE WHEN EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))
        THEN 'COMPRESSION lz4' ELSE '' END);
  END IF;
END $$`;

/**
 * The batch crosses to central once, into a table of this session's own that the ledger reads
 * it from, and the rows of its plain sales into another that the sale runs read
 * (sale-run-staging.ts). Sent once per table, parsing its JSON was most of what each statement
 * cost (the ledger's insert of 250 sales: 4/5 of it parsing). Both tables are created in the
 * batch's own transaction, so a pooler handing each transaction another server connection finds
 * them there too; both are emptied at COMMIT. Rows go by COPY in the binary format, each fact's
 * made beforehand (outgoing-fact.ts): 1,000 sales staged in about 45 ms here, against 115 ms as
 * one JSON array unnested at central, most of which was parsing and taking apart the array.
 */
async function stageBatch(client: pg.ClientBase, batch: readonly OutgoingFact[]): Promise<void> {
  const runs = batch.flatMap((o) => (o.run ? o.run.rows : []));
  await client.query(runs.length > 0 ? `${STAGING_TABLE};\n${CREATE_RUN_ROWS}` : STAGING_TABLE);
  const copy = (sql: string, rows: Buffer[]) => pipeline(Readable.from([binaryCopy(rows)]), client.query(copyFrom(sql)));
  await copy(
    `COPY pg_temp.${STAGED} (${STAGED_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`,
    batch.map((o) => o.staged),
  );
  if (runs.length > 0) await copy(COPY_RUN_ROWS, runs);
}

function describeRefusal(err: unknown): string {
  const e = err as { code?: string; message?: string; detail?: string; name?: string };
  const text = [e.message, e.detail].filter(Boolean).join(': ').split('\n')[0] ?? String(err);
  // A replay's own failure (TypeError on a malformed payload) is named as such.
  const prefix = e.code ? `${e.code} ` : e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  // The reason is stored too: nothing in it may be what got the fact refused.
  return `${prefix}${text}`.slice(0, 500).replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
}
