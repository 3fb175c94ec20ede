// The demo store on central and on a terminal, put together the way the README tells a person
// to: every step a real `pos` process against a fresh database on the real PostgreSQL.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { seedId } from '#engine/demo/seed-ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { tempDir } from '../support/local.ts';
import { POS_BIN, ROOT, runPos, type CliResult } from '../support/run-cli.ts';

const demo = readDemoStore();
const businessId = demo.store.business.id;
const branchId = seedId(businessId, 'branch', demo.store.branch.code);
const registerId = (code: string) => seedId(businessId, 'register', code);

function succeeded(r: CliResult, what: string) {
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
  return r;
}

describe('the demo store on central and on a terminal', () => {
  let database: TestDatabase;
  const scratch = tempDir('demo-central');

  beforeAll(async () => {
    database = await createTestDatabase('demo_central');
    succeeded(await runPos(['central', 'migrate', '--url', database.url]), 'pos central migrate');
    succeeded(await runPos(['central', 'seed-demo', '--url', database.url]), 'pos central seed-demo');
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** `pos central provision-terminal … > FILE`, as the README writes it. */
  async function provisioned(code: string): Promise<string> {
    const r = succeeded(
      await runPos([
        'central',
        'provision-terminal',
        '--url',
        database.url,
        '--business',
        businessId,
        '--branch',
        branchId,
        '--register',
        registerId(code),
      ]),
      'pos central provision-terminal',
    );
    const file = join(scratch, `${code.toLowerCase()}.json`);
    writeFileSync(file, r.stdout, { mode: 0o600 });
    return file;
  }

  it('pulls from central onto a terminal that was seeded with the demo store before it was configured to sync', async () => {
    const dir = join(scratch, 'seeded-first');
    succeeded(await runPos(['demo', 'seed', '--data-dir', dir]), 'pos demo seed');
    succeeded(await runPos(['sync', 'configure', '--data-dir', dir, '--config', await provisioned('CAJA-1')]), 'pos sync configure');
    const now = succeeded(await runPos(['sync', 'now', '--data-dir', dir]), 'pos sync now');
    expect(now.stdout).toMatch(/^pushed 0 fact\(s\), pulled \d+ row\(s\)\n$/);
    const status = JSON.parse(succeeded(await runPos(['sync', 'status', '--data-dir', dir, '--json']), 'pos sync status').stdout) as {
      lastError: string | null;
    };
    expect(status.lastError).toBeNull();
  }, 300_000);

  it("serves a freshly configured terminal on its first start, with the staff pulled from central, as the README's steps say", async () => {
    for (const attempt of [1, 2]) {
      const dir = join(scratch, `readme-${attempt}`);
      succeeded(await runPos(['sync', 'configure', '--data-dir', dir, '--config', await provisioned('CAJA-2')]), 'pos sync configure');
      const serve = spawn(process.execPath, [POS_BIN, 'serve', '--data-dir', dir, '--port', '0'], {
        cwd: ROOT,
        env: { ...process.env, POS_DEBUG: '' },
      });
      let stderr = '';
      serve.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          createInterface({ input: serve.stdout }).on('line', (line) => {
            const m = / is open at (http:\/\/\S+) /.exec(line);
            if (m) resolve(m[1]!);
          });
          void exited.then((code) => reject(new Error(`pos serve exited with ${code} on attempt ${attempt}: ${stderr}`)));
        });
        // The staff arrive with the first pull; the cashier can then sign in.
        let staff: { employeeId: string; displayName: string }[] = [];
        for (const until = Date.now() + 120_000; staff.length < demo.store.employees.length && Date.now() < until; ) {
          await new Promise((r) => setTimeout(r, 250));
          const res = await fetch(`${url}/api/auth.staffForSignIn`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: url },
            body: '{}',
          });
          staff = ((await res.json()) as { value?: typeof staff }).value ?? [];
        }
        const cashier = demo.store.employees[2]!;
        const signIn = await fetch(`${url}/api/auth.signInWithPin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: url },
          body: JSON.stringify({ employeeId: staff.find((s) => s.displayName === cashier.displayName)?.employeeId, pin: cashier.pin }),
        });
        expect(await signIn.json(), `attempt ${attempt}: ${stderr}`).toMatchObject({ ok: true });
      } finally {
        serve.kill('SIGTERM');
      }
      expect(await exited, stderr).toBe(0);
      expect(stderr).not.toMatch(/duplicate key/);
    }
  }, 600_000);
});
