// The journal: the durable record of every fact that must never be lost (a completed sale, a
// payment, a shift closed). PGlite runs with fsync off, so a fact is acknowledged only after it
// is here: better-sqlite3, WAL, synchronous=FULL, one row per fact with a gapless sequence and
// a hash chain (each row hashes the previous hash and its own content) so `pos journal verify`
// finds any edit, loss or reordering.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const SCHEMA_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

export class JournalError extends Error {
  override name = 'JournalError';
}

export type Fact<P = unknown> = {
  seq: number;
  kind: string;
  idempotencyKey: string;
  recordedAt: string;
  payload: P;
  prevHash: string;
  hash: string;
};

export type Verification = { ok: true; facts: number; head: string } | { ok: false; facts: number; brokenAt: number; reason: string };

type Row = { seq: number; kind: string; idempotency_key: string; recorded_at: string; payload: string; prev_hash: string; hash: string };

/** The hash of one fact: what verify recomputes. Fields are joined with a separator no field contains. */
export function factHash(prevHash: string, seq: number, kind: string, idempotencyKey: string, recordedAt: string, payload: string): string {
  return createHash('sha256').update([prevHash, seq, kind, idempotencyKey, recordedAt, payload].join('\u0000')).digest('hex');
}

const toFact = (row: Row): Fact => ({
  seq: row.seq,
  kind: row.kind,
  idempotencyKey: row.idempotency_key,
  recordedAt: row.recorded_at,
  payload: JSON.parse(row.payload),
  prevHash: row.prev_hash,
  hash: row.hash,
});

export type Journal = ReturnType<typeof openJournal>;

/** Told of each fact once it is on disk; what it starts must not hold up the caller who appended. */
export type AppendListener = (fact: Fact) => void;

export type JournalOptions = {
  now?: () => Date;
  /** Where a listener's exception goes: it never fails an append that is already on disk. */
  onListenerError?: (err: unknown, fact: Fact) => void;
};

