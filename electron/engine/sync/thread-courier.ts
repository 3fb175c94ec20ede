// The engine's push courier: the same calls as batch-courier.ts, answered by a thread of its own
// (push-thread.ts). A catch-up of 10,000 sales is journal reads, JSON and driver work by the
// megabyte, which on the engine's thread would interleave with every sale's awaits. Each call is
// a message and its answer; a thread that dies fails the calls in flight (the push retries, as
// after any failure) and the next pass starts a new one.
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchCourier, Delivered } from './batch-courier.ts';
import { fromWire, type CourierAnswer, type CourierCall, type PushThreadData } from './courier-messages.ts';

/**
 * The thread, from push-thread.js/.mjs beside the bundle this module was built into, or from the
 * sources (development and tests) through tsx's loader, registered in the thread itself: Node 20
 * does not carry the process's --import hooks into a worker.
 */
function startThread(data: PushThreadData): Worker {
  const here = import.meta.url;
  const ext = extname(new URL(here).pathname);
  const url = new URL(`./push-thread${ext}`, here);
  if (ext !== '.ts') return new Worker(url, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const load = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(load, { eval: true, workerData: data });
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export function threadCourier(data: PushThreadData): BatchCourier {
  let worker: Worker | undefined;
  const pending = new Map<number, Pending>();
  let next = 0;

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const start = (): Worker => {
    const w = startThread(data);
    w.on('message', (answer: CourierAnswer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      // An idle thread does not keep the process alive; a call in flight does.
      if (pending.size === 0) w.unref();
      if (answer.ok) p.resolve(answer.value);
      else p.reject(fromWire(answer.error));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`the push thread ended (exit code ${code})`));
    });
    return w;
  };

  const call = <T>(op: CourierCall['op'], ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      worker ??= start();
      worker.ref();
      const id = ++next;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });

  return {
    open: () => call<number | null>('open'),
    deliver: (cursor, size, receivedAt) => call<Delivered | null>('deliver', cursor, size, receivedAt),
    // A thread that died took its connection with it: nothing to hand back, and no new thread to start for it.
    close: (failed) => (worker ? call<void>('close', failed) : Promise.resolve()),
    async end() {
      const w = worker;
      if (!w) return;
      // The connection and the journal are closed by then: nothing is cut off.
      await call<void>('end').catch(() => {});
      await w.terminate();
    },
  };
}
