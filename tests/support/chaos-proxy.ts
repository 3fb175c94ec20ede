// A TCP proxy on 127.0.0.1 between terminals and central that misbehaves on request: it can
// cut every open connection, refuse new ones, hold traffic back, or drop a connection at
// random mid-stream. What a shop's DSL line does on a bad day, made repeatable.
import { createServer, Socket, type Server } from 'node:net';

export type ChaosProxy = {
  port: number;
  /** Cuts every connection now (both sides see a reset). */
  cutAll(): number;
  /** New connections are closed at once while true. */
  refuse(on: boolean): void;
  /** Each chunk waits this long before it is forwarded. */
  delay(ms: number): void;
  /** Each chunk has this chance of killing its connection instead of being forwarded. */
  dropRate(p: number): void;
  close(): Promise<void>;
};

export async function startChaosProxy(targetPort: number, random: () => number = Math.random): Promise<ChaosProxy> {
  const open = new Set<Socket>();
  let refusing = false;
  let delayMs = 0;
  let drop = 0;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    open.add(client);
    open.add(upstream);
    const kill = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    const pipe = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => {
        if (drop > 0 && random() < drop) return kill();
        if (delayMs === 0) return void to.write(chunk);
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, delayMs);
      });
    };
    pipe(client, upstream);
    pipe(upstream, client);
    client.on('error', kill).on('close', kill);
    upstream.on('error', kill).on('close', kill);
    upstream.connect(targetPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cutAll() {
      const n = open.size / 2;
      for (const s of open) s.destroy();
      open.clear();
      return n;
    },
    refuse: (on) => void (refusing = on),
    delay: (ms) => void (delayMs = ms),
    dropRate: (p) => void (drop = p),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
