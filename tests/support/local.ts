// A terminal database on disk in a temporary directory, removed when the test is done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase, type LocalDatabase } from '#db/local.ts';
import { freshDataDir } from './pglite-template.ts';

export const tempDir = (label: string) => mkdtempSync(join(tmpdir(), `pos-${label}-`));

export async function openTempLocal(label: string): Promise<LocalDatabase & { dir: string; dispose(): Promise<void> }> {
  const dir = freshDataDir(label);
  const local = await openLocalDatabase(dir);
  return {
    ...local,
    dir,
    async dispose() {
      await local.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
