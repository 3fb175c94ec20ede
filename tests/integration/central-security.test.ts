// What a terminal's own login may do on central, tried as that login (its sync.json in hostile
// hands) against a private PostgreSQL that checks passwords with SCRAM, as a real central does:
// its grants, row-level security, role limits and central's own functions, not the terminal's
// good behaviour, are what stop it. The register's own work (push a day's sales, pull the catalog
// and staff, sign in with a pulled PIN, store credit) still goes through the same login.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { VARIANT_SAVED, type VariantSavedFact } from '#engine/services/catalog/catalog-facts.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { cloneRow } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import {
  branchId,
  businessId,
  demo,
  openTerminal,
  prepareCentral,
  provisionDir,
  waitFor,
  type TestTerminal,
} from '../support/sync-fixture.ts';

let server: PrivatePostgres;
let adminUrl: string;
let central: Central;
let registerIds: string[];
let terminal: TestTerminal;
let terminalUrl: string;
let neighbourUrl: string;
const clients: pg.Client[] = [];
let asTerminal: pg.Client;
let otherBusinessId: string;
let otherBranchId: string;
let otherRegisterId: string;
let otherSaleId: string;
let otherVariantId: string;

/** A login's own connection; ended after the file. Errors of a connection central ends are expected. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

const clone = (table: string, fromId: string, changes: Record<string, unknown>) => cloneRow(central.sql, table, fromId, changes);

beforeAll(async () => {
  server = await startPrivatePostgres('central-admin-secret');
  await server.createDatabase('central');
  adminUrl = server.url('postgres', undefined, 'central');
  ({ central, registerIds } = await prepareCentral(adminUrl, 2));
  const dir = await provisionDir(central, adminUrl, registerIds[0]!, 'sec');
  terminal = await openTerminal(dir, registerIds[0]!);
  await terminal.sell(2);
  await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
  terminalUrl = (JSON.parse(readFileSync(`${dir}/sync.json`, 'utf8')) as { url: string }).url;
  asTerminal = await connect(terminalUrl);
  // The register beside it: a login of its own, no engine (the neighbour an attacker would block).
  neighbourUrl = (
    await provisionTerminal(central, adminUrl, { businessId, branchId, registerId: registerIds[1]!, password: 'neighbour-secret' })
  ).central.url;

  // A second business on the same central, with a branch, a register, a sale and an item of its own.
  otherBusinessId = uuidv7();
  otherBranchId = uuidv7();
  otherRegisterId = uuidv7();
  otherSaleId = uuidv7();
  await clone('business.businesses', businessId, { id: otherBusinessId, name: 'Otra Tienda', tax_id: 'OTR010101AAA' });
  await clone('business.branches', branchId, { id: otherBranchId, business_id: otherBusinessId, code: 'OTR-01' });
  await clone('sales.cash_registers', registerIds[1]!, {
    id: otherRegisterId,
    business_id: otherBusinessId,
    branch_id: otherBranchId,
    code: 'OTR-CAJA-1',
  });
  const [product] = await central.sql.query<{ id: string }>('SELECT id FROM inventory.products WHERE business_id = $1 LIMIT 1', [
    businessId,
  ]);
  const otherProductId = uuidv7();
  await clone('inventory.products', product!.id, {
    id: otherProductId,
    business_id: otherBusinessId,
    name: 'Producto secreto',
    category_id: null,
  });
  const [variant] = await central.sql.query<{ id: string }>('SELECT id FROM inventory.product_variants WHERE product_id = $1 LIMIT 1', [
    product!.id,
  ]);
  otherVariantId = uuidv7();
  await clone('inventory.product_variants', variant!.id, {
    id: otherVariantId,
    business_id: otherBusinessId,
    product_id: otherProductId,
    barcode: null,
    sku: 'SECRETO-1',
  });
  const [shift] = await central.sql.query<{ id: string }>('SELECT id FROM sales.shifts WHERE register_id = $1 LIMIT 1', [registerIds[0]]);
  const otherShiftId = uuidv7();
  await clone('sales.shifts', shift!.id, {
    id: otherShiftId,
    business_id: otherBusinessId,
    branch_id: otherBranchId,
    register_id: otherRegisterId,
  });
  const [sale] = await central.sql.query<{ id: string }>(
    `SELECT id FROM sales.sales WHERE register_id = $1 AND status = 'COMPLETED' LIMIT 1`,
    [registerIds[0]],
  );
  await clone('sales.sales', sale!.id, {
    id: otherSaleId,
    business_id: otherBusinessId,
    branch_id: otherBranchId,
    register_id: otherRegisterId,
    shift_id: otherShiftId,
    idempotency_key: `other-${otherSaleId}`,
  });
}, 240_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await terminal?.dispose();
  await central?.close();
  server?.remove();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (err: { code?: string }) => err.code ?? 'error',
  );

/** What a statement came to within `ms`: its SQLSTATE, 'accepted', or 'still waiting'. */
const within = (ms: number, promise: Promise<unknown>) =>
  Promise.race([refusal(promise), new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), ms))]);

