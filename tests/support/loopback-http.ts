// The part the loopback providers (SendGrid, Twilio, a push service, Mercado Pago) share: an HTTP
// or HTTPS server on 127.0.0.1 that checks each request as the provider would and then answers,
// unless a test scripted the next answers (a 429, a 500, a request left hanging, or one the
// provider acts on and then never answers).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** `raw` is sent as the body as is (a body that is not JSON), in place of `json`. */
export type Answer = { status: number; headers?: Record<string, string>; json?: unknown; raw?: string };
/**
 * 'pass': the provider answers as it would (a script then reaches a later request).
 * 'hang': the request is read and never answered (until close()), and the provider does nothing.
 * 'act-then-hang': the provider acts on the request, then never answers it.
 * 'act-then-drop': the provider acts, then the connection is cut before a byte of the answer.
 * 'answer-then-drop': the provider acts and starts its answer (status, headers, part of the
 * body), then the connection is cut.
 */
export type Scripted = Answer | 'pass' | 'hang' | 'act-then-hang' | 'act-then-drop' | 'answer-then-drop';

/** What a provider makes of one request: refused by its checks, or accepted (and recorded) with its answer. */
export type Verdict = { refuse: Answer } | { accept: () => Answer };

export type HttpLoopback = {
  /** http://127.0.0.1:port or https://127.0.0.1:port */
  origin: string;
  /** Every request that reached the server, refused ones included. */
  readonly requests: number;
  /** Requests that passed the provider's checks, scripted answers included. */
  readonly attempts: number;
  /** The next requests that pass the checks get these answers, in order; then the provider's own resume. */
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
};

export async function startHttpLoopback(
  judge: (req: IncomingMessage, body: Buffer, origin: string) => Verdict,
  tls?: { key: string; cert: string },
): Promise<HttpLoopback> {
  const scripted: Scripted[] = [];
  let requests = 0;
  let attempts = 0;
  let origin = '';

  const bodyOf = (a: Answer) => a.raw ?? (a.json === undefined ? '' : JSON.stringify(a.json));
  const answer = (res: ServerResponse, a: Answer) => {
    const body = bodyOf(a);
    res.writeHead(a.status, { ...(body && a.raw === undefined ? { 'content-type': 'application/json' } : {}), ...a.headers });
    res.end(body);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let verdict: Verdict;
      try {
        verdict = judge(req, Buffer.concat(chunks), origin);
      } catch (err) {
        answer(res, { status: 500, json: { error: `loopback failed: ${(err as Error).message}` } });
        return;
      }
      if ('refuse' in verdict) return answer(res, verdict.refuse);
      attempts++;
      const next = scripted.shift();
      if (next === 'hang') return;
      if (next === 'act-then-hang') return void verdict.accept();
      if (next === 'act-then-drop') {
        verdict.accept();
        req.socket.destroy();
        return;
      }
      if (next === 'answer-then-drop') {
        const a = verdict.accept();
        const body = bodyOf(a);
        res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...a.headers });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        // Let the partial answer reach the client before the connection goes.
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      answer(res, next === undefined || next === 'pass' ? verdict.accept() : next);
    });
  };

  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createHttpServer(onRequest);
  // Idle connections are closed only by close(): on the tests' own event loop an idle timeout
  // and a request on that connection come due together after a long synchronous stretch (loopback-pac.ts).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    get requests() {
      return requests;
    },
    get attempts() {
      return attempts;
    },
    script: (...answers) => void scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const header = (req: IncomingMessage, name: string): string => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
};
