// The built screens for end-to-end tests, from the project's own vite.config.ts, rebuilt only
// when a file under renderer/ (or the config) changed since the last build.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RENDERER_DIR = join(REPO, 'renderer');
const CONFIG_FILE = join(REPO, 'vite.config.ts');
export const DEFAULT_RENDERER_OUT_DIR = join(REPO, 'dist', 'renderer');

function newestMtimeUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') newest = Math.max(newest, newestMtimeUnder(path));
    } else {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function isFresh(outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  // The config decides what the bundle is as much as the sources do.
  const newestSource = Math.max(newestMtimeUnder(RENDERER_DIR), statSync(CONFIG_FILE).mtimeMs);
  return statSync(index).mtimeMs > newestSource;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// vitest runs test files in parallel workers; two of them building into the same outDir at once
// would have one emptying the directory the other is writing (or serving). mkdir is atomic, so
// it is the lock; a lock whose owner died is taken over.
async function withBuildLock<T>(outDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${outDir}.build-lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Just made by another process, pid not written yet.
      }
      const ageMs = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((Number.isInteger(owner) && owner > 0 && !isAlive(owner)) || ageMs > 10 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
      } else {
        await sleep(200);
      }
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function viteBuild(outDir: string): Promise<void> {
  // vitest sets NODE_ENV=test, and vite takes NODE_ENV over the mode: React's development build
  // would land in dist/renderer, which `pos serve` also serves. The tests should see what a
  // cashier gets.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: CONFIG_FILE, mode: 'production', logLevel: 'warn', build: { outDir } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

const building = new Map<string, Promise<string>>();

/** Builds the screens into outDir (default dist/renderer) unless that build is already current; returns outDir. */
export function buildRenderer(outDir: string = DEFAULT_RENDERER_OUT_DIR): Promise<string> {
  const out = resolve(outDir);
  let pending = building.get(out);
  if (!pending) {
    pending = (async () => {
      if (!existsSync(CONFIG_FILE)) throw new Error(`buildRenderer: ${CONFIG_FILE} does not exist, so there is no renderer build to run`);
      if (isFresh(out)) return out;
      await withBuildLock(out, async () => {
        // Another worker may have built it while this one waited for the lock.
        if (!isFresh(out)) await viteBuild(out);
      });
      if (!existsSync(join(out, 'index.html'))) throw new Error(`buildRenderer: vite finished but ${out}/index.html is missing`);
      return out;
    })();
    building.set(out, pending);
    // A failed build is retried by the next caller; a finished one is checked for freshness again
    // next time, in case a source changed in between (vitest watch mode).
    pending.then(
      () => building.delete(out),
      () => building.delete(out),
    );
  }
  return pending;
}
