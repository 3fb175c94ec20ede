// The contract's relay over MessagePorts, with Node's own MessageChannel standing in for
// Electron's (the window's end has the DOM MessagePort's shape in both; the engine's end is
// adapted to MessagePortMain's {data} events). The engine side is the real port server over a
// dispatch the test controls, so ids, timeouts and events can be driven exactly.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { servePort, type EnginePort, type PortKind } from '#engine/server/port-server.ts';
import { ServerEventBus } from '#engine/server-events.ts';
import { BRIDGE_KEY, CHANNEL, exposeContract, type BridgeDeps, type PosBridge } from '../../electron/shell/bridge.ts';
import { createPortClient, type ClientPort, type PortResult } from '../../electron/shell/port-client.ts';

const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

/** MessagePortMain's shape over a Node port: 'message' listeners get {data}. */
function asEnginePort(port: MessagePort): EnginePort {
  return {
    on(event: 'message' | 'close', listener: ((m: { data: unknown }) => void) | (() => void)) {
      if (event === 'message') port.on('message', (data: unknown) => (listener as (m: { data: unknown }) => void)({ data }));
      else port.on('close', listener as () => void);
      return this;
    },
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as EnginePort;
}

type Engine = {
  events: ServerEventBus;
  calls: unknown[];
  /** Answers the n-th call (0-based) now. */
  answer(n: number, result: unknown): void;
  sessions: Set<string>;
};

function fakeEngine(): Engine & { dispatch(envelope: unknown): Promise<unknown>; checkSession(token: string): Promise<void> } {
  const pending: ((r: unknown) => void)[] = [];
  const engine = {
    events: new ServerEventBus(),
    calls: [] as unknown[],
    sessions: new Set<string>(),
    dispatch(envelope: unknown) {
      engine.calls.push(envelope);
      return new Promise<unknown>((resolve) => pending.push(resolve));
    },
    answer(n: number, result: unknown) {
      pending[n]!(result);
    },
    async checkSession(token: string) {
      if (!engine.sessions.has(token)) throw new Error('no such session');
    },
  };
  return engine;
}

function pair(engine: ReturnType<typeof fakeEngine>, kind: PortKind = 'register', recheckMs?: number) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const stop = servePort(asEnginePort(port2), {
    kind,
    events: engine.events,
    dispatch: engine.dispatch,
    checkSession: engine.checkSession,
    ...(recheckMs ? { recheckMs } : {}),
  });
  return { windowPort: port1 as unknown as ClientPort, stop };
}

