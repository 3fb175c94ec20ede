// The engine's entry inside Electron's utilityProcess (the desktop shell forks this module). It
// opens the engine on the data directory main names, then serves each window's MessagePort
// (port-server.ts) with the same dispatch() as serve mode. Main's messages arrive on
// process.parentPort: {type: 'start', piiKey?} once the host asks with {type: 'want-start'} (the
// PII key from the OS keychain, base64: a message, since the environment of a process can be
// read in /proc), {type: 'connect', kind} with a port, {type: 'shutdown'}; the host answers
// {type: 'ready'}, {type: 'failed', message} and {type: 'closed'}. Never imports electron: under
// plain Node (tests) `runEngineHost` is given a stand-in parent and the module does nothing else.
import { openEngine, type Engine } from './engine.ts';
import { readDemoStore } from './demo/demo-store.ts';
import { setUpDemoStore } from './demo/demo-terminal.ts';
import { loadSession } from './services/auth/sessions.ts';
import { servePort, type EnginePort, type PortKind } from './server/port-server.ts';
import { log, setStderrEcho } from './log/logger.ts';
import { startFailureOf, type StartFailureReason } from './start-failure.ts';

/** What the host needs of process.parentPort (Electron's ParentPort has this shape). */
export type HostParent = {
  on(event: 'message', listener: (message: { data: unknown; ports: readonly EnginePort[] }) => void): unknown;
  postMessage(message: unknown): void;
};

export type HostMessage =
  | { type: 'want-start' }
  | { type: 'ready'; business: string | null }
  | { type: 'failed'; message: string; reason: StartFailureReason }
  | { type: 'closed' };

/** What main hands over before the engine opens. */
export type HostStart = {
  /** The PII key main keeps sealed by the OS keychain; absent, the engine uses keys/pii.key. */
  piiKey?: Buffer;
};

/** Main's start message as sent: the key in base64, or none. Anything else is not a start. */
export function readStartMessage(message: { type?: unknown; piiKey?: unknown }): HostStart | null {
  if (message.type !== 'start') return null;
  if (message.piiKey === undefined || message.piiKey === null) return {};
  if (typeof message.piiKey !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(message.piiKey)) return { piiKey: Buffer.alloc(0) };
  return { piiKey: Buffer.from(message.piiKey, 'base64') };
}

const PORT_KINDS: readonly PortKind[] = ['register', 'customer-display'];

export type EngineHost = { engine: Engine | null; done: Promise<void> };

/**
 * Opens the engine and serves the windows until main asks for shutdown, then closes it (the
 * journal's checkpoint written, the print spool stopped between jobs) and says so.
 */
export function runEngineHost(
  parent: HostParent,
  open: (start: HostStart) => Promise<{ engine: Engine; business: string | null }>,
): EngineHost {
  const host: EngineHost = { engine: null, done: Promise.resolve() };
  const stops = new Set<() => void>();
  // Ports that arrive while the engine is still opening are served once it is open.
  const early: { port: EnginePort; kind: PortKind }[] = [];
  let shuttingDown = false;
  let finish!: () => void;
  host.done = new Promise<void>((resolve) => (finish = resolve));

  const serve = (engine: Engine, port: EnginePort, kind: PortKind) => {
    const stop = servePort(port, {
      kind,
      events: engine.events,
      dispatch: engine.dispatch,
      checkSession: async (token) => void (await loadSession(engine.services.sql, token, engine.services.now())),
    });
    stops.add(stop);
  };
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const stop of stops) stop();
    for (const { port } of early.splice(0)) port.close();
    try {
      await opening?.catch(() => undefined);
      await host.engine?.close();
    } finally {
      parent.postMessage({ type: 'closed' } satisfies HostMessage);
      finish();
    }
  };

  let opening: Promise<void> | null = null;
  parent.on('message', ({ data, ports }) => {
    const message = (typeof data === 'object' && data !== null ? data : {}) as { type?: unknown; kind?: unknown; piiKey?: unknown };
    const start = readStartMessage(message);
    if (start) {
      if (opening === null && !shuttingDown) opening = beginOpening(start);
      return;
    }
    if (message.type === 'shutdown') {
      void shutdown();
      return;
    }
    if (message.type !== 'connect') return;
    const port = ports[0];
    const kind = PORT_KINDS.find((k) => k === message.kind);
    if (!port) return;
    if (!kind || shuttingDown) {
      port.close();
      return;
    }
    if (host.engine) serve(host.engine, port, kind);
    else early.push({ port, kind });
  });

  const beginOpening = (start: HostStart) =>
    open(start)
      .then(
        ({ engine, business }) => {
          host.engine = engine;
          if (shuttingDown) return;
          for (const { port, kind } of early.splice(0)) serve(engine, port, kind);
          parent.postMessage({ type: 'ready', business } satisfies HostMessage);
        },
        (err: unknown) => {
          const reason = startFailureOf(err);
          log.error({ err, reason }, 'the engine could not open its data directory');
          parent.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err), reason } satisfies HostMessage);
          finish();
        },
      )
      .finally(() => start.piiKey?.fill(0));
  // Asked once the listener above is in place, so main's answer cannot arrive before it.
  parent.postMessage({ type: 'want-start' } satisfies HostMessage);
  return host;
}

/** The engine on POS_DATA_DIR, with the demo store loaded when POS_DEMO_STORE=1 (npm start). */
export async function openHostEngine(
  env: Record<string, string | undefined>,
  start: HostStart = {},
): Promise<{ engine: Engine; business: string | null }> {
  const dataDir = env.POS_DATA_DIR;
  if (!dataDir) throw new Error('POS_DATA_DIR is not set; the shell names the data directory');
  const engine = await openEngine(dataDir, { purpose: 'desktop engine', ...(start.piiKey ? { piiKey: start.piiKey } : {}) });
  if (env.POS_DEMO_STORE !== '1') return { engine, business: null };
  try {
    const demo = await setUpDemoStore(engine, readDemoStore());
    return { engine, business: demo.store.business.name };
  } catch (err) {
    await engine.close();
    throw err;
  }
}

// Inside a utilityProcess only; under plain Node process.parentPort does not exist.
const parentPort = (process as { parentPort?: HostParent | null }).parentPort;
if (parentPort) {
  // The engine writes engine.log itself; main copies this process's stderr into shell.log, so a
  // warning echoed there too would be read twice. Before a directory is open, stderr is all there is.
  setStderrEcho('off');
  const host = runEngineHost(parentPort, (start) => openHostEngine(process.env, start));
  void host.done.then(() => process.exit(0));
}
