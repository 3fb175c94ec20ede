// Two registers edit the same products from the same versions against the real PostgreSQL
// server: CAJA-1's edits reach central first and win, CAJA-2's (made while a proxy keeps it off
// central) arrive second and are kept at central as conflicts, with both values, the author and
// the register. Both registers list them field by field; a manager keeps CAJA-2's values (saved
// again as a normal edit that wins at central and comes down to CAJA-1) or central's (nothing
// changes); a register of another business sees none of them, a cashier may neither list nor
// settle them, and central keeps every conflict and resolution as written.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogConflict, CatalogConflicts } from '#contract/catalog-conflicts.ts';
import type { Central } from '#db/central.ts';
import { PRODUCT_SAVED, type ProductSavedFact, VARIANT_SAVED, type VariantSavedFact } from '#engine/services/catalog/catalog-facts.ts';
import type { CallOutput } from '#engine/dispatch.ts';
import { CentralConflicts } from '#engine/sync/central-conflicts.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { readSyncConfig, writeSyncConfig } from '#engine/sync/sync-config.ts';
import { cloneRow, type TestDatabase } from '../support/central.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaos-proxy.ts';
import { ok } from '../support/demo-engine.ts';
import { runPos } from '../support/run-cli.ts';
import { stepUpOnThisTerminal } from '../support/synced-step-up.ts';
import {
  branchId,
  businessId,
  createCentral,
  demo,
  openTerminal,
  provisionMany,
  type TestTerminal,
  waitFor,
} from '../support/sync-fixture.ts';

type Detail = CallOutput<'catalog.product'>;

let database: TestDatabase;
let central: Central;
let proxy: ChaosProxy;
let registerIds: string[];
/** CAJA-1, straight to central; CAJA-2, through the proxy. */
let first: TestTerminal;
let second: TestTerminal;
/** The owner signed in at each, stepped up; the cashier at CAJA-2. */
const owner = { id: '', first: '', second: '' };
let cashier = '';
const clients: pg.Client[] = [];

