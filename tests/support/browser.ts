// The end-to-end tests' browser: Debian's Chromium, headless, driven by playwright-core, reaching
// nothing but 127.0.0.1, with the keyboard rhythms of a barcode scanner and of a cashier, and
// numbered screenshots a person can look through after a run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pressFromDevice, rememberDevToolsPort, type KeyEvents } from './key-device.ts';
import { seededRandom } from './seeded-random.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = join(REPO, 'test-results');
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Sync, background networking, component updates and QUIC are how Chromium would reach the
// internet on its own; the tests must only ever see the traffic they caused.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-sync',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
] as const;

export const ALLOWED_HOST = '127.0.0.1';

export type Viewport = { width: number; height: number };

export type LaunchedBrowser = {
  context: BrowserContext;
  page: Page;
  /** The fresh profile; gone once close() resolves. */
  userDataDir: string;
  close(): Promise<void>;
};

// A test that fails before its close() would leave a profile in /tmp on every run.
const liveProfiles = new Set<string>();
process.on('exit', () => {
  for (const dir of liveProfiles) rmSync(dir, { recursive: true, force: true });
});

export async function launchBrowser(opts: { viewport?: Viewport } = {}): Promise<LaunchedBrowser> {
  // A profile of its own per launch: nothing (storage, cache, service workers) leaks between tests.
  const userDataDir = mkdtempSync(join(tmpdir(), 'pos-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      // Playwright's own defaults repeat some of these flags verbatim and contradict none of
      // them. ignoreDefaultArgs cannot drop just its copies: it filters the merged list, so it
      // would strip ours too (and with them --no-sandbox, which root needs).
      // The port (on 127.0.0.1) is for the key device (key-device.ts), which sends from a thread of its own.
      args: [...CHROMIUM_FLAGS, '--remote-debugging-port=0'],
      headless: true,
      chromiumSandbox: false,
      viewport: opts.viewport ?? { width: 1024, height: 768 },
      // A service worker's fetches bypass context.route, so one could reach past the block below.
      serviceWorkers: 'block',
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  liveProfiles.add(userDataDir);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
        liveProfiles.delete(userDataDir);
      }
    })();
    return closing;
  };

  try {
    rememberDevToolsPort(context, userDataDir);
    // blockedbyclient (net::ERR_BLOCKED_BY_CLIENT.Inspector) rather than a generic failure, so a
    // test that sees a request fail can tell "the harness refused it" from "nobody answered".
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === ALLOWED_HOST ? route.continue() : route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, userDataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

const stepsTaken = new Map<string, number>();

export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // "cobro en dólares" → "cobro-en-dolares", not "cobro-en-d-lares"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return s || 'unnamed';
}

