// Drives an engine child process (tests/fixtures/engine-child.ts) through the same envelopes
// the UI sends; a call in flight when the process dies rejects with `EngineGone`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs, CallOptions, CallOutput, CallResult } from '#engine/dispatch.ts';
import type { Reconciliation } from '#engine/recovery/reconcile.ts';
import { fixtureScript } from './fixture-bundle.ts';
import { ROOT } from './run-cli.ts';

export class EngineGone extends Error {
  override name = 'EngineGone';
}

export type EngineProcess = {
  child: ChildProcess;
  started: { reconciliation: Reconciliation; rebuilt: string | null };
  call<K extends CallName>(name: K, input: CallArgs<K>, opts?: CallOptions): Promise<CallResult<CallOutput<K>>>;
  exited: Promise<void>;
};

/** `env`: the fixture's knobs (a kill point, a clock offset) on top of this process's environment. */
export async function startEngineProcess(dataDir: string, env: Record<string, string> = {}): Promise<EngineProcess> {
  const script = await fixtureScript('engine-child');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const pending = new Map<number, { resolve: (v: CallResult<unknown>) => void; reject: (e: Error) => void }>();
    let next = 0;
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<void>((done) =>
      child.once('exit', () => {
        for (const p of pending.values()) p.reject(new EngineGone('the engine process died'));
        pending.clear();
        done();
      }),
    );
    child.stdin!.on('error', () => undefined); // writing to a killed child
    let ready = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!ready && line.startsWith('ready ')) {
        ready = true;
        resolve({
          child,
          exited,
          started: JSON.parse(line.slice(6)),
          call: (name, input, opts = {}) =>
            new Promise((res, rej) => {
              if (child.exitCode !== null || child.signalCode !== null) return rej(new EngineGone('the engine process is not running'));
              const id = ++next;
              pending.set(id, { resolve: res as (v: CallResult<unknown>) => void, reject: rej });
              child.stdin!.write(`${JSON.stringify({ id, envelope: { call: name, input, ...opts } })}\n`);
            }),
        });
        return;
      }
      if (!line.startsWith('{')) return;
      const { id, result } = JSON.parse(line) as { id: number; result: CallResult<unknown> };
      pending.get(id)?.resolve(result);
      pending.delete(id);
    });
    void exited.then(() => ready || reject(new Error(`engine process exited before ready: ${stderr}`)));
  });
}
