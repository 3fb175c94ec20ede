// The contract client in the desktop app: the same ContractClient as serve mode's, over the
// window.pos the preload exposes (electron/shell/bridge.ts) instead of HTTP and a WebSocket.
// The preload matches answers to calls over the engine's MessagePort; each call here still has
// its own timeout, so a busy engine answers TIMEOUT rather than leaving a spinner.
import type { PosBridge } from '../../electron/shell/bridge.ts';
import type { ContractClient, Result } from './client.ts';

const DEFAULT_TIMEOUT_MS = 15_000;

declare global {
  interface Window {
    /** Present only in the desktop app. */
    pos?: PosBridge;
  }
}

export function ipcClient(bridge: PosBridge): ContractClient {
  let token: string | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  bridge.onEvent((event, payload) => listeners.get(event)?.forEach((l) => l(payload)));
  return {
    send(call, input, opts = {}) {
      return bridge.call(call, input ?? {}, {
        token,
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(opts.override ? { override: opts.override } : {}),
      }) as Promise<Result<never>>;
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
    setToken(next) {
      if (next === token) return;
      token = next;
      bridge.subscribe(next);
    },
    onConnection(listener) {
      return bridge.onConnection(listener);
    },
  };
}
