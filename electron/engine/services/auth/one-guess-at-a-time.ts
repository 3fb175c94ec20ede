// One secret check at a time per key (an identity, or a register's window of failures): a
// burst of guesses sent at once is checked in turn, each seeing the count the previous one
// left, so a race cannot get more guesses past the lock than typing them one by one would.
// In memory because the engine is the only process on its data directory (the owner lock);
// what must survive a crash is the count itself, which is in the database.
import type { EngineContainer } from '#engine/container.ts';

type Tails = Map<string, Promise<unknown>>;
const byEngine = new WeakMap<EngineContainer['sql'], Tails>();

export async function oneAtATime<T>(services: Pick<EngineContainer, 'sql'>, key: string, work: () => Promise<T>): Promise<T> {
  let tails = byEngine.get(services.sql);
  if (!tails) byEngine.set(services.sql, (tails = new Map()));
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // The last in line clears its key, so the map holds only keys with a check in progress.
    if (tails.get(key) === tail) tails.delete(key);
  }
}
