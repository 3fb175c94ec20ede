// What the preload puts in the page: `window.pos`, the contract client and nothing else. No
// ipcRenderer, no channel names, no Node: the page can only make contract calls (which the
// engine validates) and hear the engine's events. A pure function of the bridge objects it is
// given, so a test can run it against fakes and see exactly what is exposed.
import { createPortClient, type ClientPort, type PortClient } from './port-client.ts';

/** The channels main uses to talk to the preload; the page never sees them. */
export const CHANNEL = {
  /** A new port to the engine (at load, and after the engine was restarted). */
  enginePort: 'pos:engine-port',
  /** The engine died; a new port follows when it is back. */
  engineDown: 'pos:engine-down',
  /** Sent by the preload once per page load: this page wants its port. */
  wantPort: 'pos:want-port',
} as const;

export const BRIDGE_KEY = 'pos';

/** The whole of `window.pos`. */
export type PosBridge = {
  call: PortClient['call'];
  subscribe: PortClient['subscribe'];
  onEvent: PortClient['onEvent'];
  onConnection: PortClient['onConnection'];
};

/** The parts of Electron's contextBridge and ipcRenderer the preload uses. */
export type BridgeDeps = {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    on(channel: string, listener: (event: { ports: readonly ClientPort[] }, ...args: unknown[]) => void): unknown;
    send(channel: string): void;
  };
};

export function exposeContract({ contextBridge, ipcRenderer }: BridgeDeps, client: PortClient = createPortClient()): PosBridge {
  ipcRenderer.on(CHANNEL.enginePort, (event) => {
    const port = event.ports[0];
    if (port) client.attach(port);
  });
  ipcRenderer.on(CHANNEL.engineDown, () => client.detach('the engine stopped; it is being restarted'));
  // Wrapped so the page gets plain functions, never the client object or its internals.
  const api: PosBridge = Object.freeze({
    call: (name: string, input: unknown, opts?: Parameters<PortClient['call']>[2]) => client.call(name, input, opts),
    subscribe: (token: string | null) => client.subscribe(token),
    onEvent: (listener: (event: string, payload: unknown) => void) => client.onEvent(listener),
    onConnection: (listener: (connected: boolean) => void) => client.onConnection(listener),
  });
  contextBridge.exposeInMainWorld(BRIDGE_KEY, api);
  ipcRenderer.send(CHANNEL.wantPort);
  return api;
}
