// Stock at the branch through the engine's calls, on the demo store in PGlite on disk: receipts
// and adjustments move the level and the ledger together, once per idempotency key; a sale and an
// adjustment (or two adjustments) at the same moment both count; a count made against stock that
// moved since is refused; bad input and a cashier change nothing; and after a power cut that cost
// PGlite its latest writes, the journal puts back every receipt and adjustment exactly once.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import { makeEan13 } from '#contract/gtin.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { ok } from '../support/demo-engine.ts';
import { demoDataDir } from '../support/demo-template.ts';

const demo = readDemoStore();
const person = (i: number) => demo.store.employees[i]!;
const ARROZ = demo.catalog.find((r) => r.sku === 'ABR-000002')!;

type Terminal = { engine: Engine; manager: string; cashier: string; cash: string };

/** `backOffice`: the manager's session steps up, for receipts, counts and catalog changes (once per opening: a code is taken once). */
async function terminal(dir: string, backOffice = false): Promise<Terminal> {
  const engine = await openEngine(dir, { purpose: 'stock test', devices: false });
  await setUpDemoStore(engine, demo);
  const staff = ok(await engine.call('auth.staffForSignIn', {}));
  const signIn = async (i: number) =>
    ok(
      await engine.call('auth.signInWithPin', {
        employeeId: staff.find((s) => s.displayName === person(i).displayName)!.employeeId,
        pin: person(i).pin,
      }),
    ).token;
  const manager = await signIn(1);
  if (backOffice) {
    ok(
      await engine.call(
        'auth.stepUp',
        { password: person(1).password!, totp: totpCodeAt(person(1).totpSecret!, new Date()) },
        { token: manager },
      ),
    );
  }
  const cashier = await signIn(2);
  const cash = ok(await engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.code === 'CASH')!.id;
  return { engine, manager, cashier, cash };
}

const variantOf = async (t: Terminal, sku: string) =>
  (await t.engine.services.sql.query<{ id: string }>('SELECT id FROM inventory.product_variants WHERE sku = $1', [sku]))[0]!.id;

async function level(t: Terminal, variantId: string) {
  const [row] = await t.engine.services.sql.query<{ quantity: string; version: number; ledger: string }>(
    `
    SELECT l.quantity::text, l.version, (SELECT sum(quantity)::text FROM inventory.stock_movements m WHERE m.variant_id = l.variant_id AND m.branch_id = l.branch_id) AS ledger
    FROM inventory.stock_levels l WHERE l.variant_id = $1`,
    [variantId],
  );
  return row!;
}

/** Every level equals the sum of its movements: nothing was lost between the two. */
async function drift(t: Terminal) {
  return t.engine.services.sql.query(`SELECT l.variant_id FROM inventory.stock_levels l
    LEFT JOIN (SELECT variant_id, branch_id, sum(quantity) AS q FROM inventory.stock_movements GROUP BY 1, 2) m
      ON m.variant_id = l.variant_id AND m.branch_id = l.branch_id WHERE l.quantity <> coalesce(m.q, 0)`);
}

let n = 0;
const key = (what: string) => `stock-test-${what}-${++n}`;

