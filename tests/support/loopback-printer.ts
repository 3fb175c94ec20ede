// A receipt printer on 127.0.0.1 that keeps every job's bytes (one connection, one job). Like an
// Epson TM on its Ethernet card, it reads each connection to its end, then hangs up; it answers
// real-time status requests (DLE EOT n) from its paper, cover and drawer state as they arrive
// and does not print them. It misbehaves the ways printers do: it can be unplugged and plugged
// back in on the same port (what was in its buffer is lost), stall partway through the next job
// (stop reading and answering, as a jam does), or hang from the first byte (it takes
// connections and reads nothing); a hung or stalled printer that recovers reads on and prints
// what was waiting in its buffer, as a real one does.
import { createServer, type Server, type Socket } from 'node:net';

export type PrinterCondition = 'paperEnd' | 'paperNearEnd' | 'coverOpen' | 'drawerOpen';

export type LoopbackPrinter = {
  port: number;
  uri: string;
  /** Complete jobs (read to the end of their connection), without the status requests. */
  jobs: Buffer[];
  /** What arrived on connections that stalled or were cut before the job ended. */
  partials: Buffer[];
  /** Status requests answered so far. */
  statusRequests: number;
  /** When (Date.now()) each drawer pulse arrived, as it arrived: ESC p or DLE DC4 1. */
  drawerKicks: number[];
  conditions: Set<PrinterCondition>;
  waitForJobs(count: number, timeoutMs?: number): Promise<Buffer[]>;
  /**
   * The next connection that carries job bytes goes silent after this many of them, until the
   * printer recovers or is unplugged; other connections are served (a job stuck in its buffer).
   */
  stallAfter(bytes: number): void;
  /** The same, and the whole printer hangs with it (a jam): no connection is read or answered until it recovers. */
  jamAfter(bytes: number): void;
  /**
   * Calls fn, once, when a status request arrives after a job's bytes (the spool asking whether
   * the job arrived), before it is answered: a test kills the engine there.
   */
  onceJobConfirmed(fn: () => void): void;
  /** From now on it takes connections and reads nothing, answers nothing. */
  hang(): void;
  /** Reads on: what waited in its buffer is processed (and printed) as if it had never stopped. */
  recover(): void;
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  close(): Promise<void>;
};

const isStatusRequest = (b: number[], i: number) => b[i] === 0x10 && b[i + 1] === 0x04 && b[i + 2]! >= 1 && b[i + 2]! <= 4;
const isDrawerPulse = (b: number[], i: number) =>
  (b[i] === 0x1b && b[i + 1] === 0x70) || (b[i] === 0x10 && b[i + 1] === 0x14 && b[i + 2] === 0x01);

const portsHandedOut = new Set<number>();

export async function startLoopbackPrinter(opts: { answersStatus?: boolean } = {}): Promise<LoopbackPrinter> {
  const answersStatus = opts.answersStatus ?? true;
  const jobs: Buffer[] = [];
  const partials: Buffer[] = [];
  const drawerKicks: number[] = [];
  const conditions = new Set<PrinterCondition>();
  const sockets = new Set<Socket>();
  const paused = new Set<() => void>();
  let server: Server | null = null;
  let port = 0;
  let stallAt: { bytes: number; jam: boolean } | null = null;
  let hung = false;
  let powerLost = false;
  let statusRequests = 0;
  let onConfirm: (() => void) | null = null;

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
    let stallAfter: { bytes: number; jam: boolean } | null = null;
    let ended = false;
    let stopped = false;
    // Node keeps what arrives while paused; resuming hands it over in order, like a printer's buffer.
    const stop = () => {
      stopped = true;
      socket.pause();
      paused.add(resume);
    };
    const resume = () => {
      paused.delete(resume);
      stopped = false;
      stallAfter = null;
      consume();
      socket.resume();
      if (ended) finish();
    };
    const finish = () => {
      if (stopped) return;
      // A connection that only asked for status printed nothing (a drawer pulse is kept: tests decode it).
      if (job.length > 0) jobs.push(Buffer.from(job));
      socket.end();
    };
    const consume = () => {
      let i = 0;
      for (; i < pending.length && !stopped; i++) {
        if (pending[i] === 0x10 && i + 2 >= pending.length) break; // wait for the rest of a possible DLE EOT n
        if (isStatusRequest(pending, i)) {
          statusRequests++;
          if (job.length > 0 && onConfirm) {
            const fn = onConfirm;
            onConfirm = null;
            fn();
          }
          if (answersStatus) socket.write(Uint8Array.of(statusByte(pending[i + 2]!)));
          i += 2;
          continue;
        }
        if (isDrawerPulse(pending, i)) {
          if (i + 4 >= pending.length) break; // wait for the whole pulse
          // A drawer pulse is its own five bytes: it neither arms nor counts toward a stall.
          drawerKicks.push(Date.now());
          job.push(...pending.slice(i, i + 5));
          i += 4;
          continue;
        }
        if (stallAt !== null && stallAfter === null) {
          stallAfter = stallAt;
          stallAt = null;
        }
        job.push(pending[i]!);
        if (stallAfter !== null && job.length >= stallAfter.bytes) {
          partials.push(Buffer.from(job));
          if (stallAfter.jam) hung = true;
          stop();
          i++;
          break;
        }
      }
      pending = pending.slice(i);
    };
    socket.on('data', (chunk) => {
      pending.push(...chunk);
      if (!stopped) consume();
    });
    socket.on('end', () => {
      ended = true;
      finish();
    });
    socket.on('close', () => {
      sockets.delete(socket);
      paused.delete(resume);
      // Reset by a sender that died: what reached the buffer prints all the same (unless the power went).
      if (!ended && !stopped && !powerLost && job.length > 0) jobs.push(Buffer.from(job));
    });
    socket.on('error', () => undefined);
    if (hung) stop();
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      powerLost = false;
      // Half-open allowed: it hangs up only once it has read to the end, never by itself while jammed.
      server = createServer({ allowHalfOpen: true }, onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      hung = false;
      powerLost = true;
      paused.clear();
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  // The engine knows a printer by its URI, so a port an earlier printer of this process had (the
  // OS hands freed ports out again) would show that printer's receipts as this one's: a test that
  // expected none found another test's printed receipt.
  for (await listen(); portsHandedOut.has(port); await listen()) {
    await stop();
    port = 0;
  }
  portsHandedOut.add(port);
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
    drawerKicks,
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
      stallAt = { bytes, jam: false };
    },
    jamAfter(bytes) {
      stallAt = { bytes, jam: true };
    },
    onceJobConfirmed(fn) {
      onConfirm = fn;
    },
    hang() {
      hung = true;
    },
    recover() {
      hung = false;
      for (const resume of [...paused]) resume();
    },
    unplug: stop,
    plugIn: listen,
    close: stop,
  };
}
