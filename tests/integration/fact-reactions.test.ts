// Facts drive what follows them: each reaction follows the journal from its own cursor in
// PGlite, handles each fact of its kinds once and in order, takes up after a restart where it
// stopped, and keeps trying a fact it failed on without ever failing the sale behind it.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, type Fact, type Journal } from '#db/journal.ts';
import { createPglite } from '#db/local.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import { startFactReactions, type FactReactions, type Reaction, type ReactionOptions } from '#engine/reactions/fact-reactions.ts';
import type { StuckReaction } from '#engine/reactions/fact-reactions.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { decodeEscPos, isDrawerKick } from '../support/escpos-decoder.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { openTempLocal } from '../support/local.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';

const ARROZ = '7505599000026';

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('reactions to journal facts', () => {
  let local: Awaited<ReturnType<typeof openTempLocal>>;
  let journal: Journal;
  let running: FactReactions | undefined;
  let offs: (() => void)[] = [];
  beforeAll(async () => {
    local = await openTempLocal('fact-reactions');
    journal = openJournal(local.dir);
  });
  afterEach(async () => {
    for (const off of offs) off();
    offs = [];
    await running?.stop();
    running = undefined;
  });
  afterAll(async () => {
    journal.close();
    await local.dispose();
  });

  /** The reactions, woken by each append as the engine wakes them. */
  const start = async (reactions: Reaction[], more: Partial<ReactionOptions> = {}) => {
    await running?.stop();
    const r = await startFactReactions({ journal, sql: local.sql, reactions, backoffMs: [20, 40], ...more });
    running = r;
    offs.push(journal.onAppend(() => r.wake()));
    return r;
  };
  const caughtUp = (r: FactReactions, name: string) => until(() => r.positions()[name] === journal.head().seq, `${name} to reach the head`);
  const recorder = (name: string, kinds: string[], log: string[]): Reaction => ({
    name,
    purpose: 'anotar',
    kinds,
    async handle(fact: Fact) {
      log.push(`${name}:${fact.idempotencyKey}`);
    },
  });

  it('handles each fact of its kinds once, in order, starting at the head, and takes up after a restart where its cursor stopped', async () => {
    journal.append('sale.completed', 'before-any-reaction', {});
    const seen: string[] = [];
    let r = await start([recorder('paper', ['sale.completed', 'return.recorded'], seen)]);
    journal.append('sale.completed', 'sale-1', {});
    journal.append('shift.opened', 'shift-1', {});
    journal.append('return.recorded', 'return-1', {});
    await caughtUp(r, 'paper');
    await r.stop();
    // Appended while nothing reacts (a maintenance command, the moments of a restart).
    journal.append('sale.completed', 'sale-2', {});
    r = await start([recorder('paper', ['sale.completed', 'return.recorded'], seen)]);
    await caughtUp(r, 'paper');
    expect(seen).toEqual(['paper:sale-1', 'paper:return-1', 'paper:sale-2']);
    const [cursor] = await local.sql.query<{ seq: string }>(`SELECT seq::text FROM public.pos_reaction_cursors WHERE reaction = 'paper'`);
    expect(Number(cursor!.seq)).toBe(journal.head().seq);
  });

  it('moves the cursor with the effect in one transaction, so a fact whose effect did not commit is handled again', async () => {
    await local.sql.exec(`CREATE TABLE IF NOT EXISTS public.test_effects (key text PRIMARY KEY)`);
    let refuse = true;
    const effect: Reaction = {
      name: 'effect',
      purpose: 'guardar',
      kinds: ['sale.completed'],
      async handle(fact, handled) {
        await local.sql.transaction(async (tx) => {
          await tx.query(`INSERT INTO public.test_effects (key) VALUES ($1)`, [fact.idempotencyKey]);
          await handled(tx);
          if (refuse) throw new Error('the transaction rolls back after the cursor moved in it');
        });
      },
    };
    const r = await start([effect]);
    const { fact } = journal.append('sale.completed', 'sale-effect', {});
    await until(
      async () => (await local.sql.query(`SELECT 1 FROM public.pos_reaction_cursors WHERE reaction = 'effect'`)).length > 0,
      'the cursor row',
    );
    await new Promise((res) => setTimeout(res, 100));
    const [before] = await local.sql.query<{ seq: string }>(`SELECT seq::text FROM public.pos_reaction_cursors WHERE reaction = 'effect'`);
    expect(Number(before!.seq)).toBeLessThan(fact.seq);
    expect(await local.sql.query(`SELECT key FROM public.test_effects`)).toEqual([]);
    refuse = false;
    await caughtUp(r, 'effect');
    expect(await local.sql.query(`SELECT key FROM public.test_effects`)).toEqual([{ key: 'sale-effect' }]);
  });

  it('tries a failing fact again and again while later facts wait for it, lets the other reactions go on, and reports it once', async () => {
    const order: string[] = [];
    const stuck: StuckReaction[] = [];
    let jams = 4;
    const jammed: Reaction = {
      name: 'jammed',
      purpose: 'imprimir',
      kinds: ['sale.completed'],
      async handle(fact) {
        if (fact.idempotencyKey === 'jam-1' && jams-- > 0) throw new Error('paper jam');
        order.push(`jammed:${fact.idempotencyKey}`);
      },
    };
    const r = await start([jammed, recorder('display', ['sale.completed'], order)], { onStuck: (s) => stuck.push(s) });
    const first = journal.append('sale.completed', 'jam-1', {}).fact;
    journal.append('sale.completed', 'jam-2', {});
    await caughtUp(r, 'jammed');
    await caughtUp(r, 'display');
    expect(order).toEqual(['display:jam-1', 'display:jam-2', 'jammed:jam-1', 'jammed:jam-2']);
    expect(stuck).toEqual([
      { reaction: 'jammed', purpose: 'imprimir', seq: first.seq, kind: 'sale.completed', attempts: 3, error: 'paper jam' },
    ]);
  });

  it('waits for the reaction it comes after to be done with a fact, but not for long', async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    const drawer: Reaction = {
      name: 'slow-drawer',
      purpose: 'abrir',
      kinds: ['sale.completed'],
      async handle(fact) {
        if (fact.idempotencyKey === 'wait-1') await released;
        order.push(`drawer:${fact.idempotencyKey}`);
      },
    };
    const paper: Reaction = { ...recorder('paper-after', ['sale.completed'], order), after: 'slow-drawer' };
    let r = await start([drawer, paper], { afterWaitMs: 5_000 });
    journal.append('sale.completed', 'wait-1', {});
    await new Promise((res) => setTimeout(res, 200));
    expect(order).toEqual([]);
    release();
    await caughtUp(r, 'paper-after');
    expect(order).toEqual(['drawer:wait-1', 'paper-after:wait-1']);
    // A drawer stuck on a fact holds the paper up for afterWaitMs at most.
    let unstick = () => {};
    const stuckDrawer: Reaction = { ...drawer, name: 'stuck-drawer', handle: () => new Promise<void>((res) => (unstick = res)) };
    r = await start([stuckDrawer, { ...recorder('paper-alone', ['sale.completed'], order), after: 'stuck-drawer' }], { afterWaitMs: 300 });
    try {
      journal.append('sale.completed', 'wait-2', {});
      await caughtUp(r, 'paper-alone');
      expect(order.at(-1)).toBe('paper-alone:wait-2');
      expect(r.positions()['stuck-drawer']).toBeLessThan(journal.head().seq);
    } finally {
      unstick();
    }
  });
});

