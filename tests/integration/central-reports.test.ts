// The heavy reports run on central's read URL (a replica) when one is given, never on a
// terminal: here the "replica" is a copy of central made after the sales were pushed.
import pg from 'pg';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_URL, type TestDatabase } from '../support/central.ts';
import { runPos } from '../support/run-cli.ts';
import { businessId, createCentral, openTerminal, provisionDir, waitFor } from '../support/sync-fixture.ts';

let primary: TestDatabase;
let replicaUrl: string;
let replicaName: string;
let day: string;
let totals: Decimal;

beforeAll(async () => {
  const { database, central, registerIds } = await createCentral('reports', 1);
  primary = database;
  const terminal = await openTerminal(await provisionDir(central, primary.url, registerIds[0]!, 'reports'), registerIds[0]!);
  totals = new Decimal(0);
  for (let i = 0; i < 3; i++) totals = totals.plus((await terminal.sell(2)).total);
  await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
  [{ day }] = (await terminal.engine.services.sql.query<{ day: string }>(
    `SELECT business_date::text AS day FROM sales.sales WHERE status = 'COMPLETED' LIMIT 1`,
  )) as [{ day: string }];
  await terminal.dispose();
  await central.close();
  replicaName = `${primary.name}_replica`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${replicaName} TEMPLATE ${primary.name}`);
  await admin.end();
  const u = new URL(primary.url);
  u.pathname = `/${replicaName}`;
  replicaUrl = u.toString();
}, 180_000);

afterAll(async () => {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${replicaName} WITH (FORCE)`);
  await admin.end();
  await primary?.drop();
});

const report = async (kind: string, extra: string[] = []) => {
  const r = await runPos([
    'central',
    'report',
    '--kind',
    kind,
    '--url',
    primary.url,
    '--business',
    businessId,
    '--from',
    day,
    '--to',
    day,
    '--json',
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { ranOn: { database: string; readUrl: boolean }; rows: Record<string, string | number>[] };
};

describe('central reports', () => {
  it('runs sales by branch and day on the read URL when one is given, and on the primary otherwise', async () => {
    const onReplica = await report('by-day', ['--read-url', replicaUrl]);
    expect(onReplica.ranOn).toEqual({ database: replicaName, replica: false, readUrl: true });
    expect(onReplica.rows).toEqual([{ branch: 'COY-01', day, sales: 3, total: totals.toFixed(4) }]);
    expect((await report('by-day')).ranOn.database).toBe(primary.name);
  });

  it('adds up sales by cashier and by product', async () => {
    const byCashier = await report('by-cashier', ['--read-url', replicaUrl]);
    expect(byCashier.rows).toEqual([expect.objectContaining({ employee: '003', sales: 3, total: totals.toFixed(4) })]);
    const byProduct = await report('by-product', ['--read-url', replicaUrl]);
    const sum = byProduct.rows.reduce((acc, r) => acc.plus(String(r.total)), new Decimal(0));
    expect(sum.toFixed(4)).toBe(totals.toFixed(4));
  });

  it('refuses a malformed date or report name with one clear line', async () => {
    const bad = await runPos([
      'central',
      'report',
      '--kind',
      'by-week',
      '--url',
      primary.url,
      '--business',
      businessId,
      '--from',
      day,
      '--to',
      day,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--kind must be one of by-day, by-cashier, by-product');
    const date = await runPos([
      'central',
      'report',
      '--kind',
      'by-day',
      '--url',
      primary.url,
      '--business',
      businessId,
      '--from',
      '30/11/2026',
      '--to',
      day,
    ]);
    expect(date.stderr).toContain('not a date: 30/11/2026 (use YYYY-MM-DD)');
  });
});
