// Card providers' webhooks through central: the service checks each against the business's
// webhook secret, keeps a good notice once and refuses a bad one, and a register with an open
// charge learns of the notice over its own login and asks its provider at once (its slow poll set
// to ten minutes here, so only the webhook can be what settles it). Real PostgreSQL, the service
// in this process, a loopback Mercado Pago that signs its webhooks as documented.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { clipWebhookUrl } from '#engine/payments/card-terminals/clip-webhook.ts';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { installCardWebhookSecret } from '#engine/server/central/card-webhooks/webhook-secrets.ts';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { type RunningCentral, startCentralService } from '#engine/server/central/service.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, mercadoPagoSignature, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { type PrivateRedis, startPrivateRedis } from '../support/private-redis.ts';
import { runPos } from '../support/run-cli.ts';
import { businessId, createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const SECRET = 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d';
const CLIP_SECRET = 'clip-webhook-secret-5d0c2a1e';
const TERMINAL = 'PAX_A910__SMARTPOS1423';

describe('card webhooks through central', () => {
  let database: TestDatabase;
  let central: Central;
  let redis: PrivateRedis;
  let mp: LoopbackMercadoPago;
  let register: TestTerminal;
  let service: RunningCentral;
  let mpUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-card-webhooks-'));

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: SECRET,
      terminals: [{ id: TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
    });
    let registerIds: string[];
    [{ database, central, registerIds }, redis] = await Promise.all([createCentral('card_webhooks', 1), startPrivateRedis()]);
    await central.sql.query(`INSERT INTO business.settings (id, business_id, key, value) VALUES ($1, $2, 'devices.registers', $3)`, [
      uuidv7(),
      businessId,
      JSON.stringify({ 'CAJA-1': { scanners: [], cardTerminal: { provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl } } }),
    ]);
    const dir = await provisionDir(central, database.url, registerIds[0]!, 'card-webhooks');
    installProviderSecrets(dir, { provider: 'mercadopago', accessToken: TOKEN });
    register = await openTerminal(dir, registerIds[0]!, {
      cardProviderTimeoutMs: 1_000,
      cardChargeWatch: { noticeEveryMs: 200, providerPollMs: 600_000 },
    });

    installCardWebhookSecret(dataDir, businessId, 'mercadopago', SECRET);
    installCardWebhookSecret(dataDir, businessId, 'clip', CLIP_SECRET);
    service = await startCentralService(
      readCentralConfig({ url: database.url, redis: redis.url, 'data-dir': dataDir, port: '0', role: 'web' }, {}),
    );
    mpUrl = `${service.url}/webhooks/cards/mercadopago/${businessId}`;
    mp.deliverTo(mpUrl);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await register?.dispose();
    await central?.close();
    await mp?.close();
    await redis?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A charge of one item's price put on the terminal; answers it with its order. */
  async function openCharge() {
    const { engine, token } = register;
    const terminal = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.integrated)!;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
    const [item] = await engine.services.sql.query<{ barcode: string }>(
      `SELECT v.barcode FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
       WHERE v.barcode IS NOT NULL AND p.sold_by = 'UNIT' LIMIT 1`,
    );
    const cart = ok(await engine.call('sales.addItem', { saleId: sale.id, code: item!.barcode }, { token }));
    const charge = ok(
      await engine.call(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminal.id, amount: cart.totals.total, idempotencyKey: `charge-${uuidv7()}` },
        { token },
      ),
    );
    return { chargeId: charge.id, orderId: mp.orders.at(-1)!.id, saleId: sale.id, methodId: terminal.id };
  }

  /** Completes the sale its approved charge paid, so the register can open the next. */
  async function complete(charge: { chargeId: string; saleId: string; methodId: string }) {
    const { engine, token } = register;
    ok(
      await engine.call(
        'sales.complete',
        { saleId: charge.saleId, tenders: [{ methodId: charge.methodId, chargeId: charge.chargeId }] },
        { token },
      ),
    );
  }

  /** The charge as the register stores it, read without asking anyone. */
  async function stored(chargeId: string): Promise<string> {
    const [row] = await register.engine.services.sql.query<{ status: string }>('SELECT status FROM payments.card_charges WHERE id = $1', [
      chargeId,
    ]);
    return row!.status;
  }

  async function keptOf(reference: string) {
    return central.sql.query<{ notice_id: string; deliveries: number }>(
      'SELECT notice_id, deliveries FROM sync.card_notices WHERE reference = $1 ORDER BY received_at',
      [reference],
    );
  }

  /** A notice about the order signed with `secret` as Mercado Pago signs, its body as given. */
  function signed(orderId: string, body: Record<string, unknown>, secret = SECRET) {
    const requestId = randomUUID();
    const ts = String(Date.now());
    return fetch(`${mpUrl}?data.id=${orderId}&type=order`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': mercadoPagoSignature(secret, orderId, requestId, ts),
        'x-request-id': requestId,
      },
      body: JSON.stringify(body),
    });
  }

  const orderBody = (orderId: string, status: string, version: number) => ({
    action: 'order.updated',
    type: 'order',
    data: { id: orderId, status, type: 'point', version },
    live_mode: false,
  });

  it("settles a register's open charge to APPROVED once the provider's webhook reaches central, without waiting for its poll", async () => {
    const charge = await openCharge();
    const { chargeId, orderId } = charge;
    expect(await stored(chargeId)).not.toBe('APPROVED');
    const asked = mp.requests;
    mp.terminal(orderId).takes();
    mp.terminal(orderId).pays({ last4: '0004' });
    await mp.flush();
    await waitFor(async () => (await stored(chargeId)) === 'APPROVED', 15_000, 'the charge approved through the webhook');
    // One question to the provider, made because of the notice.
    expect(mp.requests - asked).toBe(1);
    expect(await keptOf(orderId)).toHaveLength(1);
    const { engine, token } = register;
    expect(ok(await engine.call('payments.charge', { chargeId }, { token }))).toMatchObject({ status: 'APPROVED', cardLast4: '0004' });
    await complete(charge);
  }, 60_000);

  it('keeps a signed Mercado Pago notice once when it is delivered again, as sent or signed anew', async () => {
    const notice = mp.notices.find((n) => n.action === 'order.processed')!;
    const replay = await mp.send(notice, 'replay');
    const retry = await mp.send(notice, 'retry');
    expect([replay, retry]).toEqual([200, 200]);
    const kept = await keptOf(notice.dataId);
    expect(kept).toEqual([{ notice_id: `${notice.dataId}@${notice.version}`, deliveries: 3 }]);
  });

  it('leaves a charge APPROVED when an older notice of it arrives after the approval', async () => {
    const charge = await openCharge();
    const { chargeId, orderId } = charge;
    // The approval's webhook is held back, and arrives after a notice of the order's first version.
    mp.deliverTo(null);
    mp.terminal(orderId).takes();
    mp.terminal(orderId).pays({ last4: '0004' });
    mp.deliverTo(mpUrl);
    const approval = mp.notices.find((n) => n.dataId === orderId && n.action === 'order.processed')!;
    expect(await mp.send(approval, 'retry')).toBe(200);
    expect((await signed(orderId, orderBody(orderId, 'created', 1))).status).toBe(200);
    await waitFor(async () => (await stored(chargeId)) === 'APPROVED', 15_000, 'the charge approved');
    expect((await signed(orderId, orderBody(orderId, 'created', 0))).status).toBe(200);
    expect(await keptOf(orderId)).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 600));
    expect(await stored(chargeId)).toBe('APPROVED');
    const { engine, token } = register;
    expect(ok(await engine.call('payments.charge', { chargeId }, { token })).status).toBe('APPROVED');
    await complete(charge);
  }, 60_000);

  it('does not approve a charge on a signed notice that says so while the provider says it is still at the terminal', async () => {
    const { chargeId, orderId } = await openCharge();
    mp.terminal(orderId).takes();
    const asked = mp.requests;
    expect((await signed(orderId, orderBody(orderId, 'processed', 9))).status).toBe(200);
    await waitFor(() => mp.requests > asked, 15_000, 'the provider asked about the charge');
    await waitFor(async () => (await stored(chargeId)) === 'AT_TERMINAL', 15_000, 'the charge at the terminal');
    // Mercado Pago's webhooks are seen reaching central: the pay screen's poll is answered from
    // the row the notice just settled, and the provider is not asked again for it.
    const before = mp.requests;
    const { engine, token } = register;
    expect(ok(await engine.call('payments.charge', { chargeId }, { token })).status).toBe('AT_TERMINAL');
    expect(mp.requests).toBe(before);
    // The customer cancels at the terminal: its webhook settles the charge as the provider has it.
    mp.terminal(orderId).cancels();
    await waitFor(async () => (await stored(chargeId)) === 'CANCELLED', 15_000, 'the charge cancelled');
  }, 60_000);

  it('refuses a notice with a bad or missing signature with 401 and its reason, and keeps nothing', async () => {
    const orderId = 'ORD01JQ4S4KY8HWQ6NA5PXB65B3D3';
    const forged = await signed(orderId, orderBody(orderId, 'processed', 2), 'another-secret-entirely');
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'INVALID_SIGNATURE', message: expect.stringMatching(/clave secreta/) });
    const unsigned = await fetch(`${mpUrl}?data.id=${orderId}&type=order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(orderBody(orderId, 'processed', 2)),
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { message: string }).message).toMatch(/x-signature/);
    expect(await keptOf(orderId)).toEqual([]);
  });

  it('answers 404 for a provider it does not know and for a business without a webhook secret here', async () => {
    const orderId = 'ORD01JQ4S4KY8HWQ6NA5PXB65B3D4';
    const body = JSON.stringify(orderBody(orderId, 'processed', 1));
    for (const path of [`paypal/${businessId}`, `mercadopago/${randomUUID()}`, 'mercadopago/not-a-business']) {
      const res = await fetch(`${service.url}/webhooks/cards/${path}?data.id=${orderId}&type=order`, { method: 'POST', body });
      expect(res.status, path).toBe(404);
    }
    expect(await keptOf(orderId)).toEqual([]);
  });

  it('answers 405 to anything but POST and 413 to a body far larger than a notice', async () => {
    const get = await fetch(mpUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const large = await fetch(`${mpUrl}?data.id=ORD1&type=order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(100_000) }),
    });
    expect(large.status).toBe(413);
  });

  it("keeps a Clip notice that came through the business's tokened URL, and refuses one without the token", async () => {
    const intent = `pinpad-${randomUUID()}`;
    const body = JSON.stringify({ id: intent, origin: 'pinpad-payments-api', event_type: 'PINPAD_INTENT_STATUS_CHANGED' });
    const endpoint = `${service.url}/webhooks/cards/clip/${businessId}`;
    const bare = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(bare.status).toBe(401);
    const url = clipWebhookUrl(endpoint, CLIP_SECRET);
    for (const expected of [false, true]) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, duplicate: expected });
    }
    expect(await keptOf(intent)).toEqual([{ notice_id: intent, deliveries: 2 }]);
  });

  it("lets a register's login ask about its business's notices through sync.card_notices, never read the table", async () => {
    const terminal = new pg.Client({ connectionString: readSyncConfig(register.dir)!.url });
    await terminal.connect();
    try {
      await expect(terminal.query('SELECT * FROM sync.card_notices')).rejects.toMatchObject({ code: '42501' });
      const approval = mp.notices.find((n) => n.action === 'order.processed')!;
      const { rows } = await terminal.query<{ answer: { reference: string; provider: string }[] }>(
        'SELECT sync.card_notices($1::text[]) AS answer',
        [[approval.dataId, 'ORD-NOBODY']],
      );
      expect(rows[0]!.answer).toEqual([expect.objectContaining({ reference: approval.dataId, provider: 'mercadopago' })]);
    } finally {
      await terminal.end();
    }
  });

  it('installs a webhook secret with pos central set-card-webhook-secret, readable only by its owner, and prints the URL to give the provider', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-card-webhook-cli-'));
    try {
      const secretFile = join(dir, 'secret.txt');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(secretFile, `${SECRET}\n`);
      const r = await runPos([
        'central',
        'set-card-webhook-secret',
        '--business',
        businessId,
        '--provider',
        'mercadopago',
        '--secret-file',
        secretFile,
        '--public-url',
        'https://pos.example.com/',
        '--data-dir',
        dir,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`https://pos.example.com/webhooks/cards/mercadopago/${businessId}`);
      const file = join(dir, 'businesses', businessId, 'keys', 'card-webhooks', 'mercadopago.secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const short = await runPos([
        'central',
        'set-card-webhook-secret',
        '--business',
        businessId,
        '--provider',
        'clip',
        '--secret-file',
        join(dir, 'none'),
      ]);
      expect(short.code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
