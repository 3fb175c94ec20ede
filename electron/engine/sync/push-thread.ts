// The push thread's entry: the engine's push courier (batch-courier.ts) on a thread of its own,
// with its own reader of the journal and its own connection to central. It answers the calls
// thread-courier.ts sends; after `end` the engine's side ends the thread.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openJournal } from '#db/journal.ts';
import { directCourier } from './batch-courier.ts';
import { toWire, type CourierAnswer, type CourierCall, type PushThreadData } from './courier-messages.ts';

/**
 * The push is background work: where a thread has a nice value of its own (Linux, where
 * /proc/thread-self names it), this one yields a core to the engine's thread, which sells.
 * Elsewhere it runs at the process's priority.
 */
function yieldToSelling(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // No /proc (Windows, macOS): the thread keeps the process's priority.
  }
}

yieldToSelling();
const port = parentPort!;
const { dataDir, url, registerId } = workerData as PushThreadData;
const journal = openJournal(dataDir);
const courier = directCourier(journal, url, registerId);

port.on('message', async (call: CourierCall) => {
  let answer: CourierAnswer;
  try {
    answer = { id: call.id, ok: true, value: await (courier[call.op] as (...args: unknown[]) => Promise<unknown>)(...call.args) };
  } catch (err) {
    answer = { id: call.id, ok: false, error: toWire(err) };
  }
  if (call.op === 'end') journal.close();
  port.postMessage(answer);
});
