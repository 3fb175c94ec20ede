// The category grid's calls against the demo store on a real PGlite: categories in the store's
// order, a category's pages with the unscannable items first, and what a cashier may ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

describe('browsing the catalog by category', () => {
  let demo: Demo;
  let cashier: string;

  beforeAll(async () => {
    demo = await openDemoEngine('sales-browse');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  }, 60_000);
  afterAll(() => demo?.dispose());

  const categories = async () => ok(await demo.engine.call('sales.categories', {}, { token: cashier }));
  const idOf = async (name: string) => (await categories()).find((c) => c.name === name)!.id;

  it("lists the store's categories in its own order, each with a name to put on a button", async () => {
    const list = await categories();
    expect(list.length).toBeGreaterThan(10);
    const [expected] = await demo.engine.services.sql.query<{ names: string[] }>(
      `SELECT array_agg(name ORDER BY sort_order, name) AS names FROM inventory.categories WHERE deleted_at IS NULL AND parent_id IS NULL`,
    );
    expect(list.map((c) => c.name)).toEqual(expected!.names);
    expect(list.every((c) => c.parentId === null && c.hasChildren === false)).toBe(true);
  });

  it('pages through a category with the products that have no barcode first, then by name', async () => {
    const panaderia = await idOf('Panadería');
    const first = ok(await demo.engine.call('sales.browse', { categoryId: panaderia, pageSize: 24 }, { token: cashier }));
    const [count] = await demo.engine.services.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id WHERE p.category_id = $1`,
      [panaderia],
    );
    expect(first).toMatchObject({
      category: { name: 'Panadería' },
      page: 1,
      pageSize: 24,
      total: count!.n,
      pageCount: Math.ceil(count!.n / 24),
    });
    expect(first.items).toHaveLength(24);
    const seen = new Set<string>();
    for (let page = 1; page <= first.pageCount; page++) {
      const next = ok(await demo.engine.call('sales.browse', { categoryId: panaderia, page, pageSize: 24 }, { token: cashier }));
      for (const item of next.items) {
        expect(seen.has(item.variantId)).toBe(false);
        seen.add(item.variantId);
      }
    }
    expect(seen.size).toBe(count!.n);

    const salchichoneria = ok(
      await demo.engine.call('sales.browse', { categoryId: await idOf('Salchichonería'), pageSize: 60 }, { token: cashier }),
    );
    const barcodeless = salchichoneria.items.findIndex((i) => i.barcode !== null);
    expect(barcodeless).toBeGreaterThan(0);
    expect(salchichoneria.items.slice(barcodeless).every((i) => i.barcode !== null)).toBe(true);
    const names = salchichoneria.items.slice(0, barcodeless).map((i) => i.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(salchichoneria.items[0]).toMatchObject({ soldBy: 'WEIGHT', unit: 'kg', barcode: null });
    expect(salchichoneria.items[0]!.price).toMatch(/^\d+\.\d{4}$/);
  });

  it('shows the last page when asked for one past the end', async () => {
    const fruta = await idOf('Frutas y verduras');
    const last = ok(await demo.engine.call('sales.browse', { categoryId: fruta, page: 999, pageSize: 24 }, { token: cashier }));
    expect(last.page).toBe(last.pageCount);
    expect(last.items.length).toBeGreaterThan(0);
  });

  it('adds a weighed product from the grid only with its weight', async () => {
    const fruta = await idOf('Frutas y verduras');
    const { items } = ok(await demo.engine.call('sales.browse', { categoryId: fruta, pageSize: 60 }, { token: cashier }));
    const limon = items.find((i) => i.name === 'Limón')!;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: 'browse-shift-1', openingFloat: '100' }, { token: cashier }));
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: 'browse-sale-1' }, { token: cashier }));
    const unweighed = await demo.engine.call('sales.addItem', { saleId: sale.id, variantId: limon.variantId }, { token: cashier });
    expect(unweighed.ok ? null : unweighed.error.params).toMatchObject({ reason: 'WEIGHT_NEEDED' });
    const cart = ok(
      await demo.engine.call('sales.addItem', { saleId: sale.id, variantId: limon.variantId, quantity: '0.850' }, { token: cashier }),
    );
    expect(cart.lines.map((l) => [l.name, l.quantity, l.total])).toEqual([['Limón', '0.8500', '28.9000']]);
  });

  it('refuses a category of another store, a bad page and anyone signed out', async () => {
    const stranger = await demo.engine.call('sales.browse', { categoryId: '019abf1c-0000-7000-8000-000000000000' }, { token: cashier });
    expect(stranger.ok ? null : stranger.error).toMatchObject({ code: 'NOT_FOUND', params: { what: 'category' } });
    const badPage = await demo.engine.call('sales.browse', { categoryId: await idOf('Carnes'), page: 0 }, { token: cashier });
    expect(badPage.ok ? null : badPage.error.code).toBe('INVALID_INPUT');
    const tooBig = await demo.engine.call('sales.browse', { categoryId: await idOf('Carnes'), pageSize: 500 }, { token: cashier });
    expect(tooBig.ok ? null : tooBig.error.code).toBe('INVALID_INPUT');
    const anonymous = await demo.engine.call('sales.categories', {});
    expect(anonymous.ok ? null : anonymous.error.code).toBe('NOT_SIGNED_IN');
  });
});
