// The push's reader of the journal: the batch after a cursor, and the next one read while the
// first is being sent, on a real journal on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '#db/journal.ts';
import { BatchReader } from '#engine/sync/batch-reader.ts';

let dir: string;
let journal: Journal;
let reads: number[][];

const append = (from: number, to: number) => {
  for (let n = from; n <= to; n++) journal.append('test.fact', `fact-${n}`, { n, variant_id: '0190a9a6-0000-7000-8000-000000000001' });
};
const seqs = (facts: { fact: { seq: number } }[]) => facts.map((o) => o.fact.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The journal, with every read it serves noted (from which seq, how many). */
const counted = (): Pick<Journal, 'after'> => ({
  after: (seq, limit) => {
    reads.push([seq, limit ?? 500]);
    return journal.after(seq, limit);
  },
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pos-batch-reader-'));
  journal = openJournal(dir);
  reads = [];
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the push reading its journal', () => {
  it('takes the facts after a cursor, each worked out for central', () => {
    append(1, 30);
    const batch = new BatchReader(journal).take(5, 10);
    expect(seqs(batch)).toEqual(range(6, 15));
    expect(batch[0]).toMatchObject({ unstorable: null, run: null, variants: ['0190a9a6-0000-7000-8000-000000000001'], balances: [] });
    // Its staged row, as COPY takes it: seven fields, its seq first, last its payload as the journal's text behind its length.
    const { staged, fact } = batch[0]!;
    expect(staged.readInt16BE(0)).toBe(7);
    expect(staged.readBigInt64BE(6)).toBe(6n);
    const journaled = new Database(join(dir, 'journal.sqlite'), { readonly: true });
    const text = Buffer.from(
      journaled.prepare<[number], { payload: string }>('SELECT payload FROM facts WHERE seq = ?').get(fact.seq)!.payload,
    );
    journaled.close();
    expect(staged.readInt32BE(staged.length - text.length - 4)).toBe(text.length);
    expect(staged.subarray(-text.length).equals(text)).toBe(true);
  });

  it('reads the next batch while this one is sent, and the next take reads nothing more', async () => {
    append(1, 100);
    const reader = new BatchReader(counted());
    const first = reader.take(0, 40);
    // A delivery that takes a while, as central applying a batch does.
    expect(await reader.whileSending(first, 40, () => sleep(50).then(() => 'sent'))).toBe('sent');
    reads = [];
    const second = reader.take(40, 40);
    expect(seqs(second)).toEqual(range(41, 80));
    expect(reads).toEqual([]);
  });

  it('tops a batch read ahead up with what was appended since, and with more when the size grew', async () => {
    append(1, 50);
    const reader = new BatchReader(journal);
    await reader.whileSending(reader.take(0, 20), 20, () => sleep(30));
    append(51, 60);
    // 30 read ahead (21 to 50) would have been all; 10 appended since, and the size doubled.
    const next = reader.take(20, 40);
    expect(seqs(next)).toEqual(range(21, 60));
  });

  it('keeps what a smaller batch did not take for the batch after it when the size shrank', async () => {
    append(1, 100);
    const reader = new BatchReader(counted());
    await reader.whileSending(reader.take(0, 40), 40, () => sleep(30));
    reads = [];
    expect(seqs(reader.take(40, 10))).toEqual(range(41, 50));
    expect(seqs(reader.take(50, 10))).toEqual(range(51, 60));
    expect(reads).toEqual([]);
  });

  it('reads ahead as many as the next batch may carry, so a batch that doubled reads nothing while central waits', async () => {
    append(1, 100);
    const reader = new BatchReader(counted());
    const first = reader.take(0, 20);
    await reader.whileSending(first, 40, () => sleep(50));
    reads = [];
    const doubled = reader.take(20, 40);
    expect(seqs(doubled)).toEqual(range(21, 60));
    expect(reads).toEqual([]);
  });

  it('reads on from what it already holds, and no more than the next batch may carry', async () => {
    append(1, 200);
    const reader = new BatchReader(counted());
    await reader.whileSending(reader.take(0, 20), 40, () => sleep(50));
    // The size stayed: 20 of the 40 read ahead are left over, and 20 more make the 40 the next batch may carry.
    const second = reader.take(20, 20);
    reads = [];
    await reader.whileSending(second, 40, () => sleep(50));
    expect(reads).toEqual([
      [60, 10],
      [70, 10],
    ]);
    expect(seqs(reader.take(40, 40))).toEqual(range(41, 80));
  });

  it('reads afresh after a failed delivery, a cursor moved elsewhere, or the end of a pass', async () => {
    append(1, 100);
    const reader = new BatchReader(journal);
    const first = reader.take(0, 20);
    await expect(reader.whileSending(first, 20, () => sleep(20).then(() => Promise.reject(new Error('lost'))))).rejects.toThrow('lost');
    expect(seqs(reader.take(0, 20))).toEqual(range(1, 20));

    await reader.whileSending(first, 20, () => sleep(20));
    // Central said it holds up to 30: the batch read ahead from 20 is not the one asked for.
    expect(seqs(reader.take(30, 5))).toEqual(range(31, 35));

    await reader.whileSending(reader.take(35, 5), 5, () => sleep(20));
    reader.forget();
    reads = [];
    const afresh = new BatchReader(counted());
    expect(seqs(afresh.take(40, 5))).toEqual(range(41, 45));
    expect(reads).toEqual([[40, 5]]);
  });

  it('finishes reading the next batch when the delivery was quicker, so the next take reads nothing', async () => {
    append(1, 10);
    const reader = new BatchReader(counted());
    const batch = reader.take(0, 5);
    expect(await reader.whileSending(batch, 5, async () => 'at once')).toBe('at once');
    reads = [];
    expect(seqs(reader.take(5, 5))).toEqual(range(6, 10));
    expect(reads).toEqual([]);
  });
});