export function openJournal(dataDir: string, opts: JournalOptions = {}) {
  const db = new Database(join(dataDir, 'journal.sqlite'), { timeout: 5_000 });
  const now = opts.now ?? (() => new Date());
  const listeners = new Set<AppendListener>();
  const listenerFailed =
    opts.onListenerError ??
    ((err: unknown, fact: Fact) => {
      process.emitWarning(`a journal listener failed on fact ${fact.seq} (${fact.kind}): ${(err as Error)?.message ?? String(err)}`);
    });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new JournalError(`the journal was written by a newer version of this app (format ${version}); install the newer version`);
    }
    if (version < SCHEMA_VERSION) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS facts (
          seq INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          idempotency_key TEXT NOT NULL UNIQUE,
          recorded_at TEXT NOT NULL,
          payload TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS facts_no_update BEFORE UPDATE ON facts BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS facts_no_delete BEFORE DELETE ON facts BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
    }
  } catch (err) {
    db.close();
    throw err;
  }

  const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM facts ORDER BY seq DESC LIMIT 1');
  const byKey = db.prepare<[string], Row>('SELECT * FROM facts WHERE idempotency_key = ?');
  const insert = db.prepare(
    'INSERT INTO facts (seq, kind, idempotency_key, recorded_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const range = db.prepare<[number, number], Row>('SELECT * FROM facts WHERE seq > ? ORDER BY seq LIMIT ?');
  // A range over the unique key's index: a prefix read never walks the whole journal.
  const keyed = db.prepare<[string, string], Row>('SELECT * FROM facts WHERE idempotency_key >= ? AND idempotency_key < ? ORDER BY seq');

  // IMMEDIATE: the write lock is taken before reading the head, so two appenders cannot fork the chain.
  const appendOne = (kind: string, idempotencyKey: string, payload: string): { fact: Fact; appended: boolean } => {
    const existing = byKey.get(idempotencyKey);
    if (existing) return { fact: toFact(existing), appended: false };
    const head = last.get();
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const recordedAt = now().toISOString();
    const hash = factHash(prevHash, seq, kind, idempotencyKey, recordedAt, payload);
    insert.run(seq, kind, idempotencyKey, recordedAt, payload, prevHash, hash);
    return { fact: { seq, kind, idempotencyKey, recordedAt, payload: JSON.parse(payload), prevHash, hash }, appended: true };
  };
  const appendTx = db.transaction(appendOne);
  // Several facts of one call in one transaction: one wait for the disk, and all or none of them.
  const appendAllTx = db.transaction((entries: { kind: string; idempotencyKey: string; payload: string }[]) =>
    entries.map((e) => appendOne(e.kind, e.idempotencyKey, e.payload)),
  );

  /**
   * Checks that fact `seq` is still the one that hashed to `hash` (0 and the genesis hash: the
   * beginning) and that the chain holds from there to the head: how a start trusts its
   * checkpoint only after seeing the journal continues it, without rehashing all history.
   */
  function verifyFrom(seq: number, hash: string): Verification {
    let expectedSeq = seq + 1;
    let prevHash = hash;
    if (seq > 0) {
      const row = db.prepare<[number], Row>('SELECT * FROM facts WHERE seq = ?').get(seq);
      const head = last.get()?.seq ?? 0;
      if (!row) return { ok: false, facts: Math.min(head, seq - 1), brokenAt: seq, reason: `the journal ends at fact ${head}` };
      if (row.hash !== hash)
        return {
          ok: false,
          facts: seq - 1,
          brokenAt: seq,
          reason: 'it is not the fact this database last saw there (the journal was replaced or rewritten)',
        };
      if (factHash(row.prev_hash, row.seq, row.kind, row.idempotency_key, row.recorded_at, row.payload) !== row.hash) {
        return { ok: false, facts: seq - 1, brokenAt: seq, reason: 'its content does not match its hash (edited after it was written)' };
      }
    }
    for (const row of db.prepare<[number], Row>('SELECT * FROM facts WHERE seq > ? ORDER BY seq').iterate(seq)) {
      const broken = (reason: string): Verification => ({ ok: false, facts: expectedSeq - 1, brokenAt: row.seq, reason });
      if (row.seq !== expectedSeq) return broken(`sequence jumps from ${expectedSeq - 1} to ${row.seq} (facts missing)`);
      if (row.prev_hash !== prevHash) return broken('it does not point at the previous fact');
      if (factHash(row.prev_hash, row.seq, row.kind, row.idempotency_key, row.recorded_at, row.payload) !== row.hash) {
        return broken('its content does not match its hash (edited after it was written)');
      }
      prevHash = row.hash;
      expectedSeq++;
    }
    return { ok: true, facts: expectedSeq - 1, head: prevHash };
  }

  const checkEntry = (kind: string, idempotencyKey: string) => {
    if (!/^[a-z]+(\.[a-z_]+)+$/.test(kind)) throw new JournalError(`not a fact kind: "${kind}"`);
    if (idempotencyKey.length === 0 || idempotencyKey.length > 200) throw new JournalError('an idempotency key is 1 to 200 characters');
  };
  // A repeat changes nothing on disk, so nothing new has happened to react to.
  const tell = (result: { fact: Fact; appended: boolean }) => {
    if (!result.appended) return;
    for (const listener of listeners) {
      try {
        listener(result.fact);
      } catch (err) {
        listenerFailed(err, result.fact);
      }
    }
  };

  return {
    /**
     * Appends a fact and returns once it is on disk. The same idempotency key appended again
     * returns the first fact unchanged, so replays after a crash are harmless.
     */
    append<P>(kind: string, idempotencyKey: string, payload: P): { fact: Fact<P>; appended: boolean } {
      checkEntry(kind, idempotencyKey);
      const result = appendTx.immediate(kind, idempotencyKey, JSON.stringify(payload)) as { fact: Fact<P>; appended: boolean };
      tell(result);
      return result;
    },

    /** Appends facts together (one transaction, one flush), in order; each as append() would. */
    appendAll(entries: { kind: string; idempotencyKey: string; payload: unknown }[]): { fact: Fact; appended: boolean }[] {
      for (const e of entries) checkEntry(e.kind, e.idempotencyKey);
      const results = appendAllTx.immediate(entries.map((e) => ({ ...e, payload: JSON.stringify(e.payload) })));
      for (const result of results) tell(result);
      return results;
    },

    /**
     * Calls `listener` after each fact newly on disk (not for a repeated idempotency key), in the
     * appender's turn: it should only start or schedule its work. Answers the way to stop.
     */
    onAppend(listener: AppendListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    find(idempotencyKey: string): Fact | undefined {
      const row = byKey.get(idempotencyKey);
      return row && toFact(row);
    },

    /** Facts whose idempotency key starts with `prefix`, in order (intents a start-up looks over). */
    keyedFrom(prefix: string): Fact[] {
      if (prefix === '') throw new JournalError('a key prefix cannot be empty');
      const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
      return keyed.all(prefix, end).map(toFact);
    },

    /** Facts after a sequence number, in order: for replay into PGlite and for sync. */
    after(seq: number, limit = 500): Fact[] {
      return range.all(seq, limit).map(toFact);
    },

    head(): { seq: number; hash: string } {
      return last.get() ?? { seq: 0, hash: GENESIS_HASH };
    },

    /** Walks the whole chain and reports the first row whose sequence or hash does not hold. */
    verify(): Verification {
      return verifyFrom(0, GENESIS_HASH);
    },

    verifyFrom,

    settings(): { journalMode: string; synchronous: number } {
      return {
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        synchronous: db.pragma('synchronous', { simple: true }) as number,
      };
    },

    close(): void {
      listeners.clear();
      if (db.open) db.close();
    },
  };
}