const until = async (check: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the relay between a window and the engine', () => {
  it('matches each answer to its own call when the engine answers out of order', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine).windowPort);
    const first = client.call('sales.current', {}, { token: 't1' });
    const second = client.call('catalog.search', { text: 'leche' }, { token: 't1' });
    await until(() => engine.calls.length === 2);
    engine.answer(1, { ok: true, value: 'second' });
    engine.answer(0, { ok: true, value: 'first' });
    expect(await first).toEqual({ ok: true, value: 'first' });
    expect(await second).toEqual({ ok: true, value: 'second' });
    expect(engine.calls).toEqual([
      { call: 'sales.current', input: {}, token: 't1' },
      { call: 'catalog.search', input: { text: 'leche' }, token: 't1' },
    ]);
  });

  it("carries a manager's override with the call and nothing of the window's own", async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine).windowPort);
    const answer = client.call('sales.void', { saleId: 'x' }, { token: 't', override: { employeeId: 'e', pin: '1357' } });
    await until(() => engine.calls.length === 1);
    expect(engine.calls[0]).toEqual({ call: 'sales.void', input: { saleId: 'x' }, token: 't', override: { employeeId: 'e', pin: '1357' } });
    engine.answer(0, { ok: false, error: { code: 'OVERRIDE_REFUSED', message: 'no' } });
    expect(await answer).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REFUSED' } });
  });

  it('answers TIMEOUT when the engine takes longer than the call allows, and ignores the late answer', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine).windowPort);
    const started = Date.now();
    const slow = await client.call('shifts.xReport', {}, { timeoutMs: 60 });
    expect(slow).toEqual({ ok: false, error: { code: 'TIMEOUT', message: 'shifts.xReport took too long' } });
    expect(Date.now() - started).toBeLessThan(1_000);
    engine.answer(0, { ok: true, value: 'late' });
    const next = client.call('sales.current', {}, { timeoutMs: 1_000 });
    await until(() => engine.calls.length === 2);
    engine.answer(1, { ok: true, value: 'now' });
    expect(await next).toEqual({ ok: true, value: 'now' });
  });

  it('holds calls made before the first port arrives and sends them when it does', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    const early = client.call('terminal.info', {});
    await new Promise((r) => setTimeout(r, 20));
    client.attach(pair(engine).windowPort);
    await until(() => engine.calls.length === 1);
    engine.answer(0, { ok: true, value: { currency: 'MXN' } });
    expect(await early).toEqual({ ok: true, value: { currency: 'MXN' } });
  });

  it('answers UNREACHABLE to the calls in flight when the engine goes down, and works again on the new port', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine).windowPort);
    const inFlight = client.call('sales.complete', {}, {});
    await until(() => engine.calls.length === 1);
    client.detach('the engine stopped');
    expect(await inFlight).toEqual({ ok: false, error: { code: 'UNREACHABLE', message: 'the engine stopped' } });
    const restarted = fakeEngine();
    client.attach(pair(restarted).windowPort);
    const after = client.call('sales.current', {}, {});
    await until(() => restarted.calls.length === 1);
    restarted.answer(0, { ok: true, value: 'back' });
    expect(await after).toEqual({ ok: true, value: 'back' });
  });

  it('takes over a new port handed to it while the old one is open, closing the old one so the engine stops serving it', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    const oldClosed = new Promise<void>((resolve) => port2.once('close', () => resolve()));
    servePort(asEnginePort(port2), {
      kind: 'register',
      events: engine.events,
      dispatch: engine.dispatch,
      checkSession: engine.checkSession,
    });
    client.attach(port1 as unknown as ClientPort);
    const onOld = client.call('sales.current', {});
    await until(() => engine.calls.length === 1);
    const next = fakeEngine();
    client.attach(pair(next).windowPort);
    expect(await onOld).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    await oldClosed;
    const onNew = client.call('sales.current', {});
    await until(() => next.calls.length === 1);
    next.answer(0, { ok: true, value: 'new' });
    expect(await onNew).toEqual({ ok: true, value: 'new' });
  });

  it("fans the engine's events out to every listener once the session is confirmed, and stops on sign-out", async () => {
    const engine = fakeEngine();
    engine.sessions.add('good');
    const client = createPortClient();
    client.attach(pair(engine).windowPort);
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    const connection: boolean[] = [];
    client.onEvent((event, payload) => heardA.push([event, payload]));
    const offB = client.onEvent((event) => heardB.push(event));
    client.onConnection((up) => connection.push(up));
    engine.events.emit('scan', { deviceId: 'd', code: 'before' } as never);
    client.subscribe('good');
    await until(() => connection.includes(true));
    engine.events.emit('scan', { deviceId: 'd', code: '7501' } as never);
    engine.events.emit('customer.view', { kind: 'idle' });
    await until(() => heardA.length === 2);
    expect(heardA).toEqual([
      ['scan', { deviceId: 'd', code: '7501' }],
      ['customer.view', { kind: 'idle' }],
    ]);
    expect(heardB).toEqual(['scan', 'customer.view']);
    offB();
    client.subscribe(null);
    await new Promise((r) => setTimeout(r, 30));
    engine.events.emit('scan', { deviceId: 'd', code: 'after' } as never);
    await new Promise((r) => setTimeout(r, 30));
    expect(heardA).toHaveLength(2);
    expect(connection).toEqual([true, false]);
  });

  it('sends no events for a token that names no session, and ends the stream when the session ends', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine, 'register', 30).windowPort);
    const heard: string[] = [];
    const connection: boolean[] = [];
    client.onEvent((event) => heard.push(event));
    client.onConnection((up) => connection.push(up));
    client.subscribe('forged');
    await new Promise((r) => setTimeout(r, 40));
    engine.events.emit('scan', { deviceId: 'd', code: '1' } as never);
    engine.sessions.add('real');
    client.subscribe('real');
    await until(() => connection.includes(true));
    engine.sessions.delete('real');
    await until(() => connection.at(-1) === false);
    engine.events.emit('scan', { deviceId: 'd', code: '2' } as never);
    await new Promise((r) => setTimeout(r, 30));
    expect(heard).toEqual([]);
  });

  it('gives the customer display what the customer sees and nothing else, and no calls at all', async () => {
    const engine = fakeEngine();
    const client = createPortClient();
    client.attach(pair(engine, 'customer-display').windowPort);
    const heard: string[] = [];
    client.onEvent((event) => heard.push(event));
    engine.events.emit('scan', { deviceId: 'd', code: '1' } as never);
    engine.events.emit('customer.view', { kind: 'total', total: '10.00', currency: 'MXN' });
    const refused = await client.call('sales.current', {}, { token: 'x' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(engine.calls).toEqual([]);
    await until(() => heard.length === 1);
    expect(heard).toEqual(['customer.view']);
  });

  it('ignores messages that are not requests without breaking the port', async () => {
    const engine = fakeEngine();
    const { windowPort } = pair(engine);
    for (const junk of [
      null,
      42,
      'call',
      [],
      { type: 'call' },
      { type: 'call', id: {} },
      { type: 'call', id: 'x'.repeat(41) },
      { type: 'nope', id: 1 },
      { type: 'subscribe', token: 5 },
    ]) {
      windowPort.postMessage(junk);
    }
    const client = createPortClient();
    client.attach(windowPort);
    const answer = client.call('sales.current', {});
    await until(() => engine.calls.length === 1);
    engine.answer(0, { ok: true, value: 1 });
    expect(await answer).toEqual({ ok: true, value: 1 });
  });
});

