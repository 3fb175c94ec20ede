// The scanner never types into the wrong place, at 1024×768 in Debian's Chromium: fifty scans
// into one long cart all become lines, a scan while the pay dialog has the cash field rings the
// item up and sells nothing, a scan on the change screen starts the next sale, a scan into a
// dialog that cannot take an item is refused in words, and absurd amounts ask before they count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from '#engine/server/serve.ts';
import { explained, scanLikeAScanner, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';

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

const saleCount = async (demo: DemoEngine, status: string) =>
  (await demo.engine.services.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales.sales WHERE status = $1`, [status]))[0]!.n;

describe('the scanner at the counter', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;

  beforeAll(async () => {
    counter = await startCounter('e2e-counter-input', { viewport: { width: 1024, height: 768 } });
    ({ demo, server, page } = counter);
    await page.goto(server.url);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await openShift(page, '500');
  }, 120_000);
  afterAll(() => counter?.close());

  it('rings up fifty scans into one cart at 1024×768, each a line, the newest and Cobrar in view', { timeout: 180_000 }, async () => {
    const shot = (step: string) => screenshotStep(page, 'fifty scans into one cart', step);
    // A cashier passing items over the scanner as fast as the customer hands them: a scan about
    // every 300 ms, none waiting for the line before it.
    for (const code of FIFTY) {
      await scanLikeAScanner(page, code);
      await new Promise((r) => setTimeout(r, 300));
    }
    await explained(page, () =>
      expect
        .poll(
          () =>
            page
              .getByRole('row')
              .filter({ has: page.getByRole('cell') })
              .count(),
          { timeout: 30_000 },
        )
        .toBe(50),
    );
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
    const rows = await page
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .count();
    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id))
      .toBeTruthy();
    await scanLikeAScanner(page, ARROZ);
    await explained(page, () =>
      expect
        .poll(() =>
          page
            .getByRole('row')
            .filter({ has: page.getByRole('cell') })
            .count(),
        )
        .toBe(rows + 1),
    );
    await shot('the item rung up, nothing sold');
    expect(await saleCount(demo, 'COMPLETED')).toBe(completed);
    expect((await cash.isVisible()) ? await cash.inputValue() : '').toBe('');
  });

  it('rings up a whole code whose last keys the machine held up on their way, not its first nine as a code', async () => {
    // Seen on a loaded machine: the browser took a scan's first nine keys, then nothing for a
    // while; the screen's timer called them a code ("no product 750559900") and the rest another.
    await page.keyboard.press('Escape');
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.count()).toBe(0);
    const rows = () =>
      page
        .getByRole('row')
        .filter({ has: page.getByRole('cell') })
        .count();
    // A code ended by Enter first, as this scanner sends it: from then on a burst that goes quiet
    // is typing until its Enter comes (a first scan is covered for a quarter of a second only).
    const total = page.getByLabel('Total', { exact: true }).last();
    const totalBefore = await total.textContent();
    await scanLikeAScanner(page, AGUA_PINA);
    await expect.poll(() => total.textContent()).not.toBe(totalBefore);
    const before = await rows();
    const arroz = page.getByLabel('Cantidad de Arroz súper extra 900 g');
    const quantity = (await arroz.count()) === 0 ? 0 : Number(await arroz.textContent());
    await scanLikeAScanner(page, ARROZ, { heldUp: { from: 9, ms: 600 } });
    await explained(page, () => expect.poll(() => arroz.textContent()).toBe(String(quantity + 1)));
    expect(await rows()).toBe(quantity === 0 ? before + 1 : before);
    expect(await page.getByLabel('Escanee o escriba un código').inputValue()).toBe('');
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  });
});

describe('the counter keeps every scan and every amount sensible', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  const lineCount = () =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .count();

  beforeAll(async () => {
    counter = await startCounter('e2e-counter-sense', { viewport: { width: 1024, height: 768 } });
    ({ demo, server, page, errors } = counter);
    // Each refusal tone is two notes; counted here, since a test cannot listen.
    await page.addInitScript(() => {
      const w = window as unknown as { tones: number };
      w.tones = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
        w.tones++;
        return start.apply(this, args);
      };
    });
    await page.goto(server.url);
  }, 120_000);
  afterAll(() => counter?.close());

  it('refuses a scan before sign-in and in a PIN field, in words and with a tone, typing nothing', async () => {
    const shot = (step: string) => screenshotStep(page, 'scans where no item can go', step);
    await page.getByRole('button', { name: 'Ángela Ibáñez' }).click();
    const pin = page.getByLabel('PIN de Ángela Ibáñez');
    await pin.waitFor();
    await scanLikeAScanner(page, ARROZ);
    await expect
      .poll(() => page.getByRole('alert', { name: 'Escaneo no aceptado' }).textContent())
      .toContain(`Se escaneó ${ARROZ}: inicie sesión para vender.`);
    expect(await pin.inputValue()).toBe('');
    expect(await page.evaluate(() => (window as unknown as { tones: number }).tones)).toBeGreaterThan(0);
    await shot('refused at the PIN');
    await pin.fill(demo.people.cashier.pin);
    await page.keyboard.press('Enter');
    const float = page.getByLabel('Fondo de caja');
    await float.waitFor();
    await scanLikeAScanner(page, ARROZ);
    await expect.poll(() => page.getByRole('alert', { name: 'Escaneo no aceptado' }).textContent()).toContain('abra la caja para vender');
    expect(await float.inputValue()).toBe('');
    await float.fill('500');
    // A person's Enter, not a scanner's second suffix key: those come within 70 ms of the scan.
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByLabel('Escanee o escriba un código').waitFor());
    // What the notice said no longer holds: it goes.
    expect(await page.getByRole('alert', { name: 'Escaneo no aceptado' }).count()).toBe(0);
  });

  it("sells three with 3* before the scan, and refuses a scan while a line's quantity dialog is open", async () => {
    const shot = (step: string) => screenshotStep(page, 'a quantity prefix and a dialog', step);
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Escanee o escriba un código');
    await typeLikeAPerson(page, '3*');
    await scanLikeAScanner(page, ARROZ);
    await explained(page, () =>
      expect
        .poll(() =>
          page
            .getByLabel('Cantidad de Arroz súper extra 900 g')
            .textContent({ timeout: 2_000 })
            .catch(() => null),
        )
        .toBe('3'),
    );
    expect(await page.getByLabel('Escanee o escriba un código').inputValue()).toBe('');
    // The notice of the earlier refusal went with the next good scan.
    expect(await page.getByRole('alert', { name: 'Escaneo no aceptado' }).count()).toBe(0);
    await page.keyboard.press('F5');
    const dialog = page.getByRole('dialog', { name: /Cambiar la cantidad/ });
    const field = dialog.getByLabel('Cantidad nueva');
    await field.waitFor();
    const before = await field.inputValue();
    await scanLikeAScanner(page, AGUA_PINA);
    await expect
      .poll(() => page.getByRole('alert', { name: 'Escaneo no aceptado' }).textContent())
      .toContain(`Se escaneó ${AGUA_PINA} y no se agregó`);
    expect(await field.inputValue()).toBe(before);
    expect(await lineCount()).toBe(1);
    await shot('a scan refused in the quantity dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('asks before taking absurd cash, refuses a 30-digit amount, and starts the next sale with a scan on the change screen', async () => {
    const shot = (step: string) => screenshotStep(page, 'absurd cash and the change screen', step);
    // 3 × 31.50 = 94.50 due.
    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.fill('123456789012345678901234567890');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/solo números/);
    expect(
      await page
        .getByRole('button', { name: /Cobrar/ })
        .last()
        .isDisabled(),
    ).toBe(true);
    await cash.fill('250000');
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toBe('Eso no puede ser efectivo recibido: más de $100,000.00. Corrija el importe.');
    await page.keyboard.press('Enter');
    await shot('over the ceiling');
    await cash.fill('5000');
    await page.keyboard.press('Enter');
    const ask = page.getByRole('alertdialog', { name: 'Confirmar el efectivo recibido' });
    await expect.poll(() => ask.textContent()).toContain('¿Recibió $5,000.00 para pagar $94.50? El cambio sería $4,905.50.');
    await shot('asked to confirm');
    expect(await saleCount(demo, 'COMPLETED')).toBe(0);
    await ask.getByRole('button', { name: 'Corregir' }).click();
    await cash.fill('500');
    await page.keyboard.press('Enter');
    await page.getByText(/^Venta RCAJA-1-000001$/).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cambio' }).first().textContent()).toContain('$405.50');
    await shot('the change screen');
    await scanLikeAScanner(page, AGUA_PINA);
    await explained(page, () => page.getByRole('button', { name: 'Elegir Polvo para preparar agua sabor piña 15 g' }).waitFor());
    expect(await lineCount()).toBe(1);
    await shot('the next sale started by the scan');
  });

  it('asks for the weight of a weighed product chosen from the search, beside the cart', async () => {
    const shot = (step: string) => screenshotStep(page, 'a weighed product from the search', step);
    await page.keyboard.press('F3');
    const search = page.getByLabel('Nombre, marca o código');
    await search.waitFor();
    await search.fill('lim');
    // 10 KB pasted: refused whole, in words; what was typed stays.
    await search.evaluate((input, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, 'x'.repeat(10_240));
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'demasiado largo' }).count()).toBe(1);
    expect(await search.inputValue()).toBe('lim');
    await shot('a 10 KB paste refused');
    await search.fill('limon');
    await explained(page, () => page.getByRole('button', { name: /Limón/ }).first().waitFor({ timeout: 5_000 }));
    // The cart is still in view beside the results.
    await page.getByRole('button', { name: 'Elegir Polvo para preparar agua sabor piña 15 g' }).waitFor();
    await shot('search beside the cart');
    await page.getByRole('button', { name: /Limón/ }).first().click();
    const dialog = page.getByRole('dialog', { name: /Limón/ });
    await dialog.waitFor();
    await shot('the weight asked');
    await dialog.getByLabel('Peso en kg').fill('0.5');
    await page.keyboard.press('Enter');
    await explained(page, () => expect.poll(lineCount).toBe(2));
    expect(errors).toEqual([]);
  });
});
