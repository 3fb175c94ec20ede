// A receipt printer on 127.0.0.1 that keeps every job's bytes (one connection, one job). Like an
// Epson TM it answers real-time status requests (DLE EOT n) from its paper, cover and drawer
// state and does not print them; it can be unplugged and plugged back in on the same port, and
// it can stall: stop reading and answering partway through the next job, as a printer does
// when it jams or loses power mid-receipt.
import { createServer, type Server, type Socket } from 'node:net';

export type PrinterCondition = 'paperEnd' | 'paperNearEnd' | 'coverOpen' | 'drawerOpen';

export type LoopbackPrinter = {
  port: number;
  uri: string;
  /** Complete jobs, without the status requests. */
  jobs: Buffer[];
  /** What arrived on connections that stalled or were cut before the job ended. */
  partials: Buffer[];
  /** Status requests answered so far. */
  statusRequests: number;
  conditions: Set<PrinterCondition>;
  waitForJobs(count: number, timeoutMs?: number): Promise<Buffer[]>;
  /** The next connection goes silent after this many job bytes, until the printer is unplugged. */
  stallAfter(bytes: number): void;
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  close(): Promise<void>;
};

export async function startLoopbackPrinter(opts: { answersStatus?: boolean } = {}): Promise<LoopbackPrinter> {
  const answersStatus = opts.answersStatus ?? true;
  const jobs: Buffer[] = [];
  const partials: Buffer[] = [];
  const conditions = new Set<PrinterCondition>();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let stallAt: number | null = null;
  let statusRequests = 0;

  const statusByte = (n: number) => {
    const has = (c: PrinterCondition) => conditions.has(c);
    let b = 0x12;
    if (n === 1) b |= (has('drawerOpen') ? 0x04 : 0) | (has('paperEnd') || has('coverOpen') ? 0x08 : 0);
    if (n === 2) b |= (has('coverOpen') ? 0x04 : 0) | (has('paperEnd') ? 0x20 : 0);
    if (n === 4) b |= (has('paperNearEnd') ? 0x0c : 0) | (has('paperEnd') ? 0x60 : 0);
    return b;
  };

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    const job: number[] = [];
    let pending: number[] = [];
    let stalled = false;
    const stallAfter = stallAt;
    stallAt = null;
    socket.on('data', (chunk) => {
      if (stalled) return;
      pending.push(...chunk);
      let i = 0;
      for (; i < pending.length; i++) {
        if (pending[i] === 0x10 && i + 2 >= pending.length) break; // wait for the rest of a possible DLE EOT n
        if (pending[i] === 0x10 && pending[i + 1] === 0x04 && pending[i + 2]! >= 1 && pending[i + 2]! <= 4) {
          statusRequests++;
          if (answersStatus) socket.write(Uint8Array.of(statusByte(pending[i + 2]!)));
          i += 2;
          continue;
        }
        job.push(pending[i]!);
        if (stallAfter !== null && job.length >= stallAfter) {
          stalled = true;
          socket.pause();
          partials.push(Buffer.from(job));
          return;
        }
      }
      pending = pending.slice(i);
    });
    socket.on('end', () => {
      // A connection that only asked for status printed nothing.
      if (stalled || job.length === 0) return;
      jobs.push(Buffer.from(job));
      socket.end();
    });
    socket.on('close', () => {
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return {
    get port() {
      return port;
    },
    get uri() {
      return `tcp://127.0.0.1:${port}`;
    },
    get statusRequests() {
      return statusRequests;
    },
    jobs,
    partials,
    conditions,
    async waitForJobs(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (jobs.length < count) {
        if (Date.now() > until) throw new Error(`the printer got ${jobs.length} jobs, not ${count}, within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return jobs;
    },
    stallAfter(bytes) {
      stallAt = bytes;
    },
    unplug: stop,
    plugIn: listen,
    close: stop,
  };
}
