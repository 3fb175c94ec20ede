// The tests' child processes (an engine to kill, twenty terminals selling, two hundred registers
// pushing) run their fixture from one bundle of the sources, as `pos` does: under tsx every
// start loaded the same sources again (about 0.6 s of an engine child's 3.4 s to ready here),
// and so did every push thread the child started. Built once per state of the sources, in
// global-setup.ts before any test file, and by whoever asks first outside a test run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceBundle } from '../../bin/source-bundle.mjs';
import { ROOT } from './run-cli.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures');

/** The bundle as this process first asked for it: the sources do not change under a test run. */
let built: Promise<string> | undefined;

export function buildFixtureBundle(): Promise<string> {
  built ??= bundle();
  return built;
}

function bundle(): Promise<string> {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.ts'));
  return sourceBundle({
    root: ROOT,
    name: 'test-fixtures',
    entryPoints: {
      ...Object.fromEntries(fixtures.map((f) => [f.replace(/\.ts$/, ''), join(FIXTURES, f)])),
      'push-thread': join(ROOT, 'electron', 'engine', 'sync', 'push-thread.ts'),
    },
    sources: ['electron/engine', 'db', 'contract', 'tests/fixtures', 'tests/support'].map((dir) => join(ROOT, dir)),
    recipes: [fileURLToPath(import.meta.url)],
  });
}

/** The file to run with node for tests/fixtures/NAME.ts, e.g. `spawn(process.execPath, [await fixtureScript('engine-child'), ...])`. */
export async function fixtureScript(name: string): Promise<string> {
  return join(await buildFixtureBundle(), `${name}.mjs`);
}

/** Starts tests/fixtures/NAME.ts and resolves once it prints `ready`. */
export async function startFixture(name: string, args: string[]): Promise<ChildProcess> {
  const script = await fixtureScript(name);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${err}`)));
  });
}
