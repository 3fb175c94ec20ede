// The push's catch-up while a cashier sells: between two batches it rests as long as the last
// one took, and with no one selling it goes batch after batch. A real terminal, its journal and
// central; the push side driven directly, its batches timed where they are handed to central.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { openJournal, type Journal } from '#db/journal.ts';
import { directCourier, type BatchCourier } from '#engine/sync/batch-courier.ts';
import { PushSide } from '#engine/sync/push-side.ts';
import { openPushState, type PushState } from '#engine/sync/push-state.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import type { TestDatabase } from '../support/central.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal } from '../support/sync-fixture.ts';

let database: TestDatabase;
let central: Central;
let terminal: TestTerminal;
let journal: Journal;
let state: PushState;
let push: PushSide;
/** Each batch central took: when it was handed over and when central answered. */
let batches: { start: number; end: number }[];

beforeAll(async () => {
  let registerIds: string[];
  ({ database, central, registerIds } = await createCentral('sync_pace', 1));
  const dir = await provisionDir(central, database.url, registerIds[0]!, 'sync-pace');
  // The catalog comes down once; then the terminal sells with no loop of its own.
  await (await openTerminal(dir, registerIds[0]!)).engine.close();
  terminal = await openTerminal(dir, registerIds[0]!, { sync: false });
  journal = openJournal(dir);
  state = openPushState(dir);
  const real = directCourier(journal, readSyncConfig(dir)!.url, registerIds[0]!);
  const timed: BatchCourier = {
    ...real,
    async deliver(cursor, size, receivedAt, ahead) {
      const start = performance.now();
      const delivered = await real.deliver(cursor, size, receivedAt, ahead);
      if (delivered) batches.push({ start, end: performance.now() });
      return delivered;
    },
  };
  push = new PushSide({ journal, state, courier: timed, config: { batchSize: 10 } });
  // As the engine wires its loop: every fact appended is a kick.
  terminal.engine.services.journal.onAppend(() => push.kick());
}, 120_000);

afterAll(async () => {
  await push?.stop();
  state?.close();
  journal?.close();
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

const took = (b: { start: number; end: number }) => b.end - b.start;
const gaps = () => batches.slice(1).map((b, i) => ({ gap: b.start - batches[i]!.end, before: batches[i]! }));

describe('the push beside a cashier', () => {
  it('rests between two batches as long as the one before took while sales are being rung up', async () => {
    for (let i = 0; i < 60; i++) await terminal.sell(1);
    batches = [];
    let lastSale = 0;
    const pushed = push.pass();
    // The cashier sells on, a sale every few milliseconds (the push's answers come in between),
    // until central has taken five batches, and then stops.
    for (let i = 0; i < 500 && batches.length < 5; i++) {
      await terminal.sell(1);
      lastSale = performance.now();
      await sleep(5);
    }
    await pushed;
    await push.pass();
    expect(state.cursor()).toBe(journal.head().seq);
    // The batches that followed one ending while the cashier was still selling.
    const paced = gaps().filter(({ before }) => before.end < lastSale);
    expect(paced.length).toBeGreaterThanOrEqual(3);
    for (const { gap, before } of paced) expect(gap).toBeGreaterThanOrEqual(took(before) - 2);
  });

  it('goes batch after batch when no one has sold for a second', async () => {
    for (let i = 0; i < 60; i++) await terminal.sell(1);
    await sleep(1_100);
    batches = [];
    await push.pass();
    expect(state.cursor()).toBe(journal.head().seq);
    expect(batches.length).toBeGreaterThanOrEqual(5);
    const rested = gaps().reduce((n, { gap }) => n + gap, 0);
    const working = batches.slice(0, -1).reduce((n, b) => n + took(b), 0);
    expect(rested).toBeLessThan(working / 2);
  });
});
