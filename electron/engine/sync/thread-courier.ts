// The engine's push courier: the same calls as batch-courier.ts, answered by a thread of its own
// (push-thread.ts). A catch-up of 10,000 sales is journal reads, JSON and driver work by the
// megabyte, which on the engine's thread would interleave with every sale's awaits. Each call is
// a message and its answer; a thread that dies fails the calls in flight (the push retries, as
// after any failure) and the next pass starts a new one.
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchCourier, Delivered } from './batch-courier.ts';
import type { Head } from './central-ledger.ts';
import { fromWire, type CourierAnswer, type CourierCall, type PushThreadData } from './courier-messages.ts';

let fromSources: Promise<URL> | undefined;

/**
 * The thread's script: push-thread.js/.mjs beside the bundle this module was built into, or, run
 * from the sources (the tests, the bench), one bundle of them built for it as `pos` builds its
 * own (bin/source-bundle.mjs), once a process: the sources do not change under a run. Each new
 * thread used to load the sources through tsx's hooks instead, which took 2 to 3 s a thread, and
 * 31 s once while another test file held both cores: a push silent that long after its loop
 * started, with nothing wrong to report.
 */
function threadScript(): Promise<URL> {
  const here = new URL(import.meta.url);
  const ext = extname(here.pathname);
  if (ext !== '.ts') return Promise.resolve(new URL(`./push-thread${ext}`, here));
  fromSources ??= bundleSources(here).catch((err: unknown) => {
    fromSources = undefined;
    throw err;
  });
  return fromSources;
}

async function bundleSources(here: URL): Promise<URL> {
  const root = fileURLToPath(new URL('../../../', here));
  // A specifier esbuild does not follow: an engine built for the desktop never takes in the build tool.
  const recipe = new URL('../../../bin/source-bundle.mjs', here).href;
  const { sourceBundle } = (await import(recipe)) as typeof import('../../../bin/source-bundle.mjs');
  const dir = await sourceBundle({
    root,
    name: 'push-thread',
    entryPoints: { 'push-thread': fileURLToPath(new URL('./push-thread.ts', here)) },
    sources: ['electron/engine', 'db', 'contract'].map((dir) => join(root, dir)),
    recipes: [],
  });
  return pathToFileURL(join(dir, 'push-thread.mjs'));
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

  const start = (script: URL): Worker => {
    const w = new Worker(script, { workerData: data });
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

  const call = async <T>(op: CourierCall['op'], ...args: unknown[]): Promise<T> => {
    const script = await threadScript();
    const w = (worker ??= start(script));
    w.ref();
    const id = ++next;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      w.postMessage({ id, op, args });
    });
  };

  return {
    open: () => call<Head | null>('open'),
    deliver: (cursor, size, receivedAt, ahead) => call<Delivered | null>('deliver', cursor, size, receivedAt, ahead),
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
