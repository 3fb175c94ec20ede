// A run of plain sales reaches central as rows staged as text and cast there (sale-run-staging.ts),
// where it used to be each fact's JSON taken apart by jsonb_populate_record. What a column gets
// must not change with it: checked here against jsonb_populate_record itself, on central's own
// tables in real PostgreSQL, with the values that are easy to get wrong.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCentral, type Central } from '#db/central.ts';
import type { CompletedSaleFact } from '#engine/services/sales/completed-sale.ts';
import { binaryCopy } from '#engine/sync/copy-binary.ts';
import {
  COPY_RUN_ROWS,
  CREATE_RUN_ROWS,
  RUN_LINES,
  RUN_PAYMENTS,
  RUN_ROWS,
  RUN_SALES,
  saleRunRows,
  stockOf,
} from '#engine/sync/sale-run-staging.ts';
import { connectTestDatabase, type TestDatabase } from '../support/central.ts';

let central: Central;
let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  ({ central, database } = await connectTestDatabase('sale_run_staging'));
  await migrateCentral(central.sql);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await central?.close();
  await database?.drop();
});

const SALE = '01a250c3-9c32-713b-a690-113aa42cff76';
const fact: CompletedSaleFact = {
  sale: {
    id: SALE,
    status: 'COMPLETED',
    receipt_number: 6,
    total: '42.3000',
    paid_total: '100000.0000',
    prices_include_tax: true,
    sale_discount_rate: null,
    opened_at: '2026-12-07T13:48:46.514Z',
    completed_at: '2026-12-07T13:48:46.523456Z',
    business_date: '2026-12-07',
    currency: 'MXN',
    version: 4,
  },
  items: [
    {
      id: '01a250c3-9c35-747b-98e2-da1a13704dda',
      sale_id: SALE,
      line_no: 1,
      // A tab, a line break, a backslash, quotes and characters outside ASCII: COPY's text format would have to escape them all.
      name: 'Fécula "de maíz"\t47 g\nC:\\caja 🌽',
      quantity: '0.3750',
      unit_price: 30.3,
      is_weighed: false,
      tax_rate: '0.160000',
      list_price: null,
    },
    { id: '01a250c3-9c37-778c-a0c9-4c4f7fbe2952', sale_id: SALE, line_no: 2, name: '', quantity: 1, is_weighed: true },
  ],
  payments: [
    { id: '01a250c3-9c3b-776d-bbce-d7476b63872e', sale_id: SALE, amount: '42.3000', provider_data: { terminal: 'A\t1', n: 2 } },
    { id: '01a250c3-9c3b-776d-bbce-d7476b63872f', sale_id: SALE, amount: '0.0000', provider_data: 'a string, as JSON' },
  ],
  stock: [],
  balance: [],
};

/** Stages `rows` as the push does, in the caller's transaction. */
async function stage(rows: Buffer[]): Promise<void> {
  await client.query(CREATE_RUN_ROWS);
  await pipeline(Readable.from([binaryCopy(rows)]), client.query(copyFrom(COPY_RUN_ROWS)));
}

/** The staged rows of `table` cast as the run's statements cast them, in their staged order. */
async function staged(table: typeof RUN_SALES): Promise<unknown[]> {
  const cast = table.columns.map((c) => `b.${c.name}::${c.type} AS ${c.name}`).join(', ');
  return (await client.query(`SELECT ${cast} FROM pg_temp.${RUN_ROWS} b WHERE b.kind = $1 ORDER BY b.ctid`, [table.kind])).rows;
}

describe('a run of plain sales staged as text at central', () => {
  it('gives every column of the sale, its lines and its payments what jsonb_populate_record gave it from the fact', async () => {
    await client.query('BEGIN');
    try {
      await stage(saleRunRows(7, fact).rows);

      const payload = JSON.stringify(fact);
      const populated = async (target: string, path: string) =>
        (
          await client.query(
            path === 'sale'
              ? `SELECT * FROM jsonb_populate_record(NULL::${target}, $1::jsonb->'sale')`
              : `SELECT * FROM jsonb_populate_recordset(NULL::${target}, $1::jsonb->'${path}')`,
            [payload],
          )
        ).rows;
      expect(await staged(RUN_SALES)).toEqual(await populated('sales.sales', 'sale'));
      expect(await staged(RUN_LINES)).toEqual(await populated('sales.sale_items', 'items'));
      expect(await staged(RUN_PAYMENTS)).toEqual(await populated('payments.transactions', 'payments'));
      const { rows: kinds } = await client.query(`SELECT seq::int, kind FROM pg_temp.${RUN_ROWS} ORDER BY ctid`);
      expect(kinds).toEqual([
        { seq: 7, kind: 'sale' },
        { seq: 7, kind: 'line' },
        { seq: 7, kind: 'line' },
        { seq: 7, kind: 'payment' },
        { seq: 7, kind: 'payment' },
      ]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('fails the statement that casts a value its column refuses, not the COPY that stages it', async () => {
    const forged = { ...fact, items: [{ ...fact.items[0]!, variant_id: 'not-a-uuid', line_no: 'two' }] };
    await client.query('BEGIN');
    try {
      await stage(saleRunRows(8, forged).rows);
      await expect(staged(RUN_LINES)).rejects.toMatchObject({ code: '22P02' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it("hands over the run's stock movements as one JSON array in the run's order, leaving out sales that moved none", () => {
    const moved = (id: string) => ({ ...fact, stock: [{ id, quantity: '-1.0000', stock_level_id: id }] });
    const runs = [saleRunRows(1, moved('a')), saleRunRows(2, fact), saleRunRows(3, moved('b'))];
    expect(JSON.parse(stockOf(runs)).map((m: { id: string }) => m.id)).toEqual(['a', 'b']);
    expect(stockOf([saleRunRows(2, fact)])).toBe('[]');
  });
});
