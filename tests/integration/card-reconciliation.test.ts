// A shift's card-terminal tenders set against the provider's own list, on a real demo engine and a
// loopback Mercado Pago on 127.0.0.1 that lists what was actually charged through it: the charges
// the sales were paid with match, one the terminal took outside the POS is unknown to us, the X
// report totals the terminal apart, and a provider that cannot answer is said in words with the
// terminal left unchecked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { ok, openDemoEngine, pairCardTerminal, signIn } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, type MpTerminal, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

const TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const SECRET = 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const TERMINAL = 'PAX_A910__SMARTPOS1423';
const TERMINALS: MpTerminal[] = [
  { id: TERMINAL, operating_mode: 'PDV', pos_id: 47792476, store_id: '1235456678', external_pos_id: 'CAJA1' },
  { id: 'NEWLAND_N950__N950NCB801293324', operating_mode: 'PDV', pos_id: 47792477, store_id: '1235456678', external_pos_id: 'CAJA2' },
];
const ARROZ = '7505599000026'; // 31.50
const AGUA_PINA = '7505641000219'; // 8.50

describe('the card terminals of a shift, reconciled against the provider', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let mp: LoopbackMercadoPago;
  let cashier: string;
  let manager: string;
  let terminalMethod: string;
  let seq = 0;
  const key = () => `card-reconcile-${++seq}`;

  /** A sale of these items paid with a charge the customer pays at the terminal: its order. */
  async function saleByCard(codes: string[], amount: string) {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    const charge = ok(
      await demo.engine.call(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminalMethod, amount, idempotencyKey: key() },
        { token: cashier },
      ),
    );
    const order = mp.orders.at(-1)!;
    mp.terminal(order.id).pays();
    expect(ok(await demo.engine.call('payments.charge', { chargeId: charge.id }, { token: cashier })).status).toBe('APPROVED');
    ok(
      await demo.engine.call(
        'sales.complete',
        { saleId: sale.id, tenders: [{ methodId: terminalMethod, chargeId: charge.id }] },
        { token: cashier },
      ),
    );
    return { saleId: sale.id, order: mp.order(order.id) };
  }

  /** A payment on the register's terminal that the POS never asked for (another app on the account). */
  async function paidOutsideThePos(terminalId: string, amount: string) {
    const res = await fetch(`${mp.baseUrl}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-idempotency-key': randomUUID() },
      body: JSON.stringify({
        type: 'point',
        external_reference: `otra-app-${randomUUID().slice(0, 8)}`,
        transactions: { payments: [{ amount }] },
        config: { point: { terminal_id: terminalId } },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    mp.terminal(id).pays();
    return mp.order(id);
  }

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({ accessToken: TOKEN, webhookSecret: SECRET, terminals: TERMINALS });
    demo = await openDemoEngine('card-reconciliation', { start: new Date(), cardProviderTimeoutMs: 1_000 });
    installProviderSecrets(demo.dir, { provider: 'mercadopago', accessToken: TOKEN });
    await pairCardTerminal(demo, { provider: 'mercadopago', terminalId: TERMINAL, baseUrl: mp.baseUrl });
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    terminalMethod = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.integrated)!.id;
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await mp?.close();
  });

  it('matches every charge the sales were paid with, and names the payment the terminal took outside the POS as unknown to us', async () => {
    const first = await saleByCard([ARROZ, AGUA_PINA], '40.00');
    const second = await saleByCard([ARROZ], '31.50');
    const stranger = await paidOutsideThePos(TERMINAL, '77.70');
    // Another register's terminal on the same account is that register's business.
    await paidOutsideThePos(TERMINALS[1]!.id, '12.00');
    // The register's clock stands still in a test; the shift has run on past those payments.
    demo.clock.advance(60_000);

    const reconciled = ok(await demo.engine.call('shifts.reconcileCards', {}, { token: manager }));
    expect(reconciled.complete).toBe(true);
    expect(reconciled.providers).toHaveLength(1);
    const [terminal] = reconciled.providers[0]!.terminals;
    expect(reconciled.providers[0]!.terminals).toHaveLength(1);
    expect(terminal).toMatchObject({
      terminalId: TERMINAL,
      status: 'DIFFERENT',
      ours: { count: 2, amount: '71.50' },
      theirs: { count: 3, amount: '149.20' },
      missingAtProvider: [],
      differing: [],
    });
    expect(terminal!.matched.map((m) => [m.saleId, m.paymentId, m.ours, m.theirs])).toEqual([
      [first.saleId, first.order.transactions.payments[0].id, '40.00', '40.00'],
      [second.saleId, second.order.transactions.payments[0].id, '31.50', '31.50'],
    ]);
    expect(terminal!.unknownToUs).toEqual([
      expect.objectContaining({ paymentId: stranger.transactions.payments[0].id, reference: stranger.id, saleId: null, theirs: '77.70' }),
    ]);
  });

  it('totals the terminal apart on the X report, beside the card method', async () => {
    const report = ok(await demo.engine.call('shifts.xReport', {}, { token: manager }));
    expect(report.cards).toEqual([{ provider: 'mercadopago', terminalId: TERMINAL, count: 2, amount: '71.5000', refunded: '0.0000' }]);
    // A blind count sees the terminal's count but not its money, as with the methods.
    const blind = ok(await demo.engine.call('shifts.xReport', {}, { token: cashier }));
    expect(blind.cards).toEqual([{ provider: 'mercadopago', terminalId: TERMINAL, count: 2, amount: null, refunded: null }]);
  });

  it('is a manager’s: a cashier is asked for a manager’s authorisation', async () => {
    const asked = await demo.engine.call('shifts.reconcileCards', {}, { token: cashier });
    expect(asked).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED', params: { permission: 'shifts.approve_variance' } } });
    const lent = await demo.engine.call(
      'shifts.reconcileCards',
      {},
      { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
    );
    expect(lent.ok).toBe(true);
  });

  it('says in words when the provider cannot answer, and leaves the terminal unchecked rather than half reconciled', async () => {
    mp.script({ status: 503, json: { errors: [{ code: 'internal_error', message: 'Service unavailable.' }] } });
    const down = ok(await demo.engine.call('shifts.reconcileCards', {}, { token: manager }));
    expect(down.complete).toBe(false);
    expect(down.providers[0]).toMatchObject({
      provider: 'mercadopago',
      reachable: false,
      failure: 'UNAVAILABLE',
      message: expect.stringContaining('Mercado Pago no pudo listar los cobros'),
      terminals: [
        { terminalId: TERMINAL, status: 'UNCHECKED', ours: { count: 2, amount: '71.50' }, theirs: null, matched: [], unknownToUs: [] },
      ],
    });

    mp.script('hang');
    const silent = ok(await demo.engine.call('shifts.reconcileCards', {}, { token: manager }));
    expect(silent.providers[0]).toMatchObject({ reachable: false, failure: 'TIMEOUT' });
  });

  it('reconciles the closed shift too, by its id, and refuses a shift that is not this register’s', async () => {
    const open = ok(await demo.engine.call('shifts.current', {}, { token: manager }))!;
    ok(
      await demo.engine.call(
        'shifts.close',
        { idempotencyKey: key(), countedCash: '500' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    const closed = ok(await demo.engine.call('shifts.reconcileCards', { shiftId: open.id }, { token: manager }));
    expect(closed).toMatchObject({ shiftId: open.id, complete: true });
    expect(closed.providers[0]!.terminals[0]!.matched).toHaveLength(2);
    expect(await demo.engine.call('shifts.reconcileCards', { shiftId: randomUUID() }, { token: manager })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
