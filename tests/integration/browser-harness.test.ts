// The end-to-end tests' browser harness, proved on a page of its own served from 127.0.0.1 (not
// the screens, so a broken renderer cannot hide a broken harness): the browser it starts, the
// keyboard rhythms it types with, what it lets out onto the network, and what it leaves behind.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CHROMIUM_FLAGS,
  collectConsoleErrors,
  launchBrowser,
  scanLikeAScanner,
  screenshotStep,
  typeLikeAPerson,
  type LaunchedBrowser,
} from '../support/browser.ts';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>harness</title></head>
<body>
  <h1>Caja 1</h1>
  <form id="form"><input id="field" autocomplete="off"></form>
  <script>
    window.keys = [];
    window.submitted = [];
    const field = document.getElementById('field');
    field.addEventListener('keydown', (e) => window.keys.push({ key: e.key, t: e.timeStamp, repeat: e.repeat, handledAt: performance.now() }));
    document.getElementById('form').addEventListener('submit', (e) => {
      e.preventDefault();
      window.submitted.push(field.value);
    });
  </script>
</body></html>`;

type Key = { key: string; t: number; repeat: boolean; handledAt: number };
type HarnessWindow = { keys: Key[]; submitted: string[] };

const keysSeen = (page: Page) => page.evaluate(() => (window as unknown as HarnessWindow).keys);
const gapsBetween = (keys: Key[]) => keys.slice(1).map((k, i) => k.t - keys[i]!.t);

// The browser process itself (not the wrapper script, which execs it, nor its children, which
// carry --type=), found by the profile only it was given.
function browserCommandLine(userDataDir: string): string[] {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // exited while we looked
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) return args;
  }
  throw new Error(`no Chromium running with --user-data-dir=${userDataDir}`);
}

describe('the browser harness', () => {
  let server: Server;
  let origin: string;
  let browser: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      } else if (req.url === '/ping') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
      } else {
        res.writeHead(204).end(); // favicon and the like: nothing, and no 404 in the console
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(async () => {
    await page.goto(`${origin}/`);
    await page.focus('#field');
  });

  it("runs Debian's Chromium headless, with every harness flag and none contradicted", async () => {
    expect(await page.evaluate(() => navigator.userAgent)).toContain('HeadlessChrome');
    expect(await page.evaluate(() => navigator.webdriver)).toBe(true);
    expect(await page.evaluate(() => [innerWidth, innerHeight])).toEqual([1024, 768]);

    const args = browserCommandLine(browser.userDataDir);
    expect(args[0]).toMatch(/^\/usr\/lib\/chromium\//);
    for (const flag of CHROMIUM_FLAGS) expect(args).toContain(flag);
    // Playwright and Debian's wrapper add their own switches; repeating one of ours is harmless,
    // giving the same switch another value (--headless=old, say) would not be.
    const values = new Map<string, Set<string>>();
    for (const arg of args.filter((a) => a.startsWith('--'))) {
      const [name, ...rest] = arg.split('=');
      values.set(name!, (values.get(name!) ?? new Set()).add(rest.join('=')));
    }
    expect([...values].filter(([, v]) => v.size > 1).map(([name]) => name)).toEqual([]);
  });

  it("types a scanned code with 8–15 ms between keys by the page's own clock, then Enter", async () => {
    const code = '7501031311309';
    const started = performance.now();
    await scanLikeAScanner(page, code);
    const elapsed = performance.now() - started;

    const keys = await keysSeen(page);
    expect(keys.map((k) => k.key)).toEqual([...code, 'Enter']);
    expect(keys.some((k) => k.repeat)).toBe(false);
    const gaps = gapsBetween(keys);
    expect(Math.max(...gaps)).toBeLessThan(20);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(7.5); // 8 ms, less the page clock's 0.1 ms coarsening
    expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(1);
    // Real waits, not stamps alone: the screen's timers must see the scan take its time.
    expect(elapsed).toBeGreaterThanOrEqual(code.length * 8);
    // The Enter is a real one: it submits the form the field is in.
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).submitted)).toEqual([code]);
  });

  it("keeps a scanner's rhythm while the test's own thread, where the engine runs, is stuck", async () => {
    const code = '0107501031311309172612311012345678';
    const scanning = scanLikeAScanner(page, code);
    // Once the scan is under way, 400 ms of synchronous work on this thread, as a burst of engine work would be.
    await expect.poll(async () => (await keysSeen(page)).length, { interval: 5 }).toBeGreaterThanOrEqual(2);
    const until = performance.now() + 400;
    while (performance.now() < until) {
      /* busy */
    }
    await scanning;
    const keys = await keysSeen(page);
    expect(keys.map((k) => k.key)).toEqual([...code, 'Enter']);
    // Each key reached the page about when it was pressed; from this thread, one gap was 400 ms.
    const arrivals = keys.slice(1).map((k, i) => k.handledAt - keys[i]!.handledAt);
    expect(Math.max(...arrivals)).toBeLessThan(200);
  });

  it('scans the same code with the same rhythm every time, and another seed with another', async () => {
    const code = '7702004003508';
    const rhythm = async (seed?: number) => {
      await page.evaluate(() => {
        (window as unknown as HarnessWindow).keys = [];
      });
      await scanLikeAScanner(page, code, seed === undefined ? {} : { seed });
      return gapsBetween(await keysSeen(page));
    };
    const first = await rhythm();
    const again = await rhythm();
    const other = await rhythm(42);
    again.forEach((gap, i) => expect(gap).toBeCloseTo(first[i]!, 0));
    expect(other.some((gap, i) => Math.abs(gap - first[i]!) > 1)).toBe(true);
  });

  it('types like a person with 80–250 ms between keys and no Enter of its own', async () => {
    await typeLikeAPerson(page, 'hola');

    const keys = await keysSeen(page);
    expect(keys.map((k) => k.key)).toEqual(['h', 'o', 'l', 'a']);
    for (const gap of gapsBetween(keys)) {
      expect(gap).toBeGreaterThanOrEqual(80 - 0.1);
      expect(gap).toBeLessThanOrEqual(250 + 0.1);
    }
    expect(await page.inputValue('#field')).toBe('hola');
    expect(await page.evaluate(() => (window as unknown as HarnessWindow).submitted)).toEqual([]);
  });

  it('refuses any request to a host other than 127.0.0.1, and lets loopback through', async () => {
    const failed: { url: string; error: string }[] = [];
    const onFailed = (r: Request) => failed.push({ url: r.url(), error: r.failure()?.errorText ?? '' });
    page.on('requestfailed', onFailed);
    const fetchFromPage = (url: string) =>
      page.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.text(),
            (e: unknown) => `failed: ${String(e)}`,
          ),
        url,
      );
    try {
      expect(await fetchFromPage(`${origin}/ping`)).toBe('pong');
      expect(await fetchFromPage('http://example.com/')).toMatch(/^failed: TypeError/);
      // Blocked by the harness, not merely unanswered: there is no internet here to fail on anyway.
      expect(failed).toEqual([{ url: 'http://example.com/', error: 'net::ERR_BLOCKED_BY_CLIENT.Inspector' }]);
    } finally {
      page.off('requestfailed', onFailed);
    }
  });

  it('collects console errors and uncaught page errors, and nothing milder', async () => {
    const errors = collectConsoleErrors(page);
    await page.evaluate(() => {
      console.log('just saying');
      console.warn('careful');
      console.error('the drawer did not open');
      setTimeout(() => {
        throw new Error('cart is undefined');
      });
    });
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[0]).toContain('the drawer did not open');
    expect(errors[1]).toMatch(/^pageerror: .*cart is undefined/);
  });

  it("numbers a test's screenshots in order and writes them as PNG files", async () => {
    // The pid keeps two runs of this file at once out of each other's directory.
    const testName = `Cobro en dólares, con cambio #${process.pid}`;
    const first = await screenshotStep(page, testName, 'Carrito vacío');
    const second = await screenshotStep(page, testName, 'Total: $10.00');
    try {
      expect(first).toMatch(new RegExp(`test-results/cobro-en-dolares-con-cambio-${process.pid}/01-carrito-vacio\\.png$`));
      expect(second).toMatch(new RegExp(`test-results/cobro-en-dolares-con-cambio-${process.pid}/02-total-10-00\\.png$`));
      const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      for (const file of [first, second]) expect(readFileSync(file).subarray(0, 8)).toEqual(signature);
    } finally {
      rmSync(dirname(first), { recursive: true, force: true });
    }
  });

  it('opens at the viewport asked for, and leaves no profile behind once closed', async () => {
    const big = await launchBrowser({ viewport: { width: 1920, height: 1080 } });
    let closed = false;
    try {
      await big.page.goto(`${origin}/`);
      expect(await big.page.evaluate(() => [innerWidth, innerHeight])).toEqual([1920, 1080]);
      expect(existsSync(big.userDataDir)).toBe(true);
      await big.close();
      closed = true;
      expect(existsSync(big.userDataDir)).toBe(false);
      expect(() => browserCommandLine(big.userDataDir)).toThrow(/no Chromium running/);
    } finally {
      if (!closed) await big.close();
    }
  });
});
