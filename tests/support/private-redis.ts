// A redis-server of the test's own on a free loopback port, so a test can stop and restart Redis
// without touching anyone else's, and queues never mix with another test file's.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './private-postgres.ts';

export type PrivateRedis = { url: string; port: number; start(): Promise<void>; stop(): Promise<void> };

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    start: () =>
      new Promise((resolve, reject) => {
        const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        started.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('Ready to accept connections')) resolve();
        });
        started.once('error', (err) => reject(new Error(`the tests need redis-server on the PATH: ${err.message}`)));
        started.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${out.slice(-500)}`)));
        child = started;
      }),
    stop: () =>
      new Promise((resolve) => {
        const running = child;
        child = null;
        if (!running || running.exitCode !== null) return resolve();
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      }),
  };
  await redis.start();
  return redis;
}
