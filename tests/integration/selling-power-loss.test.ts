// PGlite runs with fsync off, so a power cut can hand it back older than the journal, or
// damaged. The journal must put back every acknowledged fact, and a damaged or deleted
// database must be rebuilt without the cashier doing anything but wait.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import { ok } from '../support/demo-engine.ts';
import { demoDataDir } from '../support/demo-template.ts';

const demo = readDemoStore();
const barcodes = demo.catalog.filter((r) => r.barcode && r.sold_by === 'UNIT').map((r) => r.barcode);

type Till = { engine: Engine; token: string; cash: string };

async function till(dir: string): Promise<Till> {
  const engine = await openEngine(dir, { purpose: 'power-loss test' });
  await setUpDemoStore(engine, demo);
  const staff = ok(await engine.call('auth.staffForSignIn', {}));
  const cashier = demo.store.employees[2]!;
  const token = ok(
    await engine.call('auth.signInWithPin', {
      employeeId: staff.find((s) => s.displayName === cashier.displayName)!.employeeId,
      pin: cashier.pin,
    }),
  ).token;
  const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
  return { engine, token, cash };
}

let n = 0;
async function sell({ engine, token, cash }: Till, lines: number) {
  const sale = ok(await engine.call('sales.open', { idempotencyKey: `power-loss-${++n}-${Date.now()}` }, { token }));
  for (let i = 0; i < lines; i++)
    ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcodes[(n * 7 + i) % barcodes.length]! }, { token }));
  return ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '2000' }] }, { token }));
}

async function state(engine: Engine) {
  const q = <T>(text: string) => engine.services.sql.query<T>(text);
  return {
    sales: (
      await q<{ id: string; receipt_number: number; total: string }>(
        `SELECT id, receipt_number, total::text FROM sales.sales WHERE status = 'COMPLETED' ORDER BY receipt_number`,
      )
    ).map((r) => `${r.receipt_number}:${r.id}:${r.total}`),
    voided: (await q<{ id: string; total: string }>(`SELECT id, total::text FROM sales.sales WHERE status = 'VOIDED' ORDER BY id`)).map(
      (r) => `${r.id}:${r.total}`,
    ),
    returns: (await q<{ id: string; return_number: number }>(`SELECT id, return_number FROM sales.returns ORDER BY return_number`)).map(
      (r) => `${r.return_number}:${r.id}`,
    ),
    cash: (await q<{ kind: string; amount: string }>(`SELECT kind, amount::text FROM sales.cash_movements ORDER BY occurred_at, id`)).map(
      (r) => `${r.kind}:${r.amount}`,
    ),
    stock: (
      await q<{ v: string; q: string }>(
        `SELECT variant_id AS v, quantity::text AS q FROM inventory.stock_levels WHERE version > 1 ORDER BY variant_id`,
      )
    ).map((r) => `${r.v}:${r.q}`),
    drift: await q(`SELECT l.variant_id FROM inventory.stock_levels l
      LEFT JOIN (SELECT variant_id, branch_id, sum(quantity) AS q FROM inventory.stock_movements GROUP BY 1, 2) m
        ON m.variant_id = l.variant_id AND m.branch_id = l.branch_id WHERE l.quantity <> coalesce(m.q, 0)`),
  };
}

