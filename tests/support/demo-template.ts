// A data directory holding the demo store, set up once per test run and copied into each test
// that starts from the demo store, as the terminal database template is (pglite-template.ts):
// setting the demo store up (its catalog, the staff's hashed PINs and passwords, the
// authenticators) took 1.5 to 3 s of every such test's engine here. The copy is opened as a
// register opens its directory after a restart: the demo store is found there and left as it is.
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { openEngine } from '#engine/engine.ts';
import { freshDataDir } from './pglite-template.ts';

/** vitest's global set-up hands the template's directory to every test process in this variable. */
export const DEMO_TEMPLATE_ENV = 'POS_TEST_DEMO_TEMPLATE';

/** When the demo template's engine ran: the clock openDemoEngine's tests start from, so the authenticators were enrolled at their "now". */
export const DEMO_TEMPLATE_START = new Date('2026-11-25T15:00:00Z');

// What a closed engine leaves that belongs to that run, not to the register: its log and the
// lock on the directory (the next opener takes a lock of its own).
const LEFT_BEHIND = new Set(['logs', 'owner.lock', 'owner.lock-journal', 'owner.pid']);

/** Sets the demo store up in a new directory; answers it and how to remove it when the run ends. */
export async function buildDemoTemplate(): Promise<{ dir: string; remove(): void }> {
  const dir = freshDataDir('demo-template');
  const engine = await openEngine(dir, { purpose: 'test demo template', now: () => DEMO_TEMPLATE_START });
  try {
    await setUpDemoStore(engine);
  } finally {
    await engine.close();
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new data directory that is the demo store's first register, with no sale, shift or session yet. */
export function demoDataDir(label: string): string {
  const template = process.env[DEMO_TEMPLATE_ENV];
  if (!template || !existsSync(join(template, 'terminal.json')))
    throw new Error(`no demo store template at ${DEMO_TEMPLATE_ENV} (vitest's global set-up, tests/support/global-setup.ts, makes it)`);
  const dir = mkdtempSync(join(tmpdir(), `pos-${label}-`));
  for (const entry of readdirSync(template)) {
    if (!LEFT_BEHIND.has(entry)) cpSync(join(template, entry), join(dir, entry), { recursive: true });
  }
  chmodSync(join(dir, 'pglite'), 0o700);
  return dir;
}
