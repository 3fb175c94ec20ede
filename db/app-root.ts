// The folder the app's own files sit under (db/migrations, resources/demo, .pos-data), found
// from wherever this module runs: the TypeScript source under tsx or vitest, or the bundle
// bin/pos.mjs builds, which lives at another depth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_NAME = 'countertop-pos';

function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === APP_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${APP_NAME} folder above ${from}`);
  }
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));
