// The promise of the product: a sale the cashier saw succeed is never lost or doubled, and
// receipt numbers never skip or repeat, however often the engine process is killed.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '#db/journal.ts';
import { createPglite } from '#db/local.ts';
import { EngineGone, startEngineProcess, type EngineProcess } from '../support/engine-process.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { demoDataDir } from '../support/demo-template.ts';

const SALES = 300;
const KILLS = 12;

describe('an engine killed at random moments while selling', () => {
  const dir = demoDataDir('selling-crash');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged sale exactly once over ${SALES} sales and ${KILLS} kills`, async () => {
    const random = seededRandom(20261125);
    const demo = readDemoStore();
    const barcodes = demo.catalog
      .filter((r) => r.barcode && r.sold_by === 'UNIT')
      .map((r) => r.barcode)
      .slice(0, 400);
    const acked = new Map<string, number>();
    let engine: EngineProcess = await startEngineProcess(dir);
    const value = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>) => {
      const r = await p;
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value;
    };
    const cashier = demo.store.employees[2]!;
    const staff = await value(engine.call('auth.staffForSignIn', {}));
    const token = (
      await value(
        engine.call('auth.signInWithPin', {
          employeeId: staff.find((s) => s.displayName === cashier.displayName)!.employeeId,
          pin: cashier.pin,
        }),
      )
    ).token;
    await value(engine.call('shifts.open', { idempotencyKey: 'crash-shift-open', openingFloat: '1000.00' }, { token }));
    const cash = (await value(engine.call('sales.paymentMethods', {}, { token }))).find((m) => m.code === 'CASH')!.id;

    let kills = 0;
    let restarts = 0;
    const killAtRandom = () => {
      const e = engine;
      setTimeout(() => e.child.kill('SIGKILL'), 30 + random.int(600));
    };
    killAtRandom();

    let sale = 0;
    while (acked.size < SALES) {
      try {
        const lines = 1 + (sale % 5);
        let cart = await value(engine.call('sales.current', {}, { token }));
        cart ??= await value(engine.call('sales.open', { idempotencyKey: `crash-sale-${sale}-${restarts}` }, { token }));
        for (let n = cart.lines.length; n < lines; n++) {
          cart = await value(engine.call('sales.addItem', { saleId: cart.id, code: random.pick(barcodes) }, { token }));
        }
        const receipt = await value(
          engine.call('sales.complete', { saleId: cart.id, tenders: [{ methodId: cash, tendered: '5000' }] }, { token }),
        );
        expect(acked.has(receipt.saleId)).toBe(false);
        acked.set(receipt.saleId, receipt.receiptNumber);
        sale++;
      } catch (err) {
        if (!(err instanceof EngineGone)) throw err;
        await engine.exited;
        kills++;
        restarts++;
        engine = await startEngineProcess(dir);
        if (kills < KILLS) killAtRandom();
      }
    }
    if (kills < KILLS) throw new Error(`only ${kills} kills happened; the sales ran faster than the kill timer`);
    engine.child.kill('SIGKILL');
    await engine.exited;

    // The journal: every acknowledged sale once, the chain intact.
    const journal = openJournal(dir);
    expect(journal.verify()).toMatchObject({ ok: true });
    const facts = journal.after(0, 1_000_000).filter((f) => f.kind === 'sale.completed');
    const journaled = new Map(
      facts.map((f) => [
        (f.payload as { sale: { id: string } }).sale.id,
        (f.payload as { sale: { receipt_number: number } }).sale.receipt_number,
      ]),
    );
    expect(journaled.size).toBe(facts.length);
    for (const [saleId, number] of acked) expect(journaled.get(saleId)).toBe(number);
    journal.close();

    // PGlite, after one more start reconciles it: every acknowledged sale once, numbers 1..N.
    const last = await startEngineProcess(dir);
    last.child.kill('SIGKILL');
    await last.exited;
    const pg = await createPglite(`${dir}/pglite`);
    const rows = (
      await pg.query<{ id: string; receipt_number: number }>(
        `SELECT id, receipt_number FROM sales.sales WHERE status = 'COMPLETED' ORDER BY receipt_number`,
      )
    ).rows;
    const numbers = rows.map((r) => Number(r.receipt_number));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    const inPglite = new Map(rows.map((r) => [r.id, Number(r.receipt_number)]));
    for (const [saleId, number] of acked) expect(inPglite.get(saleId)).toBe(number);
    expect(inPglite.size).toBe(journaled.size);
    const [{ counter }] = (
      await pg.query<{ counter: number }>(
        `SELECT last_receipt_number AS counter FROM sales.cash_registers WHERE id = (SELECT register_id FROM sales.sales WHERE status = 'COMPLETED' LIMIT 1)`,
      )
    ).rows as [{ counter: number }];
    expect(Number(counter)).toBe(numbers.length);
    // Stock stays the sum of its ledger.
    const drift = (
      await pg.query(`SELECT l.variant_id FROM inventory.stock_levels l
      LEFT JOIN (SELECT variant_id, branch_id, sum(quantity) AS q FROM inventory.stock_movements GROUP BY 1, 2) m
        ON m.variant_id = l.variant_id AND m.branch_id = l.branch_id
      WHERE l.quantity <> coalesce(m.q, 0)`)
    ).rows;
    expect(drift).toEqual([]);
    await pg.close();
    console.log(`crash test: ${acked.size} sales acknowledged, ${journaled.size} completed, ${kills} kills`);
  }, 600_000);
});