beforeAll(async () => {
  ({ database, central, registerIds } = await createCentral('catalog_conflicts', 2));
  proxy = await startChaosProxy(Number(new URL(database.url).port || 5432));
  const [dirA, dirB] = await provisionMany(central, database.url, registerIds, 'conflicts');
  // CAJA-2 reaches central through the proxy, which the tests cut to make its edits offline.
  const config = readSyncConfig(dirB!)!;
  const viaProxy = new URL(config.url);
  viaProxy.port = String(proxy.port);
  writeSyncConfig(dirB!, { ...config, url: viaProxy.toString() });
  first = await openTerminal(dirA!, registerIds[0]!);
  second = await openTerminal(dirB!, registerIds[1]!);
  const [ownerRow] = await first.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '001'`);
  owner.id = ownerRow!.id;
  for (const [terminal, key] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const token = ok(await terminal.engine.call('auth.signInWithPin', { employeeId: owner.id, pin: demo.store.employees[0]!.pin })).token;
    await stepUpOnThisTerminal(terminal.engine, owner.id, token);
    owner[key] = token;
  }
  cashier = second.token;
}, 240_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await second?.dispose();
  await first?.dispose();
  await proxy?.close();
  await central?.close();
  await database?.drop();
});

/** Products of one variant each, sold by the unit, the same at both registers. */
async function products(n: number): Promise<Detail[]> {
  const rows = await first.engine.services.sql.query<{ id: string }>(
    `SELECT p.id FROM inventory.products p
     WHERE p.sold_by = 'UNIT' AND p.deleted_at IS NULL
       AND (SELECT count(*) FROM inventory.product_variants v WHERE v.product_id = p.id AND v.deleted_at IS NULL) = 1
     ORDER BY p.id LIMIT $1`,
    [n],
  );
  return Promise.all(rows.map(async (r) => ok(await first.engine.call('catalog.product', { productId: r.id }, { token: owner.first }))));
}

/** catalog.saveProduct's input that edits `p` at the version read, `change` over what it has. */
const edit = (p: Detail, change: { name?: string; brand?: string; unit?: string }) => ({
  id: p.id,
  version: p.version,
  name: p.name,
  ...(p.brand ? { brand: p.brand } : {}),
  ...(p.description ? { description: p.description } : {}),
  categoryId: p.categoryId,
  soldBy: p.soldBy,
  unit: p.unit,
  taxCode: p.taxCode,
  ...(p.fiscalProductCode ? { fiscalProductCode: p.fiscalProductCode } : {}),
  ...(p.fiscalUnitCode ? { fiscalUnitCode: p.fiscalUnitCode } : {}),
  isActive: p.isActive,
  ...change,
});

const centralRow = async <T>(sql: string, params: unknown[]) => (await central.sql.query<T>(sql, params))[0]!;
const localRow = async <T>(t: TestTerminal, sql: string, params: unknown[]) => (await t.engine.services.sql.query<T>(sql, params))[0]!;

const listed = async (t: TestTerminal, token: string): Promise<CatalogConflicts> =>
  ok(await t.engine.call('sync.conflicts', {}, { token }));
const answered = async (t: TestTerminal, token: string): Promise<CatalogConflict[]> => {
  const answer = await listed(t, token);
  if (answer.central !== 'answered') throw new Error(`central was not asked: ${JSON.stringify(answer)}`);
  return answer.conflicts;
};

/** A login's own connection to central, closed after the file. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: { code?: string }) => err.code ?? 'error',
  );

let kept: Detail;
let variantOf: Detail;
let left: Detail;
const ours = { name: 'Refresco de cola (caja 2)', brand: 'Marca de la caja 2', price: '23.50' };
const theirs = { name: 'Refresco de cola 600 ml (caja 1)', price: '24.00', other: 'Galletas surtidas (caja 1)' };

describe('two registers editing the same products from the same versions', () => {
  it('keeps the edit that arrived second at central as a conflict with both values, the author and the register, and lists it at both registers', async () => {
    const picked = await products(3);
    expect(picked).toHaveLength(3);
    [kept, variantOf, left] = picked as [Detail, Detail, Detail];
    const variant = variantOf!.variants[0]!;
    // CAJA-2 off central: its edits stay in its journal.
    proxy.refuse(true);
    proxy.cutAll();
    ok(await second.engine.call('catalog.saveProduct', edit(kept!, { name: ours.name, brand: ours.brand }), { token: owner.second }));
    ok(
      await second.engine.call(
        'catalog.setPrice',
        { variantId: variant.id, version: variant.version, price: ours.price },
        { token: owner.second },
      ),
    );
    ok(await second.engine.call('catalog.saveProduct', edit(left!, { name: 'Galletas surtidas (caja 2)' }), { token: owner.second }));
    // While it is off, it cannot ask central either, and says so.
    expect(await listed(second, owner.second)).toMatchObject({ central: 'unreachable', reason: expect.stringContaining('central') });

    // CAJA-1 edits the same three from the same versions, and gets there first.
    ok(await first.engine.call('catalog.saveProduct', edit(kept!, { name: theirs.name }), { token: owner.first }));
    ok(
      await first.engine.call(
        'catalog.setPrice',
        { variantId: variant.id, version: variant.version, price: theirs.price },
        { token: owner.first },
      ),
    );
    ok(await first.engine.call('catalog.saveProduct', edit(left!, { name: theirs.other }), { token: owner.first }));
    await waitFor(() => first.status().pending === 0, 30_000, "CAJA-1's push");

    proxy.refuse(false);
    await waitFor(() => second.status().pending === 0, 30_000, "CAJA-2's push");
    // Refused for its version, not set aside: nothing for sync's quarantine.
    expect(second.status().quarantined).toEqual([]);
    expect(await centralRow('SELECT name, brand FROM inventory.products WHERE id = $1', [kept!.id])).toEqual({
      name: theirs.name,
      brand: kept!.brand,
    });

    const atFirst = await answered(first, owner.first);
    expect(atFirst).toHaveLength(3);
    const product = atFirst.find((c) => c.rowId === kept!.id)!;
    expect(product).toMatchObject({
      kind: 'product',
      productId: kept!.id,
      productName: theirs.name,
      sku: null,
      register: { id: registerIds[1], code: 'CAJA-2' },
      author: { id: owner.id, name: demo.store.employees[0]!.displayName },
      ourVersion: kept!.version + 1,
      theirVersion: kept!.version + 1,
      differences: [
        { field: 'name', ours: ours.name, theirs: theirs.name },
        { field: 'brand', ours: ours.brand, theirs: kept!.brand ?? null },
      ],
    });
    expect(Date.parse(product.createdAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(product.createdAt).toMatch(/Z$/);
    expect(atFirst.find((c) => c.rowId === variant.id)).toMatchObject({
      kind: 'variant',
      productId: variantOf!.id,
      productName: variantOf!.name,
      sku: variant.sku,
      differences: [{ field: 'price', ours: ours.price, theirs: theirs.price }],
    });
    // The register whose edits they were lists the same.
    expect(await answered(second, owner.second)).toEqual(atFirst);
    // Central holds the rows as they were pushed and as it held them then.
    const [recorded] = (
      await central.sql.query<{
        ours: { name: string; version: number };
        theirs: { name: string };
        author_id: string;
        register_id: string;
      }>(`SELECT ours, theirs, author_id, register_id FROM sync.catalog_conflicts WHERE row_id = $1`, [kept!.id])
    ).map((r) => ({ ...r, ours: { name: r.ours.name, version: r.ours.version }, theirs: { name: r.theirs.name } }));
    expect(recorded).toEqual({
      ours: { name: ours.name, version: kept!.version + 1 },
      theirs: { name: theirs.name },
      author_id: owner.id,
      register_id: registerIds[1],
    });
    // And CAJA-2, having pulled, holds central's values meanwhile.
    await waitFor(
      async () =>
        (await localRow<{ name: string }>(second, 'SELECT name FROM inventory.products WHERE id = $1', [kept!.id])).name === theirs.name,
      60_000,
      "central's name at CAJA-2",
    );
  }, 180_000);

  it('lists them on the command line, field by field, and says when it could not ask central', async () => {
    const human = await runPos(['sync', 'status', '--data-dir', second.dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^conflicts: +3 open /m);
    expect(human.stdout).toContain(
      `  product "${theirs.name}", edited at CAJA-2 by ${demo.store.employees[0]!.displayName} from version ${kept.version}`,
    );
    expect(human.stdout).toContain(`    name: ours "${ours.name}" / theirs "${theirs.name}"`);
    expect(human.stdout).toContain(`    price: ours "${ours.price}" / theirs "${theirs.price}"`);
    const json = JSON.parse((await runPos(['sync', 'status', '--data-dir', second.dir, '--json'])).stdout) as {
      conflicts: CatalogConflicts;
    };
    expect(json.conflicts).toEqual({ central: 'answered', conflicts: await answered(second, owner.second) });
    expect(JSON.stringify(json)).not.toContain('pw-');

    proxy.refuse(true);
    proxy.cutAll();
    try {
      const off = await runPos(['sync', 'status', '--data-dir', second.dir]);
      expect(off.code).toBe(0);
      expect(off.stdout).toMatch(/^pending: +\d+ fact/m);
      expect(off.stdout).toMatch(/^conflicts: +could not ask central: /m);
    } finally {
      proxy.refuse(false);
    }
  }, 60_000);

  it("keeping CAJA-2's values saves them again as a normal edit that wins at central and comes down to CAJA-1", async () => {
    const [product, variant] = [kept, variantOf.variants[0]!];
    const conflicts = await answered(second, owner.second);
    const onProduct = conflicts.find((c) => c.rowId === product.id)!;
    const onVariant = conflicts.find((c) => c.rowId === variant.id)!;
    const key = `keep-ours-${randomUUID()}`;
    const done = ok(
      await second.engine.call(
        'sync.resolveConflict',
        { conflictId: onProduct.id, keep: 'OURS', idempotencyKey: key },
        { token: owner.second },
      ),
    );
    expect(done).toMatchObject({ conflictId: onProduct.id, keep: 'OURS', savedVersion: product.version + 2 });
    // The same request again (its answer lost): the same resolution, nothing saved twice.
    expect(
      ok(
        await second.engine.call(
          'sync.resolveConflict',
          { conflictId: onProduct.id, keep: 'OURS', idempotencyKey: key },
          { token: owner.second },
        ),
      ),
    ).toEqual({ ...done, savedVersion: null });
    ok(
      await second.engine.call(
        'sync.resolveConflict',
        { conflictId: onVariant.id, keep: 'OURS', idempotencyKey: `keep-ours-${randomUUID()}` },
        { token: owner.second },
      ),
    );
    // Saved through the catalog's own path: journaled with its author, like any edit.
    const journal = second.engine.services.journal.after(0, 100_000);
    expect(
      journal.some(
        (f) =>
          f.kind === PRODUCT_SAVED &&
          (f.payload as ProductSavedFact).product.id === product.id &&
          (f.payload as ProductSavedFact).product.name === ours.name &&
          (f.payload as ProductSavedFact).by === owner.id &&
          (f.payload as ProductSavedFact).product.version === product.version + 2,
      ),
    ).toBe(true);
    expect(
      journal.some(
        (f) =>
          f.kind === VARIANT_SAVED &&
          (f.payload as VariantSavedFact).variant.id === variant.id &&
          /^23\.50*$/.test(String((f.payload as VariantSavedFact).variant.price)),
      ),
    ).toBe(true);
    await waitFor(() => second.status().pending === 0, 30_000, "CAJA-2's push");
    expect(await centralRow('SELECT name, brand, version FROM inventory.products WHERE id = $1', [product.id])).toEqual({
      name: ours.name,
      brand: ours.brand,
      version: product.version + 2,
    });
    expect(await centralRow('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [variant.id])).toEqual({
      price: '23.5000',
    });
    ok(await first.engine.call('sync.now', {}, { token: owner.first }));
    await waitFor(
      async () =>
        (await localRow<{ name: string }>(first, 'SELECT name FROM inventory.products WHERE id = $1', [product.id])).name === ours.name,
      60_000,
      'the kept name at CAJA-1',
    );
    expect(await localRow(first, 'SELECT brand FROM inventory.products WHERE id = $1', [product.id])).toEqual({ brand: ours.brand });
    await waitFor(
      async () =>
        (
          await localRow<{ price: string }>(first, 'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [
            variant.id,
          ])
        ).price === '23.5000',
      60_000,
      'the kept price at CAJA-1',
    );
    expect(await localRow(second, 'SELECT name FROM inventory.products WHERE id = $1', [product.id])).toEqual({ name: ours.name });
    // Settled: neither register lists them; the one left is.
    expect((await answered(first, owner.first)).map((c) => c.rowId)).toEqual([left.id]);
    // Audited where the manager chose, with what differed.
    const [audit] = await second.engine.services.sql.query<{ details: { keep: string; conflictId: string; register: string } }>(
      `SELECT details FROM auth.audit_logs WHERE action = 'sync.catalog_conflict_resolved' AND entity_id = $1`,
      [product.id],
    );
    expect(audit!.details).toMatchObject({ keep: 'OURS', conflictId: onProduct.id, register: 'CAJA-2' });
    expect(
      await centralRow(`SELECT r.choice, r.resolved_by, r.register_id FROM sync.catalog_conflict_resolutions r WHERE r.conflict_id = $1`, [
        onProduct.id,
      ]),
    ).toEqual({ choice: 'OURS', resolved_by: owner.id, register_id: registerIds[1] });
  }, 180_000);

  it("keeping central's value settles the conflict and changes nothing", async () => {
    const [conflict] = await answered(first, owner.first);
    const before = await centralRow<{ name: string; version: number; updated_at: string }>(
      'SELECT name, version, updated_at::text FROM inventory.products WHERE id = $1',
      [left.id],
    );
    const head = first.engine.services.journal.head().seq;
    const done = ok(
      await first.engine.call(
        'sync.resolveConflict',
        { conflictId: conflict!.id, keep: 'THEIRS', idempotencyKey: `keep-theirs-${randomUUID()}` },
        { token: owner.first },
      ),
    );
    expect(done).toMatchObject({ conflictId: conflict!.id, keep: 'THEIRS', savedVersion: null });
    expect(before).toMatchObject({ name: theirs.other, version: left.version + 1 });
    expect(await centralRow('SELECT name, version, updated_at::text FROM inventory.products WHERE id = $1', [left.id])).toEqual(before);
    // Nothing saved: no catalog edit went into the journal.
    expect(first.engine.services.journal.after(head, 100).filter((f) => f.kind === PRODUCT_SAVED)).toEqual([]);
    expect(await answered(first, owner.first)).toEqual([]);
    expect(await answered(second, owner.second)).toEqual([]);
    // A second manager's choice, or the same one under another key, finds it settled.
    const again = await second.engine.call(
      'sync.resolveConflict',
      { conflictId: conflict!.id, keep: 'OURS', idempotencyKey: `keep-ours-${randomUUID()}` },
      { token: owner.second },
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'ALREADY_RESOLVED', choice: 'THEIRS' } } });
    expect(await localRow(second, 'SELECT name FROM inventory.products WHERE id = $1', [left.id])).toEqual({ name: theirs.other });
  }, 60_000);

  it('is not a conflict when central already holds what the edit says (the same edit arriving by another road)', async () => {
    const asSecond = await connect(readSyncConfig(second.dir)!.url);
    const [row] = (
      await asSecond.query<{ row: Record<string, unknown> }>('SELECT to_jsonb(p) AS row FROM inventory.products p WHERE id = $1', [kept.id])
    ).rows;
    const before = await centralRow<{ n: number }>('SELECT count(*)::int AS n FROM sync.catalog_conflicts', []);
    const applied = await asSecond.query<{ done: boolean }>(
      `SELECT sync.apply_catalog_row('inventory.products', $1::jsonb, $2::uuid) AS done`,
      [JSON.stringify(row!.row), owner.id],
    );
    expect(applied.rows[0]!.done).toBe(false);
    expect(await centralRow('SELECT count(*)::int AS n FROM sync.catalog_conflicts', [])).toEqual(before);
  });
});

describe('who may see and settle conflicts', () => {
  let conflictId: string;

  beforeAll(async () => {
    // One more conflict to look at: CAJA-2 renames while off central, CAJA-1 first.
    const [, , , fourth] = await products(4);
    proxy.refuse(true);
    proxy.cutAll();
    ok(await second.engine.call('catalog.saveProduct', edit(fourth!, { unit: 'caja' }), { token: owner.second }));
    ok(await first.engine.call('catalog.saveProduct', edit(fourth!, { unit: 'paq' }), { token: owner.first }));
    await waitFor(() => first.status().pending === 0, 30_000, "CAJA-1's push");
    proxy.refuse(false);
    await waitFor(() => second.status().pending === 0, 30_000, "CAJA-2's push");
    const [open] = await answered(first, owner.first);
    conflictId = open!.id;
  }, 120_000);

  it('refuses a cashier the list and the choice', async () => {
    expect(await second.engine.call('sync.conflicts', {}, { token: cashier })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', params: { permission: 'sync.manage' } },
    });
    expect(
      await second.engine.call(
        'sync.resolveConflict',
        { conflictId, keep: 'THEIRS', idempotencyKey: `cashier-${randomUUID()}` },
        { token: cashier },
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { permission: 'catalog.manage' } } });
    // Central checks for itself: a register's login naming the cashier as who chose is refused there.
    const [cashierRow] = await second.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '003'`);
    const login = new CentralConflicts({ url: readSyncConfig(first.dir)!.url, registerId: registerIds[0]! });
    try {
      await expect(
        login.resolve({ conflictId, keep: 'THEIRS', employeeId: cashierRow!.id, key: `cashier-${randomUUID()}` }),
      ).rejects.toMatchObject({ code: '42501' });
    } finally {
      await login.close();
    }
    expect((await answered(first, owner.first)).map((c) => c.id)).toEqual([conflictId]);
  });

  it('shows a register of another business none of them, and lets it settle none', async () => {
    const otherBusinessId = uuidv7();
    const otherBranchId = uuidv7();
    const otherRegisterId = uuidv7();
    await cloneRow(central.sql, 'business.businesses', businessId, { id: otherBusinessId, name: 'Otra Tienda', tax_id: 'OTR010101AAA' });
    await cloneRow(central.sql, 'business.branches', branchId, { id: otherBranchId, business_id: otherBusinessId, code: 'OTR-01' });
    await cloneRow(central.sql, 'sales.cash_registers', registerIds[1]!, {
      id: otherRegisterId,
      business_id: otherBusinessId,
      branch_id: otherBranchId,
      code: 'OTR-CAJA-1',
    });
    const provisioned = await provisionTerminal(central, database.url, {
      businessId: otherBusinessId,
      branchId: otherBranchId,
      registerId: otherRegisterId,
      password: 'otra-tienda-secreta',
    });
    const theirsLogin = new CentralConflicts({ url: provisioned.central.url, registerId: otherRegisterId });
    try {
      expect(await theirsLogin.open()).toEqual([]);
      expect(await theirsLogin.one(conflictId)).toBeNull();
      // Even naming this business's owner as who chose: that employee is not of its business.
      await expect(
        theirsLogin.resolve({ conflictId, keep: 'THEIRS', employeeId: owner.id, key: `other-${randomUUID()}` }),
      ).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await theirsLogin.close();
    }
    const asOther = await connect(provisioned.central.url);
    expect(await refusal(asOther.query('SELECT * FROM sync.catalog_conflicts'))).toBe('42501');
    expect(await refusal(asOther.query('SELECT * FROM sync.catalog_conflict_resolutions'))).toBe('42501');
    expect((await answered(first, owner.first)).map((c) => c.id)).toEqual([conflictId]);
  });

  it('keeps every conflict and resolution as written at central', async () => {
    expect(await refusal(central.sql.query(`UPDATE sync.catalog_conflicts SET ours = '{}' WHERE id = $1`, [conflictId]))).toBe('PS003');
    expect(await refusal(central.sql.query(`DELETE FROM sync.catalog_conflicts WHERE id = $1`, [conflictId]))).toBe('PS003');
    expect(await refusal(central.sql.query(`UPDATE sync.catalog_conflict_resolutions SET choice = 'OURS'`))).toBe('PS003');
    expect(await refusal(central.sql.query(`DELETE FROM sync.catalog_conflict_resolutions`))).toBe('PS003');
    expect(await centralRow('SELECT count(*)::int AS n FROM sync.catalog_conflict_resolutions', [])).toEqual({ n: 3 });
  });
});
