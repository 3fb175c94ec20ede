// A keyboard or scanner that is its own device: its keys go to Chromium from a worker thread,
// over a DevTools connection of its own, on the worker's clock. The test process also runs the
// engine, and a burst of its synchronous work (PGlite, GC) stalled keys sent from the main
// thread by 150 ms mid-scan, which no USB scanner does; the screen rightly read the pause as the
// end of a code. A worker keeps the device's rhythm whatever the engine is doing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BrowserContext, Page } from 'playwright-core';

/** One key's events (down, up) as Input.dispatchKeyEvent takes them, without their timestamp. */
export type KeyEvents = Record<string, unknown>[];

const endpoints = new WeakMap<BrowserContext, number>();

/** Chromium started with --remote-debugging-port=0 writes the port it chose into the profile. */
export function rememberDevToolsPort(context: BrowserContext, userDataDir: string): void {
  const port = Number(readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`Chromium wrote no DevTools port into ${userDataDir}`);
  endpoints.set(context, port);
}

// Plain JavaScript: a worker started from a string does not go through vitest's TypeScript.
const DEVICE = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require('ws');
const { url, keys, gaps, lateMs } = workerData;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ws = new WebSocket(url, { perMessageDeflate: false });
const waiting = new Map();
let nextId = 0;
const send = (method, params) => new Promise((resolve) => {
  const id = ++nextId;
  waiting.set(id, resolve);
  ws.send(JSON.stringify({ id, method, params }));
});
ws.on('message', (data) => {
  const msg = JSON.parse(String(data));
  const resolve = waiting.get(msg.id);
  if (resolve) { waiting.delete(msg.id); resolve(msg); }
});
ws.on('error', (err) => parentPort.postMessage({ error: err.message }));
ws.on('open', async () => {
  const acks = [];
  let due = performance.now();
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) due += gaps[i - 1];
    const sendAt = due + lateMs[i];
    while (performance.now() < sendAt) await sleep(sendAt - performance.now());
    // Seconds since the epoch, the clock Input.dispatchKeyEvent's timestamp is on.
    const timestamp = (performance.timeOrigin + due) / 1000;
    for (const event of keys[i]) acks.push(send('Input.dispatchKeyEvent', { ...event, timestamp }));
  }
  const failed = (await Promise.all(acks)).find((a) => a.error);
  ws.close();
  parentPort.postMessage(failed ? { error: failed.error.message } : { done: true });
});
`;

/**
 * Presses `keys` with `gaps[i]` ms before key i+1, from a worker, and resolves once Chromium has
 * taken them all. `lateMs[i]` holds key i back on its way that long after it was pressed (stamped),
 * as a starved machine does; keys still go in order, so it should not shrink from one key to the next.
 */
export async function pressFromDevice(page: Page, keys: KeyEvents[], gaps: number[], lateMs: number[] = keys.map(() => 0)): Promise<void> {
  const port = endpoints.get(page.context());
  if (port === undefined)
    throw new Error("this page's browser was not started by launchBrowser, so it has no DevTools port for the key device");
  const cdp = await page.context().newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo').finally(() => cdp.detach().catch(() => {}));
  const url = `ws://127.0.0.1:${port}/devtools/page/${targetInfo.targetId}`;
  const worker = new Worker(DEVICE, { eval: true, workerData: { url, keys, gaps, lateMs } });
  try {
    const outcome = await new Promise<{ done?: true; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the key device stopped (exit ${code}) before it had pressed every key`)));
    });
    if (outcome.error) throw new Error(`the key device could not press its keys: ${outcome.error}`);
  } finally {
    await worker.terminate();
  }
}
