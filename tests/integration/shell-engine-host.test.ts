// The engine's entry for Electron's utilityProcess, run under plain Node with a stand-in for
// process.parentPort and Node's MessageChannel for the windows' ports; the window side is the
// renderer's own IPC transport over the preload's bridge. A real engine on a demo store.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine } from '#engine/engine.ts';
import { createSealer } from '#engine/security/sealed-json.ts';
import type { EnginePort } from '#engine/server/port-server.ts';
import { openHostEngine, runEngineHost, type HostParent } from '#engine/utility-host.ts';
import { CHANNEL, exposeContract, type PosBridge } from '../../electron/shell/bridge.ts';
import type { ClientPort } from '../../electron/shell/port-client.ts';
import { ipcClient } from '../../renderer/api/ipc-transport.ts';
import { demoDataDir } from '../support/demo-template.ts';
import { freshDataDir } from '../support/pglite-template.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('engine-host', freshDataDir);
const emptyDir = tempDirs('engine-host-empty');
const newDemoDir = tempDirs('engine-host-demo', demoDataDir);
const open: MessagePort[] = [];
afterEach(() => open.splice(0).forEach((p) => p.close()));

function enginePort(port: MessagePort): EnginePort {
  return {
    on(event: string, listener: (m?: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => listener());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as unknown as EnginePort;
}

/** process.parentPort as main drives it: asked for the start message, it sends `start` (no key unless given). */
function fakeParent(start: Record<string, unknown> = { type: 'start' }) {
  const emitter = new EventEmitter();
  const said: { type: string; message?: string; business?: string | null }[] = [];
  const parent: HostParent = {
    on: (event, listener) => emitter.on(event, listener),
    postMessage: (m) => {
      if ((m as { type?: string }).type === 'want-start') setImmediate(() => emitter.emit('message', { data: start, ports: [] }));
      else said.push(m as (typeof said)[number]);
    },
  };
  const connect = (kind: string) => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    emitter.emit('message', { data: { type: 'connect', kind }, ports: [enginePort(port2)] });
    return port1;
  };
  return { parent, said, connect, send: (data: unknown) => emitter.emit('message', { data, ports: [] }) };
}

/** window.pos as the preload builds it, over the given port. */
function windowBridge(port: MessagePort): PosBridge {
  let api: PosBridge | undefined;
  const listeners = new Map<string, (e: { ports: readonly ClientPort[] }) => void>();
  exposeContract({
    contextBridge: { exposeInMainWorld: (_key, value) => void (api = value as PosBridge) },
    ipcRenderer: { on: (channel, l) => void listeners.set(channel, l), send: () => undefined },
  });
  listeners.get(CHANNEL.enginePort)!({ ports: [port as unknown as ClientPort] });
  return api!;
}

const until = async (check: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the engine host in the utility process', () => {
  it('serves a window that connected while the engine was opening, with sign-in, session calls and events', async () => {
    const dataDir = newDemoDir();
    const { parent, said, connect } = fakeParent();
    const host = runEngineHost(parent, () => openHostEngine({ POS_DATA_DIR: dataDir, POS_DEMO_STORE: '1' }));
    const client = ipcClient(windowBridge(connect('register')));
    const staff = await client.send('auth.staffForSignIn', {}, { timeoutMs: 60_000 });
    expect(said[0]).toEqual({ type: 'ready', business: 'Abarrotes La Esperanza' });
    if (!staff.ok) throw new Error(staff.error.message);
    const cashier = staff.value.find((s) => s.displayName === 'Ángela Ibáñez')!;
    const signedIn = await client.send('auth.signInWithPin', { employeeId: cashier.employeeId, pin: '2468' });
    if (!signedIn.ok) throw new Error(signedIn.error.message);

    expect(await client.send('sales.current', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const connected: boolean[] = [];
    client.onConnection((up) => connected.push(up));
    const views: unknown[] = [];
    client.on('customer.view', (v) => views.push(v));
    client.setToken(signedIn.value.token);
    await until(() => connected.includes(true));
    const current = await client.send('sales.current', {});
    expect(current.ok || current.error.code !== 'NOT_SIGNED_IN').toBe(true);
    host.engine!.events.emit('customer.view', { kind: 'idle' });
    await until(() => views.length === 1);
    expect(views).toEqual([{ kind: 'idle' }]);
  }, 120_000);

  it('closes a port of an unknown kind, and on shutdown closes the engine so the data directory is free again', async () => {
    const dataDir = newDir();
    const { parent, said, connect, send } = fakeParent();
    const host = runEngineHost(parent, () => openHostEngine({ POS_DATA_DIR: dataDir }));
    await until(() => said.length === 1);
    expect(said[0]).toEqual({ type: 'ready', business: null });
    const stranger = connect('devtools');
    const closed = new Promise<void>((resolve) => stranger.once('close', () => resolve()));
    await closed;
    send({ type: 'shutdown' });
    await host.done;
    expect(said.at(-1)).toEqual({ type: 'closed' });
    // The owner lock was released: another engine can open the same directory.
    const again = await openEngine(dataDir, { purpose: 'test reopen', devices: false });
    await again.close();
  }, 120_000);

  it('opens the engine with the PII key main hands over, and writes no key file of its own', async () => {
    const dataDir = newDir();
    const key = randomBytes(32);
    const { parent, said, send } = fakeParent({ type: 'start', piiKey: key.toString('base64') });
    const host = runEngineHost(parent, (start) => openHostEngine({ POS_DATA_DIR: dataDir }, start));
    await until(() => said.length === 1);
    expect(said[0]).toEqual({ type: 'ready', business: null });
    const sealed = host.engine!.services.sealer.seal({ rfc: 'NUÑR800101AB1' }, 'auth.users.kyc_data:1');
    expect(createSealer(key).open(sealed, 'auth.users.kyc_data:1')).toEqual({ rfc: 'NUÑR800101AB1' });
    expect(existsSync(join(dataDir, 'keys', 'pii.key'))).toBe(false);
    send({ type: 'shutdown' });
    await host.done;
  }, 120_000);

  it.each([
    ['16 bytes', randomBytes(16).toString('base64'), /does not hold a 32-byte key \(it has 16 bytes\)/],
    ['not base64', 'not a key!', /does not hold a 32-byte key \(it has 0 bytes\)/],
  ])('refuses a handed key of %s before it opens anything', async (_label, piiKey, message) => {
    const dataDir = join(emptyDir(), 'caja');
    const { parent, said } = fakeParent({ type: 'start', piiKey });
    const host = runEngineHost(parent, (start) => openHostEngine({ POS_DATA_DIR: dataDir }, start));
    await host.done;
    expect(said).toEqual([{ type: 'failed', message: expect.stringMatching(message), reason: 'other' }]);
    // Nothing was created, so nothing can have been sealed under the wrong key.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('says why when the engine cannot open, so the shell can show it and try again', async () => {
    const { parent, said } = fakeParent();
    const host = runEngineHost(parent, () => openHostEngine({}));
    await host.done;
    expect(said).toEqual([{ type: 'failed', message: 'POS_DATA_DIR is not set; the shell names the data directory', reason: 'other' }]);
  });
});
