#!/usr/bin/env node
// `npm start`: the POS in its Electron window where the Electron runtime is installed and a
// display can show it; otherwise one line saying why, then serve mode on the demo store with its
// address (what `npm start` was before the shell existed). The runtime cannot be downloaded on
// our build machines, so there this is always serve mode. Arguments after `--` go to
// `pos serve` (for example `npm start -- --port 0`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** vite build, unless dist/renderer is newer than every file it is built from. */
function buildRenderer() {
  const index = join(root, 'dist', 'renderer', 'index.html');
  const newest = Math.max(newestUnder(join(root, 'renderer')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > newest) return Promise.resolve();
  return run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} ended with ${signal ?? code}`)),
    );
  });
}

/** What require('electron') gives: the binary's path, or why there is none. */
function electronRuntime() {
  try {
    return { path: require('electron') };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

const { decideStart } = await tsImport('../electron/shell/start-decision.ts', import.meta.url);
const electron = electronRuntime();
const decision = decideStart({
  electron,
  binaryExists: 'path' in electron && typeof electron.path === 'string' && existsSync(electron.path),
  platform: process.platform,
  env: process.env,
});

try {
  await buildRenderer();
} catch (err) {
  console.error(`npm start: the screens could not be built: ${err.message}`);
  process.exit(1);
}

if (decision.mode === 'electron') {
  const { buildDesktop } = await import('./build-desktop.mjs');
  await buildDesktop();
  // The same demo store as serve mode's, unless POS_DATA_DIR names another.
  const env = { ...process.env, POS_DATA_DIR: process.env.POS_DATA_DIR || join(root, '.pos-data', 'demo') };
  const child = spawn(decision.binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log(decision.line);
  // pos serve in this process: its own SIGINT/SIGTERM handling closes the journal and the spool.
  process.argv = [process.argv[0], join(root, 'bin', 'pos.mjs'), 'serve', ...process.argv.slice(2)];
  await import('../bin/pos.mjs');
}
