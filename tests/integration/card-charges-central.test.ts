// A register that syncs, paid by its integrated card terminal against a loopback Mercado Pago:
// the charge (as asked, then as approved) and the sale it paid reach central, the tender naming
// the charge, nothing set aside; and a register cannot rewrite a charge central holds as final.
// Money given back on the card reaches central too: a return's refund naming the tender it
// compensates, and a voided sale's refund naming the charge it gave back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Central } from '#db/central.ts';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { businessId, createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const TERMINAL = 'PAX_A910__SMARTPOS1423';

describe('card charges at central', () => {
  let database: TestDatabase;
  let central: Central;
  let mp: LoopbackMercadoPago;
  let register: TestTerminal;

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d',
      terminals: [{ id: TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
    });
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('card_charges_central', 1));
    // The register's terminal is paired at central, whose settings the register pulls.
    await central.sql.query(`INSERT INTO business.settings (id, business_id, key, value) VALUES ($1, $2, 'devices.registers', $3)`, [
      uuidv7(),
      businessId,
      JSON.stringify({ 'CAJA-1': { scanners: [], cardTerminal: { provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl } } }),
    ]);
    const dir = await provisionDir(central, database.url, registerIds[0]!, 'card-charges-central');
    installProviderSecrets(dir, { provider: 'mercadopago', accessToken: TOKEN });
    register = await openTerminal(dir, registerIds[0]!, { cardProviderTimeoutMs: 1_000 });
  }, 180_000);

  afterAll(async () => {
    await register?.dispose();
    await central?.close();
    await database?.drop();
    await mp?.close();
  });

  /** A sale of the given barcodes, charged whole on the terminal and approved there. */
  async function approvedSale(barcodes: string[]) {
    const { engine, token } = register;
    const terminal = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.integrated)!;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
    let total = '0';
    for (const code of barcodes) total = ok(await engine.call('sales.addItem', { saleId: sale.id, code }, { token })).totals.total;
    const charge = ok(
      await engine.call(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminal.id, amount: total, idempotencyKey: `charge-${uuidv7()}` },
        { token },
      ),
    );
    const order = mp.orders.at(-1)!;
    mp.terminal(order.id).takes();
    mp.terminal(order.id).pays({ last4: '0004' });
    expect(ok(await engine.call('payments.charge', { chargeId: charge.id }, { token })).status).toBe('APPROVED');
    return { saleId: sale.id, chargeId: charge.id, methodId: terminal.id, orderId: order.id };
  }

  async function pushed() {
    register.engine.services.sync!.kick();
    await waitFor(() => register.status().pending === 0, 30_000, 'the push');
  }

  it('holds the approved charge and the sale it paid, the tender naming the charge', async () => {
    const { engine, token } = register;
    const methods = ok(await engine.call('sales.paymentMethods', {}, { token }));
    const terminal = methods.find((m) => m.integrated)!;
    expect(terminal).toBeDefined();
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
    const [barcode] = await engine.services.sql.query<{ barcode: string }>(
      `SELECT v.barcode FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
       WHERE v.barcode IS NOT NULL AND p.sold_by = 'UNIT' LIMIT 1`,
    );
    const cart = ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcode!.barcode }, { token }));
    const charge = ok(
      await engine.call(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminal.id, amount: cart.totals.total, idempotencyKey: `charge-${uuidv7()}` },
        { token },
      ),
    );
    const order = mp.orders.at(-1)!;
    mp.terminal(order.id).takes();
    mp.terminal(order.id).pays({ last4: '0004' });
    expect(ok(await engine.call('payments.charge', { chargeId: charge.id }, { token })).status).toBe('APPROVED');
    ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: terminal.id, chargeId: charge.id }] }, { token }));

    engine.services.sync!.kick();
    await waitFor(() => register.status().pending === 0, 30_000, 'the push');
    expect(register.status().quarantined).toEqual([]);
    const [held] = await central.sql.query<{ status: string; version: number; card_last4: string; provider_reference: string }>(
      'SELECT status, version, card_last4, provider_reference FROM payments.card_charges WHERE id = $1',
      [charge.id],
    );
    expect(held).toMatchObject({ status: 'APPROVED', card_last4: '0004', provider_reference: order.id });
    const [tender] = await central.sql.query<{ card_charge_id: string }>(
      'SELECT card_charge_id FROM payments.transactions WHERE sale_id = $1',
      [sale.id],
    );
    expect(tender!.card_charge_id).toBe(charge.id);

    // A forged later version turning the approval into a decline is set aside, and central keeps the approval.
    const [row] = await engine.services.sql.query<Record<string, unknown>>(
      `SELECT to_jsonb(k) AS row FROM payments.card_charges k WHERE id = $1`,
      [charge.id],
    );
    const forged = { ...(row!.row as Record<string, unknown>), status: 'DECLINED', version: Number(held!.version) + 1 };
    engine.services.journal.append('payments.card_charge_saved', `card-charge:${charge.id}:forged`, { charge: forged });
    await waitFor(() => register.status().quarantined.length === 1, 30_000, 'the forged charge set aside');
    const [after] = await central.sql.query<{ status: string }>('SELECT status FROM payments.card_charges WHERE id = $1', [charge.id]);
    expect(after!.status).toBe('APPROVED');
  }, 120_000);

  it('receives a return’s card refund naming its tender, and a void’s naming its charge, nothing set aside', async () => {
    const { engine, token } = register;
    const setAside = register.status().quarantined.length;
    const [manager] = await engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    const override = { employeeId: manager!.id, pin: demo.store.employees[1]!.pin };
    const barcodes = (
      await engine.services.sql.query<{ barcode: string }>(
        `SELECT v.barcode FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
         WHERE v.barcode IS NOT NULL AND p.sold_by = 'UNIT' ORDER BY v.barcode LIMIT 2`,
      )
    ).map((r) => r.barcode);

    // A return of one of two lines: only its share goes back on the card.
    const sold = await approvedSale(barcodes);
    ok(
      await engine.call(
        'sales.complete',
        { saleId: sold.saleId, tenders: [{ methodId: sold.methodId, chargeId: sold.chargeId }] },
        { token },
      ),
    );
    const [line] = await engine.services.sql.query<{ id: string }>(
      'SELECT id FROM sales.sale_items WHERE sale_id = $1 AND deleted_at IS NULL ORDER BY line_no LIMIT 1',
      [sold.saleId],
    );
    const ret = ok(
      await engine.call(
        'returns.create',
        {
          saleId: sold.saleId,
          lines: [{ saleItemId: line!.id, quantity: '1' }],
          refundMethodId: sold.methodId,
          reason: 'Producto en mal estado',
          idempotencyKey: `return-${uuidv7()}`,
        },
        { token, override },
      ),
    );
    expect(mp.order(sold.orderId).transactions.refunds).toHaveLength(1);

    // A void of a sale whose charge was approved: the charge goes back whole, then the sale is voided.
    const voided = await approvedSale(barcodes.slice(0, 1));
    ok(await engine.call('sales.void', { saleId: voided.saleId, reason: 'El cliente se arrepintió' }, { token, override }));

    await pushed();
    expect(register.status().quarantined).toHaveLength(setAside);
    const [returned] = await central.sql.query<{ amount: string; transaction_id: string; provider: string }>(
      'SELECT amount::text, transaction_id, provider FROM payments.refunds WHERE return_id = $1',
      [ret.returnId],
    );
    const [tender] = await central.sql.query<{ id: string }>('SELECT id FROM payments.transactions WHERE sale_id = $1', [sold.saleId]);
    expect(returned).toEqual({ amount: ret.total, transaction_id: tender!.id, provider: 'mercadopago' });
    const [gaveBack] = await central.sql.query<{ card_charge_id: string; status: string }>(
      `SELECT r.card_charge_id, s.status FROM payments.refunds r JOIN sales.sales s ON s.id = r.sale_id WHERE r.sale_id = $1`,
      [voided.saleId],
    );
    expect(gaveBack).toEqual({ card_charge_id: voided.chargeId, status: 'VOIDED' });
    const [charge] = await central.sql.query<{ status: string }>('SELECT status FROM payments.card_charges WHERE id = $1', [
      voided.chargeId,
    ]);
    expect(charge!.status).toBe('APPROVED');
  }, 120_000);
});
