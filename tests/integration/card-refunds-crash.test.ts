// A return refunded to the card terminal when the engine process is killed (SIGKILL, as when the
// power goes) after the provider made the refund and before its answer was stored, against a
// loopback Mercado Pago on 127.0.0.1: the cashier's retry of the same return after the restart
// learns the refund the provider made and records the return, so the card is refunded once.
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
const AGUA_PINA = '7505641000219'; // 8.50

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const value = async <T>(p: Promise<Result<T>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

describe('a card refund across a kill between the provider making it and the answer being stored', () => {
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

  it('refunds the return’s share once when the cashier retries the same return after the restart', async () => {
    const dir = demoDataDir('card-refund-crash');
    dirs.push(dir);
    installProviderSecrets(dir, { provider: 'mercadopago', accessToken: TOKEN });
    const start = () =>
      startEngineProcess(dir, {
        POS_TEST_CARD_TERMINAL: JSON.stringify({ provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl }),
      });
    const [, manager, cashier] = demo.store.employees;
    const people = async (e: EngineProcess) => {
      const staff = await value(e.call('auth.staffForSignIn', {}));
      const idOf = (name: string) => staff.find((s) => s.displayName === name)!.employeeId;
      const token = (await value(e.call('auth.signInWithPin', { employeeId: idOf(cashier!.displayName), pin: cashier!.pin }))).token;
      return { token, override: { employeeId: idOf(manager!.displayName), pin: manager!.pin } };
    };

    // A $30 card + $10 cash sale of rice and pineapple water, paid and completed.
    const engine = await start();
    const { token, override } = await people(engine);
    await value(engine.call('shifts.open', { idempotencyKey: 'card-refund-crash-shift', openingFloat: '500.00' }, { token }));
    const methods = await value(engine.call('sales.paymentMethods', {}, { token }));
    const terminal = methods.find((m) => m.integrated)!.id;
    const cash = methods.find((m) => m.kind === 'CASH')!.id;
    const sale = await value(engine.call('sales.open', { idempotencyKey: 'card-refund-crash-sale' }, { token }));
    for (const code of [ARROZ, AGUA_PINA]) await value(engine.call('sales.addItem', { saleId: sale.id, code }, { token }));
    const charge = await value(
      engine.call(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminal, amount: '30.00', idempotencyKey: 'card-refund-crash-charge' },
        { token },
      ),
    );
    const order = mp.orders.at(-1)!;
    mp.terminal(order.id).takes();
    mp.terminal(order.id).pays();
    expect((await value(engine.call('payments.charge', { chargeId: charge.id }, { token }))).status).toBe('APPROVED');
    const paid = await value(
      engine.call(
        'sales.complete',
        {
          saleId: sale.id,
          tenders: [
            { methodId: terminal, chargeId: charge.id },
            { methodId: cash, tendered: '10' },
          ],
        },
        { token },
      ),
    );
    const found = await value(engine.call('returns.lookup', { code: paid.receiptCode }, { token }));
    const request = {
      saleId: sale.id,
      lines: [{ saleItemId: found.lines.find((l) => /agua/i.test(l.name))!.saleItemId, quantity: '1' }],
      refundMethodId: terminal,
      reason: 'No le gustó',
      idempotencyKey: 'card-refund-crash-return',
    };

    // The charge is read, the refund is made, and the engine dies before the answer arrives.
    mp.script('pass', 'act-then-hang');
    const asked = engine.call('returns.create', request, { token, override }).catch((err: unknown) => err);
    await expect.poll(() => mp.order(order.id).transactions.refunds?.length ?? 0, { timeout: 10_000 }).toBe(1);
    engine.child.kill('SIGKILL');
    expect(await asked).toBeInstanceOf(EngineGone);
    await engine.exited;

    const again = await start();
    try {
      const signedIn = await people(again);
      const ret = await value(again.call('returns.create', request, { token: signedIn.token, override: signedIn.override }));
      expect(ret.total).toBe('8.5000');
      expect(mp.order(order.id).transactions.refunds!.map((f) => f.amount)).toEqual(['8.50']);
      // Asked once more: the return as recorded, nothing more given back.
      const twice = await value(again.call('returns.create', request, { token: signedIn.token, override: signedIn.override }));
      expect(twice.returnId).toBe(ret.returnId);
      expect(mp.order(order.id).transactions.refunds).toHaveLength(1);
    } finally {
      again.child.kill('SIGKILL');
      await again.exited;
    }
  }, 120_000);
});
