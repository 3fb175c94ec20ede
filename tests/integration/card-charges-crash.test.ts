// A card charge when the engine process is killed (SIGKILL, as when the power goes) between
// asking the provider and storing its answer, against a loopback Mercado Pago on 127.0.0.1: the
// next start asks the provider again with the charge's own key, so the customer is charged once,
// and the cashier's retry of the same request answers that charge.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { EngineGone, type EngineProcess, startEngineProcess } from '../support/engine-process.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { demoDataDir } from '../support/demo-template.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const TERMINAL = 'PAX_A910__SMARTPOS1423';
const ARROZ = '7505599000026'; // 31.50

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const value = async <T>(p: Promise<Result<T>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

describe('a card charge across a kill between asking the provider and storing its answer', () => {
  let mp: LoopbackMercadoPago;
  const demo = readDemoStore();
  const dirs: string[] = [];

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d',
      terminals: [{ id: TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
    });
  });
  afterAll(async () => {
    await mp?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A register with its terminal paired, the cashier signed in with her shift open and a sale of one item. */
  async function register(label: string, env: Record<string, string> = {}) {
    const dir = demoDataDir(label);
    dirs.push(dir);
    installProviderSecrets(dir, { provider: 'mercadopago', accessToken: TOKEN });
    const setting = JSON.stringify({ provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl });
    const start = (extra: Record<string, string> = {}) => startEngineProcess(dir, { POS_TEST_CARD_TERMINAL: setting, ...extra });
    const engine = await start(env);
    const cashier = demo.store.employees[2]!;
    const staff = await value(engine.call('auth.staffForSignIn', {}));
    const employeeId = staff.find((s) => s.displayName === cashier.displayName)!.employeeId;
    const signIn = async (e: EngineProcess) => (await value(e.call('auth.signInWithPin', { employeeId, pin: cashier.pin }))).token;
    const token = await signIn(engine);
    await value(engine.call('shifts.open', { idempotencyKey: `${label}-shift`, openingFloat: '500.00' }, { token }));
    const method = (await value(engine.call('sales.paymentMethods', {}, { token }))).find((m) => m.integrated)!.id;
    const sale = await value(engine.call('sales.open', { idempotencyKey: `${label}-sale` }, { token }));
    await value(engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
    const request = { saleId: sale.id, methodId: method, amount: '31.50', idempotencyKey: `${label}-charge` };
    return { engine, start, signIn, token, request, saleId: sale.id };
  }

  /** The sale's charges once start-up has asked the provider about the one left open. */
  async function settled(engine: EngineProcess, token: string, saleId: string) {
    let charges: { id: string; status: string }[] = [];
    await expect
      .poll(
        async () => {
          charges = await value(engine.call('payments.chargesOfSale', { saleId }, { token }));
          return charges.map((c) => c.status);
        },
        { timeout: 20_000 },
      )
      .toEqual(['CREATED']);
    return charges[0]!;
  }

  /**
   * The next start: the charge left open is asked about with its own key and stands on the terminal
   * as the provider's one order for it; the cashier's retry of the same request answers that
   * charge; it is then taken off the terminal, which holds one charge at a time.
   */
  async function restartsWithOneCharge(r: Awaited<ReturnType<typeof register>>, before: number) {
    const again = await r.start();
    try {
      const token = await r.signIn(again);
      const charge = await settled(again, token, r.saleId);
      expect(mp.orders.length).toBe(before + 1);
      expect(mp.orders.at(-1)!.external_reference).toMatch(/^pos-[0-9a-f]{32}$/);
      expect((await value(again.call('payments.startCharge', r.request, { token }))).id).toBe(charge.id);
      expect(mp.orders.length).toBe(before + 1);
      expect((await value(again.call('payments.cancelCharge', { chargeId: charge.id }, { token }))).status).toBe('CANCELLED');
    } finally {
      again.child.kill('SIGKILL');
      await again.exited;
    }
  }

  it('puts the charge on the terminal once when the kill came after it was written and before the provider was asked', async () => {
    const r = await register('card-crash-before-ask', { POS_TEST_KILL_AT: 'after-append:payments.card_charge_saved' });
    const before = mp.orders.length;
    await expect(r.engine.call('payments.startCharge', r.request, { token: r.token })).rejects.toBeInstanceOf(EngineGone);
    await r.engine.exited;
    expect(mp.orders.length).toBe(before);

    await restartsWithOneCharge(r, before);
  }, 90_000);

  it('learns the charge the provider made when the kill came while its answer was on the way', async () => {
    const r = await register('card-crash-in-flight');
    const before = mp.orders.length;
    mp.script('act-then-hang');
    const asked = r.engine.call('payments.startCharge', r.request, { token: r.token }).catch((err: unknown) => err);
    await expect.poll(() => mp.orders.length, { timeout: 10_000 }).toBe(before + 1);
    r.engine.child.kill('SIGKILL');
    expect(await asked).toBeInstanceOf(EngineGone);
    await r.engine.exited;

    await restartsWithOneCharge(r, before);
  }, 90_000);
});