export async function screenshotStep(page: Page, testName: string, step: string): Promise<string> {
  const testSlug = slug(testName);
  const dir = join(SCREENSHOT_DIR, testSlug);
  const n = (stepsTaken.get(testSlug) ?? 0) + 1;
  stepsTaken.set(testSlug, n);
  // A previous run that took more steps would otherwise leave its later pictures looking like
  // part of this one.
  if (n === 1) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${String(n).padStart(2, '0')}-${slug(step)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// The US layout, as a scanner in keyboard mode types it: which physical key makes each
// character, and whether Shift is held for it.
type KeyStroke = { key: string; code: string; keyCode: number; text: string; shift: boolean };
const US_KEYS = new Map<string, KeyStroke>();
{
  const add = (key: string, code: string, keyCode: number, shift = false, text = key) =>
    US_KEYS.set(key, { key, code, keyCode, text, shift });
  for (let d = 0; d <= 9; d++) add(String(d), `Digit${d}`, 48 + d);
  for (let c = 0; c < 26; c++) {
    const upper = String.fromCharCode(65 + c);
    add(upper.toLowerCase(), `Key${upper}`, 65 + c);
    add(upper, `Key${upper}`, 65 + c, true);
  }
  const punctuation: [string, string, string, number][] = [
    ['-', '_', 'Minus', 189],
    ['=', '+', 'Equal', 187],
    ['[', '{', 'BracketLeft', 219],
    [']', '}', 'BracketRight', 221],
    ['\\', '|', 'Backslash', 220],
    [';', ':', 'Semicolon', 186],
    ["'", '"', 'Quote', 222],
    [',', '<', 'Comma', 188],
    ['.', '>', 'Period', 190],
    ['/', '?', 'Slash', 191],
    ['`', '~', 'Backquote', 192],
  ];
  for (const [plain, shifted, code, keyCode] of punctuation) {
    add(plain, code, keyCode);
    add(shifted, code, keyCode, true);
  }
  ')!@#$%^&*('.split('').forEach((ch, d) => add(ch, `Digit${d}`, 48 + d, true));
  add(' ', 'Space', 32);
  add('Enter', 'Enter', 13, false, '\r');
  add('Tab', 'Tab', 9, false, '');
  US_KEYS.set('\n', US_KEYS.get('Enter')!);
  US_KEYS.set('\t', US_KEYS.get('Tab')!);
}

// Keys go out on the device's own clock, each stamped with the moment it is pressed, and none
// waits for the screen to have handled the one before. That is what a USB keyboard does: the
// OS stamps the key when it arrives, however busy the screen is (the wedge detector reads
// KeyboardEvent.timeStamp for exactly that reason). page.keyboard cannot do it: each press
// waits for the renderer's acknowledgement, 3–75 ms on two loaded cores, so gaps became
// whatever the machine's load made them; even sent without waiting, unstamped keys take the
// time they reach Chromium, and that drifted past 20 ms for about one gap in fifty under a CI
// run's load. The waits are still real, so the screen's own timers see time pass as it would;
// they run in a worker (key-device.ts), out of reach of the engine sharing this thread.
async function pressOnSchedule(page: Page, keys: string[], nextGapMs: () => number, lateMs?: number[]): Promise<void> {
  const strokes: KeyEvents[] = keys.map((key) => {
    const stroke = US_KEYS.get(key) ?? { key, code: '', keyCode: 0, text: key, shift: false };
    const common = { key: stroke.key, code: stroke.code, windowsVirtualKeyCode: stroke.keyCode, modifiers: stroke.shift ? 8 : 0 };
    return [
      { type: stroke.text ? 'keyDown' : 'rawKeyDown', text: stroke.text, unmodifiedText: stroke.text, ...common },
      { type: 'keyUp', ...common },
    ];
  });
  await pressFromDevice(
    page,
    strokes,
    keys.slice(1).map(() => nextGapMs()),
    lateMs,
  );
}

function jitter(minMs: number, maxMs: number, seed: number): () => number {
  const random = seededRandom(seed);
  return () => random.between(minMs, maxMs);
}

export type ScanOptions = {
  /** Default: derived from the code, so the same code always scans with the same rhythm. */
  seed?: number;
  minGapMs?: number;
  maxGapMs?: number;
  /** The key the scanner is set to send after the code: Enter (the default), Tab, or none. */
  terminator?: 'Enter' | 'Tab' | null;
  /** The keys from index `from` on (the terminator included) reach Chromium `ms` after they were pressed: a starved machine. */
  heldUp?: { from: number; ms: number };
};

/** A USB keyboard-wedge scanner: the code's keys 8–15 ms apart, then Enter. */
export async function scanLikeAScanner(page: Page, code: string, opts: ScanOptions = {}): Promise<void> {
  const terminator = opts.terminator === undefined ? 'Enter' : opts.terminator;
  const keys = [...code, ...(terminator ? [terminator] : [])];
  const late = opts.heldUp ? keys.map((_, i) => (i >= opts.heldUp!.from ? opts.heldUp!.ms : 0)) : undefined;
  await pressOnSchedule(page, keys, jitter(opts.minGapMs ?? 8, opts.maxGapMs ?? 15, opts.seed ?? seedOf(code)), late);
}

/** A person at the keyboard: 80–250 ms between keys, and no Enter unless the text has "\n". */
export async function typeLikeAPerson(page: Page, text: string, opts: { seed?: number } = {}): Promise<void> {
  await pressOnSchedule(page, [...text], jitter(80, 250, opts.seed ?? seedOf(text)));
}

/**
 * Console errors and uncaught page errors from now on, filled as they happen, so a test can end
 * with expect(errors).toEqual([]). A request the harness blocked shows up here too, as Chromium's
 * "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT.Inspector", so a screen that tries to
 * reach past 127.0.0.1 fails that check.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const { url, lineNumber } = msg.location();
    errors.push(url ? `console.error: ${msg.text()} (${url}:${lineNumber})` : `console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack ?? err.message}`));
  return errors;
}

/**
 * Waits as `wait` does; when it fails, the error also says what the screen said then,
 * so a failure in CI can be read without rerunning it.
 */
export async function explained<T>(page: Page, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (err) {
    const screen = await page.evaluate('document.body.innerText').catch(() => '(the page did not answer)');
    (err as Error).message += `\n\nOn screen then:\n${String(screen)}`;
    throw err;
  }
}
