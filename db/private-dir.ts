// A data directory holds PIN and session hashes, the journal of every sale and central's
// password: nobody but the account that runs the till may read it. PGlite and SQLite create their
// own files (PGlite's wasm filesystem, SQLite's -wal and -shm), so the process's umask is what
// makes their new files private; a directory written by an older version, or copied in by hand,
// is tightened when it is opened.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const PRIVATE_UMASK = 0o077;

/** Whether this platform has POSIX modes worth setting (Windows keeps access in ACLs). */
const posixModes = process.platform !== 'win32';

/**
 * Makes new files of this process private to its user. A worker thread cannot change the
 * process's umask; there the walk in makeDataDirPrivate still tightens what exists on open.
 */
export function usePrivateUmask(): void {
  if (!posixModes) return;
  try {
    process.umask(PRIVATE_UMASK);
  } catch {
    // ERR_WORKER_UNSUPPORTED_OPERATION: the main thread owns the umask.
  }
}

/**
 * Takes group and other access off dataDir and everything under it. Symbolic links are left
 * alone: their targets are not ours to change. Call it holding the owner lock, so no other
 * process is creating or removing files underneath. Returns how many entries had to be
 * tightened (0 for a directory this version made).
 */
export function makeDataDirPrivate(dataDir: string): number {
  if (!posixModes) return 0;
  let tightened = 0;
  const visit = (path: string) => {
    const info = lstatSync(path, { throwIfNoEntry: false });
    if (!info || info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) {
      chmodSync(path, info.mode & 0o700);
      tightened++;
    }
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dataDir);
  return tightened;
}
