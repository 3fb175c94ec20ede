// A side's rest: a kick cuts an idle rest short but never a backoff; central answering the other
// side again ends either at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rest } from '#engine/sync/rest.ts';

afterEach(() => vi.useRealTimers());

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return () => done;
};

describe('a sync side’s rest', () => {
  it('is not cut short by a kick while it is a backoff', async () => {
    vi.useFakeTimers();
    const rest = new Rest(() => false);
    const done = await settled(rest.sleep(60_000, false));
    rest.kick();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(done()).toBe(true);
  });

  it('ends a backoff at once when the other side reached central again', async () => {
    vi.useFakeTimers();
    const rest = new Rest(() => false);
    const done = await settled(rest.sleep(60_000, false));
    rest.centralBack();
    await vi.advanceTimersByTimeAsync(0);
    expect(done()).toBe(true);
  });

  it('cuts an idle rest short 250 ms after a kick, so a burst of sales shares a batch', async () => {
    vi.useFakeTimers();
    const rest = new Rest(() => false);
    const done = await settled(rest.sleep(2_000, true));
    rest.kick();
    await vi.advanceTimersByTimeAsync(249);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
  });

  it('does nothing when the other side comes back while this one is not resting', async () => {
    vi.useFakeTimers();
    const rest = new Rest(() => false);
    rest.centralBack();
    const done = await settled(rest.sleep(1_000, false));
    await vi.advanceTimersByTimeAsync(999);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
  });
});
