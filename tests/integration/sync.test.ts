// Push and pull against the real PostgreSQL server: a terminal's sales reach central exactly
// once, its catalog and staff come down, and a refused fact is set aside without blocking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../db/central.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { openTerminal, prepareCentral, provisionDir, waitFor, type TestTerminal } from '../support/sync-fixture.ts';

let database: TestDatabase;
let central: Central;
let registerIds: string[];
let terminal: TestTerminal;

beforeAll(async () => {
  database = await createTestDatabase('sync');
  ({ central, registerIds } = await prepareCentral(database.url, 2));
  terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'sync-a'), registerIds[0]!);
}, 120_000);

afterAll(async () => {
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

const centralCount = async (sql: string, params: unknown[] = []) => Number((await central.sql.query<{ n: string }>(sql, params))[0]!.n);

describe('sync with central', () => {
  it('pulls the catalog, staff and settings down before the first sale', async () => {
    const [local] = await terminal.engine.services.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory.product_variants');
    expect(local!.n).toBe(await centralCount('SELECT count(*) AS n FROM inventory.product_variants'));
    expect(terminal.status()).toMatchObject({ online: true, lastError: null, blocked: null });
  });

  it('pushes each completed sale to central once, with its lines and payments', async () => {
    const sales = [await terminal.sell(2), await terminal.sell(3)];
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
    for (const { saleId } of sales) {
      expect(await centralCount(`SELECT count(*) AS n FROM sales.sales WHERE id = $1 AND status = 'COMPLETED'`, [saleId])).toBe(1);
      expect(await centralCount('SELECT count(*) AS n FROM payments.transactions WHERE sale_id = $1', [saleId])).toBe(1);
    }
    const head = terminal.engine.services.journal.head().seq;
    expect(await centralCount('SELECT count(*) AS n FROM sync.ledger WHERE register_id = $1', [terminal.registerId])).toBe(head);
    expect(await centralCount('SELECT max(seq) AS n FROM sync.ledger WHERE register_id = $1', [terminal.registerId])).toBe(head);
  });

  it('brings a price changed on central down to the terminal', async () => {
    const [variant] = await central.sql.query<{ id: string }>('SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY barcode LIMIT 1');
    await central.sql.query(`UPDATE inventory.product_variants SET price = 123.4500, version = version + 1 WHERE id = $1`, [variant!.id]);
    await terminal.engine.call('sync.now', {}, { token: terminal.token });
    await waitFor(async () => (await terminal.engine.services.sql.query<{ price: string }>(
      'SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [variant!.id]))[0]!.price === '123.4500', 60_000, 'the new price');
  });
});
