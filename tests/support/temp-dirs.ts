// Temporary directories made by one test file, removed after each test.
import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tempDir } from './local.ts';

/**
 * A maker of directories for this file's tests. `make` is `tempDir` (empty) by default; a test
 * that opens an engine on one passes `freshDataDir` (a copy of the migrated template) or
 * `demoDataDir`, since an empty directory would have PGlite run initdb first (4 to 12 s here).
 */
export function tempDirs(label: string, make: (label: string) => string = tempDir) {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = make(label);
    made.push(dir);
    return dir;
  };
}
