// A call killed after PGlite committed its record and before the journal took the fact has its
// fact journaled by the start-up reconciliation. That fact must still know what the call asked
// for: the retry with the same body gets the first answer, and the same key sent with another
// body (a different float, other tenders, another amount) is refused as a reused key rather
// than answered as if it were the first request. Real engine processes, real SIGKILLs.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite } from '#db/local.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs } from '#engine/dispatch.ts';
import { demoDataDir } from '../support/demo-template.ts';
import { EngineGone } from '../support/engine-process.ts';
import { answerOf, managerEngines } from '../support/manager-engine.ts';

const demo = readDemoStore();
type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; params?: Record<string, unknown> } };
const barcodes = demo.catalog.filter((r) => r.barcode && r.sold_by === 'UNIT').map((r) => r.barcode);

describe('a call killed between the PGlite commit and the journal append, retried with its key', () => {
  const dir = demoDataDir('crash-retry-fingerprint');
  const { started, stopped, session } = managerEngines(dir);

  /**
   * Sends `input` to an engine armed to die before the journal takes `kind`, starts a new one,
   * sends `other` (the same key, another body), then `input` again; answers both.
   */
  async function killedThenReused<K extends CallName>(kind: string, name: K, input: CallArgs<K>, other: CallArgs<K>) {
    const armed = await started({ POS_TEST_KILL_AT: `before-append:${kind}` });
    await expect(armed.call(name, input, { token: session.token })).rejects.toBeInstanceOf(EngineGone);
    await armed.exited;
    const engine = await started();
    try {
      expect(engine.started.reconciliation.journaled).toBeGreaterThan(0);
      const reused = await engine.call(name, other, { token: session.token });
      const retried = await engine.call(name, input, { token: session.token });
      return { reused, retried: await answerOf(Promise.resolve(retried)) };
    } finally {
      await stopped(engine);
    }
  }

  const refusedAsReused = (answer: Answer<unknown>) =>
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'IDEMPOTENCY_KEY_REUSED' } } });

  beforeAll(async () => {
    await stopped(await started());
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the key of a lost shift opening sent with another float, and answers the same float with the shift', async () => {
    const key = 'fp-shift-open';
    const { reused, retried } = await killedThenReused(
      'shift.opened',
      'shifts.open',
      { idempotencyKey: key, openingFloat: '500.00' },
      { idempotencyKey: key, openingFloat: '900.00' },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ repeated: true });
  }, 180_000);

  it('refuses the key of a lost pay-in sent with another amount', async () => {
    const key = 'fp-pay-in';
    const { reused, retried } = await killedThenReused(
      'cash.moved',
      'shifts.cashMovement',
      { kind: 'PAY_IN', amount: '20.00', reason: 'Cambio del banco', idempotencyKey: key },
      { kind: 'PAY_IN', amount: '35.00', reason: 'Cambio del banco', idempotencyKey: key },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ repeated: true });
  }, 180_000);

  it('refuses a lost payment retried with other tenders, and answers the same tenders with the receipt', async () => {
    const engine = await started();
    const sale = await answerOf(engine.call('sales.open', { idempotencyKey: 'fp-sale-open' }, { token: session.token }));
    await answerOf(engine.call('sales.addItem', { saleId: sale.id, code: barcodes[0]! }, { token: session.token }));
    await stopped(engine);
    const { reused, retried } = await killedThenReused(
      'sale.completed',
      'sales.complete',
      { saleId: sale.id, tenders: [{ methodId: session.cash, tendered: '5000' }] },
      { saleId: sale.id, tenders: [{ methodId: session.cash, tendered: '6000' }] },
    );
    expect(reused).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(retried).toMatchObject({ saleId: sale.id, receiptNumber: 1 });
  }, 180_000);

  it('refuses the key of a lost return sent for another quantity', async () => {
    const engine = await started();
    const receipt = await answerOf(engine.call('returns.lookup', { code: 'RCAJA-1-000001' }, { token: session.token }));
    await stopped(engine);
    const ret = { saleId: receipt.saleId, refundMethodId: session.cash, reason: 'Producto dañado', idempotencyKey: 'fp-return' };
    const line = receipt.lines[0]!;
    const { reused, retried } = await killedThenReused(
      'return.recorded',
      'returns.create',
      { ...ret, lines: [{ saleItemId: line.saleItemId, quantity: '1' }] },
      { ...ret, reason: 'Caducado', lines: [{ saleItemId: line.saleItemId, quantity: '1' }] },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ returnNumber: 1 });
  }, 180_000);

  it('refuses the key of a lost stock receipt sent for another quantity', async () => {
    const engine = await started();
    const sale = await answerOf(engine.call('sales.open', { idempotencyKey: 'fp-sale-open-2' }, { token: session.token }));
    const cart = await answerOf(engine.call('sales.addItem', { saleId: sale.id, code: barcodes[1]! }, { token: session.token }));
    await answerOf(engine.call('sales.void', { saleId: sale.id, reason: 'Solo para ver el artículo' }, { token: session.token }));
    // Receiving stock is a back-office change: the manager's session steps up first (it is kept with the session, restarts included).
    const manager = demo.store.employees[1]!;
    await answerOf(
      engine.call(
        'auth.stepUp',
        { password: manager.password!, totp: totpCodeAt(manager.totpSecret!, new Date()) },
        { token: session.token },
      ),
    );
    await stopped(engine);
    const variantId = cart.lines[0]!.variantId;
    const { reused, retried } = await killedThenReused(
      'stock.received',
      'inventory.receive',
      { variantId, quantity: '24', supplierReference: 'F-1029', idempotencyKey: 'fp-receive' },
      { variantId, quantity: '240', supplierReference: 'F-1029', idempotencyKey: 'fp-receive' },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ change: '24', repeated: true });
  }, 180_000);

  it('refuses the key of a lost shift close sent with another count, and answers the same count with the Z report', async () => {
    const engine = await started();
    const counted = (await answerOf(engine.call('shifts.xReport', {}, { token: session.token }))).cash.expected!;
    await stopped(engine);
    const key = 'fp-shift-close';
    const { reused, retried } = await killedThenReused(
      'shift.closed',
      'shifts.close',
      { idempotencyKey: key, countedCash: counted },
      { idempotencyKey: key, countedCash: '1.00' },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ zNumber: 1, countedCash: counted });
  }, 180_000);

  it('brings a request table from before fingerprints up to date at start, and the next shift keeps its fingerprint', async () => {
    // What the previous version left: request keys only, each one required, the list at version 1.
    const pg = await createPglite(`${dir}/pglite`);
    try {
      await pg.exec(`ALTER TABLE public.pos_request_keys DROP COLUMN fingerprint;
        UPDATE public.pos_request_keys SET request_key = fact_key WHERE request_key IS NULL;
        ALTER TABLE public.pos_request_keys ALTER COLUMN request_key SET NOT NULL;
        COMMENT ON TABLE public.pos_record_log IS '1'`);
    } finally {
      await pg.close();
    }
    const key = 'fp-shift-open-after-upgrade';
    const { reused, retried } = await killedThenReused(
      'shift.opened',
      'shifts.open',
      { idempotencyKey: key, openingFloat: '200.00' },
      { idempotencyKey: key, openingFloat: '250.00' },
    );
    refusedAsReused(reused);
    expect(retried).toMatchObject({ repeated: true });
  }, 180_000);
});
