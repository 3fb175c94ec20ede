// `npm start` where the Electron runtime is missing (as on our build machines, where it cannot
// be downloaded): the launcher says so in one line and serves the demo store, whose address it
// prints and which answers. The launcher runs as a child process with the real, missing binary.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../support/renderer-build.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const newDir = tempDirs('start-fallback');
const running: ReturnType<typeof spawn>[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

beforeAll(async () => {
  // Built once under the tests' lock, so the launcher finds the screens fresh and leaves
  // dist/renderer alone while other test files serve it.
  await buildRenderer();
}, 180_000);

describe('npm start without the Electron runtime', () => {
  it('is really without it here: the electron package has no binary to give', () => {
    expect(() => createRequire(join(ROOT, 'package.json'))('electron')).toThrow(/Electron failed to install correctly/);
  });

  it('says so in one line, then serves the demo store at the address it prints, and stops cleanly', async () => {
    const dataDir = newDir();
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, POS_DATA_DIR: dataDir, DISPLAY: ':0', POS_START_MODE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address within 120 s; stdout: ${out}; stderr: ${err}`)), 120_000);
      child.stdout.on('data', () => {
        const found = /is open at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`the launcher ended (${code}) before serving; stdout: ${out}; stderr: ${err}`)));
    });

    const lines = out.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toMatch(
      /^The Electron runtime is not installed here \(.*\); starting serve mode instead: open the address below in a browser$/,
    );
    expect(lines[1]).toMatch(/^Abarrotes La Esperanza is open at http:\/\/127\.0\.0\.1:\d+ \(data in .*\); Ctrl\+C to stop$/);
    expect(lines).toHaveLength(2);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    const staff = await fetch(`${url}/api/auth.staffForSignIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(staff.status).toBe(200);
    expect(((await staff.json()) as { ok: boolean; value: unknown[] }).value.length).toBeGreaterThanOrEqual(3);

    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 180_000);
});
