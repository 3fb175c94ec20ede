// The back office's catalog through the engine's calls, on the demo store in PGlite on disk: a
// manager creates, edits and prices products; a stale editor is refused rather than overwriting;
// bad barcodes, foreign taxes and duplicates are refused with a reason and write nothing; a
// cashier may look but not change; and the register sells what the back office just made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEan13 } from '#contract/gtin.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';

let t: Awaited<ReturnType<typeof openDemoEngine>>;
let manager: string;
let cashier: string;
let categoryId: string;
const NEW_BARCODE = makeEan13('779123400001');

beforeAll(async () => {
  t = await openDemoEngine('back-office-catalog');
  manager = await signInToBackOffice(t, t.people.manager);
  cashier = await signIn(t.engine, t.people.cashier.id, t.people.cashier.pin);
  categoryId = ok(await t.engine.call('catalog.categories', {}, { token: manager })).find((c) => c.name === 'Abarrotes')!.id;
});
afterAll(() => t?.dispose());

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.engine.services.sql.query<T>(text, params);
const count = async (table: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
const audits = (action: string) =>
  q<{ details: Record<string, unknown>; actor_employee_id: string }>(
    `SELECT details, actor_employee_id FROM auth.audit_logs WHERE action = $1 ORDER BY created_at, id`,
    [action],
  );

async function createProduct(name: string, sku: string, extra: { barcode?: string; price?: string } = {}) {
  return ok(
    await t.engine.call(
      'catalog.saveProduct',
      {
        name,
        brand: 'La Abuela',
        categoryId,
        taxCode: 'IVA0',
        soldBy: 'UNIT',
        unit: 'pza',
        variant: { sku, name: '1 kg', price: extra.price ?? '48.90', cost: '36.00', ...(extra.barcode ? { barcode: extra.barcode } : {}) },
      },
      { token: manager },
    ),
  );
}

let sales = 0;
/** Rings `code` up on a new sale (the previous one parked); the line it made, or the refusal. */
async function ringUp(code: string) {
  const current = ok(await t.engine.call('sales.current', {}, { token: cashier }));
  if (current?.lines.length) ok(await t.engine.call('sales.park', { saleId: current.id }, { token: cashier }));
  const sale =
    current && current.lines.length === 0
      ? current
      : ok(await t.engine.call('sales.open', { idempotencyKey: `catalog-test-sale-${++sales}` }, { token: cashier }));
  const cart = await t.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier });
  return cart.ok ? { ok: true as const, value: cart.value.lines.at(-1)! } : cart;
}

