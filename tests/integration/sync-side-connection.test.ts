import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { socketWithin, UNREACHED } from '#engine/sync/side-connection.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

const listening = () =>
  new Promise<number>((resolve) => {
    server = createServer((socket) => socket.on('error', () => {}));
    server.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port));
  });

/** Keeps this thread off its event loop, as a thread kept off the CPU would be. */
const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the push and pull sockets', () => {
  it('take a connection central accepted in time even when the thread only hears of it after the limit', async () => {
    const port = await listening();
    const socket = socketWithin(50)();
    const outcome = new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (err) => resolve(err.message));
    });
    socket.connect(port, '127.0.0.1');
    busyFor(300);
    expect(await outcome).toBe('connected');
    socket.destroy();
  });

  it('give up on a connection that is still not taken after the limit', async () => {
    const socket = socketWithin(50)();
    const outcome = new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (err) => resolve(err.message));
    });
    // Never connected: as a connection whose SYN nobody answers, still connecting when the limit comes.
    Object.defineProperty(socket, 'connecting', { value: true });
    expect(await outcome).toBe(UNREACHED);
  });
});
