// The cashier's hot path on stores of 100,000 and 1,000,000 products: a barcode scan into the
// cart and a 5-line cash sale completed (journal append included), each through the engine's
// dispatch() as the UI calls it, beside a bare PGlite baseline doing the same reads and writes
// on the same database in the same run. Targets: add-to-cart p99 < 10 ms, completion p99 < 25 ms.
import { rmSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { openEngine, type Engine } from '#engine/engine.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { copyBenchStore, pickBarcodes } from './bench-catalog.ts';
import { report } from './stats.ts';

// BENCH_SIZES=100000 runs one size while working on the hot path.
const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const ADDS = 300;
const SALES = 150;

async function timed(n: number, fn: (i: number) => Promise<unknown>, between?: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    if (between) await between(i);
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function cashierOf(engine: Engine) {
  const demo = readDemoStore();
  const staff = must(await engine.call('auth.staffForSignIn', {}));
  const cashier = demo.store.employees[2]!;
  const token = must(
    await engine.call('auth.signInWithPin', {
      employeeId: staff.find((s) => s.displayName === cashier.displayName)!.employeeId,
      pin: cashier.pin,
    }),
  ).token;
  if (!must(await engine.call('shifts.current', {}, { token }))) {
    must(await engine.call('shifts.open', { idempotencyKey: `bench-shift-${uuidv7()}`, openingFloat: '1000.00' }, { token }));
  }
  const cash = must(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
  return { token, cash };
}

// The baseline's add-to-cart: the same barcode lookup, line insert and header update, as three
// bare statements with no session, validation, pricing or queue.
async function bareAdd(engine: Engine, saleId: string, barcode: string, lineNo: number) {
  const { sql } = engine.services;
  const [item] = await sql.query<{
    variant_id: string;
    product_id: string;
    name: string;
    sku: string;
    price: string;
    tax_code: string;
    tax_rate: string;
  }>(
    `SELECT v.id AS variant_id, p.id AS product_id, p.name, v.sku, v.price::text, p.tax_code, p.tax_rate::text
     FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id WHERE v.barcode = $1 AND v.deleted_at IS NULL`,
    [barcode],
  );
  await sql.query(
    `INSERT INTO sales.sale_items (id, sale_id, line_no, variant_id, product_id, name, sku, unit, unit_price, tax_code, tax_rate,
      quantity, subtotal, tax_amount, total) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pza', $8, $9, $10, 1, $8, 0, $8)`,
    [uuidv7(), saleId, lineNo, item!.variant_id, item!.product_id, item!.name, item!.sku, item!.price, item!.tax_code, item!.tax_rate],
  );
  await sql.query(`UPDATE sales.sales SET total = total + $2, subtotal = subtotal + $2, version = version + 1 WHERE id = $1`, [
    saleId,
    item!.price,
  ]);
}

// The baseline's completion: the same rows written as one bare statement (register counter,
// sale, payment, 5 stock movements, 5 stock levels), without the engine around it.
async function bareComplete(engine: Engine, saleId: string, registerId: string, branchId: string, businessId: string, methodId: string) {
  await engine.services.sql.query(
    `
    WITH reg AS (UPDATE sales.cash_registers SET last_receipt_number = last_receipt_number + 1 WHERE id = $2 RETURNING last_receipt_number AS n),
    s AS (UPDATE sales.sales SET status = 'COMPLETED', receipt_number = reg.n, business_date = current_date, completed_at = now(), paid_total = total
          FROM reg WHERE id = $1 RETURNING id, total, shift_id),
    t AS (INSERT INTO payments.transactions (id, business_id, branch_id, register_id, shift_id, sale_id, payment_method_id, status, amount, currency,
            idempotency_key, occurred_at)
          SELECT $5::uuid, $4, $3, $2, s.shift_id, s.id, $6, 'CONFIRMED', s.total, 'MXN', 'bare:' || s.id, now() FROM s),
    i AS (SELECT i.variant_id, i.quantity, i.id FROM sales.sale_items i, s WHERE i.sale_id = s.id AND i.deleted_at IS NULL),
    m AS (INSERT INTO inventory.stock_movements (id, variant_id, branch_id, kind, quantity, reference_type, reference_id, idempotency_key, occurred_at)
          SELECT gen_random_uuid(), i.variant_id, $3, 'SALE', -i.quantity, 'sale', $1, 'bare:' || i.id, now() FROM i)
    UPDATE inventory.stock_levels l SET quantity = l.quantity - i.quantity, version = l.version + 1 FROM i WHERE l.variant_id = i.variant_id AND l.branch_id = $3`,
    [saleId, registerId, branchId, businessId, uuidv7(), methodId],
  );
}

export async function benchSelling() {
  for (const size of SIZES) {
    const dir = await copyBenchStore(size, 'selling');
    let engine: Engine | undefined;
    try {
      engine = await openEngine(dir, { purpose: 'bench selling' });
      const e = engine;
      const terminal = e.services.terminal!;
      const { token, cash } = await cashierOf(e);
      const picks = await pickBarcodes(e.services.sql, ADDS + SALES * 5 + 200, 7);
      let pick = 0;
      const nextCode = () => picks.barcodes[pick++ % picks.barcodes.length]!;

      // Add-to-cart: a sale takes ten scans, then is parked (not timed) and a new one opened.
      let saleId = '';
      const openSale = async () => (saleId = must(await e.call('sales.open', { idempotencyKey: `bench-${uuidv7()}` }, { token })).id);
      const addTimes = await timed(
        ADDS,
        () => e.call('sales.addItem', { saleId, code: nextCode() }, { token }).then(must),
        async (i) => {
          if (i % 10 !== 0) return;
          if (saleId) must(await e.call('sales.park', { saleId }, { token }));
          await openSale();
        },
      );
      must(await e.call('sales.park', { saleId }, { token }));
      const weighedTimes = await timed(
        100,
        (i) => e.call('sales.addItem', { saleId, code: picks.scaleCodes[i]! }, { token }).then(must),
        async (i) => {
          if (i % 10 !== 0) return;
          if (i > 0) must(await e.call('sales.park', { saleId }, { token }));
          await openSale();
        },
      );
      must(await e.call('sales.park', { saleId }, { token }));
      const bareSale = async () => {
        const id = uuidv7();
        const [shift] = await e.services.sql.query<{ id: string }>(
          `SELECT id FROM sales.shifts WHERE register_id = $1 AND status = 'OPEN'`,
          [terminal.registerId],
        );
        const [emp] = await e.services.sql.query<{ id: string }>(`SELECT employee_id AS id FROM sales.sales LIMIT 1`);
        await e.services.sql.query(
          `INSERT INTO sales.sales (id, business_id, branch_id, register_id, shift_id, employee_id, currency, prices_include_tax,
          idempotency_key, opened_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'MXN', true, $7, now(), 'PARKED')`,
          [id, terminal.businessId, terminal.branchId, terminal.registerId, shift!.id, emp!.id, `bare-${id}`],
        );
        return id;
      };
      let bareId = '';
      let bareLine = 0;
      const bareAddTimes = await timed(
        ADDS,
        () => bareAdd(e, bareId, nextCode(), ++bareLine),
        async (i) => {
          if (i % 10 === 0) {
            bareId = await bareSale();
            bareLine = 0;
          }
        },
      );
      report(
        `Barcode add-to-cart, ${size.toLocaleString('en')} products`,
        [
          { name: 'baseline: bare PGlite lookup + line insert + header update', times: bareAddTimes },
          { name: 'sales.addItem through dispatch (EAN-13)', times: addTimes },
          { name: 'sales.addItem through dispatch (scale label)', times: weighedTimes },
        ],
        'baseline: bare PGlite lookup + line insert + header update',
      );

      // Completion: five scans (not timed), then paying cash is timed, journal append included.
      const completeTimes = await timed(
        SALES,
        () => e.call('sales.complete', { saleId, tenders: [{ methodId: cash, tendered: '100000' }] }, { token }).then(must),
        async () => {
          await openSale();
          for (let k = 0; k < 5; k++) must(await e.call('sales.addItem', { saleId, code: nextCode() }, { token }));
        },
      );
      const bareCompleteTimes = await timed(
        SALES,
        () => bareComplete(e, bareId, terminal.registerId, terminal.branchId, terminal.businessId, cash),
        async () => {
          bareId = await bareSale();
          for (let k = 1; k <= 5; k++) await bareAdd(e, bareId, nextCode(), k);
        },
      );
      report(
        `Sale completion, 5 lines, cash, ${size.toLocaleString('en')} products`,
        [
          { name: 'baseline: the same rows in one bare statement', times: bareCompleteTimes },
          { name: 'sales.complete through dispatch (+ journal fsync)', times: completeTimes },
        ],
        'baseline: the same rows in one bare statement',
      );
    } finally {
      await engine?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