const centralRow = async <T>(sql: string, params: unknown[] = []) => (await central.sql.query<T>(sql, params))[0];

/** How a push takes its branch's stock rows: the login itself may not lock them. */
const LOCK_STOCK = 'SELECT sync.lock_stock_levels($1::uuid[])';

describe("a terminal's login on central", () => {
  it('logs in with its own SCRAM password, and a wrong password is refused', async () => {
    const role = new URL(terminalUrl).username;
    expect(
      await centralRow<{ scram: boolean }>(`SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = $1`, [role]),
    ).toEqual({ scram: true });
    const wrong = new URL(terminalUrl);
    wrong.password = 'not-the-password';
    expect(await refusal(connect(wrong.toString()))).toBe('28P01');
  });

  it('cannot insert a sale for another branch, or for another register of its own branch', async () => {
    const [sale] = (await asTerminal.query('SELECT to_jsonb(s) AS row FROM sales.sales s LIMIT 1')).rows as {
      row: Record<string, unknown>;
    }[];
    expect(sale).toBeDefined();
    const insert = (row: Record<string, unknown>) =>
      asTerminal.query('INSERT INTO sales.sales SELECT * FROM jsonb_populate_record(NULL::sales.sales, $1::jsonb)', [JSON.stringify(row)]);
    expect(
      await refusal(insert({ ...sale!.row, id: uuidv7(), receipt_number: 99_001, branch_id: otherBranchId, business_id: otherBusinessId })),
    ).toBe('42501');
    expect(await refusal(insert({ ...sale!.row, id: uuidv7(), receipt_number: 99_002, register_id: registerIds[1] }))).toBe('42501');
  });

  it('cannot update or delete a completed transaction, a sale or the ledger', async () => {
    expect(await refusal(asTerminal.query(`UPDATE payments.transactions SET amount = 0`))).toBe('42501');
    expect(await refusal(asTerminal.query(`DELETE FROM sales.sales`))).toBe('42501');
    expect(await refusal(asTerminal.query(`UPDATE sales.sales SET total = 0 WHERE status = 'COMPLETED'`))).toBe('PS002'); // the table's own immutability trigger
    expect(await refusal(asTerminal.query(`UPDATE sync.ledger SET status = 'APPLIED'`))).toBe('42501');
    const row = await centralRow<{ n: number }>(`SELECT count(*)::int AS n FROM sales.sales WHERE status = 'COMPLETED' AND total > 0`);
    expect(row!.n).toBeGreaterThan(0);
  });

  it("cannot read another business's catalog, staff or sales, nor central's own bookkeeping", async () => {
    expect((await asTerminal.query(`SELECT id FROM inventory.products WHERE business_id = $1`, [otherBusinessId])).rowCount).toBe(0);
    expect((await asTerminal.query(`SELECT id FROM business.businesses`)).rows.map((r) => r.id)).toEqual([businessId]);
    expect((await asTerminal.query(`SELECT id FROM business.branches WHERE business_id = $1`, [otherBusinessId])).rowCount).toBe(0);
    expect(await refusal(asTerminal.query('SELECT * FROM auth.sessions'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT * FROM sync.terminals'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT * FROM sync.lock_secret'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT * FROM auth.audit_logs'))).toBe('42501');
  });

  it("reads only its own register's sales, not those of the register beside it", async () => {
    const visible = (await asTerminal.query('SELECT DISTINCT register_id FROM sales.sales')).rows.map((r) => r.register_id);
    expect(visible).toEqual([registerIds[0]]);
    expect((await asTerminal.query(`SELECT id FROM business.branches`)).rows.map((r) => r.id)).toEqual([branchId]);
  });

  it("reads the PIN identities of the staff assigned to its branch and no password, not even the owner's", async () => {
    // Someone of the same business who works at another branch, with a PIN of their own.
    const cashier = (await centralRow<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM business.employees WHERE business_id = $1 AND code = '003'`,
      [businessId],
    ))!;
    const [branch2, user2, employee2] = [uuidv7(), uuidv7(), uuidv7()];
    await clone('business.branches', branchId, { id: branch2, code: 'SUC-2', name: 'Sucursal 2' });
    await clone('auth.users', cashier.user_id, { id: user2, email: null, phone: null, display_name: 'Cajera de la otra sucursal' });
    await clone('business.employees', cashier.id, {
      id: employee2,
      user_id: user2,
      code: '099',
      display_name: 'Cajera de la otra sucursal',
    });
    const [assignment] = await central.sql.query<{ id: string }>('SELECT id FROM business.employee_branches WHERE employee_id = $1', [
      cashier.id,
    ]);
    await clone('business.employee_branches', assignment!.id, { id: uuidv7(), employee_id: employee2, branch_id: branch2 });
    const [pin] = await central.sql.query<{ id: string }>(`SELECT id FROM auth.user_identities WHERE user_id = $1 AND provider = 'PIN'`, [
      cashier.user_id,
    ]);
    await clone('auth.user_identities', pin!.id, { id: uuidv7(), user_id: user2 });
    expect(await centralRow<{ n: number }>(`SELECT count(*)::int AS n FROM auth.user_identities WHERE provider = 'PASSWORD'`)).toEqual({
      n: 2,
    });

    const seen = (await asTerminal.query('SELECT provider, user_id, secret_hash FROM auth.user_identities')).rows as {
      provider: string;
      user_id: string;
    }[];
    expect(new Set(seen.map((r) => r.provider))).toEqual(new Set(['PIN']));
    expect(seen.map((r) => r.user_id)).not.toContain(user2);
    expect(seen).toHaveLength(demo.store.employees.length);
    expect((await asTerminal.query(`SELECT 1 FROM business.employees WHERE id = $1`, [employee2])).rowCount).toBe(1);
    // What it did pull is enough for the register: the owner signs in there with her PIN.
    const [owner] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '001'`);
    expect(
      ok(await terminal.engine.call('auth.signInWithPin', { employeeId: owner!.id, pin: demo.store.employees[0]!.pin })).token,
    ).toBeTruthy();
  });

  it('brings down the PIN of a colleague assigned to its branch after the PIN was set, and they sign in there', async () => {
    const colleague = (await centralRow<{ id: string; user_id: string }>(`SELECT id, user_id FROM business.employees WHERE code = '099'`))!;
    const sync = terminal.engine.services.sync!;
    // First the terminal's cursor moves past the colleague's identity: a newer one it may see comes down.
    const { at } = (await centralRow<{ at: string }>(`SELECT updated_at::text AS at FROM auth.user_identities WHERE user_id = $1`, [
      colleague.user_id,
    ]))!;
    await central.sql.query(
      `UPDATE auth.user_identities SET updated_at = now() WHERE provider = 'PIN' AND user_id =
      (SELECT user_id FROM business.employees WHERE business_id = $1 AND code = '003')`,
      [businessId],
    );
    await waitFor(
      async () => {
        await sync.syncOnce({ pull: true });
        const [cursor] = await terminal.engine.services.sql.query<{ past: boolean }>(
          `SELECT updated_at::timestamptz > $1::timestamptz AS past FROM public.pos_sync_cursors WHERE table_name = 'auth.user_identities'`,
          [at],
        );
        return cursor?.past === true;
      },
      30_000,
      "the terminal's identity cursor to pass the colleague's",
    );
    const [assignment] = await central.sql.query<{ id: string }>('SELECT id FROM business.employee_branches WHERE employee_id = $1', [
      colleague.id,
    ]);
    await clone('business.employee_branches', assignment!.id, { id: uuidv7(), branch_id: branchId });
    await waitFor(
      async () => {
        await sync.syncOnce({ pull: true });
        return (
          (
            await terminal.engine.services.sql.query(`SELECT 1 FROM auth.user_identities WHERE user_id = $1 AND provider = 'PIN'`, [
              colleague.user_id,
            ])
          ).length > 0
        );
      },
      30_000,
      "the colleague's PIN identity to come down",
    );
    // The clone carries the cashier's PIN hash.
    expect(
      ok(await terminal.engine.call('auth.signInWithPin', { employeeId: colleague.id, pin: demo.store.employees[2]!.pin })).token,
    ).toBeTruthy();
  });

  it('has limits on idle transactions, lock waits, statements and dead peers set on its own login', async () => {
    const show = async (name: string) => (await asTerminal.query(`SELECT current_setting($1) AS v`, [name])).rows[0]!.v as string;
    expect(await show('idle_in_transaction_session_timeout')).toBe('15s');
    expect(await show('lock_timeout')).toBe('5s');
    expect(await show('statement_timeout')).toBe('30s');
    expect(await show('tcp_keepalives_idle')).toBe('10');
    expect(await show('tcp_keepalives_interval')).toBe('5');
    expect(await show('tcp_keepalives_count')).toBe('3');
    expect(await show('client_connection_check_interval')).toBe('5s');
  });

  it("a register's session left inside a transaction holding a stock row is ended by central, and the register beside it gets an error within seconds instead of waiting", async () => {
    const level = (await asTerminal.query('SELECT variant_id FROM inventory.stock_levels ORDER BY id LIMIT 1')).rows[0]!
      .variant_id as string;
    const stuck = await connect(terminalUrl);
    await stuck.query('BEGIN');
    await stuck.query(LOCK_STOCK, [[level]]);
    const stuckPid = (await stuck.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid as number;
    const neighbour = await connect(neighbourUrl);
    await neighbour.query('BEGIN');
    expect(await within(20_000, neighbour.query(LOCK_STOCK, [[level]]))).toBe('55P03');
    await neighbour.query('ROLLBACK');
    await waitFor(
      async () => (await central.sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [stuckPid])).length === 0,
      30_000,
      'central to end the idle transaction',
    );
    expect(await refusal(neighbour.query(LOCK_STOCK, [[level]]))).toBe('accepted');
  }, 60_000);

  it('cannot keep holding a stock row by lifting its own limits: the next push of its business ends that session', async () => {
    const level = (await asTerminal.query('SELECT variant_id FROM inventory.stock_levels ORDER BY id LIMIT 1')).rows[0]!
      .variant_id as string;
    const hostile = await connect(neighbourUrl);
    await hostile.query(`SET idle_in_transaction_session_timeout = 0`);
    await hostile.query('BEGIN');
    await hostile.query(LOCK_STOCK, [[level]]);
    const hostilePid = (await hostile.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid as number;
    // Longer than any healthy terminal session stays idle inside a transaction.
    await new Promise((r) => setTimeout(r, 16_000));
    expect(await central.sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [hostilePid])).toHaveLength(1);
    await terminal.sell(1);
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
    await waitFor(
      async () => (await central.sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [hostilePid])).length === 0,
      10_000,
      'central to end the session that outstayed its limits',
    );
  }, 60_000);

  it("cannot take another register's push lock, and its own push takes turns only with itself", async () => {
    const key = `sync.ledger:${registerIds[1]}`;
    expect(await refusal(asTerminal.query('SELECT pg_advisory_lock(hashtext($1))', [key]))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT pg_try_advisory_xact_lock(hashtext($1))', [key]))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT pg_advisory_lock_shared(1, 2)'))).toBe('42501');
    // The neighbour holds its own push lock; this register's push goes through beside it.
    const neighbour = await connect(neighbourUrl);
    await neighbour.query('BEGIN');
    await neighbour.query('SELECT sync.lock_my_ledger()');
    try {
      const { saleId } = await terminal.sell(1);
      await waitFor(() => terminal.status().pending === 0, 30_000, "the push beside the neighbour's lock");
      expect(await centralRow('SELECT 1 AS one FROM sales.sales WHERE id = $1', [saleId])).toEqual({ one: 1 });
    } finally {
      await neighbour.query('ROLLBACK');
    }
  });

  it("does not hold back its pulls with another business's terminal idling in a writing transaction", async () => {
    const otherUrl = (
      await provisionTerminal(central, adminUrl, {
        businessId: otherBusinessId,
        branchId: otherBranchId,
        registerId: otherRegisterId,
        password: 'other-secret',
      })
    ).central.url;
    const other = await connect(otherUrl);
    // A hostile login lifts its own limits first.
    await other.query('SET idle_in_transaction_session_timeout = 0');
    await other.query('BEGIN');
    await other.query('UPDATE sales.cash_registers SET version = version WHERE id = sync.my_register()');
    const started = (await other.query('SELECT now()::text AS at')).rows[0]!.at as string;
    await new Promise((r) => setTimeout(r, 1_000));
    try {
      const horizon = (await asTerminal.query('SELECT sync.pull_horizon(0) > $1::timestamptz AS later', [started])).rows[0]!.later;
      expect(horizon).toBe(true);
    } finally {
      await other.query('ROLLBACK');
    }
  });

  it('refuses absurd settle windows for the pull horizon', async () => {
    for (const bad of [-1, 'NaN', 1e9, null]) {
      expect(await refusal(asTerminal.query('SELECT sync.pull_horizon($1)', [bad])), String(bad)).toBe('22023');
    }
    expect(await refusal(asTerminal.query('SELECT sync.pull_horizon(2)'))).toBe('accepted');
  });

  it("cannot shadow a catalog view inside central's SECURITY DEFINER functions with a temporary one", async () => {
    const session = await connect(terminalUrl);
    await session.query(`CREATE TEMP VIEW pg_stat_activity AS SELECT current_database() AS datname, '1'::xid AS backend_xid, 0 AS pid,
      '2000-01-01T00:00:00Z'::timestamptz AS xact_start, 'x'::name AS usename, 'active'::text AS state`);
    const horizon = (await session.query(`SELECT sync.pull_horizon(0) > now() - interval '1 day' AS recent`)).rows[0]!.recent;
    expect(horizon).toBe(true);
    const unfenced = await central.sql.query<{ fn: string }>(`SELECT p.oid::regprocedure::text AS fn FROM pg_proc p
      WHERE p.prosecdef AND p.pronamespace = 'sync'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%' AND c LIKE '%pg_temp')`);
    expect(unfenced).toEqual([]);
  });

  it("cannot point a payment at another business's sale, nor a stock movement at another business's item", async () => {
    const [payment] = (await asTerminal.query('SELECT to_jsonb(t) AS row FROM payments.transactions t LIMIT 1')).rows as {
      row: Record<string, unknown>;
    }[];
    const pay = (changes: Record<string, unknown>) =>
      asTerminal.query('INSERT INTO payments.transactions SELECT * FROM jsonb_populate_record(NULL::payments.transactions, $1::jsonb)', [
        JSON.stringify({ ...payment!.row, id: uuidv7(), idempotency_key: `forged-${uuidv7()}`, ...changes }),
      ]);
    expect(await refusal(pay({ sale_id: otherSaleId }))).toBe('42501');
    const [movement] = (await asTerminal.query('SELECT to_jsonb(m) AS row FROM inventory.stock_movements m LIMIT 1')).rows as {
      row: Record<string, unknown>;
    }[];
    expect(
      await refusal(
        asTerminal.query(
          'INSERT INTO inventory.stock_movements SELECT * FROM jsonb_populate_record(NULL::inventory.stock_movements, $1::jsonb)',
          [JSON.stringify({ ...movement!.row, id: uuidv7(), idempotency_key: `forged-${uuidv7()}`, variant_id: otherVariantId })],
        ),
      ),
    ).toBe('42501');
    expect(
      await centralRow<{ n: number }>('SELECT count(*)::int AS n FROM payments.transactions WHERE sale_id = $1', [otherSaleId]),
    ).toEqual({ n: 0 });
  });

  it('cannot change a price, nor read or change a store-credit balance itself', async () => {
    const [variant] = (await asTerminal.query('SELECT id, price::text AS price FROM inventory.product_variants ORDER BY id LIMIT 1'))
      .rows as { id: string; price: string }[];
    expect(await refusal(asTerminal.query(`UPDATE inventory.product_variants SET price = '0.01' WHERE id = $1`, [variant!.id]))).toBe(
      '42501',
    );
    expect(await centralRow('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [variant!.id])).toEqual({
      price: variant!.price,
    });
    const balanceId = uuidv7();
    await central.sql.query(
      `INSERT INTO payments.balances (id, business_id, kind, code, amount, currency, status)
      VALUES ($1, $2, 'STORE_CREDIT', $3, '100.0000', 'MXN', 'ACTIVE')`,
      [balanceId, businessId, `SF-SEC-${balanceId.slice(-6)}`],
    );
    const updated = await asTerminal.query(`UPDATE payments.balances SET amount = 1000000 WHERE id = $1`, [balanceId]).then(
      (r) => r.rowCount,
      () => 0,
    );
    expect(updated).toBe(0);
    expect((await asTerminal.query('SELECT code FROM payments.balances')).rowCount).toBe(0);
    expect(await centralRow('SELECT amount::text AS amount FROM payments.balances WHERE id = $1', [balanceId])).toEqual({
      amount: '100.0000',
    });
    // Nor through central's functions without a payment or refund of its own behind it.
    expect(
      await refusal(
        asTerminal.query('SELECT sync.open_store_credit($1::jsonb)', [
          JSON.stringify({
            id: uuidv7(),
            business_id: businessId,
            kind: 'STORE_CREDIT',
            code: 'SF-FORGED',
            amount: '5000',
            currency: 'MXN',
            status: 'ACTIVE',
            version: 1,
          }),
        ]),
      ),
    ).toBe('42501');
    const [payment] = (await asTerminal.query('SELECT id, employee_id FROM payments.transactions LIMIT 1')).rows as {
      id: string;
      employee_id: string;
    }[];
    expect(
      await refusal(
        asTerminal.query('SELECT sync.apply_balance_movements($1::jsonb)', [
          JSON.stringify([
            {
              id: uuidv7(),
              balance_id: balanceId,
              transaction_id: payment!.id,
              refund_id: null,
              employee_id: payment!.employee_id,
              amount: '900.0000',
              reason: 'sale',
              idempotency_key: `forged-${uuidv7()}`,
              occurred_at: new Date().toISOString(),
            },
          ]),
        ]),
      ),
    ).toBe('42501');
    expect(await centralRow('SELECT amount::text AS amount FROM payments.balances WHERE id = $1', [balanceId])).toEqual({
      amount: '100.0000',
    });
  });

  it("cannot set its branch's stock levels itself, nor move them through central with anything but a line of its own sale", async () => {
    const [level] = (
      await asTerminal.query('SELECT id, variant_id, quantity::text AS quantity FROM inventory.stock_levels ORDER BY id LIMIT 1')
    ).rows as { id: string; variant_id: string; quantity: string }[];
    expect(await refusal(asTerminal.query(`UPDATE inventory.stock_levels SET quantity = 999999 WHERE id = $1`, [level!.id]))).toBe('42501');
    const [unstocked] = (
      await asTerminal.query(`SELECT v.id FROM inventory.product_variants v WHERE NOT EXISTS
      (SELECT 1 FROM inventory.stock_levels l WHERE l.variant_id = v.id) ORDER BY v.id LIMIT 1`)
    ).rows as { id: string }[];
    if (unstocked) {
      expect(
        await refusal(
          asTerminal.query(`INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity) VALUES ($1, $2, $3, 999999)`, [
            uuidv7(),
            unstocked.id,
            branchId,
          ]),
        ),
      ).toBe('42501');
    }
    // A real line's movement, inflated or re-keyed, or an adjustment: refused by central's function.
    const real = (await centralRow<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(m) AS row FROM inventory.stock_movements m
      WHERE reference_type = 'sale' AND branch_id = $1 ORDER BY id LIMIT 1`,
      [branchId],
    ))!.row;
    const forge = (changes: Record<string, unknown>) =>
      refusal(
        asTerminal.query('SELECT sync.apply_sale_stock($1::jsonb)', [
          JSON.stringify([{ ...real, id: uuidv7(), stock_level_id: uuidv7(), ...changes }]),
        ]),
      );
    expect(await forge({ idempotency_key: `forged-${uuidv7()}` })).toBe('42501');
    expect(await forge({ quantity: '-1000.0000', idempotency_key: `${real.reference_id as string}:stock:${uuidv7()}` })).toBe('42501');
    expect(
      await forge({ kind: 'ADJUSTMENT', reference_type: 'stock.adjust', quantity: '1000.0000', idempotency_key: `forged-${uuidv7()}` }),
    ).toBe('42501');
    expect(await centralRow('SELECT quantity::text AS quantity FROM inventory.stock_levels WHERE id = $1', [level!.id])).toEqual({
      quantity: level!.quantity,
    });
  });

  it("moves central's stock by exactly what a sale pushed through the login sold", async () => {
    const before = Object.fromEntries(
      (
        await central.sql.query<{ variant_id: string; quantity: string }>(
          'SELECT variant_id, quantity::text AS quantity FROM inventory.stock_levels WHERE branch_id = $1',
          [branchId],
        )
      ).map((r) => [r.variant_id, r.quantity]),
    );
    const { saleId } = await terminal.sell(3);
    await waitFor(() => terminal.status().pending === 0, 30_000, "the sale's push");
    expect(terminal.status().quarantined.filter((q) => q.kind !== VARIANT_SAVED)).toEqual([]);
    expect(
      await centralRow(
        `SELECT count(*)::int AS lines, count(*) FILTER (WHERE l.quantity IS DISTINCT FROM coalesce(b.q, '0')::numeric - i.q)::int AS wrong
      FROM (SELECT variant_id, sum(quantity) AS q FROM sales.sale_items WHERE sale_id = $1 AND deleted_at IS NULL GROUP BY variant_id) i
      LEFT JOIN inventory.stock_levels l ON l.variant_id = i.variant_id AND l.branch_id = $2
      LEFT JOIN jsonb_each_text($3::jsonb) b(v, q) ON b.v = i.variant_id::text`,
        [saleId, branchId, JSON.stringify(before)],
      ),
    ).toEqual({ lines: expect.any(Number), wrong: 0 });
    expect(await centralRow(`SELECT count(*)::int AS n FROM inventory.stock_movements WHERE reference_id = $1`, [saleId])).toEqual(
      await centralRow(`SELECT count(*)::int AS n FROM sales.sale_items WHERE sale_id = $1 AND deleted_at IS NULL`, [saleId]),
    );
  });

  it("reads no email, phone or KYC data of the business's users, and only a blank row for staff of another branch until they are assigned to its own", async () => {
    expect(await refusal(asTerminal.query('SELECT email, phone, kyc_data FROM auth.users'))).toBe('42501');
    expect(await refusal(asTerminal.query('SELECT email FROM sync.terminal_users'))).toBe('42703');
    expect(await refusal(asTerminal.query('SELECT kyc_data FROM sync.terminal_users'))).toBe('42703');
    const cashier = (await centralRow<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM business.employees WHERE business_id = $1 AND code = '003'`,
      [businessId],
    ))!;
    const [branch3, user3, employee3] = [uuidv7(), uuidv7(), uuidv7()];
    await clone('business.branches', branchId, { id: branch3, code: 'SUC-3', name: 'Sucursal 3' });
    await clone('auth.users', cashier.user_id, {
      id: user3,
      email: `lejos-${user3.slice(-6)}@example.com`,
      phone: null,
      display_name: 'Cajero de la sucursal 3',
    });
    await clone('business.employees', cashier.id, { id: employee3, user_id: user3, code: '098', display_name: 'Cajero de la sucursal 3' });
    const [assignment] = await central.sql.query<{ id: string }>('SELECT id FROM business.employee_branches WHERE employee_id = $1', [
      cashier.id,
    ]);
    await clone('business.employee_branches', assignment!.id, { id: uuidv7(), employee_id: employee3, branch_id: branch3 });
    expect((await asTerminal.query('SELECT display_name, preferences FROM sync.terminal_users WHERE id = $1', [user3])).rows).toEqual([
      { display_name: '', preferences: {} },
    ]);
    expect(
      (await asTerminal.query('SELECT display_name FROM sync.terminal_users WHERE id = $1', [cashier.user_id])).rows[0]!.display_name,
    ).not.toBe('');

    // The pull still brings the row the employee points at, blank, and never an address.
    const local = async () =>
      (
        await terminal.engine.services.sql.query<{ display_name: string; email: string | null }>(
          'SELECT display_name, email FROM auth.users WHERE id = $1',
          [user3],
        )
      )[0];
    const sync = terminal.engine.services.sync!;
    await waitFor(
      async () => {
        await sync.syncOnce({ pull: true });
        return (await local()) !== undefined;
      },
      30_000,
      'the blank user row to come down',
    );
    expect(await local()).toEqual({ display_name: '', email: null });
    // Assigned here, the name comes down (central touches the row), still without the address.
    await clone('business.employee_branches', assignment!.id, { id: uuidv7(), employee_id: employee3, branch_id: branchId });
    await waitFor(
      async () => {
        await sync.syncOnce({ pull: true });
        return (await local())?.display_name !== '';
      },
      30_000,
      'the name to come down',
    );
    expect(await local()).toEqual({ display_name: 'Cajero de la sucursal 3', email: null });
  });

  it("lands a catalog edit only from an employee who holds catalog.manage on central: a cashier's is set aside", async () => {
    const [variant] = await terminal.engine.services.sql.query<{ id: string }>(
      `SELECT id FROM inventory.product_variants WHERE barcode IS NOT NULL ORDER BY id LIMIT 1`,
    );
    const before = await centralRow('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [variant!.id]);
    const row = (
      await terminal.engine.services.sql.query<{ row: Record<string, unknown> }>(
        'SELECT to_jsonb(v) AS row FROM inventory.product_variants v WHERE id = $1',
        [variant!.id],
      )
    )[0]!.row;
    const [cashier] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '003'`);
    const forged: VariantSavedFact = { variant: { ...row, price: '0.0100', version: Number(row.version) + 1 }, by: cashier!.id };
    const { fact } = terminal.engine.services.journal.append(VARIANT_SAVED, `forged-price-${uuidv7()}`, forged);
    await terminal.sell(1);
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push past the forged edit');
    expect(terminal.status().quarantined).toContainEqual(
      expect.objectContaining({ seq: fact.seq, kind: VARIANT_SAVED, reason: expect.stringContaining('catalog.manage') }),
    );
    expect(await centralRow('SELECT price::text AS price FROM inventory.product_variants WHERE id = $1', [variant!.id])).toEqual(before);
  });

  it('keeps store credit working through the login: a return refunded as credit and that credit spent land on central', async () => {
    const methods = ok(await terminal.engine.call('sales.paymentMethods', {}, { token: terminal.token }));
    const credit = methods.find((m) => m.code === 'STORE_CREDIT')!.id;
    const { saleId } = await terminal.sell(2);
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    const lines = await terminal.engine.services.sql.query<{ id: string; total: string }>(
      'SELECT id, total::text AS total FROM sales.sale_items WHERE sale_id = $1 AND deleted_at IS NULL ORDER BY line_no',
      [saleId],
    );
    const ret = ok(
      await terminal.engine.call(
        'returns.create',
        {
          saleId,
          lines: [{ saleItemId: lines[0]!.id, quantity: '1' }],
          refundMethodId: credit,
          reason: 'Cambio de opinión',
          idempotencyKey: `ret-${uuidv7()}`,
        },
        { token: terminal.token, override: { employeeId: manager!.id, pin: demo.store.employees[1]!.pin } },
      ),
    );
    const code = ret.storeCredit!.code;
    await waitFor(() => terminal.status().pending === 0, 30_000, "the return's push");
    expect(terminal.status().quarantined.filter((q) => q.kind !== VARIANT_SAVED)).toEqual([]);
    expect(await centralRow('SELECT amount::text AS amount FROM payments.balances WHERE code = $1', [code])).toEqual({
      amount: ret.storeCredit!.amount,
    });

    const next = ok(await terminal.engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token: terminal.token }));
    const barcode = (
      await terminal.engine.services.sql.query<{ barcode: string }>(
        `SELECT barcode FROM inventory.product_variants WHERE barcode IS NOT NULL AND deleted_at IS NULL AND price > 100 ORDER BY barcode LIMIT 1`,
      )
    )[0]!.barcode;
    ok(await terminal.engine.call('sales.addItem', { saleId: next.id, code: barcode }, { token: terminal.token }));
    ok(
      await terminal.engine.call(
        'sales.complete',
        {
          saleId: next.id,
          tenders: [
            { methodId: credit, amount: ret.storeCredit!.amount, balanceCode: code },
            { methodId: terminal.cash, tendered: '100000' },
          ],
        },
        { token: terminal.token },
      ),
    );
    await waitFor(() => terminal.status().pending === 0, 30_000, "the credit sale's push");
    expect(terminal.status().quarantined.filter((q) => q.kind !== VARIANT_SAVED)).toEqual([]);
    expect(await centralRow('SELECT amount::text AS amount FROM payments.balances WHERE code = $1', [code])).toEqual({ amount: '0.0000' });
  });

  it('closes the day through the login: the shift and its Z number land on central', async () => {
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    ok(
      await terminal.engine.call(
        'shifts.close',
        { idempotencyKey: `close-${uuidv7()}`, countedCash: '0.00' },
        { token: terminal.token, override: { employeeId: manager!.id, pin: demo.store.employees[1]!.pin } },
      ),
    );
    await waitFor(() => terminal.status().pending === 0, 30_000, "the close's push");
    expect(terminal.status().quarantined.filter((q) => q.kind !== VARIANT_SAVED)).toEqual([]);
    expect(
      await centralRow(
        `SELECT s.status, r.last_z_number >= s.z_number AS counted FROM sales.shifts s JOIN sales.cash_registers r ON r.id = s.register_id
      WHERE s.register_id = $1 ORDER BY s.opened_at DESC LIMIT 1`,
        [registerIds[0]],
      ),
    ).toEqual({ status: 'CLOSED', counted: true });
  });
});
