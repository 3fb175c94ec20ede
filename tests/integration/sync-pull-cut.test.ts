// What a pull leaves behind when central's writers are slow, against the real PostgreSQL server:
// a transaction that waited before writing, one that committed while a pass was between two
// tables, and parents changed after their child was made, which come down after it. Each must
// reach the register whole, and no pass may fail over it.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { pullAll } from '#engine/sync/pull.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import type { TestDatabase } from '../support/central.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal } from '../support/sync-fixture.ts';

const SETTLE = 1;

let database: TestDatabase;
let central: Central;
let terminal: TestTerminal;
let login: pg.Client;

beforeAll(async () => {
  let registerIds: string[];
  ({ database, central, registerIds } = await createCentral('sync_pull_cut', 1));
  const dir = await provisionDir(central, database.url, registerIds[0]!, 'sync-pull-cut');
  terminal = await openTerminal(dir, registerIds[0]!);
  // The passes below are this file's own, run one at a time over the register's login.
  await terminal.engine.services.sync!.stop();
  login = new pg.Client({ connectionString: readSyncConfig(dir)!.url });
  await login.connect();
}, 120_000);

afterAll(async () => {
  await login?.end();
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

const pass = (client: pg.ClientBase = login) => pullAll(client, terminal.engine.services.sql, { settleSeconds: SETTLE });
const settled = () => sleep(SETTLE * 1000 + 300);

async function variants(offset: number, count: number): Promise<{ id: string; product_id: string }[]> {
  return central.sql.query<{ id: string; product_id: string }>(
    'SELECT id, product_id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode OFFSET $1 LIMIT $2',
    [offset, count],
  );
}

const localPrice = async (variantId: string) =>
  (
    await terminal.engine.services.sql.query<{ price: string }>(
      'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1',
      [variantId],
    )
  )[0]?.price;

const setPrice = (sql: Pick<SqlSession, 'query'>, variantId: string, price: string) =>
  sql.query('UPDATE inventory.product_variants SET price = $2, version = version + 1 WHERE id = $1', [variantId, price]);

/** A category of the file's business, made at central. */
const addCategory = (id: string, name: string, parentId: string | null) =>
  central.sql.query(
    'INSERT INTO inventory.categories (id, business_id, parent_id, name) SELECT $1, id, $2, $3 FROM business.businesses ORDER BY id LIMIT 1',
    [id, parentId, name],
  );

/**
 * A transaction on central that runs `first`, then waits for `release()` before running `then` and
 * committing; `started` settles once `first` has run, `done` once it has committed.
 */
function holdTransaction(
  first: (tx: SqlSession) => Promise<unknown>,
  then: (tx: SqlSession) => Promise<unknown> = async () => {},
): { started: Promise<void>; release(): void; done: Promise<void> } {
  let begun!: () => void;
  let release!: () => void;
  const started = new Promise<void>((r) => (begun = r));
  const released = new Promise<void>((r) => (release = r));
  const done = central.sql.transaction(async (tx) => {
    await first(tx);
    begun();
    await released;
    await then(tx);
  });
  return { started, release, done };
}

describe('a pull from central', () => {
  it('brings down a price written late in a long transaction, after a pass already took a newer change', async () => {
    const [late, early] = await variants(0, 2);
    // The operator's transaction begins, and its write comes only seconds later.
    const slow = holdTransaction(
      (tx) => tx.query('SELECT 1'),
      (tx) => setPrice(tx, late!.id, '77.70'),
    );
    try {
      await slow.started;
      await settled();
      // Meanwhile another change is made and comes down, moving the register's cursor past it.
      await setPrice(central.sql, early!.id, '66.60');
      await settled();
      await pass();
      expect(await localPrice(early!.id)).toBe('66.6000');
    } finally {
      slow.release();
      await slow.done;
    }
    await settled();
    await pass();
    expect(await localPrice(late!.id)).toBe('77.7000');
  });

  it('brings a product and its variant down together when they were committed while a pass was between their tables', async () => {
    const [model] = await variants(2, 1);
    const productId = uuidv7();
    const variantId = uuidv7();
    const held = holdTransaction(async (tx) => {
      await tx.query(
        `INSERT INTO inventory.products SELECT * FROM jsonb_populate_record(NULL::inventory.products,
          (SELECT to_jsonb(p) || jsonb_build_object('id', $2::uuid, 'name', 'Producto de la prueba de corte') FROM inventory.products p WHERE id = $1))`,
        [model!.product_id, productId],
      );
      await tx.query(
        `INSERT INTO inventory.product_variants SELECT * FROM jsonb_populate_record(NULL::inventory.product_variants,
          (SELECT to_jsonb(v) || jsonb_build_object('id', $2::uuid, 'product_id', $3::uuid, 'sku', 'CUT-1', 'barcode', '2000000000015', 'plu', NULL)
           FROM inventory.product_variants v WHERE id = $1))`,
        [model!.id, variantId, productId],
      );
    });
    await held.started;
    const local = async () =>
      (
        await terminal.engine.services.sql.query<{ id: string }>(
          'SELECT id FROM inventory.products WHERE id = $1 UNION ALL SELECT id FROM inventory.product_variants WHERE id = $2',
          [productId, variantId],
        )
      ).length;
    try {
      // Long enough that a horizon asked after the commit would be past the transaction's rows.
      await settled();
      // The transaction commits as soon as the pass has read the products, before it reads the variants.
      const between = new Proxy(login, {
        get(target, key, receiver) {
          if (key !== 'query') return Reflect.get(target, key, receiver);
          return async (...args: Parameters<pg.Client['query']>) => {
            const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            if (typeof args[0] === 'string' && args[0].includes('FROM inventory.products t')) {
              held.release();
              await held.done;
            }
            return result;
          };
        },
      });
      await pass(between as pg.Client);
      // The pass's horizon was read while the transaction was open: neither row is below it.
      expect(await local()).toBe(0);
    } finally {
      held.release();
      await held.done;
    }
    await settled();
    await pass();
    expect(await local()).toBe(2);
  });

  // One row a batch: the child's batch holds neither category above it. Two: it holds the child
  // and the grandparent, and the parent between them hangs from a row of the batch.
  it.each([1, 2])(
    'brings down a category made under parents renamed since, in a pass whose batches hold %i row(s) and end between them',
    async (batchSize) => {
      const [grandparent, parent, child] = [uuidv7(), uuidv7(), uuidv7()];
      const name = (what: string) => `${what} de la prueba ${batchSize}`;
      const add = (id: string, what: string, parentId: string | null) => addCategory(id, name(what), parentId);
      await add(grandparent, 'Abarrotes', null);
      await add(parent, 'Enlatados', grandparent);
      await add(child, 'Chiles', parent);
      // Renamed after the child was made, the grandparent first: ordered by when they last
      // changed, the child comes down first, then the grandparent, then the parent.
      for (const id of [grandparent, parent])
        await central.sql.query(`UPDATE inventory.categories SET name = name || ' (renombrada)' WHERE id = $1`, [id]);
      await settled();
      await pullAll(login, terminal.engine.services.sql, { settleSeconds: SETTLE, batchSize });
      const local = await terminal.engine.services.sql.query<{ id: string; name: string; parent_id: string | null }>(
        'SELECT id, name, parent_id FROM inventory.categories WHERE id = ANY($1::uuid[]) ORDER BY name',
        [[grandparent, parent, child]],
      );
      expect(local).toEqual([
        { id: grandparent, name: `${name('Abarrotes')} (renombrada)`, parent_id: null },
        { id: child, name: name('Chiles'), parent_id: parent },
        { id: parent, name: `${name('Enlatados')} (renombrada)`, parent_id: grandparent },
      ]);
    },
  );

  it('leaves a category the register holds as it is while bringing the one below it that it lacks', async () => {
    const [held, parent, child] = [uuidv7(), uuidv7(), uuidv7()];
    await addCategory(held, 'Bebidas de la prueba', null);
    await settled();
    await pass();
    // Renamed in this register's back office, not pushed yet (this file's register never pushes).
    await terminal.engine.services.sql.query(`UPDATE inventory.categories SET name = 'Bebidas (cambio local)' WHERE id = $1`, [held]);
    await addCategory(parent, 'Refrescos de la prueba', held);
    await addCategory(child, 'Refrescos de cola de la prueba', parent);
    await central.sql.query(`UPDATE inventory.categories SET name = name || ' (renombrada)' WHERE id = $1`, [parent]);
    await settled();
    await pullAll(login, terminal.engine.services.sql, { settleSeconds: SETTLE, batchSize: 1 });
    const local = await terminal.engine.services.sql.query<{ id: string; name: string }>(
      'SELECT id, name FROM inventory.categories WHERE id = ANY($1::uuid[]) ORDER BY name',
      [[held, parent, child]],
    );
    expect(local).toEqual([
      { id: held, name: 'Bebidas (cambio local)' },
      { id: child, name: 'Refrescos de cola de la prueba' },
      { id: parent, name: 'Refrescos de la prueba (renombrada)' },
    ]);
  });
});
