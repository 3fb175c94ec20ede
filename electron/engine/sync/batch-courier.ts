// The part of a push that does the work: reading the journal's facts after the cursor, turning
// them into a batch and delivering it in one central transaction (central-ledger.ts) over the
// push's own connection. The push's schedule, cursor and status stay with PushSide; this part
// holds the journal reads, the JSON and the driver, so the engine runs it on a thread of its own
// (push-thread.ts) and a sale never waits behind a batch. A chain-scale test, with no sales to
// protect, runs it on the calling thread (directCourier).
import type pg from 'pg';
import type { Journal } from '#db/journal.ts';
import { centralHead, deliverBatch, type Delivery, type Head } from './central-ledger.ts';
import { BatchReader } from './batch-reader.ts';
import { openSidePool, readinessCheck } from './side-connection.ts';

/** What central took of one batch, and how many facts the batch carried. */
export type Delivered = Delivery & { facts: number };

export interface BatchCourier {
  /** Takes a connection for a pass: central's head for this register when the connection is new to it, else null. */
  open(): Promise<Head | null>;
  /**
   * The facts after `cursor`, at most `size` of them, in one central transaction; null when there
   * are none. Meanwhile the next `ahead` facts are read and readied (the most the next batch may carry).
   */
  deliver(cursor: number, size: number, receivedAt: string, ahead: number): Promise<Delivered | null>;
  /** Ends the pass; a connection that failed is closed rather than kept for the next. */
  close(failed: boolean): Promise<void>;
  /** Ends the connection for good. */
  end(): Promise<void>;
}

export function directCourier(journal: Journal, url: string, registerId: string): BatchCourier {
  const pool = openSidePool(url, registerId, 'push');
  const ready = readinessCheck(registerId);
  let client: pg.PoolClient | undefined;
  const reader = new BatchReader(journal);
  const held = (): pg.PoolClient => {
    if (!client) throw new Error('no push pass is open');
    return client;
  };
  return {
    async open() {
      client = await pool.connect();
      // Central's ledger is where this terminal really is: behind after central was restored
      // from a backup, ahead when this terminal's last answer was lost. Asked once per
      // connection; within one, a batch that finds otherwise answers CursorMismatch.
      return (await ready(client)) ? await centralHead(client, registerId) : null;
    },
    async deliver(cursor, size, receivedAt, ahead) {
      const batch = reader.take(cursor, size);
      if (batch.length === 0) return null;
      const delivery = await reader.whileSending(batch, ahead, () => deliverBatch(held(), registerId, batch, () => new Date(receivedAt)));
      return { ...delivery, facts: batch.length };
    },
    async close(failed) {
      reader.forget();
      client?.release(failed);
      client = undefined;
    },
    async end() {
      await pool.end().catch(() => {});
    },
  };
}
