// Builds the desktop shell's four bundles into dist/electron with esbuild: main.js (the main
// process, ESM), preload.cjs (CommonJS: a sandboxed preload cannot load modules),
// engine-host.js (the engine's entry in the utilityProcess, ESM) and push-thread.js (the sync
// push's worker thread, which the engine loads from beside its own bundle). Packages stay in node_modules,
// as electron-builder ships them (native ones rebuilt for Electron and unpacked from the asar).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');

export async function buildDesktop() {
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: 'linked' };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'main.ts')],
      outfile: join(out, 'main.js'),
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'engine', 'utility-host.ts')],
      outfile: join(out, 'engine-host.js'),
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'engine', 'sync', 'push-thread.ts')],
      outfile: join(out, 'push-thread.js'),
      format: 'esm',
      packages: 'external',
    }),
    // Everything but electron itself inside the one file.
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'preload.ts')],
      outfile: join(out, 'preload.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
  ]);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDesktop();
