// A change and its audit entry are one: when the entry cannot be written, the change is not
// made either, and nothing reaches the journal. The audit insert is made to fail by a trigger on
// the real PGlite (for one action at a time), the way a value the database refuses made it fail
// in the field: a NUL in a price override's reason changed 32.00 to 0.01 with no audit row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';
import { installAuditRefusal, type AuditRefusal } from '../support/refused-audit.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50

describe('a change whose audit entry cannot be written', () => {
  let demo: Demo;
  let refuseAudit: AuditRefusal['refuse'];
  let allowAudit: AuditRefusal['allow'];
  let cashier: string;
  let manager: { employeeId: string; pin: string };
  let cash: string;
  let seq = 0;
  const key = () => `audited-${++seq}-key`;
  const sql = <R>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<R>(text, params);
  const auditRows = async (action: string) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM auth.audit_logs WHERE action = $1`, [action]))[0]!.n;

  beforeAll(async () => {
    demo = await openDemoEngine('audited-changes');
    ({ refuse: refuseAudit, allow: allowAudit } = await installAuditRefusal(demo.engine.services.sql));
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    cash = methods.find((m) => m.code === 'CASH')!.id;
  }, 120_000);
  afterAll(() => demo?.dispose());

  const failsInternally = (result: CallResult<unknown>) => expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });

  it('opens no shift', async () => {
    await refuseAudit('shifts.open');
    const head = demo.engine.services.journal.head().seq;
    failsInternally(await demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
    expect(await sql(`SELECT id FROM sales.shifts WHERE status = 'OPEN'`)).toEqual([]);
    expect(demo.engine.services.journal.head().seq).toBe(head);
    await allowAudit();
    ok(await demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500.00' }, { token: cashier }));
    expect(await auditRows('shifts.open')).toBe(1);
  });

  it('changes no price: the line keeps its price in PGlite and on the screen', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    const line = ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier })).lines[0]!;
    await refuseAudit('sales.price_override');
    const override = { saleId: sale.id, lineId: line.id, unitPrice: '0.01', reason: 'Precio de anaquel' };
    failsInternally(await demo.engine.call('sales.overridePrice', override, { token: cashier, override: manager }));
    expect(ok(await demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier })).lines[0]).toMatchObject({
      unitPrice: '31.5000',
      listPrice: null,
    });
    expect(await sql(`SELECT unit_price::text AS p FROM sales.sale_items WHERE id = $1`, [line.id])).toEqual([{ p: '31.5000' }]);
    expect(await auditRows('sales.price_override')).toBe(0);

    await allowAudit();
    const changed = ok(await demo.engine.call('sales.overridePrice', override, { token: cashier, override: manager }));
    expect(changed.lines[0]).toMatchObject({ unitPrice: '0.0100', listPrice: '31.5000' });
    expect(await auditRows('sales.price_override')).toBe(1);

    await refuseAudit('sales.void');
    const head = demo.engine.services.journal.head().seq;
    failsInternally(await demo.engine.call('sales.void', { saleId: sale.id, reason: 'prueba' }, { token: cashier, override: manager }));
    expect(ok(await demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier })).status).toBe('OPEN');
    expect(await sql(`SELECT status FROM sales.sales WHERE id = $1`, [sale.id])).toEqual([{ status: 'OPEN' }]);
    expect(demo.engine.services.journal.head().seq).toBe(head);
    await allowAudit();
    ok(await demo.engine.call('sales.void', { saleId: sale.id, reason: 'prueba' }, { token: cashier, override: manager }));
    expect(await auditRows('sales.void')).toBe(1);
  });

  it('moves no cash and opens no drawer on record', async () => {
    await refuseAudit('shifts.cash_movement');
    await refuseAudit('drawer.no_sale');
    const head = demo.engine.services.journal.head().seq;
    const payOut = { kind: 'PAY_OUT' as const, amount: '20.00', reason: 'Garrafón de agua', idempotencyKey: key() };
    failsInternally(await demo.engine.call('shifts.cashMovement', payOut, { token: cashier }));
    const noSale = { reason: 'Cambio para el cliente', idempotencyKey: key() };
    failsInternally(await demo.engine.call('drawer.noSale', noSale, { token: cashier, override: manager }));
    expect(await sql(`SELECT id FROM sales.cash_movements`)).toEqual([]);
    expect(demo.engine.services.journal.head().seq).toBe(head);

    await allowAudit();
    expect(ok(await demo.engine.call('shifts.cashMovement', payOut, { token: cashier })).repeated).toBe(false);
    expect(await sql(`SELECT kind, amount::text FROM sales.cash_movements`)).toEqual([{ kind: 'PAY_OUT', amount: '20.0000' }]);
    expect(await auditRows('shifts.cash_movement')).toBe(1);
  });

  it('records no return, refund or credit', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '2' }, { token: cashier }));
    const receipt = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }),
    );
    const found = ok(await demo.engine.call('returns.lookup', { code: receipt.receiptCode }, { token: cashier }));
    const [before] = await sql<{ n: string }>(`SELECT last_return_number::text AS n FROM sales.cash_registers WHERE id = $1`, [
      demo.engine.services.terminal!.registerId,
    ]);
    await refuseAudit('sales.return');
    const head = demo.engine.services.journal.head().seq;
    const ret = {
      saleId: sale.id,
      lines: [{ saleItemId: found.lines[0]!.saleItemId, quantity: '1' }],
      refundMethodId: cash,
      reason: 'Empaque roto',
      idempotencyKey: key(),
    };
    failsInternally(await demo.engine.call('returns.create', ret, { token: cashier, override: manager }));
    expect(await sql(`SELECT id FROM sales.returns`)).toEqual([]);
    expect(await sql(`SELECT id FROM payments.refunds`)).toEqual([]);
    expect(
      await sql(`SELECT last_return_number::text AS n FROM sales.cash_registers WHERE id = $1`, [
        demo.engine.services.terminal!.registerId,
      ]),
    ).toEqual([before]);
    expect(demo.engine.services.journal.head().seq).toBe(head);
    await allowAudit();
    expect(ok(await demo.engine.call('returns.create', ret, { token: cashier, override: manager })).returnNumber).toBe(1);
    expect(await auditRows('sales.return')).toBe(1);
  });

  it('moves no stock', async () => {
    const managerToken = await signInToBackOffice(demo, demo.people.manager);
    const [arroz] = await sql<{ id: string }>(`SELECT id FROM inventory.product_variants WHERE barcode = $1`, [ARROZ]);
    const level = async () =>
      (
        await sql<{ q: string }>(`SELECT coalesce(sum(quantity), 0)::text AS q FROM inventory.stock_movements WHERE variant_id = $1`, [
          arroz!.id,
        ])
      )[0]!.q;
    const before = await level();
    await refuseAudit('inventory.adjusted');
    const head = demo.engine.services.journal.head().seq;
    const breakage = { variantId: arroz!.id, delta: '-2', reason: 'Bolsas rotas', idempotencyKey: key() };
    failsInternally(await demo.engine.call('inventory.adjust', breakage, { token: managerToken }));
    expect(await level()).toBe(before);
    expect(demo.engine.services.journal.head().seq).toBe(head);
    await allowAudit();
    expect(ok(await demo.engine.call('inventory.adjust', breakage, { token: managerToken })).change).toBe('-2');
    expect(await auditRows('inventory.adjusted')).toBe(1);
  });

  it('changes no role, employee or PIN', async () => {
    const owner = await signInToBackOffice(demo, demo.people.owner);
    const pinHash = () =>
      sql(
        `SELECT i.secret_hash FROM auth.user_identities i JOIN business.employees e ON e.user_id = i.user_id
      WHERE e.id = $1 AND i.provider = 'PIN' AND i.deleted_at IS NULL`,
        [demo.people.cashier.id],
      );
    const [cashierRow] = await sql<{ code: string; role_id: string; display_name: string }>(
      `SELECT code, role_id, display_name FROM business.employees WHERE id = $1`,
      [demo.people.cashier.id],
    );
    const [branch] = await sql<{ id: string }>(`SELECT id FROM business.branches LIMIT 1`);
    const hashBefore = await pinHash();
    await refuseAudit('roles.changed');
    await refuseAudit('staff.updated');
    await refuseAudit('auth.pin_set');
    await refuseAudit('auth.unlock');
    const role = { name: 'Ayudante de piso', maxDiscountRate: '0', permissions: ['sales.sell'] };
    failsInternally(await demo.engine.call('roles.save', role, { token: owner }));
    const renamed = {
      id: demo.people.cashier.id,
      code: cashierRow!.code,
      displayName: 'Ángela I.',
      roleId: cashierRow!.role_id,
      branchIds: [branch!.id],
    };
    failsInternally(await demo.engine.call('staff.save', renamed, { token: owner }));
    failsInternally(await demo.engine.call('staff.setPin', { employeeId: demo.people.cashier.id, pin: '97531' }, { token: owner }));
    failsInternally(await demo.engine.call('staff.unlock', { employeeId: demo.people.cashier.id }, { token: owner }));
    expect(await sql(`SELECT id FROM business.roles WHERE name = $1`, [role.name])).toEqual([]);
    expect(await sql(`SELECT display_name FROM business.employees WHERE id = $1`, [demo.people.cashier.id])).toEqual([
      { display_name: cashierRow!.display_name },
    ]);
    expect(await pinHash()).toEqual(hashBefore);

    await allowAudit();
    ok(await demo.engine.call('roles.save', role, { token: owner }));
    ok(await demo.engine.call('staff.save', renamed, { token: owner }));
    expect(await auditRows('roles.changed')).toBe(1);
    expect(await auditRows('staff.updated')).toBe(1);
  });

  it('changes no price, barcode or product in the catalog', async () => {
    const owner = await signInToBackOffice(demo, demo.people.owner);
    const variant = async () =>
      (
        await sql<{ id: string; product_id: string; price: string; version: number; barcode: string | null }>(
          `SELECT id, product_id, price::text, version, barcode FROM inventory.product_variants WHERE sku = 'ABR-000002'`,
        )
      )[0]!;
    const before = await variant();
    await refuseAudit('catalog.price_changed');
    await refuseAudit('catalog.barcode_removed');
    await refuseAudit('catalog.variant_created');
    await refuseAudit('catalog.product_updated');
    failsInternally(
      await demo.engine.call('catalog.setPrice', { variantId: before.id, version: before.version, price: '0.01' }, { token: owner }),
    );
    failsInternally(await demo.engine.call('catalog.removeBarcode', { variantId: before.id, version: before.version }, { token: owner }));
    failsInternally(
      await demo.engine.call(
        'catalog.saveVariant',
        { productId: before.product_id, sku: 'ABR-000002-B', price: '30.00' },
        { token: owner },
      ),
    );
    const product = ok(await demo.engine.call('catalog.product', { productId: before.product_id }, { token: owner }));
    failsInternally(
      await demo.engine.call(
        'catalog.saveProduct',
        {
          id: before.product_id,
          version: product.version,
          name: 'Arroz',
          taxCode: product.taxCode,
        },
        { token: owner },
      ),
    );
    expect(await variant()).toEqual(before);
    expect(await sql(`SELECT id FROM inventory.product_variants WHERE sku = 'ABR-000002-B'`)).toEqual([]);
    expect(ok(await demo.engine.call('catalog.product', { productId: before.product_id }, { token: owner }))).toMatchObject({
      name: product.name,
      version: product.version,
    });

    await allowAudit();
    expect(
      ok(await demo.engine.call('catalog.setPrice', { variantId: before.id, version: before.version, price: '32.00' }, { token: owner })),
    ).toMatchObject({ changed: true });
    expect(await auditRows('catalog.price_changed')).toBe(1);
  });

  it('configures no device', async () => {
    const owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    const stored = () => sql(`SELECT value, version FROM business.settings WHERE key = 'devices.registers'`);
    const before = await stored();
    await refuseAudit('devices.configure');
    const scale = {
      registerCode: 'CAJA-2',
      devices: { scanners: [], scale: { address: 'serial:/dev/ttyUSB1?baud=9600', unit: 'kg' as const } },
    };
    failsInternally(await demo.engine.call('devices.configure', scale, { token: owner }));
    expect(await stored()).toEqual(before);
    await allowAudit();
    ok(await demo.engine.call('devices.configure', scale, { token: owner }));
    expect(await auditRows('devices.configure')).toBe(1);
  });

  it('closes no shift and uses up no Z number', async () => {
    const [register] = await sql<{ z: string }>(`SELECT last_z_number::text AS z FROM sales.cash_registers WHERE id = $1`, [
      demo.engine.services.terminal!.registerId,
    ]);
    await refuseAudit('shifts.close');
    // The manager sees the expected cash a blind count hides from the cashier.
    const managerToken = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    const report = ok(await demo.engine.call('shifts.xReport', {}, { token: managerToken }));
    const close = { idempotencyKey: key(), countedCash: report.cash.expected! };
    failsInternally(await demo.engine.call('shifts.close', close, { token: cashier }));
    expect(await sql(`SELECT status FROM sales.shifts`)).toEqual([{ status: 'OPEN' }]);
    expect(
      await sql(`SELECT last_z_number::text AS z FROM sales.cash_registers WHERE id = $1`, [demo.engine.services.terminal!.registerId]),
    ).toEqual([register]);
    await allowAudit();
    expect(ok(await demo.engine.call('shifts.close', close, { token: cashier })).zNumber).toBe(Number(register!.z) + 1);
    expect(await auditRows('shifts.close')).toBe(1);
  });
});

describe('text the database would refuse, sent to a call that changes something', () => {
  let demo: Demo;
  let cashier: string;
  let manager: { employeeId: string; pin: string };

  beforeAll(async () => {
    demo = await openDemoEngine('audited-text');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    ok(await demo.engine.call('shifts.open', { idempotencyKey: 'audited-text-shift', openingFloat: '500.00' }, { token: cashier }));
  }, 120_000);
  afterAll(() => demo?.dispose());

  it('answers a price override with a NUL in its reason with 400 naming the reason, and the price stays', async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: 'audited-text-sale' }, { token: cashier }));
    const line = ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier })).lines[0]!;
    for (const reason of ['Precio\u0000', 'Precio \ud800 de anaquel']) {
      const result = await demo.engine.call(
        'sales.overridePrice',
        { saleId: sale.id, lineId: line.id, unitPrice: '0.01', reason },
        { token: cashier, override: manager },
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'reason' } } });
    }
    expect(ok(await demo.engine.call('sales.get', { saleId: sale.id }, { token: cashier })).lines[0]!.unitPrice).toBe('31.5000');
    expect(await demo.engine.services.sql.query(`SELECT id FROM auth.audit_logs WHERE action = 'sales.price_override'`)).toEqual([]);
  });

  it('answers a pay-out with a NUL or a lone surrogate in its reason with 400, and no cash moves', async () => {
    for (const reason of ['Garrafón\u0000', 'Garrafón \ud800']) {
      const result = await demo.engine.call(
        'shifts.cashMovement',
        { kind: 'PAY_OUT', amount: '10', reason, idempotencyKey: `audited-text-${reason.length}-po` },
        { token: cashier },
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { field: 'reason' } } });
    }
    expect(await demo.engine.services.sql.query(`SELECT id FROM sales.cash_movements`)).toEqual([]);
  });

  it('refuses a broken session token or override in the envelope as input, not as a server error', async () => {
    for (const opts of [
      { token: `${cashier}\u0000` },
      { token: cashier, override: { employeeId: manager.employeeId, pin: '135\u00007' } },
    ]) {
      const result = await demo.engine.call('sales.current', {}, opts);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });
});
