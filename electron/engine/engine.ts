// The engine: owns one data directory and everything opened on it. Runs under plain Node
// (tests, serve mode, the CLI) and inside Electron's utilityProcess; never imports electron.
import { openLocalDatabase, type LocalDatabase } from '../../db/local.ts';
import { acquireOwnerLock } from '../../db/owner-lock.ts';

export type Engine = {
  dataDir: string;
  local: LocalDatabase;
  close(): Promise<void>;
};

export async function openEngine(dataDir: string, purpose = 'engine'): Promise<Engine> {
  const lock = acquireOwnerLock(dataDir, purpose);
  let local: LocalDatabase;
  try {
    local = await openLocalDatabase(dataDir);
  } catch (err) {
    lock.release();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    dataDir,
    local,
    close() {
      closing ??= local.close().finally(() => lock.release());
      return closing;
    },
  };
}
