// The whole boundary between the screens and the engine: send(call, input) and events. In serve
// mode, calls go over the signed-in WebSocket when it is up (one message each way; a browser's
// HTTP POST costs several times more, see the ui bench) and over HTTP otherwise (signing in,
// reconnecting); the Electron preload exposes the same shape over IPC. A call never throws: it
// answers {ok, value} or {ok: false, error}, and a call that takes too long answers TIMEOUT
// rather than leaving the cashier looking at a spinner.
import type { CallName } from '#contract/calls.ts';
import type { CallArgs, CallOutput } from '#contract/calls.ts';
import type { EngineErrorBody } from '#contract/errors.ts';
import type { ServerEventName, ServerEvents } from '#contract/events.ts';

export type ClientError = Omit<EngineErrorBody, 'code'> & { code: EngineErrorBody['code'] | 'UNREACHABLE' | 'TIMEOUT' };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ClientError };
export type Override = { employeeId: string; pin: string };
export type SendOptions = { override?: Override; timeoutMs?: number };

export interface ContractClient {
  send<K extends CallName>(call: K, input: CallArgs<K>, opts?: SendOptions): Promise<Result<CallOutput<K>>>;
  on<E extends ServerEventName>(name: E, listener: (payload: ServerEvents[E]) => void): () => void;
  /** The signed-in session's token, for calls and for the event stream; null to sign out. */
  setToken(token: string | null): void;
  /** Whether the engine is reachable (the event stream is up). */
  onConnection(listener: (connected: boolean) => void): () => void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function httpClient(origin = window.location.origin): ContractClient {
  let token: string | null = null;
  let socket: WebSocket | null = null;
  let ready = false;
  let nextId = 1;
  const waiting = new Map<number, (result: Result<never>) => void>();
  const failWaiting = () => {
    for (const answer of waiting.values()) answer({ ok: false, error: { code: 'UNREACHABLE', message: 'the connection closed' } });
    waiting.clear();
  };
  let retry: number | undefined;
  let backoff = 500;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connection = new Set<(connected: boolean) => void>();
  const tellConnection = (up: boolean) => connection.forEach((l) => l(up));

  const connect = () => {
    window.clearTimeout(retry);
    socket?.close();
    socket = null;
    ready = false;
    failWaiting();
    if (!token) return;
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ token }));
    ws.onmessage = (m) => {
      const message = JSON.parse(String(m.data)) as { event?: string; payload?: unknown; id?: number; result?: Result<never> };
      if (message.id !== undefined) {
        waiting.get(message.id)?.(message.result!);
        waiting.delete(message.id);
        return;
      }
      if (message.event === 'ready') {
        backoff = 500;
        ready = true;
        tellConnection(true);
        return;
      }
      if (message.event) listeners.get(message.event)?.forEach((l) => l(message.payload));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      ready = false;
      failWaiting();
      tellConnection(false);
      retry = window.setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5_000);
    };
  };

  return {
    async send(call, input, opts = {}) {
      if (ready && socket && socket.readyState === WebSocket.OPEN) {
        const id = nextId++;
        const ws = socket;
        return new Promise((resolve) => {
          const timer = window.setTimeout(() => {
            waiting.delete(id);
            resolve({ ok: false, error: { code: 'TIMEOUT', message: `${call} took too long` } });
          }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
          waiting.set(id, (result) => {
            window.clearTimeout(timer);
            resolve(result);
          });
          ws.send(JSON.stringify({ id, call, input: input ?? {}, ...(opts.override ? { override: opts.override } : {}) }));
        });
      }
      const controller = new AbortController();
      const timer = window.setTimeout(() => controller.abort(), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (token) headers.authorization = `Bearer ${token}`;
        if (opts.override) {
          headers['x-override-employee'] = opts.override.employeeId;
          headers['x-override-pin'] = opts.override.pin;
        }
        const res = await fetch(`${origin}/api/${call}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
          signal: controller.signal,
        });
        return (await res.json()) as Result<never>;
      } catch (err) {
        if ((err as Error).name === 'AbortError') return { ok: false, error: { code: 'TIMEOUT', message: `${call} took too long` } };
        return { ok: false, error: { code: 'UNREACHABLE', message: (err as Error).message } };
      } finally {
        window.clearTimeout(timer);
      }
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    setToken(next) {
      if (next === token) return;
      token = next;
      connect();
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
  };
}