describe('receiving and adjusting stock', () => {
  const dir = demoDataDir('stock');
  let t: Terminal;
  let arroz: string;

  beforeAll(async () => {
    t = await terminal(dir, true);
    arroz = await variantOf(t, ARROZ.sku);
    ok(await t.engine.call('shifts.open', { idempotencyKey: 'stock-test-shift', openingFloat: '500' }, { token: t.cashier }));
  });
  afterAll(async () => {
    await t?.engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives a delivery with its cost and invoice, once however often the screen sends it', async () => {
    const before = await level(t, arroz);
    const receive = {
      variantId: arroz,
      quantity: '24',
      unitCost: '24.10',
      supplierReference: 'Factura A-7781',
      idempotencyKey: key('receive'),
    };
    const first = ok(await t.engine.call('inventory.receive', receive, { token: t.manager }));
    const again = ok(await t.engine.call('inventory.receive', receive, { token: t.manager }));
    expect(first).toMatchObject({ change: '24', repeated: false });
    expect(again).toMatchObject({ movementId: first.movementId, change: '24', repeated: true, quantity: first.quantity });
    expect(Number(first.quantity) - Number(before.quantity)).toBe(24);
    const [movement] = await t.engine.services.sql.query(
      `SELECT kind, quantity::text, unit_cost::text, reason, employee_id FROM inventory.stock_movements WHERE id = $1`,
      [first.movementId],
    );
    expect(movement).toEqual({
      kind: 'RECEIVE',
      quantity: '24.0000',
      unit_cost: '24.1000',
      reason: 'Factura A-7781',
      employee_id: expect.any(String),
    });
    expect(t.engine.services.journal.find(`stock.receive:${receive.idempotencyKey}`)).toMatchObject({ kind: 'stock.received' });
    const audit = await t.engine.services.sql.query(`SELECT details FROM auth.audit_logs WHERE action = 'inventory.received'`);
    expect(audit).toEqual([
      { details: expect.objectContaining({ change: '24', unitCost: '24.10', reason: 'Factura A-7781', before: before.quantity }) },
    ]);
  });

  it('adjusts by a change (breakage) and by a count, recording what the count came to', async () => {
    const start = await level(t, arroz);
    const broken = ok(
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '-2', reason: 'Bolsas rotas', idempotencyKey: key('adjust') },
        { token: t.manager },
      ),
    );
    expect(broken.change).toBe('-2');
    const counted = ok(
      await t.engine.call(
        'inventory.adjust',
        {
          variantId: arroz,
          countedQuantity: '40',
          reason: 'Conteo de anaquel',
          expectedVersion: broken.version,
          idempotencyKey: key('count'),
        },
        { token: t.manager },
      ),
    );
    expect(counted).toMatchObject({ quantity: '40.0000', change: String(40 - (Number(start.quantity) - 2)) });
    const kinds = await t.engine.services.sql.query<{ kind: string }>(
      `SELECT kind FROM inventory.stock_movements WHERE variant_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 2`,
      [arroz],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['COUNT', 'ADJUST']);
    // A count that matches moves nothing, and is on record.
    const same = ok(
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, countedQuantity: '40', reason: 'Conteo de anaquel', idempotencyKey: key('count') },
        { token: t.manager },
      ),
    );
    expect(same).toMatchObject({ movementId: null, change: '0', quantity: '40.0000' });
    expect(await drift(t)).toEqual([]);
  });

  it('keeps both of two adjustments sent at the same moment', async () => {
    const start = await level(t, arroz);
    const results = await Promise.all([
      t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '-1', reason: 'Muestra', idempotencyKey: key('race') },
        { token: t.manager },
      ),
      t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '5', reason: 'Encontrado en bodega', idempotencyKey: key('race') },
        { token: t.manager },
      ),
      t.engine.call('inventory.receive', { variantId: arroz, quantity: '12', idempotencyKey: key('race') }, { token: t.manager }),
    ]);
    results.forEach((r) => ok(r));
    const end = await level(t, arroz);
    expect(Number(end.quantity)).toBe(Number(start.quantity) + 16);
    expect(end.version).toBe(start.version + 3);
    expect(await drift(t)).toEqual([]);
  });

  it('keeps a sale completed at the same moment as an adjustment: neither update is lost', async () => {
    const start = await level(t, arroz);
    const sale = ok(await t.engine.call('sales.open', { idempotencyKey: key('sale') }, { token: t.cashier }));
    ok(await t.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ.barcode }, { token: t.cashier }));
    ok(
      await t.engine.call(
        'sales.setQuantity',
        {
          saleId: sale.id,
          lineId: ok(await t.engine.call('sales.get', { saleId: sale.id }, { token: t.cashier })).lines[0]!.id,
          quantity: '3',
        },
        { token: t.cashier },
      ),
    );
    const [paid, adjusted] = await Promise.all([
      t.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: t.cash, tendered: '200' }] }, { token: t.cashier }),
      t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '6', reason: 'Devolución a anaquel', idempotencyKey: key('beside-sale') },
        { token: t.manager },
      ),
    ]);
    ok(paid);
    ok(adjusted);
    expect(Number((await level(t, arroz)).quantity)).toBe(Number(start.quantity) - 3 + 6);
    expect(await drift(t)).toEqual([]);
  });

  it('refuses a count made against stock that moved since it was read, naming what the stock is now', async () => {
    const seen = await level(t, arroz);
    const sale = ok(await t.engine.call('sales.open', { idempotencyKey: key('sale') }, { token: t.cashier }));
    ok(await t.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ.barcode }, { token: t.cashier }));
    ok(await t.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: t.cash, tendered: '100' }] }, { token: t.cashier }));
    const now = await level(t, arroz);
    const stale = await t.engine.call(
      'inventory.adjust',
      {
        variantId: arroz,
        countedQuantity: '50',
        reason: 'Conteo',
        expectedVersion: seen.version,
        idempotencyKey: key('stale'),
      },
      { token: t.manager },
    );
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', params: { reason: 'STALE_STOCK', currentVersion: now.version, quantity: String(Number(now.quantity)) } },
    });
    expect(await level(t, arroz)).toEqual(now);
    // Two people counting the same shelf from the same reading: the first count stands.
    const counts = await Promise.all(
      ['48', '47'].map((c) =>
        t.engine.call(
          'inventory.adjust',
          {
            variantId: arroz,
            countedQuantity: c,
            reason: 'Conteo',
            expectedVersion: now.version,
            idempotencyKey: key('count'),
          },
          { token: t.manager },
        ),
      ),
    );
    expect(counts.map((r) => (r.ok ? 'counted' : r.error.code)).sort()).toEqual(['CONFLICT', 'counted']);
    expect(await drift(t)).toEqual([]);
  });

  it('refuses bad quantities, an unknown item and a cashier, and moves nothing', async () => {
    const before = await level(t, arroz);
    const movements = async () =>
      (await t.engine.services.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory.stock_movements'))[0]!.n;
    const count = await movements();
    const tries = [
      await t.engine.call('inventory.receive', { variantId: arroz, quantity: '2.5', idempotencyKey: key('bad') }, { token: t.manager }),
      await t.engine.call('inventory.receive', { variantId: arroz, quantity: '0', idempotencyKey: key('bad') }, { token: t.manager }),
      await t.engine.call('inventory.receive', { variantId: arroz, quantity: 'diez', idempotencyKey: key('bad') }, { token: t.manager }),
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '-1', countedQuantity: '3', reason: 'x', idempotencyKey: key('bad') },
        { token: t.manager },
      ),
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '0', reason: 'x', idempotencyKey: key('bad') },
        { token: t.manager },
      ),
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, countedQuantity: '-3', reason: 'x', idempotencyKey: key('bad') },
        { token: t.manager },
      ),
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '-1', reason: '', idempotencyKey: key('bad') },
        { token: t.manager },
      ),
      await t.engine.call(
        'inventory.receive',
        { variantId: '0190a000-0000-7000-8000-000000000000', quantity: '1', idempotencyKey: key('bad') },
        { token: t.manager },
      ),
      await t.engine.call('inventory.receive', { variantId: arroz, quantity: '100', idempotencyKey: key('bad') }, { token: t.cashier }),
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, delta: '-100', reason: 'Robo', idempotencyKey: key('bad') },
        { token: t.cashier },
      ),
    ];
    expect(tries.map((r) => (r.ok ? 'moved' : `${r.error.code}${r.error.params?.reason ? `:${r.error.params.reason}` : ''}`))).toEqual([
      'INVALID_INPUT:WHOLE_UNITS',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'NOT_FOUND:CATALOG',
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    expect(await level(t, arroz)).toEqual(before);
    expect(await movements()).toBe(count);
    // Looking is for everyone.
    expect(ok(await t.engine.call('inventory.levels', { text: 'arroz super extra' }, { token: t.cashier })).items[0]).toMatchObject({
      sku: expect.any(String),
    });
  });

  it("pages through every item's stock, newest first, and lists an item's movements", async () => {
    const first = ok(await t.engine.call('inventory.levels', { limit: 40 }, { token: t.manager }));
    const second = ok(await t.engine.call('inventory.levels', { limit: 40, after: first.next! }, { token: t.manager }));
    expect(first.items).toHaveLength(40);
    expect(second.items.some((i) => first.items.some((f) => f.variantId === i.variantId))).toBe(false);
    const moves = ok(await t.engine.call('inventory.movements', { variantId: arroz, limit: 5 }, { token: t.manager }));
    expect(moves[0]).toMatchObject({ kind: 'COUNT', employee: person(1).displayName });
  });
});

