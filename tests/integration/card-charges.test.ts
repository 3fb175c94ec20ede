// Charges on the register's integrated card terminal, on a real demo engine against a loopback
// Mercado Pago on 127.0.0.1 that speaks the documented Orders API: one order per charge however the
// request is retried, an approval that pays the sale as its tender, a decline that leaves the sale
// open for another tender, cancelling before and after the customer paid, the provider's refusals
// in words, and a charge left open by a lost answer settled at the next start by asking again
// with the same key; and the same on a Clip terminal.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installProviderSecrets, paymentKeysDir } from '#engine/security/payment-secrets.ts';
import { runPos } from '../support/run-cli.ts';
import { openEngine } from '#engine/engine.ts';
import { ok, openDemoEngine, pairCardTerminal, signIn } from '../support/demo-engine.ts';
import { type LoopbackClip, startLoopbackClip } from '../support/loopback-clip.ts';
import { type LoopbackMercadoPago, type MpTerminal, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const SECRET = 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const TERMINAL = 'PAX_A910__SMARTPOS1423';
const TERMINALS: MpTerminal[] = [
  { id: TERMINAL, operating_mode: 'PDV', pos_id: 47792476, store_id: '1235456678', external_pos_id: 'CAJA1' },
];
const ARROZ = '7505599000026'; // 31.50
const AGUA_PINA = '7505641000219'; // 8.50

describe('charges on the register’s integrated card terminal', () => {
  let demo: Demo;
  let mp: LoopbackMercadoPago;
  let cashier: string;
  let terminalMethod: string;
  let cash: string;
  let seq = 0;
  const key = () => `card-charge-test-${++seq}`;

  /** The register's terminal paired through the back office's devices form, as a manager does. */
  const pair = (baseUrl: string, terminalId = TERMINAL) => pairCardTerminal(demo, { provider: 'mercadopago', terminalId, baseUrl });

  async function openSale(codes: string[]) {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    return sale.id;
  }
  const start = (saleId: string, amount: string, idempotencyKey = key()) =>
    demo.engine.call('payments.startCharge', { saleId, methodId: terminalMethod, amount, idempotencyKey }, { token: cashier });
  const read = async (chargeId: string) => ok(await demo.engine.call('payments.charge', { chargeId }, { token: cashier }));
  const ordersOf = (externalReference: string) => mp.orders.filter((o) => o.external_reference === externalReference);
  const referenceOf = async (chargeId: string) =>
    (
      await demo.engine.services.sql.query<{ external_reference: string }>(
        'SELECT external_reference FROM payments.card_charges WHERE id = $1',
        [chargeId],
      )
    )[0]!.external_reference;

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({ accessToken: TOKEN, webhookSecret: SECRET, terminals: TERMINALS, countryCode: 'MEX' });
    demo = await openDemoEngine('card-charges', { start: new Date(), cardProviderTimeoutMs: 1_000 });
    // As the README says: the token from a file, into the data directory's keys.
    const tokenFile = join(demo.dir, '..', `mp-token-${process.pid}.txt`);
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const refused = await runPos(['payments', 'set-token', '--data-dir', demo.dir, '--provider', 'visa', '--token-file', tokenFile]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    const installed = await runPos([
      'payments',
      'set-token',
      '--data-dir',
      demo.dir,
      '--provider',
      'mercadopago',
      '--token-file',
      tokenFile,
    ]);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    expect(installed.stdout).not.toContain(TOKEN);
    expect(statSync(join(paymentKeysDir(demo.dir), 'mercadopago.json')).mode & 0o777).toBe(0o600);
    rmSync(tokenFile);
    await pair(mp.baseUrl);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    terminalMethod = methods.find((m) => m.integrated)!.id;
    cash = methods.find((m) => m.kind === 'CASH')!.id;
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await mp?.close();
  });
  afterEach(() => mp.script());

  it('puts the sale’s amount on the terminal once, however often it is asked, and pays the sale with the approval', async () => {
    const saleId = await openSale([ARROZ, AGUA_PINA]);
    const idempotencyKey = key();
    const charge = ok(await start(saleId, '40.00', idempotencyKey));
    expect(charge).toMatchObject({ status: 'CREATED', amount: '40.0000', provider: 'mercadopago', terminalId: TERMINAL });
    // The same request again (a double press, a retry): the same charge, no second order.
    expect(ok(await start(saleId, '40.00', idempotencyKey)).id).toBe(charge.id);
    const reference = await referenceOf(charge.id);
    expect(ordersOf(reference)).toHaveLength(1);

    mp.terminal(ordersOf(reference)[0]!.id).takes();
    expect((await read(charge.id)).status).toBe('AT_TERMINAL');
    mp.terminal(ordersOf(reference)[0]!.id).pays({ last4: '4242', brand: 'visa' });
    const approved = await read(charge.id);
    expect(approved).toMatchObject({ status: 'APPROVED', cardLast4: '4242', spent: false });

    // Completing with cash alone would charge the customer twice: refused while the approval is not a tender.
    const cashOnly = await demo.engine.call(
      'sales.complete',
      { saleId, tenders: [{ methodId: cash, tendered: '50' }] },
      { token: cashier },
    );
    expect(cashOnly).toMatchObject({ ok: false, error: { params: { reason: 'CHARGE_NOT_TENDERED' } } });
    const paid = ok(
      await demo.engine.call(
        'sales.complete',
        { saleId, tenders: [{ methodId: terminalMethod, chargeId: charge.id }] },
        { token: cashier },
      ),
    );
    expect(paid.tenders).toEqual([expect.objectContaining({ kind: 'CARD', amount: '40.0000', cardLast4: '4242' })]);
    const [tender] = await demo.engine.services.sql.query<{ card_charge_id: string; provider: string; provider_reference: string }>(
      'SELECT card_charge_id, provider, provider_reference FROM payments.transactions WHERE sale_id = $1',
      [saleId],
    );
    expect(tender).toEqual({ card_charge_id: charge.id, provider: 'mercadopago', provider_reference: ordersOf(reference)[0]!.id });
    expect((await read(charge.id)).spent).toBe(true);
    expect(ordersOf(reference)).toHaveLength(1);
  });

  it('learns the charge a timed-out request made, with the same key, and never makes a second one', async () => {
    const saleId = await openSale([ARROZ]);
    mp.script('act-then-hang');
    const sent = ok(await start(saleId, '31.50'));
    expect(sent).toMatchObject({ status: 'SENT', unreachable: 'TIMEOUT' });
    const reference = await referenceOf(sent.id);
    expect(ordersOf(reference)).toHaveLength(1);
    // Asked about again: the provider answers the order the first request made.
    expect(await read(sent.id)).toMatchObject({ status: 'CREATED', unreachable: null });
    expect(ordersOf(reference)).toHaveLength(1);
    // The customer pays in cash instead: the charge comes off the terminal first.
    ok(await demo.engine.call('payments.cancelCharge', { chargeId: sent.id }, { token: cashier }));
    if ((await read(sent.id)).status !== 'CANCELLED') mp.terminal(ordersOf(reference)[0]!.id).confirmsCancellation();
    expect((await read(sent.id)).status).toBe('CANCELLED');
    ok(await demo.engine.call('sales.complete', { saleId, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
  });

  it('leaves the sale open after a decline, for another tender', async () => {
    const saleId = await openSale([ARROZ]);
    const charge = ok(await start(saleId, '31.50'));
    const order = ordersOf(await referenceOf(charge.id))[0]!;
    mp.terminal(order.id).takes();
    mp.terminal(order.id).declines('insufficient_amount');
    expect(await read(charge.id)).toMatchObject({ status: 'DECLINED', statusDetail: expect.stringContaining('insufficient') });
    // Declined is for good: asked again, nothing changes; the sale is paid in cash instead.
    expect((await read(charge.id)).status).toBe('DECLINED');
    ok(await demo.engine.call('sales.complete', { saleId, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
  });

  it('cancels a charge the customer has not paid, and answers one paid meanwhile as approved', async () => {
    const saleId = await openSale([ARROZ, ARROZ]);
    const first = ok(await start(saleId, '31.50'));
    const cancelled = ok(await demo.engine.call('payments.cancelCharge', { chargeId: first.id }, { token: cashier }));
    expect(['CANCELLED', 'AT_TERMINAL', 'CREATED', 'PROCESSING']).toContain(cancelled.status);
    const order = ordersOf(await referenceOf(first.id))[0]!;
    if (cancelled.status !== 'CANCELLED') mp.terminal(order.id).confirmsCancellation();
    expect((await read(first.id)).status).toBe('CANCELLED');

    const second = ok(await start(saleId, '63.00'));
    const paidOrder = ordersOf(await referenceOf(second.id))[0]!;
    mp.terminal(paidOrder.id).takes();
    mp.terminal(paidOrder.id).pays();
    const late = ok(await demo.engine.call('payments.cancelCharge', { chargeId: second.id }, { token: cashier }));
    expect(late.status).toBe('APPROVED');
    // The card was charged for the cart as it stands: it does not change under the approval.
    const cart = ok(await demo.engine.call('sales.get', { saleId }, { token: cashier }));
    const removed = await demo.engine.call('sales.removeLine', { saleId, lineId: cart.lines[0]!.id }, { token: cashier });
    expect(removed).toMatchObject({ ok: false, error: { params: { reason: 'CHARGE_HOLDS_CART', chargeId: second.id } } });
    ok(
      await demo.engine.call(
        'sales.complete',
        { saleId, tenders: [{ methodId: terminalMethod, chargeId: second.id }] },
        { token: cashier },
      ),
    );
  });

  it('refuses in words what the provider refuses, and what is more than the sale owes, charging nothing', async () => {
    const saleId = await openSale([ARROZ]);
    const tooMuch = await start(saleId, '40.00');
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'TENDER_TOO_LARGE' } } });

    await pair(mp.baseUrl, 'PAX_A910__UNKNOWN0001');
    const before = mp.orders.length;
    const unknown = await start(saleId, '31.50');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'PROVIDER_REFUSED' } } });
    expect(mp.orders.length).toBe(before);

    await pair(mp.baseUrl);
    mp.refuseToken(true);
    const refused = await start(saleId, '31.50');
    expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'PROVIDER_AUTH' } } });
    mp.refuseToken(false);

    // A device setting alone cannot send the token to another server.
    await pair('https://pagos.example.net');
    const elsewhere = await start(saleId, '31.50');
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'PROVIDER_ADDRESS' } } });
    expect(mp.orders.length).toBe(before);
    await pair(mp.baseUrl);
    const charges = ok(await demo.engine.call('payments.chargesOfSale', { saleId }, { token: cashier }));
    expect(charges.map((c) => c.status)).toEqual(['CANCELLED', 'CANCELLED']);
    ok(await demo.engine.call('sales.complete', { saleId, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
  });

  it('settles at the next start a charge whose answer was lost when the register stopped', async () => {
    const saleId = await openSale([AGUA_PINA]);
    mp.script('act-then-hang');
    const sent = ok(await start(saleId, '8.50'));
    expect(sent.status).toBe('SENT');
    const reference = await referenceOf(sent.id);
    mp.terminal(ordersOf(reference)[0]!.id).takes();
    mp.terminal(ordersOf(reference)[0]!.id).pays();
    await demo.engine.close();

    const reopened = await openEngine(demo.dir, { purpose: 'card charges restart', devices: false, cardProviderTimeoutMs: 1_000 });
    try {
      await expect
        .poll(
          async () =>
            (await reopened.services.sql.query<{ status: string }>('SELECT status FROM payments.card_charges WHERE id = $1', [sent.id]))[0]!
              .status,
          { timeout: 15_000 },
        )
        .toBe('APPROVED');
      expect(ordersOf(reference)).toHaveLength(1);
    } finally {
      await reopened.close();
    }
    // The test's own engine is closed now; the suite's afterAll only removes its files.
    demo.engine.close = async () => undefined;
  });
});

