// The demo store on central and on a terminal, put together the way the README tells a person
// to: every step a real `pos` process against a fresh database on the real PostgreSQL.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalDatabase } from '#db/local.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { seedId } from '#engine/demo/seed-ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { tempDir } from '../support/local.ts';
import { POS_BIN, ROOT, runPos, type CliResult } from '../support/run-cli.ts';

const demo = readDemoStore();
const businessId = demo.store.business.id;
const branchId = seedId(businessId, 'branch', demo.store.branch.code);
const registerId = (code: string) => seedId(businessId, 'register', code);

/**
 * The `sh` blocks of the README's "Central and sync" section, up to its first list: each command
 * as `pos` arguments, continuation lines joined and comments dropped, the README's placeholders
 * replaced by `places` (longest first, so a URL with TLS parameters goes before its plain form).
 */
function readmeSetUp(places: Record<string, string>): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Central and sync'), readme.indexOf('- **Push and pull, apart.**'));
  const keys = Object.keys(places).sort((a, b) => b.length - a.length);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => keys.reduce((l, k) => l.split(k).join(places[k]!), line.replace(/\s+#.*$/, '').trim()))
    .filter((line) => line.startsWith('npx pos '))
    .map((line) => line.slice('npx pos '.length).split(/\s+/));
}

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

  it("sets up a register as the README's steps say, as written, and the owner's price change there reaches it", async () => {
    const dir = join(scratch, 'readme-steps');
    const commands = readmeSetUp({
      "'postgres://owner@central:5432/pos?sslmode=verify-full&sslrootcert=/etc/pos/ca.crt'": database.url,
      'postgres://owner@central:5432/pos': database.url,
      BUSINESS_ID: businessId,
      '/var/lib/pos': dir,
      'caja-3.json': join(scratch, 'caja-3.json'),
    });
    expect(commands.map((c) => c.slice(0, c[0] === 'central' ? 3 : 2).join(' '))).toEqual([
      'central migrate --url',
      'central seed-demo --url',
      'central registers add',
      'central provision-terminal --url',
      'db migrate',
      'sync configure',
      'sync now',
      'central price set',
    ]);
    const local = async () => {
      const db = await openLocalDatabase(dir);
      try {
        return (
          await db.sql.query<{ price: string }>(`SELECT price::text AS price FROM inventory.product_variants WHERE sku = 'ABR-000002'`)
        )[0]?.price;
      } finally {
        await db.close();
      }
    };
    for (const command of commands.slice(0, -1)) succeeded(await runPos(command), `pos ${command.join(' ')}`);
    expect(await local()).toBe('31.5000');
    const changed = succeeded(await runPos(commands.at(-1)!), 'pos central price set');
    expect(changed.stdout).toMatch(/^ABR-000002 \(.+\): price 31\.5000 -> 33\.5000 at central\n$/);
    succeeded(await runPos(['sync', 'now', '--data-dir', dir]), 'pos sync now');
    expect(await local()).toBe('33.5000');
    // Said again, it changes nothing; a price that is no amount, or an item the business lacks, is refused in words.
    expect((await runPos(commands.at(-1)!)).stdout).toContain('already costs 33.5000');
    const price = commands.at(-1)!.indexOf('--price') + 1;
    const refused = await runPos(commands.at(-1)!.map((a, i) => (i === price ? '12.34567' : a)));
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain('--price must be an amount such as 34.50');
    const unknown = await runPos(commands.at(-1)!.map((a) => (a === 'ABR-000002' ? 'NO-EXISTE' : a)));
    expect(unknown.stderr).toContain('the business has no item with sku NO-EXISTE');
  }, 300_000);

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