describe('a power cut that costs PGlite its latest receipts and adjustments', () => {
  const dir = demoDataDir('stock-power-loss');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts back the new product and every movement from the journal, once, with levels equal to the ledger', async () => {
    let t = await terminal(dir);
    await t.engine.close();
    cpSync(join(dir, 'pglite'), join(dir, 'pglite-before-the-cut'), { recursive: true });

    t = await terminal(dir, true);
    const made = ok(
      await t.engine.call(
        'catalog.saveProduct',
        {
          name: 'Chile pasilla seco',
          taxCode: 'IVA0',
          variant: { sku: 'CHL-PAS-100', price: '32.00', barcode: makeEan13('779555000001') },
        },
        { token: t.manager },
      ),
    );
    const v = made.variantId!;
    ok(await t.engine.call('catalog.setPrice', { variantId: v, version: 1, price: '34.50' }, { token: t.manager }));
    ok(
      await t.engine.call(
        'inventory.receive',
        { variantId: v, quantity: '30', unitCost: '21.00', idempotencyKey: 'cut-receive' },
        { token: t.manager },
      ),
    );
    ok(
      await t.engine.call(
        'inventory.adjust',
        { variantId: v, delta: '-3', reason: 'Bolsas rotas', idempotencyKey: 'cut-adjust' },
        { token: t.manager },
      ),
    );
    const arroz = await variantOf(t, ARROZ.sku);
    ok(
      await t.engine.call(
        'inventory.adjust',
        { variantId: arroz, countedQuantity: '7', reason: 'Conteo', idempotencyKey: 'cut-count' },
        { token: t.manager },
      ),
    );
    const snapshot = async (e: Engine) =>
      e.services.sql.query(
        `
      SELECT v.sku, v.price::text, v.version, l.quantity::text AS stock,
             ARRAY(SELECT m.idempotency_key || '=' || m.quantity::text FROM inventory.stock_movements m WHERE m.variant_id = v.id ORDER BY m.idempotency_key) AS movements
      FROM inventory.product_variants v JOIN inventory.stock_levels l ON l.variant_id = v.id WHERE v.id = ANY($1::uuid[]) ORDER BY v.sku`,
        [[v, arroz]],
      );
    const before = await snapshot(t.engine);
    expect(before).toHaveLength(2);
    await t.engine.close();

    // The cut: PGlite comes back as it was before any of that; the journal kept everything.
    rmSync(join(dir, 'pglite'), { recursive: true, force: true });
    cpSync(join(dir, 'pglite-before-the-cut'), join(dir, 'pglite'), { recursive: true });
    t = await terminal(dir);
    expect(t.engine.reconciliation.replayed).toBeGreaterThanOrEqual(5);
    expect(await snapshot(t.engine)).toEqual(before);
    expect(await drift(t)).toEqual([]);
    // The item can be sold again at its price, found by its barcode.
    ok(await t.engine.call('shifts.open', { idempotencyKey: 'cut-shift', openingFloat: '100' }, { token: t.cashier }));
    const sale = ok(await t.engine.call('sales.open', { idempotencyKey: 'cut-sale' }, { token: t.cashier }));
    expect(
      ok(await t.engine.call('sales.addItem', { saleId: sale.id, code: makeEan13('779555000001') }, { token: t.cashier })).lines[0],
    ).toMatchObject({ unitPrice: '34.5000' });
    await t.engine.close();

    // Replaying again changes nothing.
    t = await terminal(dir);
    expect(t.engine.reconciliation.replayed).toBe(0);
    expect(await snapshot(t.engine)).toEqual(before);
    expect(t.engine.services.journal.verify()).toMatchObject({ ok: true });
    await t.engine.close();
  });
});
