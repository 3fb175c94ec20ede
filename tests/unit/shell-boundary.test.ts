// The engine never imports electron (DESIGN.md: everything that matters runs under plain Node);
// only the shell's files may.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// The launcher asks the electron package where its binary is, from outside the app's processes.
const ALLOWED = (file: string) =>
  file === 'electron/main.ts' || file === 'electron/preload.ts' || file.startsWith('electron/shell/') || file === 'scripts/start.mjs';
const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]electron(?:\/[^'"]*)?['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(e.name) ? [relative(ROOT, path).split('\\').join('/')] : [];
  });
}

describe('the electron boundary', () => {
  const files = ['electron', 'db', 'renderer', 'bin', 'scripts'].flatMap((d) => sources(join(ROOT, d)));

  it('finds the shell files that do import electron (so the check is looking at the right thing)', () => {
    const importing = files.filter((f) => IMPORTS_ELECTRON.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(importing).toContain('electron/main.ts');
    expect(importing).toContain('electron/preload.ts');
  });

  it('is crossed by no engine, database, renderer or script file', () => {
    const offenders = files.filter((f) => !ALLOWED(f) && IMPORTS_ELECTRON.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
