// What a start does between PGlite and the journal when the till's clock cannot be trusted (a
// dead CMOS battery sets it back or forward by a day) and when journal.sqlite is not the one
// PGlite last saw. Real engine processes killed with SIGKILL between a PGlite commit and its
// journal append; real journal files tampered with.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from '#db/journal.ts';
import { createPglite } from '#db/local.ts';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { openEngine } from '#engine/engine.ts';
import { ok } from '../support/demo-engine.ts';
import { EngineGone, startEngineProcess, type EngineProcess } from '../support/engine-process.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { demoDataDir } from '../support/demo-template.ts';

const demo = readDemoStore();
const barcodes = demo.catalog.filter((r) => r.barcode && r.sold_by === 'UNIT').map((r) => r.barcode);
const manager = demo.store.employees[1]!;
const DAY = 24 * 3_600_000;

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
async function value<T>(p: Promise<Answer<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function signedIn(engine: EngineProcess) {
  const staff = await value(engine.call('auth.staffForSignIn', {}));
  const token = (
    await value(
      engine.call('auth.signInWithPin', {
        employeeId: staff.find((s) => s.displayName === manager.displayName)!.employeeId,
        pin: manager.pin,
      }),
    )
  ).token;
  const cash = (await value(engine.call('sales.paymentMethods', {}, { token }))).find((m) => m.code === 'CASH')!.id;
  return { token, cash };
}

async function stopped(engine: EngineProcess) {
  engine.child.kill('SIGKILL');
  await engine.exited;
}

describe('the start-up reconciliation on a till whose clock jumps', () => {
  const dir = freshDataDir('reconcile-clock');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('journals every record a crash left unjournaled, written with the clock a day ahead, then a day behind', async () => {
    // A day ahead: the shift and a sale are journaled, and the checkpoint is taken then.
    let engine = await startEngineProcess(dir, { POS_TEST_CLOCK_OFFSET_MS: String(DAY) });
    let { token, cash } = await signedIn(engine);
    await value(engine.call('shifts.open', { idempotencyKey: 'clock-shift-open', openingFloat: '500.00' }, { token }));
    const sale = await value(engine.call('sales.open', { idempotencyKey: 'clock-sale-1' }, { token }));
    await value(engine.call('sales.addItem', { saleId: sale.id, code: barcodes[0]! }, { token }));
    await value(engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '1000' }] }, { token }));
    await stopped(engine);
    await stopped(await startEngineProcess(dir, { POS_TEST_CLOCK_OFFSET_MS: String(DAY) }));

    // The clock put right, then set a day back: each time PGlite commits and the process dies
    // before the journal append.
    const lost: { call: 'pay-out' | 'sale'; key: string; saleId?: string }[] = [];
    for (const [offset, n] of [
      [0, 1],
      [-DAY, 2],
    ] as const) {
      engine = await startEngineProcess(dir, { POS_TEST_CLOCK_OFFSET_MS: String(offset), POS_TEST_KILL_AT: 'before-append:cash.moved' });
      ({ token, cash } = await signedIn(engine));
      await expect(
        engine.call(
          'shifts.cashMovement',
          { kind: 'PAY_OUT', amount: '10.00', reason: 'Hielo', idempotencyKey: `clock-payout-${n}` },
          { token },
        ),
      ).rejects.toBeInstanceOf(EngineGone);
      await engine.exited;
      lost.push({ call: 'pay-out', key: `clock-payout-${n}` });
      engine = await startEngineProcess(dir, {
        POS_TEST_CLOCK_OFFSET_MS: String(offset),
        POS_TEST_KILL_AT: 'before-append:sale.completed',
      });
      ({ token, cash } = await signedIn(engine));
      const s = await value(engine.call('sales.open', { idempotencyKey: `clock-sale-${n + 1}` }, { token }));
      await value(engine.call('sales.addItem', { saleId: s.id, code: barcodes[n]! }, { token }));
      await expect(
        engine.call('sales.complete', { saleId: s.id, tenders: [{ methodId: cash, tendered: '1000' }] }, { token }),
      ).rejects.toBeInstanceOf(EngineGone);
      await engine.exited;
      lost.push({ call: 'sale', key: `sale:${s.id}`, saleId: s.id });
    }

    engine = await startEngineProcess(dir);
    expect(engine.started.reconciliation.journaled).toBeGreaterThanOrEqual(1);
    ({ token, cash } = await signedIn(engine));
    await stopped(engine);
    const journal = openJournal(dir);
    try {
      for (const l of lost)
        expect(journal.find(l.call === 'pay-out' ? `cash:${l.key}` : l.key), `${l.call} ${l.key} in the journal`).toBeDefined();
      expect(journal.after(0, 1_000).filter((f) => f.kind === 'sale.completed')).toHaveLength(3);
      expect(journal.verify()).toMatchObject({ ok: true });
    } finally {
      journal.close();
    }
  }, 600_000);
});

