// Raw TCP printing (port 9100): connect, write the job, wait until the printer has taken every
// byte and closed its side or the socket drained. A printer that does not answer in time fails
// the job, which stays in the spool.
import { connect } from 'node:net';

export function sendTcp(host: string, port: number, bytes: Uint8Array, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`the printer at ${host}:${port} did not answer within ${timeoutMs} ms`)));
    socket.once('error', (err) => done(new Error(`the printer at ${host}:${port} cannot be reached (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
    socket.once('connect', () => {
      socket.end(bytes, () => done());
    });
  });
}
