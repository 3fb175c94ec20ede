// An error from the push thread reaches the push as what it was: the classes the push tells
// apart, and the fields its retry policy and status read.
import { describe, expect, it } from 'vitest';
import { CentralNotReady } from '#engine/sync/central-check.ts';
import { ChainMismatch, CursorMismatch } from '#engine/sync/central-ledger.ts';
import { fromWire, toWire } from '#engine/sync/courier-messages.ts';
import { classifyFailure, isLockOrTimeout } from '#engine/sync/retry-policy.ts';
import { describeSyncError } from '#engine/sync/sync-errors.ts';

const across = (err: unknown) => fromWire(structuredClone(toWire(err)));

describe('an error crossing from the push thread', () => {
  it("is a CursorMismatch again, with central's head and its hash", () => {
    const err = across(new CursorMismatch(41, 'ab'.repeat(32)));
    expect(err).toBeInstanceOf(CursorMismatch);
    expect(err).toMatchObject({ centralHead: 41, centralHash: 'ab'.repeat(32) });
  });

  it('is a ChainMismatch or CentralNotReady again, with its message, so the status blocks the push', () => {
    expect(across(new ChainMismatch('fact 7 differs'))).toBeInstanceOf(ChainMismatch);
    const notReady = across(new CentralNotReady('run "pos central migrate"'));
    expect(notReady).toBeInstanceOf(CentralNotReady);
    expect(describeSyncError(notReady)).toBe('run "pos central migrate"');
  });

  it("keeps a driver error's SQLSTATE and name, so it is retried or described as before", () => {
    const lock = Object.assign(new Error('canceling statement due to lock timeout'), {
      name: 'DatabaseError',
      code: '55P03',
      severity: 'ERROR',
    });
    const err = across(lock);
    expect(err.name).toBe('DatabaseError');
    expect(isLockOrTimeout(err)).toBe(true);
    expect(classifyFailure(err)).toBe('retry');
    expect(describeSyncError(err)).toBe(describeSyncError(lock));
  });

  it("keeps a socket error's code and a driver's codeless message", () => {
    expect(classifyFailure(across(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })))).toBe(
      'retry',
    );
    expect(classifyFailure(across(new Error('Connection terminated unexpectedly')))).toBe('retry');
  });

  it('carries something thrown that is not an Error as its text', () => {
    expect(across('boom').message).toBe('boom');
  });
});
