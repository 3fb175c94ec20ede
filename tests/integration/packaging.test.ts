// electron-builder.yml against what the app loads at run time. The packages themselves cannot be
// built here (no Electron runtime to download), so this checks the configuration: every native
// module the production dependencies bring is unpacked from the asar (the list is found in
// node_modules, not copied from the file under test), PGlite's wasm and data files are unpacked,
// and the migrations and the demo store land where the engine looks in a packaged app.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, matchesGlob, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appLayout } from '#db/app-root.ts';
import { loadMigrations } from '#db/migrator.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { tempDir } from '../support/local.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[] };
  deb: { fpm: string[]; afterInstall: string };
  win: { target: ({ target: string } | string)[] };
  mac: { target: string[] };
  publish: unknown;
};
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const posix = (path: string) => path.split('\\').join('/');
const unpacked = (file: string) => config.asarUnpack.some((pattern) => matchesGlob(posix(file), pattern));

/** Every package the production dependencies bring, found the way Node resolves them. */
function productionPackages(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        if (found.has(candidate)) return;
        found.set(candidate, name);
        const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as {
          dependencies?: object;
          optionalDependencies?: object;
        };
        for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, candidate);
        return;
      }
      if (dirname(dir) === dir) return;
    }
  };
  for (const dep of Object.keys(manifest.dependencies)) visit(dep, ROOT);
  return found;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(path, keep);
    return keep(e.name) ? [path] : [];
  });
}

const packages = productionPackages();
const native = [...packages].filter(([dir]) => existsSync(join(dir, 'binding.gyp')) || existsSync(join(dir, 'prebuilds')));

describe('native modules in the desktop packages', () => {
  it('are found among the production dependencies: the database journal, PIN hashing, serial and HID among them', () => {
    const names = native.map(([, name]) => name);
    // The derivation works if it finds the modules the engine is known to load.
    expect(names).toEqual(expect.arrayContaining(['better-sqlite3', 'argon2', '@serialport/bindings-cpp', 'node-hid']));
  });

  it('are rebuilt for Electron and every one of them is unpacked from the asar, with its compiled .node files', () => {
    expect(config.npmRebuild).toBe(true);
    for (const [dir, name] of native) {
      const inApp = posix(relative(ROOT, dir));
      expect(unpacked(`${inApp}/package.json`), `${name} is not in asarUnpack`).toBe(true);
      for (const file of filesUnder(dir, (n) => n.endsWith('.node'))) {
        expect(unpacked(posix(relative(ROOT, file))), `${relative(ROOT, file)} is not unpacked`).toBe(true);
      }
    }
  });

  it('leave no compiled addon of any production dependency inside the asar', () => {
    const addons = [...packages.keys()].flatMap((dir) => filesUnder(dir, (n) => n.endsWith('.node')));
    expect(addons.length).toBeGreaterThan(0);
    for (const file of addons) expect(unpacked(posix(relative(ROOT, file))), relative(ROOT, file)).toBe(true);
  });
});

describe('the production dependencies', () => {
  /** Every package a file of the running app (engine, shell, contract, database) imports. */
  function importedByTheApp(): Set<string> {
    const names = new Set<string>();
    for (const top of ['electron', 'db', 'contract']) {
      for (const file of filesUnder(join(ROOT, top), (n) => n.endsWith('.ts'))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'((?:@[^/']+\/)?[^./#'][^/']*)/g)) names.add(m[1]!);
      }
    }
    return names;
  }

  it('are only packages the running app loads: the screens are bundled at build time, so react and zustand are not among them', () => {
    const used = importedByTheApp();
    const unused = Object.keys(manifest.dependencies).filter((dep) => !used.has(dep));
    expect(unused).toEqual([]);
    expect(Object.keys(manifest.dependencies)).not.toEqual(expect.arrayContaining(['react']));
  });

  it('build the installers with the electron-builder the lockfile pins, not one fetched at packaging time', () => {
    const dev = (manifest as unknown as { devDependencies: Record<string, string> }).devDependencies;
    expect(dev['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.scripts.dist).not.toMatch(/npx/);
  });
});

describe('PGlite in the desktop packages', () => {
  const dist = join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'dist');

  it('ships its wasm and data files, and the extensions the migrations load, outside the asar', () => {
    const assets = readdirSync(dist).filter((f) => /\.(wasm|data)$/.test(f));
    expect(assets).toEqual(expect.arrayContaining(['pglite.wasm', 'pglite.data', 'initdb.wasm']));
    for (const file of [...assets, 'pg_trgm.tar.gz', 'unaccent.tar.gz']) {
      expect(unpacked(`node_modules/@electric-sql/pglite/dist/${file}`), file).toBe(true);
    }
  });
});