describe('a start whose journal is not the one its database last saw', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function tillWithSales(label: string, sales: number, copyJournalAfter?: number) {
    const dir = demoDataDir(label);
    dirs.push(dir);
    const engine = await openEngine(dir, { purpose: 'checkpoint test', devices: false, sync: false });
    await setUpDemoStore(engine, demo);
    const staff = ok(await engine.call('auth.staffForSignIn', {}));
    const token = ok(
      await engine.call('auth.signInWithPin', {
        employeeId: staff.find((s) => s.displayName === manager.displayName)!.employeeId,
        pin: manager.pin,
      }),
    ).token;
    const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
    ok(await engine.call('shifts.open', { idempotencyKey: `${label}-shift`, openingFloat: '100.00' }, { token }));
    for (let i = 0; i < sales; i++) {
      const sale = ok(await engine.call('sales.open', { idempotencyKey: `${label}-sale-${i}` }, { token }));
      ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcodes[i]! }, { token }));
      ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '1000' }] }, { token }));
      if (i + 1 === copyJournalAfter) {
        // A backup of the journal taken mid-day: the copy is of a consistent file.
        const db = new Database(join(dir, 'journal.sqlite'));
        await db.backup(join(dir, 'journal.backup.sqlite'));
        db.close();
      }
    }
    await engine.close();
    return dir;
  }

  const reopen = (dir: string) => openEngine(dir, { purpose: 'checkpoint test', devices: false, sync: false });

  it('refuses to start, naming the fact, when journal.sqlite was put back from an older copy', async () => {
    const dir = await tillWithSales('checkpoint-older', 3, 1);
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(join(dir, `journal.sqlite${suffix}`))) rmSync(join(dir, `journal.sqlite${suffix}`));
    copyFileSync(join(dir, 'journal.backup.sqlite'), join(dir, 'journal.sqlite'));
    await expect(reopen(dir)).rejects.toThrow(
      /journal \(journal\.sqlite\) does not continue what this register's database last saw at fact 4 \(fact 4: the journal ends at fact 2\)/,
    );
    // Nothing was written to either file: putting the right journal back lets the till start.
    const journal = openJournal(dir);
    expect(journal.head().seq).toBe(2);
    journal.close();
  }, 300_000);

  it('refuses to start when the fact it was checkpointed at was rewritten', async () => {
    const dir = await tillWithSales('checkpoint-rewritten', 2);
    const db = new Database(join(dir, 'journal.sqlite'));
    db.exec('DROP TRIGGER facts_no_update');
    const [head] = db.prepare<[], { seq: number; payload: string }>('SELECT seq, payload FROM facts ORDER BY seq DESC LIMIT 1').all();
    db.prepare('UPDATE facts SET payload = ? WHERE seq = ?').run(head!.payload.replace(/"total":"[0-9.]+"/, '"total":"0.0100"'), head!.seq);
    db.close();
    await expect(reopen(dir)).rejects.toThrow(
      /does not continue what this register's database last saw at fact 3 \(fact 3: its content does not match its hash/,
    );
  }, 300_000);

  it('refuses to start when a journal from another till was put in its place', async () => {
    const dir = await tillWithSales('checkpoint-mine', 2);
    const other = await tillWithSales('checkpoint-other', 3);
    rmSync(join(dir, 'journal.sqlite'));
    copyFileSync(join(other, 'journal.sqlite'), join(dir, 'journal.sqlite'));
    await expect(reopen(dir)).rejects.toThrow(/last saw at fact 3 \(fact 3: it is not the fact this database last saw there/);
  }, 300_000);

  it('checks, once, every record a database from before the record list holds, and journals the one a crash left behind', async () => {
    const dir = await tillWithSales('checkpoint-upgrade', 2);
    let engine = await reopen(dir);
    const staff = ok(await engine.call('auth.staffForSignIn', {}));
    const token = ok(
      await engine.call('auth.signInWithPin', {
        employeeId: staff.find((s) => s.displayName === manager.displayName)!.employeeId,
        pin: manager.pin,
      }),
    ).token;
    const cash = ok(await engine.call('sales.paymentMethods', {}, { token })).find((m) => m.code === 'CASH')!.id;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: 'checkpoint-upgrade-lost' }, { token }));
    ok(await engine.call('sales.addItem', { saleId: sale.id, code: barcodes[5]! }, { token }));
    const { journal } = engine.services;
    const append = journal.append;
    journal.append = () => {
      throw new Error('killed between the PGlite commit and the journal append');
    };
    const appendAll = journal.appendAll;
    journal.appendAll = () => {
      throw new Error('killed between the PGlite commit and the journal append');
    };
    expect((await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '1000' }] }, { token })).ok).toBe(
      false,
    );
    journal.append = append;
    journal.appendAll = appendAll;
    // What an older version leaves: no record list, a checkpoint without a hash.
    await engine.services.sql.exec(`DROP FUNCTION public.pos_log_record() CASCADE; DROP TABLE public.pos_record_log;
      UPDATE public.pos_journal_checkpoint SET hash = NULL, logged_through = 0`);
    await engine.close();
    engine = await reopen(dir);
    expect(engine.reconciliation.journaled).toBe(1);
    expect(engine.services.journal.find(`sale:${sale.id}`)?.kind).toBe('sale.completed');
    await engine.close();
    engine = await reopen(dir);
    expect(engine.reconciliation).toMatchObject({ replayed: 0, journaled: 0 });
    await engine.close();
  }, 300_000);

  it("starts as before when the journal continues its checkpoint, and moves the checkpoint to the journal's head", async () => {
    const dir = await tillWithSales('checkpoint-fine', 2);
    const engine = await reopen(dir);
    expect(engine.reconciliation).toMatchObject({ replayed: 0, journaled: 0 });
    await engine.close();
    const pg = await createPglite(join(dir, 'pglite'));
    const [row] = (await pg.query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM public.pos_journal_checkpoint')).rows;
    await pg.close();
    const journal = openJournal(dir);
    expect(row).toEqual({ seq: String(journal.head().seq), hash: journal.head().hash });
    journal.close();
  }, 300_000);
});
