// One esbuild bundle per state of the TypeScript sources, built on first use under
// .build/NAME/VERSION and reused until a source changes: for `pos` (bin/pos.mjs) and the tests'
// child processes (tests/support/fixture-bundle.ts), which spent about 0.6 s of every start
// loading the same sources through tsx, and for the push thread of an engine run from the sources
// (sync/thread-courier.ts), which loaded them through tsx in every new thread. `pos` and the
// fixtures build the push thread's entry beside their own, where a thread started from their
// bundle finds it. Packages load from node_modules as usual, but for the two most of the engine's
// modules import: drizzle-orm and zod go into the bundle, since loading their 220-odd files one by
// one (resolving, reading, compiling each) cost every process that loads the engine about 0.2 s
// of CPU (importing cli-runtime here, medians of seven: 1,013 and 1,048 ms of CPU with them
// outside, 797 and 860 inside).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINED = ['drizzle-orm', 'zod'];

/** Every package stays in node_modules but those INLINED, whose modules go into the bundle. */
const inlinePackages = {
  name: 'inline-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      // An entry point is a path, which on Windows starts with its drive letter, not a package.
      if (args.kind === 'entry-point' || isAbsolute(args.path)) return undefined;
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return INLINED.includes(pkg) ? undefined : { path: args.path, external: true };
    });
  },
};

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The directory holding NAME's bundle of `entryPoints` (each as ENTRY.mjs) for the sources as
 * they are now: `sources` are the folders whose .ts files go in, `recipes` the files that say how
 * (a changed entry point or option builds anew too). Answers the path of the directory.
 */
export async function sourceBundle({ root, name, entryPoints, sources, recipes }) {
  const builds = join(root, '.build', name);
  const version = String(
    Math.floor(
      Math.max(
        ...sources.map((dir) => newestSource(dir)),
        // An inlined package that npm installed anew builds anew too.
        ...[fileURLToPath(import.meta.url), ...recipes, ...INLINED.map((pkg) => join(root, 'node_modules', pkg, 'package.json'))].map(
          (file) => statSync(file).mtimeMs,
        ),
      ),
    ),
  );
  // One directory per state of the sources: a process still running an older build loads its
  // on-demand chunks from its own directory, never from one rewritten under it.
  const dir = join(builds, version);
  if (existsSync(dir)) return dir;
  const { build } = await import('esbuild');
  mkdirSync(builds, { recursive: true });
  // Built aside and renamed: two launches at once never load a half-written bundle.
  const building = join(builds, `${version}.${process.pid}.tmp`);
  await build({
    entryPoints,
    outdir: building,
    entryNames: '[name]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [inlinePackages],
    logLevel: 'warning',
  });
  try {
    renameSync(building, dir);
  } catch {
    // Another launch renamed its own build of the same sources first: that one is used.
    rmSync(building, { recursive: true, force: true });
  }
  // Builds of older sources go, once a day has passed on them (nothing still runs them).
  for (const old of readdirSync(builds)) {
    const path = join(builds, old);
    if (old !== version && Date.now() - statSync(path).mtimeMs > 24 * 3600 * 1000) rmSync(path, { recursive: true, force: true });
  }
  return dir;
}