describe('the preload', () => {
  function fakeBridge() {
    const exposed = new Map<string, unknown>();
    const listeners = new Map<string, (event: { ports: readonly ClientPort[] }) => void>();
    const sent: string[] = [];
    const deps: BridgeDeps = {
      contextBridge: { exposeInMainWorld: (key, api) => void exposed.set(key, api) },
      ipcRenderer: {
        on: (channel, listener) => void listeners.set(channel, listener),
        send: (channel) => void sent.push(channel),
      },
    };
    return { deps, exposed, listeners, sent };
  }

  it('exposes window.pos and nothing else: four functions of the contract client', () => {
    const { deps, exposed } = fakeBridge();
    exposeContract(deps);
    expect([...exposed.keys()]).toEqual([BRIDGE_KEY]);
    const api = exposed.get('pos') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'onConnection', 'onEvent', 'subscribe']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    // Nothing reachable from it is the ipcRenderer or a way to name a channel.
    expect(Object.values(api)).not.toContain(deps.ipcRenderer);
    expect(JSON.stringify(Object.getOwnPropertyNames(api))).not.toMatch(/ipc|send|invoke|channel/i);
  });

  it('asks main for its port once and relays calls over the port main hands it', async () => {
    const { deps, exposed, listeners, sent } = fakeBridge();
    exposeContract(deps);
    expect(sent).toEqual([CHANNEL.wantPort]);
    expect([...listeners.keys()].sort()).toEqual([CHANNEL.engineDown, CHANNEL.enginePort].sort());
    const engine = fakeEngine();
    listeners.get(CHANNEL.enginePort)!({ ports: [pair(engine).windowPort] });
    const pos = exposed.get('pos') as PosBridge;
    const answer: Promise<PortResult> = pos.call('auth.staffForSignIn', {}, {});
    await until(() => engine.calls.length === 1);
    engine.answer(0, { ok: true, value: [] });
    expect(await answer).toEqual({ ok: true, value: [] });
    const pending = pos.call('sales.current', {}, {});
    await until(() => engine.calls.length === 2);
    listeners.get(CHANNEL.engineDown)!({ ports: [] });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
  });
});
