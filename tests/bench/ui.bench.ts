// From a scan to the line on the cashier's screen, in Debian's Chromium against serve mode on a
// 100,000-product store: a wedge scanner types each barcode (8–15 ms a key) and the clock runs
// from the scanner's Enter to the cart showing the line. 200 scans, in sales of 20 paid in cash
// through the screens. Beside it, in the same run on the same server: the same barcodes as
// POST /api/sales.addItem from Node, which is the engine and HTTP without a browser. The server
// is `pos serve` in a process of its own, as in a store: sharing this process's event loop with
// the browser driver would time the driver too.
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { ROOT } from '../support/run-cli.ts';
import { launchBrowser, scanLikeAScanner } from '../support/browser.ts';
import { buildRenderer } from '../support/renderer-build.ts';
import { copyBenchStore, pickBarcodes } from './bench-catalog.ts';
import { report } from './stats.ts';

const SIZE = 100_000;
const SCANS = 200;
const PER_SALE = 20;

export async function benchUi() {
  await buildRenderer();
  const dir = await copyBenchStore(SIZE, 'ui');
  const { barcodes } = await pickBarcodes(dir, SCANS * 2, 7);
  const child = spawn(process.execPath, ['bin/pos.mjs', 'serve', '--port', '0', '--data-dir', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const server = {
    url: await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const url = /is open at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`pos serve exited with ${code}: ${out}`)));
    }),
  };
  const browser = await launchBrowser();
  try {
    const cashier = readDemoStore().store.employees[2]!;
    const { page } = browser;
    await page.goto(server.url);
    await page.getByRole('button', { name: cashier.displayName }).click();
    await page.getByLabel(`PIN de ${cashier.displayName}`).fill(cashier.pin);
    await page.keyboard.press('Enter');
    const float = page.getByLabel('Fondo de caja');
    const scanField = page.getByLabel('Escanee o escriba un código');
    await Promise.race([float.waitFor(), scanField.waitFor()]);
    if (await float.isVisible()) {
      await float.fill('1000');
      await page.keyboard.press('Enter');
    }
    await scanField.waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { scanTimes: number[] };
      w.scanTimes = [];
      let started: number | null = null;
      window.addEventListener(
        'keydown',
        (e) => {
          if (e.key === 'Enter') started = performance.now();
        },
        true,
      );
      new MutationObserver(() => {
        if (started !== null && document.querySelector('.cart')) {
          w.scanTimes.push(performance.now() - started);
          started = null;
        }
      }).observe(document.querySelector('main')!, { childList: true, subtree: true, characterData: true });
    });
    const measured = () => page.evaluate(() => (window as unknown as { scanTimes: number[] }).scanTimes.length);
    for (let i = 0; i < SCANS; i++) {
      const before = await measured();
      await scanLikeAScanner(page, barcodes[i]!, { seed: i });
      // Checked every 50 ms in the page: asking every few ms, or every frame (which makes a
      // software-rendering headless Chromium paint), would load the two cores the scan is timed on.
      await page
        .waitForFunction((n) => (window as unknown as { scanTimes: number[] }).scanTimes.length > n, before, {
          polling: 50,
          timeout: 10_000,
        })
        .catch(() => {
          throw new Error(`scan ${i} (${barcodes[i]}) never showed in the cart`);
        });
      if ((i + 1) % PER_SALE === 0) {
        await page.keyboard.press('F12');
        await page.getByLabel('Efectivo recibido').fill('99999');
        await page.keyboard.press('Enter');
        await page.getByText(/^Venta R/).waitFor();
        await page.keyboard.press('Enter');
        await scanField.waitFor();
      }
    }
    const browserTimes = (await page.evaluate(() => (window as unknown as { scanTimes: number[] }).scanTimes)).sort((a, b) => a - b);

    // The same adds from Node over HTTP, on a sale of its own.
    const signIn = (await (
      await fetch(`${server.url}/api/auth.signInWithPin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ employeeId: await employeeIdOf(server.url, cashier.displayName), pin: cashier.pin }),
      })
    ).json()) as { value: { token: string } };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${signIn.value.token}` };
    const api = async (call: string, input: unknown) =>
      (await fetch(`${server.url}/api/${call}`, { method: 'POST', headers, body: JSON.stringify(input) })).json() as Promise<{
        ok: boolean;
        value: { id: string };
      }>;
    const cash = ((await api('sales.paymentMethods', {})).value as unknown as { id: string; code: string }[]).find(
      (m) => m.code === 'CASH',
    )!.id;
    const httpTimes: number[] = [];
    let saleId = '';
    for (let i = 0; i < SCANS; i++) {
      if (i % PER_SALE === 0) saleId = (await api('sales.open', { idempotencyKey: `bench-ui-${Date.now()}-${i}` })).value.id;
      const start = performance.now();
      const answer = await api('sales.addItem', { saleId, code: barcodes[SCANS + i]! });
      httpTimes.push(performance.now() - start);
      if (!answer.ok) throw new Error(`addItem over HTTP failed: ${JSON.stringify(answer)}`);
      if ((i + 1) % PER_SALE === 0) await api('sales.complete', { saleId, tenders: [{ methodId: cash, tendered: '99999' }] });
    }
    httpTimes.sort((a, b) => a - b);
    const baseline = 'baseline: POST /api/sales.addItem from Node (same server, no browser)';
    report(
      `Scan to line visible, ${SIZE.toLocaleString('en')} products, Chromium ${browser.context.browser()?.version() ?? ''} (${SCANS} scans, sales of ${PER_SALE})`,
      [
        { name: baseline, times: httpTimes },
        { name: 'wedge scan: Enter to the line in the cart', times: browserTimes },
      ],
      baseline,
    );
  } finally {
    await browser.close();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function employeeIdOf(url: string, name: string): Promise<string> {
  const staff = (await (
    await fetch(`${url}/api/auth.staffForSignIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  ).json()) as { value: { employeeId: string; displayName: string }[] };
  return staff.value.find((s) => s.displayName === name)!.employeeId;
}
