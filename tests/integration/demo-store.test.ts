import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DIR, readDemoStore } from '#engine/demo/demo-store.ts';
import { seedDemoStore } from '#engine/demo/seed.ts';
import { verifySecret } from '#engine/services/auth/secret-hash.ts';
import { isValidGtin } from '#contract/gtin.ts';
import type { AppDb } from '#db/app-db.ts';
import { openTempLocal, tempDir } from '../support/local.ts';
import { runPos } from '../support/run-cli.ts';

describe('the demo store', () => {
  let local: Awaited<ReturnType<typeof openTempLocal>>;
  const demo = readDemoStore();
  const q = <T = Record<string, unknown>>(text: string) => local.sql.query<T>(text);
  beforeAll(async () => {
    local = await openTempLocal('demo');
    await seedDemoStore(local.db as unknown as AppDb, demo);
  });
  afterAll(() => local.dispose());

  it('is a Mexican retail business in Mexico City time with one branch and two registers', async () => {
    expect(await q(`SELECT type, country, currency, prices_include_tax FROM business.businesses`)).toEqual([
      { type: 'RETAIL', country: 'MX', currency: 'MXN', prices_include_tax: true },
    ]);
    expect(await q(`SELECT timezone FROM business.branches`)).toEqual([{ timezone: 'America/Mexico_City' }]);
    expect(await q(`SELECT code FROM sales.cash_registers ORDER BY code`)).toEqual([{ code: 'CAJA-1' }, { code: 'CAJA-2' }]);
  });

  it('has more than 2,000 products with Spanish names, categories and variants', async () => {
    const [counts] = await q<{ products: number; variants: number; categories: number; multi: number }>(`
      SELECT (SELECT count(*)::int FROM inventory.products) AS products,
             (SELECT count(*)::int FROM inventory.product_variants) AS variants,
             (SELECT count(*)::int FROM inventory.categories) AS categories,
             (SELECT count(*)::int FROM (SELECT product_id FROM inventory.product_variants GROUP BY 1 HAVING count(*) > 1) m) AS multi`);
    expect(counts!.products).toBeGreaterThan(2000);
    expect(counts!.variants).toBeGreaterThan(counts!.products);
    expect(counts!.categories).toBeGreaterThanOrEqual(10);
    expect(counts!.multi).toBeGreaterThan(100);
    const names = (await q<{ name: string }>(`SELECT name FROM inventory.products`)).map((r) => r.name).join('\n');
    for (const letter of ['á', 'é', 'í', 'ó', 'ú', 'ñ']) expect(names).toContain(letter);
  });

  it('gives every packaged item a unique EAN-13 with a valid check digit', async () => {
    const codes = (await q<{ barcode: string }>(`SELECT barcode FROM inventory.product_variants WHERE barcode IS NOT NULL`)).map(
      (r) => r.barcode,
    );
    expect(codes.length).toBeGreaterThan(2000);
    expect(codes.filter((c) => c.length !== 13 || !isValidGtin(c))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('sells some items by weight, keyed by a PLU for scale barcodes', async () => {
    const weighed = await q<{ plu: string; unit: string }>(`
      SELECT v.plu, p.unit FROM inventory.products p JOIN inventory.product_variants v ON v.product_id = p.id WHERE p.sold_by = 'WEIGHT'`);
    expect(weighed.length).toBeGreaterThanOrEqual(5);
    expect(weighed.every((w) => /^\d{5}$/.test(w.plu) && w.unit === 'kg')).toBe(true);
  });

  it('carries IVA at 16 %, at 0 % and exempt', async () => {
    expect(await q(`SELECT tax_code, tax_rate FROM inventory.products GROUP BY 1, 2 ORDER BY 1`)).toEqual([
      { tax_code: 'EXENTO', tax_rate: '0.000000' },
      { tax_code: 'IVA0', tax_rate: '0.000000' },
      { tax_code: 'IVA16', tax_rate: '0.160000' },
    ]);
  });

  it('has an owner, a manager and a cashier whose PINs are stored only as Argon2id hashes', async () => {
    const staff = await q<{ name: string; role: string; hash: string }>(`
      SELECT e.display_name AS name, r.name AS role, i.secret_hash AS hash
      FROM business.employees e JOIN business.roles r ON r.id = e.role_id
      JOIN auth.user_identities i ON i.user_id = e.user_id AND i.provider = 'PIN' ORDER BY e.code`);
    expect(staff.map((s) => [s.name, s.role])).toEqual([
      ['Rosa María Núñez', 'Dueño'],
      ['Joaquín Peña', 'Gerente'],
      ['Ángela Ibáñez', 'Cajero'],
    ]);
    for (const [i, member] of staff.entries()) {
      expect(member.hash).toMatch(/^\$argon2id\$/);
      expect(member.hash).not.toContain(demo.store.employees[i]!.pin);
      expect(await verifySecret(member.hash, demo.store.employees[i]!.pin)).toBe(true);
    }
  });

  it('lets the cashier sell but not void, and the manager approve variances', async () => {
    const perms = await q<{ role: string; code: string }>(`
      SELECT r.name AS role, p.code FROM business.role_permissions rp JOIN business.roles r ON r.id = rp.role_id
      JOIN business.permissions p ON p.id = rp.permission_id`);
    const of = (role: string) => perms.filter((p) => p.role === role).map((p) => p.code);
    expect(of('Cajero')).toContain('sales.sell');
    expect(of('Cajero')).not.toContain('sales.void');
    expect(of('Gerente')).toEqual(expect.arrayContaining(['sales.void', 'shifts.approve_variance']));
    expect(of('Dueño').length).toBeGreaterThan(of('Gerente').length);
  });

  it('keeps every stock level equal to the sum of its movements', async () => {
    expect(
      await q(`
      SELECT l.variant_id FROM inventory.stock_levels l
      LEFT JOIN (SELECT variant_id, branch_id, sum(quantity) AS q FROM inventory.stock_movements GROUP BY 1, 2) m
        ON m.variant_id = l.variant_id AND m.branch_id = l.branch_id
      WHERE l.quantity IS DISTINCT FROM m.q`),
    ).toEqual([]);
  });

  it('identifies every row by a UUIDv7 made by the app', async () => {
    const versions = await q<{ v: string }>(`
      SELECT DISTINCT substr(id::text, 15, 1) AS v FROM (
        SELECT id FROM inventory.products UNION ALL SELECT id FROM inventory.product_variants
        UNION ALL SELECT id FROM auth.users UNION ALL SELECT id FROM business.employees) ids`);
    expect(versions).toEqual([{ v: '7' }]);
  });

  it('changes nothing when seeded a second time', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM inventory.product_variants`);
    const again = await seedDemoStore(local.db as unknown as AppDb, demo);
    expect(again.seeded).toBe(false);
    expect(await q(`SELECT count(*)::int AS n FROM inventory.product_variants`)).toEqual(before);
  });
});

describe('the demo store files', () => {
  it('are refused with the line and field when a barcode has a wrong check digit, and nothing is seeded from them', async () => {
    const dir = tempDir('bad-demo');
    const local = await openTempLocal('bad-demo-seed');
    try {
      cpSync(DEMO_DIR, dir, { recursive: true });
      const csv = readFileSync(join(dir, 'catalog.csv'), 'utf8').split('\n');
      const cols = csv[5]!.split(',');
      cols[6] = cols[6]!.slice(0, 12) + String((Number(cols[6]!.at(-1)) + 1) % 10);
      csv[5] = cols.join(',');
      writeFileSync(join(dir, 'catalog.csv'), csv.join('\n'));
      const message = 'catalog.csv line 6: barcode: a GTIN with a valid check digit';
      expect(() => readDemoStore(dir).catalog).toThrow(message);
      await expect(seedDemoStore(local.db as unknown as AppDb, readDemoStore(dir))).rejects.toThrow(message);
      expect(await local.sql.query(`SELECT count(*)::int AS n FROM business.businesses`)).toEqual([{ n: 0 }]);
    } finally {
      await local.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  it('seeds the demo store on the first run and reuses it on the next', async () => {
    const dir = tempDir('start');
    try {
      const first = await runPos(['start', '--data-dir', dir]);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toMatch(/^Abarrotes La Esperanza: \d{4} products, 3 employees \(seeded now\)/);
      const second = await runPos(['start'], { POS_DATA_DIR: dir });
      expect(second.stdout).toMatch(/\(already seeded\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
