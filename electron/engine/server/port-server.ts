// The contract over a MessagePort: how the desktop shell's windows reach the engine when it runs
// in Electron's utilityProcess. The main process hands each window one end of a channel and the
// engine the other, so calls never pass through main. The envelope and the answers are the same
// as serve mode's WebSocket: dispatch() validates everything, the port is trusted with nothing.
// Written against a minimal port shape (never electron's types) so it runs under plain Node and
// is tested with Node's own MessageChannel.
import type { ServerEventBus, ServerEventName } from '../server-events.ts';
import { followSession } from './session-events.ts';

/** What a window sends. */
export type PortRequest =
  | { type: 'call'; id: number | string; call: string; input?: unknown; token?: string; override?: unknown }
  /** Start (token) or stop (null) hearing the engine's events for that session. */
  | { type: 'subscribe'; token: string | null };

/** What the engine answers. */
export type PortReply =
  | { type: 'result'; id: number | string; result: unknown }
  | { type: 'ready' }
  | { type: 'event'; event: ServerEventName; payload: unknown }
  | { type: 'session-ended' };

/**
 * register: the cashier's window, every call and (once signed in) every event.
 * customer-display: the second monitor; no calls at all, only what the customer should see.
 */
export type PortKind = 'register' | 'customer-display';

/** The part of Electron's MessagePortMain (and of a test's adapter over Node's MessagePort) used here. */
export type EnginePort = {
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
};

export type PortServerOptions = {
  kind: PortKind;
  events: ServerEventBus;
  dispatch(envelope: unknown): Promise<unknown>;
  /** Resolves when the token names a live session; rejects otherwise. */
  checkSession(token: string): Promise<void>;
  recheckMs?: number;
};

const MAX_ID_LENGTH = 40;

const isId = (id: unknown): id is number | string =>
  (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH);

/** Serves one window's port until either side closes it; returns the way to stop early. */
export function servePort(port: EnginePort, opts: PortServerOptions): () => void {
  let closed = false;
  let stopFeed = () => {};
  // A later subscribe supersedes an earlier one still waiting on its session check.
  let generation = 0;

  const send = (reply: PortReply) => {
    if (!closed) port.postMessage(reply);
  };
  const stopEvents = () => {
    stopFeed();
    stopFeed = () => {};
  };

  const subscribe = (token: unknown) => {
    generation += 1;
    stopEvents();
    if (token === null) return;
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return;
    const mine = generation;
    stopFeed = followSession({
      token,
      events: opts.events,
      checkSession: opts.checkSession,
      ...(opts.recheckMs !== undefined ? { recheckMs: opts.recheckMs } : {}),
      stillWanted: () => !closed && mine === generation,
      send: (event, payload) => send({ type: 'event', event, payload }),
      onReady: () => send({ type: 'ready' }),
      onEnded: () => send({ type: 'session-ended' }),
    });
  };

  const answer = (message: Record<string, unknown>) => {
    const id = message.id;
    if (!isId(id)) return;
    if (opts.kind !== 'register') {
      send({ type: 'result', id, result: { ok: false, error: { code: 'FORBIDDEN', message: 'the customer display makes no calls' } } });
      return;
    }
    const envelope: Record<string, unknown> = { call: message.call, input: message.input };
    if (message.token !== undefined && message.token !== null) envelope.token = message.token;
    if (message.override !== undefined && message.override !== null) envelope.override = message.override;
    void opts.dispatch(envelope).then(
      (result) => send({ type: 'result', id, result }),
      // dispatch() answers every failure itself; this is only a guard against a broken engine.
      () =>
        send({
          type: 'result',
          id,
          result: { ok: false, error: { code: 'INTERNAL', message: 'the terminal hit an internal error; the action was not completed' } },
        }),
    );
  };

  port.on('message', ({ data }) => {
    if (closed || typeof data !== 'object' || data === null || Array.isArray(data)) return;
    const message = data as Record<string, unknown>;
    if (message.type === 'call') answer(message);
    else if (message.type === 'subscribe' && opts.kind === 'register') subscribe(message.token);
  });
  const stop = () => {
    if (closed) return;
    closed = true;
    generation += 1;
    stopEvents();
    port.close();
  };
  port.on('close', stop);
  if (opts.kind === 'customer-display')
    stopFeed = opts.events.on('customer.view', (payload) =>
      send({ type: 'event', event: 'customer.view' satisfies ServerEventName, payload }),
    );
  port.start();
  return stop;
}
