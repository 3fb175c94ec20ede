// The layout's rules fail the build when broken. Each forbidden import is written into a scratch
// copy of the layout (the repository's package.json with its #aliases, tsconfig.json, the two
// tools' configs and the installed node_modules) and must be reported, under its rule's name, by
// the same tools and configs `npm run lint` runs on the real tree. The probes stay out of the work
// tree: tests running beside this one scan it (the electron boundary, the screens' build).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const BIOME = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
const CONFIGS = ['package.json', 'tsconfig.json', '.gitignore', '.dependency-cruiser.cjs', 'biome.jsonc'];

/** Files that break a rule, files they reach, and files that are allowed (none may be reported). */
const PROBES: Record<string, string> = {
  // renderer -> contract only, written with an alias and with a relative path
  'renderer/reaches-engine.ts': "import { engineThing } from '#engine/probe-engine.ts';\nexport const shown = engineThing;\n",
  'renderer/reaches-db.ts': "import { table } from '../db/probe-table.ts';\nexport const shown = table;\n",
  'renderer/reads-disk.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
  'renderer/runs-bridge.ts': "import { CHANNEL } from '../electron/shell/bridge.ts';\nexport const channel = CHANNEL;\n",
  'renderer/names-bridge.ts': "import type { PosBridge } from '../electron/shell/bridge.ts';\nexport type Bridge = PosBridge;\n",
  'renderer/uses-contract.tsx':
    "import { create } from 'zustand';\nimport { schema } from '#contract/probe-schema.ts';\nexport const useThing = create(() => schema.parse('x'));\n",
  'renderer/probe-screen.tsx': 'export const Screen = () => null;\n',
  'electron/shell/bridge.ts': "export const CHANNEL = 'pos';\nexport type PosBridge = { call(name: string): Promise<unknown> };\n",
  // the engine: not electron, not the screens; services not devices, and no cycle
  'electron/engine/probe-engine.ts': 'export const engineThing = 1;\n',
  'electron/engine/opens-window.ts': "import { BrowserWindow } from 'electron';\nexport const open = () => new BrowserWindow();\n",
  'electron/engine/draws-screen.ts': "import { Screen } from '../../renderer/probe-screen.tsx';\nexport const drawn = Screen;\n",
  'electron/engine/services/prints.ts': "import { print } from '../devices/probe-printer.ts';\nexport const sell = () => print('sale');\n",
  'electron/engine/devices/probe-printer.ts':
    "import type { sell } from '../services/prints.ts';\nexport const print = (what: string) => what;\nexport type Seller = typeof sell;\n",
  // db and contract stand alone
  'db/reaches-engine.ts': "import { engineThing } from '#engine/probe-engine.ts';\nexport const stored = engineThing;\n",
  'db/probe-table.ts': "export const table = 'sales';\n",
  'contract/reaches-db.ts':
    "import { table } from '#db/probe-table.ts';\nimport { readFileSync } from 'node:fs';\nexport const both = [table, readFileSync];\n",
  'contract/probe-schema.ts': "import { z } from 'zod';\nexport const schema = z.string();\n",
  // console: only the logger, the terminal commands and the benchmarks print
  'electron/engine/services/talks.ts': "export const talk = () => console.log('a service printing');\n",
  'renderer/talks.tsx': "export const Talk = () => { console.warn('a screen printing'); return null; };\n",
  'electron/engine/log/probe-sink.ts': 'export const sink = (line: string) => console.error(line);\n',
  'tests/bench/probe-report.ts': "export const report = (ms: number) => console.log(ms, 'ms');\n",
};

function run(script: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The violations in dependency-cruiser's `err` report (what `npm run lint` prints), one
 * "rule: from -> to" each; an npm package is named as the package, not where it is installed,
 * and a cycle by its first step.
 */
function violationsOf(report: string): string[] {
  const target = (to: string) => to.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1');
  return [...report.matchAll(/^\s*error ([\w-]+): (\S+) →\s+(\S+)/gm)]
    .map(([, rule, from, to]) => `${rule}: ${from} -> ${target(to!)}`)
    .sort();
}

type BiomeReport = { summary: { unchanged: number; changed: number }; diagnostics: { category?: string; location?: { path?: string } }[] };

/** Biome's lint over the paths: how many files it read, and those where it found console. */
function lintForConsole(cwd: string, paths: string[]) {
  const r = run(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', ...paths], cwd);
  const report = JSON.parse(r.stdout) as BiomeReport;
  const files = report.diagnostics.filter((d) => d.category === 'lint/suspicious/noConsole').map((d) => d.location?.path ?? '?');
  return { code: r.code, read: report.summary.unchanged + report.summary.changed, consoleIn: [...new Set(files)].sort() };
}

describe('the import boundaries', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pos-import-boundaries-'));
    for (const file of CONFIGS) copyFileSync(join(ROOT, file), join(scratch, file));
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    for (const [file, text] of Object.entries(PROBES)) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), text);
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails on every forbidden import, naming its rule, and lets the allowed ones through', () => {
    const r = run(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', '.'], scratch);
    const violations = violationsOf(r.stdout);
    expect(violations).toEqual([
      'contract-stands-alone: contract/reaches-db.ts -> db/probe-table.ts',
      'contract-stands-alone: contract/reaches-db.ts -> fs',
      'db-imports-nothing-of-the-app: db/reaches-engine.ts -> electron/engine/probe-engine.ts',
      'engine-not-electron: electron/engine/opens-window.ts -> npm:electron',
      'engine-not-renderer: electron/engine/draws-screen.ts -> renderer/probe-screen.tsx',
      'no-circular-services-devices: electron/engine/services/prints.ts -> electron/engine/devices/probe-printer.ts',
      'no-circular: electron/engine/devices/probe-printer.ts -> electron/engine/services/prints.ts',
      'renderer-bridge-type-only: renderer/runs-bridge.ts -> electron/shell/bridge.ts',
      'renderer-imports-only-contract: renderer/reaches-db.ts -> db/probe-table.ts',
      'renderer-imports-only-contract: renderer/reaches-engine.ts -> electron/engine/probe-engine.ts',
      'renderer-imports-only-contract: renderer/reads-disk.ts -> fs',
      'services-not-devices: electron/engine/services/prints.ts -> electron/engine/devices/probe-printer.ts',
    ]);
    // The exit code counts the errors: this is what stops `npm test` and CI.
    expect(r.code).toBe(violations.length);
    expect(r.stderr).toBe('');
  });

  it('fails on console outside the logger, the terminal commands and the benchmarks', () => {
    const r = lintForConsole(scratch, ['electron', 'renderer', 'tests']);
    expect(r.consoleIn).toEqual(['electron/engine/services/talks.ts', 'renderer/talks.tsx']);
    expect(r.code).not.toBe(0);
  });

  it('finds no forbidden import, and no cycle in the engine, in the repository as it stands', () => {
    const r = run(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', '.'], ROOT);
    expect(violationsOf(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/no dependency violations found \(\d{3,} modules/);
    expect(r.code).toBe(0);
  });

  it('finds no console outside the logger, the terminal commands and the benchmarks in the repository as it stands', () => {
    const r = lintForConsole(ROOT, ['.']);
    expect(r.read).toBeGreaterThan(100);
    expect(r.consoleIn).toEqual([]);
  });
});