describe('the files the engine reads in a packaged app', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** The resources folder as electron-builder lays it out from extraResources. */
  function packagedResources(): string {
    const resources = join(tempDir('packaging'), 'resources');
    made.push(dirname(resources));
    mkdirSync(resources, { recursive: true });
    for (const entry of config.extraResources) {
      const from = join(ROOT, entry.from);
      expect(existsSync(from), `${entry.from} does not exist`).toBe(true);
      const filters = entry.filter ?? ['**/*'];
      cpSync(from, join(resources, entry.to), {
        recursive: true,
        filter: (src) => statSync(src).isDirectory() || filters.some((f) => matchesGlob(posix(relative(from, src)), f)),
      });
    }
    return resources;
  }

  it("are the migrations and the demo store beside app.asar, where the engine's path resolution finds them", () => {
    const resources = packagedResources();
    const layout = appLayout(join(resources, 'app.asar', 'dist', 'electron'), resources);
    expect(layout).toMatchObject({ packaged: true, migrations: join(resources, 'migrations'), demo: join(resources, 'demo') });
    expect(loadMigrations(layout.migrations)).toEqual(loadMigrations(join(ROOT, 'db', 'migrations')));
    expect(readDemoStore(layout.demo).catalog.length).toBeGreaterThan(2_000);
    expect(existsSync(join(resources, 'udev', '60-countertop-pos.rules'))).toBe(true);
  });

  it('are read from there by a real engine process given the resources folder, which migrates a new terminal', () => {
    const resources = packagedResources();
    const dataDir = join(dirname(resources), 'data');
    const env = { ...process.env, POS_RESOURCES_DIR: resources };
    const layout = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./db/app-root.ts').then((m) => console.log(JSON.stringify(m.APP_LAYOUT)))"],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    expect(layout.status, layout.stderr).toBe(0);
    expect(JSON.parse(layout.stdout)).toMatchObject({ packaged: true, migrations: join(resources, 'migrations') });
    const migrate = spawnSync(process.execPath, [join(ROOT, 'bin', 'pos.mjs'), 'db', 'migrate', '--data-dir', dataDir], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/^applied \d+ migration\(s\)/);
  }, 120_000);

  it("are found in the checkout when the resources folder is Electron's own (electron . in development)", () => {
    const layout = appLayout(join(ROOT, 'dist', 'electron'), join(ROOT, 'node_modules', 'electron', 'dist', 'resources'));
    expect(layout).toMatchObject({ packaged: false, migrations: join(ROOT, 'db', 'migrations'), demo: join(ROOT, 'resources', 'demo') });
  });
});

describe('the package targets and contents', () => {
  it('are AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target.map((t) => (typeof t === 'string' ? t : t.target))).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('put the udev rules into the deb (reloaded after install) and beside the AppImage', () => {
    const rules = readdirSync(join(ROOT, 'resources', 'udev')).filter((f) => f.endsWith('.rules'));
    expect(rules.length).toBeGreaterThan(0);
    for (const file of rules) {
      const mapping = config.deb.fpm.find((arg) => arg.startsWith(`resources/udev/${file}=`));
      expect(mapping, file).toMatch(new RegExp(`=/(usr/)?lib/udev/rules\\.d/${file.replace('.', '\\.')}$`));
    }
    const script = join(ROOT, config.deb.afterInstall);
    expect(readFileSync(script, 'utf8')).toMatch(/udevadm control --reload-rules/);
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources/udev', to: 'udev' }));
  });

  it('hold the main bundle package.json names, the preload, the engine host and its push thread beside it, and the built screens', () => {
    const inFiles = (path: string) => config.files.some((p) => !p.startsWith('!') && matchesGlob(path, p));
    for (const path of [
      manifest.main,
      'dist/electron/preload.cjs',
      'dist/electron/engine-host.js',
      'dist/electron/push-thread.js',
      'dist/renderer/index.html',
      'package.json',
    ]) {
      expect(inFiles(path), path).toBe(true);
    }
    expect(inFiles('dist/packages/Countertop POS.AppImage')).toBe(false);
  });

  it('are built by npm run dist, which publishes nothing', () => {
    expect(manifest.scripts.dist).toMatch(/build:renderer.*build:desktop.*electron-builder.*--publish never/);
  });
});
