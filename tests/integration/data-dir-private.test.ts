// A terminal's data directory holds PIN and session hashes, every sale and central's password:
// nothing in it may be readable by another account on the machine, whichever part of the
// engine wrote it (PGlite, the journal, the sync state, terminal.json, sync.json, the keys).
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { openEngine } from '#engine/engine.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { tempDir } from '../support/local.ts';
import { runPos } from '../support/run-cli.ts';

const ARROZ = '7505599000026';

/** Every file and directory under dir (dir included) that its group or others may use. */
function exposed(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) found.push(`${path.slice(dir.length) || '/'} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

function countEntries(dir: string): number {
  let n = 1;
  for (const entry of readdirSync(dir, { withFileTypes: true })) n += entry.isDirectory() ? countEntries(join(dir, entry.name)) : 1;
  return n;
}

describe.skipIf(process.platform === 'win32')('a data directory on disk', () => {
  const parent = tempDir('private');
  // Not made by the test: the engine creates it, as `pos serve --data-dir` on a new till does.
  const dataDir = join(parent, 'caja');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it("is readable only by the till's own account after a sale and sync configure", async () => {
    // The shell that starts a till usually has umask 022; the engine must not depend on it.
    process.umask(0o022);
    const engine = await openEngine(dataDir, { purpose: 'test private files', devices: false });
    try {
      await setUpDemoStore(engine, readDemoStore());
      const cashier = readDemoStore().store.employees[2]!;
      const [employee] = await engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '003'`);
      const token = await signIn(engine, employee!.id, cashier.pin);
      const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
      ok(await engine.call('shifts.open', { idempotencyKey: 'private-shift', openingFloat: '500' }, { token }));
      const sale = ok(await engine.call('sales.open', { idempotencyKey: 'private-sale' }, { token }));
      ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
      ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token }));
    } finally {
      await engine.close();
    }

    const terminal = JSON.parse(readFileSync(join(dataDir, 'terminal.json'), 'utf8')) as Record<string, string>;
    const config = join(parent, 'caja-1.json');
    writeFileSync(
      config,
      JSON.stringify({
        terminal: { businessId: terminal.businessId, branchId: terminal.branchId, registerId: terminal.registerId },
        // Nothing listens there: the loop fails to connect, which is enough to create its state.
        central: { url: 'postgres://caja_1:secreto@127.0.0.1:1/pos' },
      }),
      { mode: 0o600 },
    );
    const configured = await runPos(['sync', 'configure', '--data-dir', dataDir, '--config', config]);
    expect(configured).toMatchObject({ code: 0, stderr: '' });

    process.umask(0o022);
    const syncing = await openEngine(dataDir, { purpose: 'test private files, syncing', devices: false });
    await syncing.close();

    const names = readdirSync(dataDir);
    for (const name of ['pglite', 'journal.sqlite', 'sync.sqlite', 'sync.json', 'terminal.json', 'keys', 'owner.lock', 'owner.pid']) {
      expect(names).toContain(name);
    }
    expect(exposed(dataDir)).toEqual([]);
  });

  it('is tightened when an older version left it and its files open to everyone', async () => {
    const old = join(parent, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'stray.txt'), 'left by hand');
    const widen = (path: string) => {
      const info = lstatSync(path);
      chmodSync(path, info.isDirectory() ? 0o755 : 0o644);
      if (info.isDirectory()) for (const name of readdirSync(path)) widen(join(path, name));
    };
    // The first open builds the store as an older version would have left it, then everything is opened up.
    const first = await openEngine(old, { purpose: 'test old directory', devices: false, sync: false });
    await first.close();
    widen(old);
    expect(exposed(old).length).toBe(countEntries(old));

    const engine = await openEngine(old, { purpose: 'test old directory, reopened', devices: false, sync: false });
    await engine.close();
    expect(exposed(old)).toEqual([]);
  });
});