describe('the register reacting to its sales', () => {
  let printer: LoopbackPrinter;
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let engine: Engine;
  let cashier: string;
  let cash: string;
  beforeAll(async () => {
    printer = await startLoopbackPrinter();
    demo = await openDemoEngine('register-reactions');
    engine = demo.engine;
    await engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'devices.registers', $2)`,
      [demo.demo.store.business.id, JSON.stringify({ 'CAJA-1': { printer: { uri: printer.uri } } })],
    );
    forgetStoreSettings(engine.services.sql);
    cashier = await signIn(engine, demo.people.cashier.id, demo.people.cashier.pin);
    cash = ok(await engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.code === 'CASH')!.id;
    ok(await engine.call('shifts.open', { idempotencyKey: 'reactions-shift', openingFloat: '500' }, { token: cashier }));
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    rmSync(demo.dir, { recursive: true, force: true });
    await printer?.close();
  });

  let n = 0;
  const sell = async () => {
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `reactions-sale-${++n}` }, { token: cashier }));
    ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    return engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier });
  };
  const originals = async (saleId: string) =>
    engine.services.sql.query<{ status: string }>(
      `SELECT status FROM sales.receipts WHERE sale_id = $1 AND kind = 'SALE' AND copy_number = 0`,
      [saleId],
    );
  const cursorOf = async (reaction: string) =>
    Number(
      (
        await engine.services.sql.query<{ seq: string }>(`SELECT seq::text FROM public.pos_reaction_cursors WHERE reaction = $1`, [
          reaction,
        ])
      )[0]!.seq,
    );

  it('answers a sale whose receipt the database refuses, keeps the receipt once it is taken, and tells who looks after the devices', async () => {
    const told: string[] = [];
    const off = engine.events.on('notification', (n) => told.push(n.code));
    await engine.services.sql.exec(`
      CREATE FUNCTION public.test_refuse_receipts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no space left for print jobs'; END $$;
      CREATE TRIGGER test_refuse_receipts BEFORE INSERT ON sales.receipts FOR EACH ROW EXECUTE FUNCTION public.test_refuse_receipts()`);
    const jobsBefore = printer.jobs.length;
    const answer = await sell();
    expect(answer).toMatchObject({ ok: true, value: { receiptNumber: expect.any(Number) } });
    const saleId = ok(answer).saleId;
    await until(() => told.includes('reaction.stuck'), 'the failing receipts to be reported');
    const notes = await engine.services.sql.query<{ employee_id: string; title: string; data: { reaction: string } }>(
      `SELECT employee_id, title, data FROM communication.in_app_notifications WHERE data->>'code' = 'reaction.stuck'`,
    );
    expect(notes.map((x) => x.employee_id).sort()).toEqual([demo.people.owner.id, demo.people.manager.id].sort());
    expect(notes[0]).toMatchObject({
      title: 'Esta caja no ha podido preparar los tickets y cortes para imprimir',
      data: { reaction: 'receipts' },
    });
    expect(await originals(saleId)).toEqual([]);
    // The drawer did not wait for the receipt.
    await printer.waitForJobs(jobsBefore + 1);
    expect(isDrawerKick(printer.jobs[jobsBefore]!)).toBe(true);

    await engine.services.sql.exec(`DROP TRIGGER test_refuse_receipts ON sales.receipts; DROP FUNCTION public.test_refuse_receipts()`);
    await until(
      async () => (await originals(saleId)).some((r) => r.status === 'PRINTED'),
      'the receipt to print once the database takes it',
    );
    await printer.waitForJobs(jobsBefore + 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(printer.jobs).toHaveLength(jobsBefore + 2);
    expect(await originals(saleId)).toEqual([{ status: 'PRINTED' }]);
    expect(told.filter((c) => c === 'reaction.stuck')).toHaveLength(1);
    off();
  });

  it('after a restart opens the drawer for a sale only while it is seconds old, and never keeps its receipt twice', async () => {
    const before = printer.jobs.length;
    const sold = ok(await sell());
    await until(async () => (await originals(sold.saleId)).some((r) => r.status === 'PRINTED'), 'the sale to print');
    // The printer records a connection once it has read it to its end, a moment after confirming the receipt.
    await printer.waitForJobs(before + 2);
    const printed = printer.jobs.length;
    const seq = engine.services.journal.find(`sale:${sold.saleId}`)!.seq;
    const paidAt = Date.parse(sold.completedAt);

    // As if the engine had died before either reaction moved past the sale: both see it again.
    const restartAt = async (msAfterSale: number) => {
      await engine.close();
      const pg = await createPglite(`${demo.dir}/pglite`);
      await pg.query(`UPDATE public.pos_reaction_cursors SET seq = $1 WHERE reaction IN ('cash-drawer', 'receipts', 'customer-display')`, [
        seq - 1,
      ]);
      await pg.close();
      engine = await openEngine(demo.dir, { purpose: 'test restart', now: () => new Date(paidAt + msAfterSale) });
      await until(
        async () => (await cursorOf('receipts')) >= seq && (await cursorOf('cash-drawer')) >= seq,
        'the reactions to pass the sale again',
      );
      await new Promise((r) => setTimeout(r, 500));
    };

    // A minute later nobody is waiting for that drawer: it stays shut, and the receipt is not kept again.
    await restartAt(60_000);
    expect(printer.jobs).toHaveLength(printed);
    expect(await originals(sold.saleId)).toEqual([{ status: 'PRINTED' }]);

    // Seconds later the cashier still is: the drawer the crash kept shut opens, once; still one receipt.
    await restartAt(5_000);
    await printer.waitForJobs(printed + 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(printer.jobs).toHaveLength(printed + 1);
    expect(isDrawerKick(printer.jobs.at(-1)!)).toBe(true);
    expect(await originals(sold.saleId)).toEqual([{ status: 'PRINTED' }]);
    expect(
      printer.jobs.filter((j) => decodeEscPos(j).events.some((e) => e.type === 'barcode' && 'data' in e && e.data === sold.receiptCode)),
    ).toHaveLength(1);
  });
});