describe('a power cut that costs PGlite its latest writes', () => {
  const dir = demoDataDir('power-loss');
  let before: Awaited<ReturnType<typeof state>>;

  beforeAll(async () => {
    let t = await till(dir);
    ok(await t.engine.call('shifts.open', { idempotencyKey: 'power-loss-shift', openingFloat: '800.00' }, { token: t.token }));
    for (let i = 0; i < 3; i++) await sell(t, 2);
    await t.engine.close();
    cpSync(join(dir, 'pglite'), join(dir, 'pglite-before-the-cut'), { recursive: true });

    t = await till(dir);
    const sold = [];
    for (let i = 0; i < 5; i++) sold.push(await sell(t, 3));
    ok(
      await t.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_OUT', amount: '150.00', reason: 'Pago a proveedor de garrafones', idempotencyKey: 'power-loss-payout' },
        { token: t.token },
      ),
    );
    const receipt = ok(await t.engine.call('returns.lookup', { code: sold[0]!.receiptCode }, { token: t.token }));
    const manager = demo.store.employees[1]!;
    const staff = ok(await t.engine.call('auth.staffForSignIn', {}));
    ok(
      await t.engine.call(
        'returns.create',
        {
          saleId: receipt.saleId,
          lines: [{ saleItemId: receipt.lines[0]!.saleItemId, quantity: '1' }],
          refundMethodId: t.cash,
          reason: 'Producto caducado',
          idempotencyKey: 'power-loss-return',
        },
        {
          token: t.token,
          override: { employeeId: staff.find((s) => s.displayName === manager.displayName)!.employeeId, pin: manager.pin },
        },
      ),
    );
    const cancelled = ok(await t.engine.call('sales.open', { idempotencyKey: 'power-loss-void' }, { token: t.token }));
    ok(await t.engine.call('sales.addItem', { saleId: cancelled.id, code: barcodes[1]! }, { token: t.token }));
    ok(
      await t.engine.call(
        'sales.void',
        { saleId: cancelled.id, reason: 'Cliente sin efectivo' },
        {
          token: t.token,
          override: { employeeId: staff.find((s) => s.displayName === manager.displayName)!.employeeId, pin: manager.pin },
        },
      ),
    );
    before = await state(t.engine);
    expect(before.sales).toHaveLength(8);
    expect(before.voided).toHaveLength(1);
    await t.engine.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts back every acknowledged sale, void, return and pay-out from the journal into an older PGlite', async () => {
    rmSync(join(dir, 'pglite'), { recursive: true });
    cpSync(join(dir, 'pglite-before-the-cut'), join(dir, 'pglite'), { recursive: true });
    const t = await till(dir);
    expect(t.engine.rebuilt).toBeNull();
    expect(t.engine.reconciliation.replayed).toBe(8);
    expect(await state(t.engine)).toEqual(before);
    const next = await sell(t, 1);
    expect(next.receiptNumber).toBe(9);
    before = await state(t.engine);
    await t.engine.close();
  }, 120_000);

  it('rebuilds a database directory full of garbage from the demo store and the journal', async () => {
    rmSync(join(dir, 'pglite'), { recursive: true });
    mkdirSync(join(dir, 'pglite', 'base'), { recursive: true });
    writeFileSync(join(dir, 'pglite', 'PG_VERSION'), 'not a version\n');
    writeFileSync(join(dir, 'pglite', 'base', '1'), Buffer.alloc(8192, 0xa5));
    const t = await till(dir);
    expect(t.engine.rebuilt).toMatch(/pglite\.damaged-/);
    expect(await state(t.engine)).toEqual(before);
    await t.engine.close();
  }, 120_000);

  it('journals at the next start a sale PGlite completed just before the process died', async () => {
    const t = await till(dir);
    const { journal } = t.engine.services;
    const append = journal.append;
    journal.append = () => {
      throw new Error('killed between the PGlite commit and the journal append');
    };
    const appendAll = journal.appendAll;
    journal.appendAll = () => {
      throw new Error('killed between the PGlite commit and the journal append');
    };
    const sale = ok(await t.engine.call('sales.open', { idempotencyKey: `power-loss-unjournaled-${Date.now()}` }, { token: t.token }));
    ok(await t.engine.call('sales.addItem', { saleId: sale.id, code: barcodes[3]! }, { token: t.token }));
    expect(
      (await t.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: t.cash, tendered: '2000' }] }, { token: t.token }))
        .ok,
    ).toBe(false);
    journal.append = append;
    journal.appendAll = appendAll;
    await t.engine.close();
    const again = await till(dir);
    expect(again.engine.reconciliation.journaled).toBe(1);
    expect(again.engine.services.journal.find(`sale:${sale.id}`)!.kind).toBe('sale.completed');
    before = await state(again.engine);
    await again.engine.close();
  }, 120_000);

  it('rebuilds a deleted database directory the same way', async () => {
    rmSync(join(dir, 'pglite'), { recursive: true });
    const t = await till(dir);
    expect(t.engine.rebuilt).toBe('deleted');
    expect(await state(t.engine)).toEqual(before);
    expect(t.engine.services.journal.verify()).toMatchObject({ ok: true });
    await t.engine.close();
  }, 120_000);
});
