// One process owns a data directory. The lock is an SQLite database held in EXCLUSIVE locking
// mode: the OS releases its file lock when the process dies, so a killed terminal never leaves
// a stale lock behind, and a second opener (another process, or a second open in this one) is
// refused before it can touch PGlite, which would corrupt a directory opened twice.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeDataDirPrivate, usePrivateUmask } from './private-dir.ts';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export type OwnerLock = { dataDir: string; release(): void };

export function acquireOwnerLock(dataDir: string, purpose: string): OwnerLock {
  // Every opener of a data directory comes through here: from now on what it writes is private.
  usePrivateUmask();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'owner.lock'), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; EXCLUSIVE mode keeps it until close.
    db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, purpose TEXT, since TEXT)');
    db.prepare('INSERT OR REPLACE INTO owner VALUES (1, ?, ?, ?)').run(process.pid, purpose, new Date().toISOString());
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirInUseError(
        `data directory ${dataDir} is in use by another POS process${describeOwner(dataDir)}; ` +
          `close it first (only one process may open a data directory)`,
      );
    }
    throw err;
  }
  // Readable by the till's account, since the lock database itself cannot be read while held.
  writeFileSync(join(dataDir, 'owner.pid'), `${process.pid} ${hostname()} ${purpose}\n`, { mode: 0o600 });
  try {
    makeDataDirPrivate(dataDir);
  } catch (err) {
    db.close();
    throw err;
  }
  let released = false;
  return {
    dataDir,
    release() {
      if (released) return;
      released = true;
      // PGlite's wasm filesystem sets some files' modes itself (pg_internal.init comes out 0644
      // whatever the umask): they are tightened once it has closed, before the lock is let go.
      try {
        makeDataDirPrivate(dataDir);
      } catch {
        // Letting go of the directory must not fail; the next open tightens it again.
      }
      db.close();
    },
  };
}

function describeOwner(dataDir: string): string {
  try {
    const [pid, host, ...purpose] = readFileSync(join(dataDir, 'owner.pid'), 'utf8').trim().split(' ');
    return ` (pid ${pid} on ${host}, ${purpose.join(' ')})`;
  } catch {
    return '';
  }
}
