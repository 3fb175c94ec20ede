// A call whose process was killed before its answer reached the register is sent again with the
// same idempotency key; it must get the first call's answer and have had one effect, wherever
// the kill fell: after the PGlite commit but before the journal append, or after the append
// but before the answer left the process. Real engine processes, real SIGKILLs.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '#db/journal.ts';
import { createPglite } from '#db/local.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs } from '#engine/dispatch.ts';
import { demoDataDir } from '../support/demo-template.ts';
import { EngineGone } from '../support/engine-process.ts';
import { answerOf, managerEngines } from '../support/manager-engine.ts';

const demo = readDemoStore();
const barcodes = demo.catalog.filter((r) => r.barcode && r.sold_by === 'UNIT').map((r) => r.barcode);

describe('a retried call after the engine was killed mid-call', () => {
  const dir = demoDataDir('crash-retry');
  const { started, stopped, session } = managerEngines(dir);
  let cart = '';

  /**
   * Sends the call to an engine armed to die at `killAt`, sees it die, starts a new one and
   * sends the very same call twice: both answers must be the same, and are returned.
   */
  async function killedThenRetried<K extends CallName>(killAt: string, name: K, input: CallArgs<K>) {
    const armed = await started({ POS_TEST_KILL_AT: killAt });
    await expect(armed.call(name, input, { token: session.token })).rejects.toBeInstanceOf(EngineGone);
    await armed.exited;
    const engine = await started();
    try {
      const first = await engine.call(name, input, { token: session.token });
      const again = await engine.call(name, input, { token: session.token });
      expect(again).toEqual(first);
      return { answer: await answerOf(Promise.resolve(first)), engine };
    } catch (err) {
      engine.child.kill('SIGKILL');
      throw err;
    }
  }

  async function saleWithItems(lines: number, key: string) {
    const engine = await started();
    const sale = await answerOf(engine.call('sales.open', { idempotencyKey: key }, { token: session.token }));
    for (let i = 0; i < lines; i++)
      await answerOf(
        engine.call('sales.addItem', { saleId: sale.id, code: barcodes[(i * 13) % barcodes.length]! }, { token: session.token }),
      );
    await stopped(engine);
    return sale.id;
  }

  async function expectedCash() {
    const engine = await started();
    const report = await answerOf(engine.call('shifts.xReport', {}, { token: session.token }));
    await stopped(engine);
    return report.cash.expected!;
  }

  beforeAll(async () => {
    await stopped(await started());
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the shift once when killed after PGlite took it and before the journal did', async () => {
    const { answer, engine } = await killedThenRetried('before-append:shift.opened', 'shifts.open', {
      idempotencyKey: 'retry-shift-open-1',
      openingFloat: '500.00',
    });
    const current = await answerOf(engine.call('shifts.current', {}, { token: session.token }));
    expect(current!.id).toBe(answer.id);
    await stopped(engine);
  }, 180_000);

  it('answers a sale opened and lost on the way out with the same sale', async () => {
    const { answer, engine } = await killedThenRetried('before-answer:sales.open', 'sales.open', { idempotencyKey: 'retry-sale-open-1' });
    expect(answer.lines).toEqual([]);
    await answerOf(engine.call('sales.addItem', { saleId: answer.id, code: barcodes[0]! }, { token: session.token }));
    cart = answer.id;
    await stopped(engine);
  }, 180_000);

  it('completes a sale once, with one receipt number, at either kill point', async () => {
    const first = cart;
    const a = await killedThenRetried('before-append:sale.completed', 'sales.complete', {
      saleId: first,
      tenders: [{ methodId: session.cash, tendered: '5000' }],
    });
    expect(a.answer).toMatchObject({ saleId: first, receiptNumber: 1 });
    await stopped(a.engine);
    const second = await saleWithItems(2, 'retry-sale-open-2');
    const b = await killedThenRetried('after-append:sale.completed', 'sales.complete', {
      saleId: second,
      tenders: [{ methodId: session.cash, tendered: '5000' }],
    });
    expect(b.answer).toMatchObject({ saleId: second, receiptNumber: 2 });
    await stopped(b.engine);
  }, 300_000);

  it('records a return once at either kill point', async () => {
    for (const [n, killAt] of [
      [1, 'before-append:return.recorded'],
      [2, 'after-append:return.recorded'],
    ] as const) {
      const engine = await started();
      const receipt = await answerOf(engine.call('returns.lookup', { code: `RCAJA-1-00000${n}` }, { token: session.token }));
      await stopped(engine);
      const r = await killedThenRetried(killAt, 'returns.create', {
        saleId: receipt.saleId,
        lines: [{ saleItemId: receipt.lines[0]!.saleItemId, quantity: '1' }],
        refundMethodId: session.cash,
        reason: 'Producto dañado',
        idempotencyKey: `retry-return-${n}`,
      });
      expect(r.answer.returnNumber).toBe(n);
      await stopped(r.engine);
    }
  }, 300_000);

  it('voids a sale once when killed before the journal took the void', async () => {
    const saleId = await saleWithItems(1, 'retry-sale-open-3');
    const r = await killedThenRetried('before-append:sale.voided', 'sales.void', { saleId, reason: 'Cliente se arrepintió' });
    expect(r.answer).toEqual({ saleId, status: 'VOIDED' });
    await stopped(r.engine);
  }, 180_000);

  it('moves session.cash once at either kill point', async () => {
    for (const [n, killAt] of [
      [1, 'before-append:cash.moved'],
      [2, 'after-append:cash.moved'],
    ] as const) {
      const r = await killedThenRetried(killAt, 'shifts.cashMovement', {
        kind: 'PAY_OUT',
        amount: '20.00',
        reason: 'Garrafón de agua',
        idempotencyKey: `retry-payout-${n}`,
      });
      expect(r.answer.id).toMatch(/^[0-9a-f-]{36}$/);
      await stopped(r.engine);
    }
  }, 300_000);

  it('closes the shift once, answering the retry with the Z report, when killed before the journal took the close', async () => {
    const counted = await expectedCash();
    const r = await killedThenRetried('before-append:shift.closed', 'shifts.close', {
      idempotencyKey: 'retry-shift-close-1',
      countedCash: counted,
    });
    expect(r.answer).toMatchObject({ zNumber: 1, countedCash: counted, variance: '0.0000' });
    expect(r.answer.report).toMatchObject({ zNumber: 1 });
    await stopped(r.engine);
  }, 300_000);

  it('opens and closes the next shift once when killed after the journal took each', async () => {
    const opened = await killedThenRetried('after-append:shift.opened', 'shifts.open', {
      idempotencyKey: 'retry-shift-open-2',
      openingFloat: '300.00',
    });
    await stopped(opened.engine);
    const counted = await expectedCash();
    const closed = await killedThenRetried('after-append:shift.closed', 'shifts.close', {
      idempotencyKey: 'retry-shift-close-2',
      countedCash: counted,
    });
    expect(closed.answer).toMatchObject({ id: opened.answer.id, zNumber: 2, countedCash: '300.0000' });
    await stopped(closed.engine);
  }, 300_000);

  it('leaves one journal fact per effect, a whole chain, and PGlite agreeing with it', async () => {
    await stopped(await started());
    const journal = openJournal(dir);
    expect(journal.verify()).toMatchObject({ ok: true });
    const facts = journal.after(0, 100_000);
    journal.close();
    const count = (kind: string) => facts.filter((f) => f.kind === kind).length;
    expect({
      opened: count('shift.opened'),
      closed: count('shift.closed'),
      sales: count('sale.completed'),
      voids: count('sale.voided'),
      returns: count('return.recorded'),
      cash: count('cash.moved'),
    }).toEqual({ opened: 2, closed: 2, sales: 2, voids: 1, returns: 2, cash: 2 });
    // Each shift fact carries the key of the call that made it, so a retry is recognised.
    expect(facts.filter((f) => f.kind.startsWith('shift.')).map((f) => (f.payload as { requestKey?: string }).requestKey)).toEqual([
      'retry-shift-open-1',
      'retry-shift-close-1',
      'retry-shift-open-2',
      'retry-shift-close-2',
    ]);
    const pg = await createPglite(`${dir}/pglite`);
    try {
      const q = async (text: string) => (await pg.query<{ n: number }>(text)).rows[0]!.n;
      expect(await q(`SELECT count(*)::int AS n FROM sales.shifts`)).toBe(2);
      expect(await q(`SELECT count(*)::int AS n FROM sales.sales WHERE status = 'COMPLETED'`)).toBe(2);
      expect(await q(`SELECT count(*)::int AS n FROM sales.returns`)).toBe(2);
      expect(await q(`SELECT count(*)::int AS n FROM sales.cash_movements`)).toBe(2);
      expect(await q(`SELECT max(z_number)::int AS n FROM sales.shifts`)).toBe(2);
    } finally {
      await pg.close();
    }
  }, 180_000);
});
