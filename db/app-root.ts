// The folder the app's own files sit under (db/migrations, resources/demo, .pos-data), found
// from wherever this module runs: the TypeScript source under tsx or vitest, or the bundle
// bin/pos.mjs builds, which lives at another depth. In a packaged desktop app the code is inside
// app.asar and the files the engine reads from disk (migrations, the demo store) are beside it
// in the resources folder, as electron-builder.yml's extraResources puts them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_NAME = 'countertop-pos';

function findAppRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    try {
      if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === APP_NAME) return dir;
    } catch {
      // An unreadable manifest is not ours; keep climbing.
    }
    if (dirname(dir) === dir) return null;
  }
}

export type AppLayout = {
  /** The app's own folder (the repository, or app.asar when packaged). */
  root: string;
  migrations: string;
  demo: string;
  packaged: boolean;
};

/**
 * Where the app's files are for a module in `moduleDir`. `resourcesDir` is Electron's
 * process.resourcesPath (or POS_RESOURCES_DIR, which the shell hands the engine's process); it
 * counts as a packaged layout only when the migrations were shipped there, since `electron .` in
 * a checkout points it at Electron's own resources.
 */
export function appLayout(moduleDir: string, resourcesDir: string | undefined, exists: (path: string) => boolean = existsSync): AppLayout {
  if (resourcesDir && exists(join(resourcesDir, 'migrations', 'meta', '_journal.json'))) {
    return {
      root: findAppRoot(moduleDir) ?? join(resourcesDir, 'app.asar'),
      migrations: join(resourcesDir, 'migrations'),
      demo: join(resourcesDir, 'demo'),
      packaged: true,
    };
  }
  const root = findAppRoot(moduleDir);
  if (root === null) throw new Error(`cannot find the ${APP_NAME} folder above ${moduleDir}`);
  return { root, migrations: join(root, 'db', 'migrations'), demo: join(root, 'resources', 'demo'), packaged: false };
}

const resourcesDir = process.env.POS_RESOURCES_DIR || (process as { resourcesPath?: string }).resourcesPath;

export const APP_LAYOUT = appLayout(dirname(fileURLToPath(import.meta.url)), resourcesDir);
export const APP_ROOT = APP_LAYOUT.root;
