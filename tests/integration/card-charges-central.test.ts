// A register that syncs, paid by its integrated card terminal against a loopback Mercado Pago:
// the charge (as asked, then as approved) and the sale it paid reach central, the tender naming
// the charge, nothing set aside; and a register cannot rewrite a charge central holds as final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Central } from '#db/central.ts';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { businessId, openTerminal, prepareCentral, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

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
    database = await createTestDatabase('card_charges_central');
    let registerIds: string[];
    ({ central, registerIds } = await prepareCentral(database.url, 1));
    // The register's terminal is paired at central, whose settings the register pulls.
    await central.sql.query(`INSERT INTO business.settings (id, business_id, key, value) VALUES ($1, $2, 'devices.registers', $3)`, [
      uuidv7(),
      businessId,
      JSON.stringify({ 'CAJA-1': { scanners: [], cardTerminal: { provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl } } }),
    ]);
    const dir = await provisionDir(central, database.url, registerIds[0]!, 'card-charges-central');
    installProviderSecrets(dir, { provider: 'mercadopago', accessToken: TOKEN });
    register = await openTerminal(dir, registerIds[0]!, { cardProviderTimeoutMs: 1_000 });
    forgetStoreSettings();
  }, 180_000);

  afterAll(async () => {
    await register?.dispose();
    await central?.close();
    await database?.drop();
    await mp?.close();
  });

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
});
