import { describe, expect, it } from 'vitest';
import { batchSizing, firstBatchSize, isBatchTimeout, largestNextBatch, nextBatchSize } from '#engine/sync/batch-size.ts';

const sizing = batchSizing(1000);

describe("the push's batch size", () => {
  it('starts at 250 facts, within the 25 to batchSize bounds', () => {
    expect(firstBatchSize(sizing)).toBe(250);
    expect(firstBatchSize(batchSizing(100))).toBe(100);
    expect(firstBatchSize(batchSizing(10))).toBe(10);
    expect(batchSizing(10)).toMatchObject({ min: 10, max: 10 });
  });

  it('doubles after a full batch central took well under a second, up to batchSize', () => {
    expect(nextBatchSize(250, { facts: 250, ms: 120 }, sizing)).toBe(500);
    expect(nextBatchSize(500, { facts: 500, ms: 300 }, sizing)).toBe(1000);
    expect(nextBatchSize(1000, { facts: 1000, ms: 300 }, sizing)).toBe(1000);
  });

  it('reads ahead, while a batch is delivered, the most the batch after it may carry: twice it, up to batchSize', () => {
    expect(largestNextBatch(250, sizing)).toBe(500);
    expect(largestNextBatch(1000, sizing)).toBe(1000);
    expect(largestNextBatch(10, batchSizing(10))).toBe(10);
  });

  it('keeps the size after the journal tail, however fast, and after a batch of about a second', () => {
    expect(nextBatchSize(250, { facts: 12, ms: 30 }, sizing)).toBe(250);
    expect(nextBatchSize(250, { facts: 250, ms: 900 }, sizing)).toBe(250);
    expect(nextBatchSize(250, { facts: 250, ms: 1_900 }, sizing)).toBe(250);
  });

  it('halves after a slow batch or a timeout, down to 25', () => {
    expect(nextBatchSize(1000, { facts: 1000, ms: 4_500 }, sizing)).toBe(500);
    expect(nextBatchSize(400, { facts: 80, ms: 2_500 }, sizing)).toBe(200);
    expect(nextBatchSize(500, 'timed out', sizing)).toBe(250);
    expect(nextBatchSize(40, 'timed out', sizing)).toBe(25);
    expect(nextBatchSize(25, { facts: 25, ms: 9_000 }, sizing)).toBe(25);
  });

  it('reaches about a second a batch from either side when central takes 2 ms a fact', () => {
    const batchMs = (facts: number) => facts * 2;
    for (const start of [25, 1000]) {
      let size = start;
      for (let i = 0; i < 10; i++) size = nextBatchSize(size, { facts: size, ms: batchMs(size) }, sizing);
      expect(batchMs(size)).toBeGreaterThanOrEqual(500);
      expect(batchMs(size)).toBeLessThanOrEqual(2_000);
    }
  });

  it("takes central's statement timeout and the driver's read timeout as a batch too large, and a lock wait as not", () => {
    expect(isBatchTimeout(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe(true);
    expect(isBatchTimeout(new Error('Query read timeout'))).toBe(true);
    expect(isBatchTimeout(Object.assign(new Error('lock timeout'), { code: '55P03' }))).toBe(false);
    expect(isBatchTimeout(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