describe('charges on a Clip terminal', () => {
  const API_KEY = 'a3c1b5d7-2e4f-4a6b-8c0d-1e2f3a4b5c6d';
  const SECRET_KEY = 'cl1p-s3cr3t-7f8e9d0c1b2a3f4e5d6c7b8a';
  const SERIAL = 'P8220724000042';
  let demo: Demo;
  let clip: LoopbackClip;
  let cashier: string;
  let seq = 0;
  const key = () => `clip-charge-test-${++seq}`;

  beforeAll(async () => {
    clip = await startLoopbackClip({ apiKey: API_KEY, secretKey: SECRET_KEY, devices: [{ serial_number: SERIAL, status: 'active' }] });
    demo = await openDemoEngine('card-charges-clip', { start: new Date(), cardProviderTimeoutMs: 1_000 });
    // Clip's API key and secret, kept as one token.
    installProviderSecrets(demo.dir, { provider: 'clip', accessToken: `${API_KEY}:${SECRET_KEY}` });
    await pairCardTerminal(demo, { provider: 'clip', terminalId: SERIAL, baseUrl: clip.baseUrl });
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await clip?.close();
  });

  it('puts the amount on the Clip terminal once, follows it to the approval and pays the sale with it', async () => {
    const { engine } = demo;
    const method = ok(await engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.integrated)!.id;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const request = { saleId: sale.id, methodId: method, amount: '31.50', idempotencyKey: key() };
    const charge = ok(await engine.call('payments.startCharge', request, { token: cashier }));
    expect(charge).toMatchObject({ provider: 'clip', terminalId: SERIAL, status: 'CREATED' });
    expect(ok(await engine.call('payments.startCharge', request, { token: cashier })).id).toBe(charge.id);
    expect(clip.intents).toHaveLength(1);

    const intent = clip.intents[0]!.pinpad_request_id;
    clip.terminal(intent).takes();
    clip.terminal(intent).pays({ last4: '1881' });
    expect(ok(await engine.call('payments.charge', { chargeId: charge.id }, { token: cashier }))).toMatchObject({
      status: 'APPROVED',
      cardLast4: '1881',
    });
    const paid = ok(
      await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: method, chargeId: charge.id }] }, { token: cashier }),
    );
    expect(paid.tenders).toEqual([expect.objectContaining({ kind: 'CARD', cardLast4: '1881' })]);
    expect(clip.intents).toHaveLength(1);
  });
});