describe('a manager building the catalog', () => {
  let productId: string;
  let variantId: string;

  beforeAll(async () => {
    ok(await t.engine.call('shifts.open', { idempotencyKey: 'catalog-test-shift', openingFloat: '500' }, { token: cashier }));
    const created = await createProduct('Frijol ayocote morado a granel', 'FRJ-BAYO-1KG', { barcode: NEW_BARCODE });
    productId = created.productId;
    variantId = created.variantId!;
  });

  it('creates a product with its first variant, barcode and price, and the register sells it at that price', async () => {
    const product = ok(await t.engine.call('catalog.product', { productId }, { token: manager }));
    expect(product).toMatchObject({ name: 'Frijol ayocote morado a granel', taxCode: 'IVA0', taxRate: '0.000000', version: 1, categoryId });
    expect(product.variants).toEqual([
      expect.objectContaining({
        id: variantId,
        sku: 'FRJ-BAYO-1KG',
        barcode: NEW_BARCODE,
        price: '48.9000',
        cost: '36.0000',
        version: 1,
        stock: null,
      }),
    ]);
    expect(ok(await ringUp(NEW_BARCODE))).toMatchObject({ name: 'Frijol ayocote morado a granel 1 kg', unitPrice: '48.9000' });
    const [created] = await audits('catalog.product_created');
    expect(created).toMatchObject({
      actor_employee_id: t.people.manager.id,
      details: { name: 'Frijol ayocote morado a granel', barcode: NEW_BARCODE, price: '48.9000' },
    });
  });

  it('finds it by a word of its name, and pages through the whole catalog without repeating a product', async () => {
    const found = ok(await t.engine.call('catalog.products', { text: 'ayocote morado' }, { token: manager }));
    expect(found.items[0]).toMatchObject({
      id: productId,
      name: 'Frijol ayocote morado a granel',
      variants: 1,
      barcode: NEW_BARCODE,
      minPrice: '48.9000',
    });
    const first = ok(await t.engine.call('catalog.products', { limit: 50 }, { token: manager }));
    // Ids are UUIDv7: what was made last comes first.
    expect(first.items[0]!.id).toBe(productId);
    const second = ok(await t.engine.call('catalog.products', { limit: 50, after: first.next! }, { token: manager }));
    expect(second.items).toHaveLength(50);
    expect(second.items.some((p) => first.items.some((f) => f.id === p.id))).toBe(false);
    expect(second.items[0]!.id < first.items.at(-1)!.id).toBe(true);
  });

  it('refuses an edit made on a version someone else already changed, and keeps their change', async () => {
    const product = ok(await t.engine.call('catalog.product', { productId }, { token: manager }));
    const edit = (name: string) =>
      t.engine.call(
        'catalog.saveProduct',
        {
          id: productId,
          version: product.version,
          name,
          categoryId,
          taxCode: 'IVA0',
          soldBy: 'UNIT',
          unit: 'pza',
        },
        { token: manager },
      );
    // Two editors with the same version at the same moment: one wins, one is told.
    const [a, b] = await Promise.all([edit('Frijol ayocote selecto'), edit('Frijol ayocote económico')]);
    const outcomes = [a, b].map((r) => (r.ok ? 'saved' : r.error.code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'saved']);
    const loser = [a, b].find((r) => !r.ok)!;
    expect(loser).toMatchObject({ ok: false, error: { params: { reason: 'STALE_VERSION', currentVersion: 2 } } });
    const winner = a.ok ? 'Frijol ayocote selecto' : 'Frijol ayocote económico';
    expect(ok(await t.engine.call('catalog.product', { productId }, { token: manager }))).toMatchObject({ name: winner, version: 2 });
    const [updated] = await audits('catalog.product_updated');
    expect(updated!.details).toMatchObject({ changed: { name: ['Frijol ayocote morado a granel', winner] } });
  });

  it('sets a new price on the version seen, records from and to, and the next scan rings it up', async () => {
    const v = ok(await t.engine.call('catalog.product', { productId }, { token: manager })).variants[0]!;
    const priced = ok(await t.engine.call('catalog.setPrice', { variantId, version: v.version, price: '52.5' }, { token: manager }));
    expect(priced).toMatchObject({ changed: true, version: v.version + 1 });
    expect(await t.engine.call('catalog.setPrice', { variantId, version: v.version, price: '40' }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', params: { reason: 'STALE_VERSION' } },
    });
    expect(ok(await ringUp(NEW_BARCODE))).toMatchObject({ unitPrice: '52.5000' });
    expect((await audits('catalog.price_changed')).at(-1)!.details).toMatchObject({ from: '48.9000', to: '52.5000' });
  });

  it('removes a barcode so a scan no longer finds the item, and adds one back', async () => {
    const v = ok(await t.engine.call('catalog.product', { productId }, { token: manager })).variants[0]!;
    const removed = ok(await t.engine.call('catalog.removeBarcode', { variantId, version: v.version }, { token: manager }));
    expect(await ringUp(NEW_BARCODE)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The variant lives on without it: nothing is deleted.
    expect((await q(`SELECT deleted_at FROM inventory.product_variants WHERE id = $1`, [variantId]))[0]).toEqual({ deleted_at: null });
    ok(await t.engine.call('catalog.addBarcode', { variantId, version: removed.version, barcode: NEW_BARCODE }, { token: manager }));
    expect(ok(await ringUp(NEW_BARCODE))).toMatchObject({ variantId });
    expect((await audits('catalog.barcode_removed')).at(-1)!.details).toMatchObject({ barcode: NEW_BARCODE });
  });

  it('adds a second variant with its own SKU and price to the product', async () => {
    const added = ok(
      await t.engine.call('catalog.saveVariant', { productId, name: '5 kg', sku: 'FRJ-BAYO-5KG', price: '229.00' }, { token: manager }),
    );
    const product = ok(await t.engine.call('catalog.product', { productId }, { token: manager }));
    expect(product.variants.map((x) => [x.sku, x.price])).toEqual([
      ['FRJ-BAYO-1KG', '52.5000'],
      ['FRJ-BAYO-5KG', '229.0000'],
    ]);
    expect(ok(await t.engine.call('sales.search', { text: 'FRJ-BAYO-5KG' }, { token: cashier }))[0]).toMatchObject({
      variantId: added.variantId,
      price: '229.0000',
    });
  });
});

describe('bad input to the catalog', () => {
  const counts = async () => [await count('inventory.products'), await count('inventory.product_variants'), await count('auth.audit_logs')];

  it("refuses a barcode whose check digit is wrong, one in the scales' range, and one that is not a GTIN, writing nothing", async () => {
    const start = await counts();
    const wrong = NEW_BARCODE.slice(0, -1) + String((Number(NEW_BARCODE.at(-1)) + 1) % 10);
    const attempts = await Promise.all(
      [wrong, makeEan13('200123401234'), '123456789'].map((barcode) =>
        t.engine.call(
          'catalog.saveProduct',
          {
            name: 'Lenteja',
            categoryId,
            taxCode: 'IVA0',
            variant: { sku: 'LEN-1', price: '30', barcode },
          },
          { token: manager },
        ),
      ),
    );
    expect(attempts.map((r) => (r.ok ? 'saved' : `${r.error.code}:${r.error.params?.reason ?? ''}`))).toEqual([
      'INVALID_INPUT:BARCODE_BAD_CHECK_DIGIT',
      'INVALID_INPUT:BARCODE_SCALE_RANGE',
      'INVALID_INPUT:BARCODE_NOT_A_GTIN',
    ]);
    expect(await counts()).toEqual(start);
  });

  it('refuses a tax of another country, a duplicate SKU, a barcode another item has as UPC-A, and a price that is not an amount', async () => {
    const start = await counts();
    const base = { name: 'Lenteja', categoryId, taxCode: 'IVA0' as const };
    const arroz = t.demo.catalog.find((r) => r.barcode && r.sold_by === 'UNIT')!;
    // An imported item sold under its UPC-A code, which is the EAN-13 with a leading zero.
    ok(
      await t.engine.call(
        'catalog.saveProduct',
        { ...base, name: 'Importado', variant: { sku: 'IMP-1', price: '10', barcode: '036000291452' } },
        { token: manager },
      ),
    );
    const mid = await counts();
    const results = [
      await t.engine.call('catalog.saveProduct', { ...base, taxCode: 'IVA19', variant: { sku: 'LEN-2', price: '30' } }, { token: manager }),
      await t.engine.call('catalog.saveProduct', { ...base, variant: { sku: arroz.sku, price: '30' } }, { token: manager }),
      await t.engine.call(
        'catalog.saveProduct',
        { ...base, variant: { sku: 'LEN-3', price: '30', barcode: '0036000291452' } },
        { token: manager },
      ),
      await t.engine.call('catalog.saveProduct', { ...base, variant: { sku: 'LEN-4', price: '-5' } }, { token: manager }),
      await t.engine.call('catalog.saveProduct', { ...base, variant: { sku: 'LEN-5', price: '12.5.0' } }, { token: manager }),
    ];
    expect(results.map((r) => (r.ok ? 'saved' : `${r.error.code}:${r.error.params?.reason ?? r.error.params?.field ?? ''}`))).toEqual([
      'INVALID_INPUT:TAX_CODE',
      'CONFLICT:DUPLICATE_SKU',
      'CONFLICT:DUPLICATE_BARCODE',
      'INVALID_INPUT:variant.price',
      'INVALID_INPUT:variant.price',
    ]);
    expect(await counts()).toEqual(mid);
    expect(mid[0]).toBe(start[0]! + 1);
  });

  it('refuses an edit of a product that does not exist, and a new product without a variant', async () => {
    expect(
      await t.engine.call(
        'catalog.saveProduct',
        { id: '0190a000-0000-7000-8000-000000000000', version: 1, name: 'X', taxCode: 'IVA0' },
        { token: manager },
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.engine.call('catalog.saveProduct', { name: 'X', taxCode: 'IVA0' }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', params: { field: 'variant' } },
    });
  });
});

describe('who may change the catalog', () => {
  it('lets a cashier look products up but not create, price or relabel them, and nothing changes', async () => {
    const start = [await count('inventory.products'), await count('inventory.product_variants')];
    const someVariant = (
      await q<{ id: string; version: number }>(`SELECT id, version FROM inventory.product_variants ORDER BY id LIMIT 1`)
    )[0]!;
    expect(ok(await t.engine.call('catalog.products', { text: 'arroz' }, { token: cashier })).items.length).toBeGreaterThan(0);
    const tries = [
      await t.engine.call(
        'catalog.saveProduct',
        { name: 'Intruso', taxCode: 'IVA0', variant: { sku: 'X-1', price: '1' } },
        { token: cashier },
      ),
      await t.engine.call(
        'catalog.setPrice',
        { variantId: someVariant.id, version: someVariant.version, price: '0.01' },
        { token: cashier },
      ),
      await t.engine.call('catalog.removeBarcode', { variantId: someVariant.id, version: someVariant.version }, { token: cashier }),
    ];
    expect(tries.map((r) => !r.ok && r.error.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect([await count('inventory.products'), await count('inventory.product_variants')]).toEqual(start);
    // What an item costs is not the cashier's to see.
    const productId = ok(await t.engine.call('catalog.products', { text: 'arroz' }, { token: cashier })).items[0]!.id;
    expect(ok(await t.engine.call('catalog.product', { productId }, { token: cashier })).variants.every((v) => v.cost === null)).toBe(true);
  });

  it('answers nothing to a caller who is not signed in', async () => {
    expect(await t.engine.call('catalog.products', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
