// The window's end of the engine's MessagePort (see electron/engine/server/port-server.ts): one
// request id per call matched to its answer, a timeout per call so the cashier never waits on a
// spinner, the engine's events fanned out to every listener, and a new port taken over when the
// engine is restarted. Runs in the preload; plain code over a minimal port shape, so it is
// tested with Node's own MessageChannel.

/** The part of the DOM MessagePort the client uses (Node's MessagePort has the same). */
export type ClientPort = {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
  close(): void;
};

export type PortError = { code: string; message: string; params?: Record<string, unknown> };
export type PortResult = { ok: true; value: unknown } | { ok: false; error: PortError };
export type CallOptions = { token?: string | null; override?: { employeeId: string; pin: string }; timeoutMs?: number };

export type PortClient = {
  /** Takes over a (new) port to the engine; calls made while there was none are sent now. */
  attach(port: ClientPort): void;
  /** The engine went away: every call waiting is answered UNREACHABLE. */
  detach(reason: string): void;
  call(name: string, input: unknown, opts?: CallOptions): Promise<PortResult>;
  /** The session whose events this window hears (null: none); sent again on every new port. */
  subscribe(token: string | null): void;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** True once the engine confirmed the session's event stream, false when it is lost. */
  onConnection(listener: (connected: boolean) => void): () => void;
};

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

type Waiting = { resolve(result: PortResult): void; timer: ReturnType<typeof setTimeout>; message: unknown };

export function createPortClient(defaultTimeoutMs = DEFAULT_CALL_TIMEOUT_MS): PortClient {
  let port: ClientPort | null = null;
  let nextId = 1;
  let token: string | null = null;
  let connected = false;
  const waiting = new Map<number, Waiting>();
  // Calls made before the first port arrived (the page loads before main hands it one).
  const unsent: number[] = [];
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();

  const setConnected = (up: boolean) => {
    if (up === connected) return;
    connected = up;
    for (const listener of connectionListeners) listener(up);
  };
  const settle = (id: number, result: PortResult) => {
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
  };
  const onMessage =
    (from: ClientPort) =>
    ({ data }: { data: unknown }) => {
      // A reply on a port already replaced belongs to an engine that is gone.
      if (from !== port || typeof data !== 'object' || data === null) return;
      const reply = data as { type?: unknown; id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
      if (reply.type === 'result' && typeof reply.id === 'number') {
        const result = reply.result as PortResult;
        settle(
          reply.id,
          result && typeof result === 'object' && 'ok' in result
            ? result
            : { ok: false, error: { code: 'UNREACHABLE', message: 'the engine sent an answer the screen cannot read' } },
        );
      } else if (reply.type === 'event' && typeof reply.event === 'string') {
        for (const listener of eventListeners) listener(reply.event, reply.payload);
      } else if (reply.type === 'ready') {
        setConnected(true);
      } else if (reply.type === 'session-ended') {
        setConnected(false);
      }
    };
  const failAll = (message: string) => {
    for (const id of [...waiting.keys()]) settle(id, { ok: false, error: { code: 'UNREACHABLE', message } });
    unsent.length = 0;
  };

  return {
    attach(next) {
      if (port) {
        failAll('the engine restarted; try again');
        // The engine would otherwise keep serving a port nobody reads.
        port.close();
      }
      port = next;
      next.addEventListener('message', onMessage(next));
      next.start();
      if (token !== null) next.postMessage({ type: 'subscribe', token });
      for (const id of unsent.splice(0)) {
        const entry = waiting.get(id);
        if (entry) next.postMessage(entry.message);
      }
    },
    detach(reason) {
      const old = port;
      port = null;
      setConnected(false);
      failAll(reason);
      old?.close();
    },
    call(name, input, opts = {}) {
      const id = nextId++;
      const message: Record<string, unknown> = { type: 'call', id, call: name, input: input ?? {} };
      if (opts.token) message.token = opts.token;
      if (opts.override) message.override = opts.override;
      return new Promise<PortResult>((resolve) => {
        const timer = setTimeout(() => {
          const i = unsent.indexOf(id);
          if (i >= 0) unsent.splice(i, 1);
          settle(id, { ok: false, error: { code: 'TIMEOUT', message: `${name} took too long` } });
        }, opts.timeoutMs ?? defaultTimeoutMs);
        waiting.set(id, { resolve, timer, message });
        if (port) port.postMessage(message);
        else unsent.push(id);
      });
    },
    subscribe(next) {
      if (next === token) return;
      token = next;
      setConnected(false);
      port?.postMessage({ type: 'subscribe', token: next });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
  };
}
