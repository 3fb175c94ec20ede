// GET /events (WebSocket): the engine's server events for a signed-in screen, and its calls. A
// browser cannot put a token on a WebSocket's headers, so the first message must be
// {"token": "..."}; until then nothing is sent, and a socket that does not sign in within 5 s is
// closed. The session is checked again every 30 s, so a revoked session stops hearing about the
// till. After that, {"id", "call", "input", "override"?} is a call with this socket's token,
// answered {"id", "result"}: one message each way on a connection already open, where an HTTP
// POST from the browser costs a new request's round trips (measured: 36 ms against 7 ms from
// Node for the same add-to-cart; see the ui bench).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerEventBus } from '../server-events.ts';
import { followSession } from './session-events.ts';

const SIGN_IN_MS = 5_000;

/** Close codes the client can tell apart (4000-4999 are the application's). */
export const CLOSE = { SIGN_IN_FIRST: 4001, SESSION_ENDED: 4003, BAD_MESSAGE: 4400 } as const;

export type EventSocketOptions = {
  events: ServerEventBus;
  /** Resolves when the token names a live session; rejects otherwise. */
  checkSession(token: string): Promise<void>;
  /** The only page origins allowed to connect (the served renderer); scripts send no Origin. */
  allowedOrigins: () => string[];
  recheckMs?: number;
  /** The engine's dispatch: calls sent on the socket go through it with the socket's token. */
  dispatch(envelope: unknown): Promise<unknown>;
};

export function createEventSocket(opts: EventSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });

  wss.on('connection', (socket: WebSocket) => {
    const answerCall = (text: string, signedIn: string) => {
      let message: { id?: unknown; call?: unknown; input?: unknown; override?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      const id = message?.id;
      if ((typeof id !== 'number' && typeof id !== 'string') || String(id).length > 40) return;
      // dispatch() validates the call, its input and the override like any other boundary.
      void opts
        .dispatch({
          call: message.call,
          input: message.input,
          token: signedIn,
          ...(message.override === undefined ? {} : { override: message.override }),
        })
        .then((result) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, result }));
        });
    };
    let token: string | null = null;
    let stopFeed = () => {};
    const end = (code: number, reason: string) => {
      stopFeed();
      socket.close(code, reason);
    };
    const signIn = setTimeout(() => end(CLOSE.SIGN_IN_FIRST, 'send {"token": "..."} first'), SIGN_IN_MS);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(signIn);
      stopFeed();
    });
    socket.on('message', (data) => {
      if (token !== null) {
        answerCall(String(data), token);
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return end(CLOSE.BAD_MESSAGE, 'not JSON');
      }
      const sent = (message as { token?: unknown })?.token;
      if (typeof sent !== 'string' || sent.length === 0 || sent.length > 200) return end(CLOSE.BAD_MESSAGE, 'send {"token": "..."}');
      token = sent;
      clearTimeout(signIn);
      const open = () => socket.readyState === socket.OPEN;
      stopFeed = followSession({
        token: sent,
        events: opts.events,
        checkSession: opts.checkSession,
        ...(opts.recheckMs !== undefined ? { recheckMs: opts.recheckMs } : {}),
        stillWanted: open,
        send: (event, payload) => open() && socket.send(JSON.stringify({ event, payload })),
        onReady: () => socket.send(JSON.stringify({ event: 'ready' })),
        onEnded: () => end(CLOSE.SESSION_ENDED, 'the session ended; sign in again'),
      });
    });
  });

  return {
    /** Takes over an HTTP upgrade on /events; refuses a page from another origin. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const origin = req.headers.origin;
      if (origin !== undefined && !opts.allowedOrigins().includes(origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close(): Promise<void> {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
