// A receipt printer on 127.0.0.1 that keeps every job's bytes (one connection, one job), and
// can be unplugged and plugged back in on the same port.
import { createServer, type Server, type Socket } from 'node:net';

export type LoopbackPrinter = {
  port: number;
  uri: string;
  jobs: Buffer[];
  /** Resolves once `count` jobs have arrived in all. */
  waitForJobs(count: number, timeoutMs?: number): Promise<Buffer[]>;
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  close(): Promise<void>;
};

export async function startLoopbackPrinter(): Promise<LoopbackPrinter> {
  const jobs: Buffer[] = [];
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    server = createServer((socket) => {
      sockets.add(socket);
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('end', () => {
        jobs.push(Buffer.concat(chunks));
        socket.end();
      });
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as { port: number }).port;
      resolve();
    });
  });
  const stop = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    if (!server) return resolve();
    server.close(() => resolve());
    server = null;
  });
  await listen();
  return {
    get port() { return port; },
    get uri() { return `tcp://127.0.0.1:${port}`; },
    jobs,
    async waitForJobs(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (jobs.length < count) {
        if (Date.now() > until) throw new Error(`the printer got ${jobs.length} jobs, not ${count}, within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return jobs;
    },
    unplug: stop,
    plugIn: listen,
    close: stop,
  };
}
