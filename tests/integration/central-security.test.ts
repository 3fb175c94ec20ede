// What a terminal's own login may do on central, tried as that login against the real server:
// its row-level security and grants, not the terminal's good behaviour, are what stop it.
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '../../db/central.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { branchId, businessId, openTerminal, prepareCentral, provisionDir, waitFor, type TestTerminal } from '../support/sync-fixture.ts';

let database: TestDatabase;
let central: Central;
let registerIds: string[];
let terminal: TestTerminal;
let asTerminal: pg.Client;
let otherBusinessId: string;
let otherBranchId: string;

beforeAll(async () => {
  database = await createTestDatabase('central_security');
  ({ central, registerIds } = await prepareCentral(database.url, 2));
  const dir = await provisionDir(central, database.url, registerIds[0]!, 'sec');
  terminal = await openTerminal(dir, registerIds[0]!);
  await terminal.sell(2);
  await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
  const { url } = JSON.parse((await import('node:fs')).readFileSync(`${dir}/sync.json`, 'utf8')) as { url: string };
  asTerminal = new pg.Client({ connectionString: url });
  await asTerminal.connect();
  // A second business on the same central, with a branch and a product of its own.
  otherBusinessId = uuidv7();
  otherBranchId = uuidv7();
  const clone = (table: string, fromId: string, changes: Record<string, unknown>) => central.sql.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table}, (SELECT to_jsonb(t) || $2::jsonb FROM ${table} t WHERE id = $1))`,
    [fromId, JSON.stringify(changes)]);
  await clone('business.businesses', businessId, { id: otherBusinessId, name: 'Otra Tienda', tax_id: 'OTR010101AAA' });
  await clone('business.branches', branchId, { id: otherBranchId, business_id: otherBusinessId, code: 'OTR-01' });
  const [product] = await central.sql.query<{ id: string }>('SELECT id FROM inventory.products WHERE business_id = $1 LIMIT 1', [businessId]);
  await clone('inventory.products', product!.id, { id: uuidv7(), business_id: otherBusinessId, name: 'Producto secreto' });
}, 180_000);

afterAll(async () => {
  await asTerminal?.end();
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (err: { code?: string }) => err.code ?? 'error');

describe("a terminal's login on central", () => {
  it('cannot insert a sale for another branch, or for another register of its own branch', async () => {
    const [sale] = (await asTerminal.query('SELECT to_jsonb(s) AS row FROM sales.sales s LIMIT 1')).rows as { row: Record<string, unknown> }[];
    expect(sale).toBeDefined();
    const insert = (row: Record<string, unknown>) => asTerminal.query(
      'INSERT INTO sales.sales SELECT * FROM jsonb_populate_record(NULL::sales.sales, $1::jsonb)', [JSON.stringify(row)]);
    expect(await refusal(insert({ ...sale!.row, id: uuidv7(), receipt_number: 99_001, branch_id: otherBranchId, business_id: otherBusinessId }))).toBe('42501');
    expect(await refusal(insert({ ...sale!.row, id: uuidv7(), receipt_number: 99_002, register_id: registerIds[1] }))).toBe('42501');
  });

  it('cannot update or delete a completed transaction, a sale or the ledger', async () => {
    expect(await refusal(asTerminal.query(`UPDATE payments.transactions SET amount = 0`))).toBe('42501');
    expect(await refusal(asTerminal.query(`DELETE FROM sales.sales`))).toBe('42501');
    expect(await refusal(asTerminal.query(`UPDATE sales.sales SET total = 0 WHERE status = 'COMPLETED'`))).toBe('PS002'); // the table's own immutability trigger
    expect(await refusal(asTerminal.query(`UPDATE sync.ledger SET status = 'APPLIED'`))).toBe('42501');
    // And central still holds the sales as they were.
    const [row] = await central.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales.sales WHERE status = 'COMPLETED' AND total > 0`);
    expect(row!.n).toBeGreaterThan(0);
  });

  it("cannot read another business's catalog, staff or sales, nor central's own bookkeeping", async () => {
    expect((await asTerminal.query(`SELECT id FROM inventory.products WHERE business_id = $1`, [otherBusinessId])).rowCount).toBe(0);
    expect((await asTerminal.query(`SELECT id FROM business.businesses`)).rows.map((r) => r.id)).toEqual([businessId]);
    expect((await asTerminal.query(`SELECT id FROM business.branches WHERE business_id = $1`, [otherBusinessId])).rowCount).toBe(0);
    expect(await refusal(asTerminal.query('SELECT * FROM auth.sessions'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT * FROM sync.terminals'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT * FROM auth.audit_logs'))).toBe('42501');
  });

  it('reads only its own register\'s sales, not those of the register beside it', async () => {
    const visible = (await asTerminal.query('SELECT DISTINCT register_id FROM sales.sales')).rows.map((r) => r.register_id);
    expect(visible).toEqual([registerIds[0]]);
    expect((await asTerminal.query(`SELECT id FROM business.branches`)).rows.map((r) => r.id)).toEqual([branchId]);
  });
});
