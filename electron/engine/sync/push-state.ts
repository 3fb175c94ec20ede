// What this terminal knows about its pushes, kept beside the journal in sync.sqlite: the last
// fact central committed, the facts central refused (with its reason), and the loop's last
// outcome. Central's ledger is the authority (the cursor is re-read from it at every
// connection), so this file only has to be right enough to report while offline; `pos sync
// status` reads it while the engine runs, which SQLite's WAL allows.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Quarantined } from '#contract/sync-status.ts';

export type { Quarantined } from '#contract/sync-status.ts';

export type LoopOutcome = {
  online: boolean;
  lastError: string | null;
  /** When the loop first failed in the current run of failures (null while healthy). */
  failingSince: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** A person must act (wrong login, central older than this terminal, a broken chain). */
  blocked: string | null;
};

/** A loop that has not run yet. */
export const NO_OUTCOME: LoopOutcome = {
  online: false,
  lastError: null,
  failingSince: null,
  lastPushAt: null,
  lastPullAt: null,
  blocked: null,
};

export type PushState = ReturnType<typeof openPushState>;

export function openPushState(dataDir: string, opts: { readonly?: boolean } = {}) {
  const db = new Database(join(dataDir, 'sync.sqlite'), {
    timeout: 5_000,
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
  });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS quarantine (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outcome (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
    `);
  }
  const readCursor = db.prepare<[], { seq: number }>('SELECT seq FROM cursor WHERE id = 1');
  const writeCursor = db.prepare('INSERT INTO cursor (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq');
  const addQuarantine = db.prepare('INSERT INTO quarantine (seq, kind, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING');
  const listQuarantine = db.prepare<[], Quarantined>('SELECT seq, kind, reason, at FROM quarantine ORDER BY seq');
  const readOutcome = db.prepare<[], { value: string }>('SELECT value FROM outcome WHERE id = 1');
  const writeOutcome = db.prepare('INSERT INTO outcome (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value');

  const advance = db.transaction((seq: number, refused: Quarantined[]) => {
    for (const q of refused) addQuarantine.run(q.seq, q.kind, q.reason, q.at);
    writeCursor.run(seq);
  });

  return {
    /** The last fact central is known to hold (0: none). */
    cursor: (): number => readCursor.get()?.seq ?? 0,
    /** After central committed a batch: move the cursor and remember what it refused, together. */
    advance: (seq: number, refused: Quarantined[] = []) => void advance(seq, refused),
    /** Central's ledger says where this terminal really is (it may be behind after a restore). */
    resetCursor: (seq: number) => void writeCursor.run(seq),
    quarantined: (): Quarantined[] => listQuarantine.all(),
    outcome: (): LoopOutcome => {
      const row = readOutcome.get();
      return row ? { ...NO_OUTCOME, ...(JSON.parse(row.value) as Partial<LoopOutcome>) } : { ...NO_OUTCOME };
    },
    recordOutcome: (outcome: LoopOutcome) => void writeOutcome.run(JSON.stringify(outcome)),
    close: () => void (db.open && db.close()),
  };
}
