// Services never import devices: what they ask of the hardware goes through ports.ts, which
// devices/ implements; and devices/, which only turns documents into bytes and talks to hardware,
// never imports services/. Followed through every import, type imports too, so no path between
// the two runs through the container, the events or the contract either.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ALIASES: Record<string, string> = { '#engine/': 'electron/engine/', '#db/': 'db/', '#contract/': 'contract/' };
const IMPORT = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|^\s*import\s*'([^']+)'/gm;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : e.name.endsWith('.ts') ? [path.split('\\').join('/')] : [];
  });
}

const files = new Set(['electron/engine', 'db', 'contract'].flatMap(sources));

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].flatMap((m) => {
    const spec = (m[1] ?? m[2])!;
    const alias = Object.keys(ALIASES).find((a) => spec.startsWith(a));
    const path = alias
      ? ALIASES[alias] + spec.slice(alias.length)
      : spec.startsWith('.')
        ? normalize(join(dirname(file), spec))
            .split('\\')
            .join('/')
        : null;
    return path && files.has(path) ? [path] : [];
  });
}

/** The first chain of imports from `from` to a file under `to`, or null. */
function pathInto(from: string, to: string): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file.startsWith(to)) {
      const chain = [file];
      for (let at = cameFrom.get(file); at; at = cameFrom.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of importsOf(file)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return null;
}

const under = (dir: string) => [...files].filter((f) => f.startsWith(dir));

describe('the boundary between services and devices', () => {
  it('sees the imports it follows (services use the ports, devices implement them)', () => {
    expect(under('electron/engine/services/').length).toBeGreaterThan(20);
    expect(under('electron/engine/devices/').length).toBeGreaterThan(10);
    expect(pathInto('electron/engine/services/sales/sale-receipt.ts', 'electron/engine/ports.ts')).not.toBeNull();
    expect(importsOf('electron/engine/devices/printer/print-spool.ts')).toContain('electron/engine/ports.ts');
  });

  it('is crossed by no service, however many imports away', () => {
    const crossings = under('electron/engine/services/')
      .map((f) => pathInto(f, 'electron/engine/devices/'))
      .filter((p) => p !== null);
    expect(crossings.map((p) => p.join(' -> '))).toEqual([]);
  });

  it('is crossed by no device, however many imports away', () => {
    const crossings = under('electron/engine/devices/')
      .map((f) => pathInto(f, 'electron/engine/services/'))
      .filter((p) => p !== null);
    expect(crossings.map((p) => p.join(' -> '))).toEqual([]);
  });
});
