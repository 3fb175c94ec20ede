// `pos central serve` as an operator starts it: a real child process, ready once it logs so.
import { spawn, type ChildProcess } from 'node:child_process';
import { POS_BIN, ROOT } from './run-cli.ts';

export type Served = { child: ChildProcess; url: string | null; output: () => string };

/** Starts `pos central serve ARGS` and resolves with its address once it logs that it is ready; `started` collects the child for cleanup. */
export function serveCentral(args: string[], env: NodeJS.ProcessEnv, started: ChildProcess[]): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [POS_BIN, 'central', 'serve', ...args], {
      cwd: ROOT,
      env: { ...process.env, POS_DEBUG: '', ...env },
    });
    started.push(child);
    let out = '';
    const output = () => out;
    child.stdout!.on('data', (d) => {
      out += d;
      const ready = out.split('\n').find((line) => line.includes('"msg":"central service ready"'));
      if (ready) resolve({ child, url: (JSON.parse(ready) as { url: string | null }).url, output });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`pos central serve exited with ${code}: ${out.slice(-2000)}`)));
  });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
  const since = Date.now();
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve({ code: child.exitCode, ms: 0 });
    child.once('exit', (code) => resolve({ code, ms: Date.now() - since }));
  });
}

/** Polls `probe` until `ok` holds or `ms` pass; answers the last value either way. */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000, everyMs = 200): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
