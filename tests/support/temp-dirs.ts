// Temporary directories made by one test file, removed after each test.
import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tempDir } from './local.ts';

export function tempDirs(label: string) {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const dir = tempDir(label);
    made.push(dir);
    return dir;
  };
}
