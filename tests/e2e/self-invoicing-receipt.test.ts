// The owner sets the business's self-invoicing page in the back office (Configuración, Alt+7), in
// Debian's Chromium against serve mode at 1024×768: an address that is not https is refused beside
// the field in Spanish, a good one is kept without its trailing slash. The next sales' receipts,
// as the loopback printer on 127.0.0.1 receives them on 80 mm and then 58 mm paper, ask
// "¿Necesita factura?", name the page and the ticket, and carry a QR code that a phone's decoder
// (jsqr) reads, drawn from the printer's bytes at the size they asked for, as
// {base}/factura?r=RECEIPT_CODE&b=BRANCH (the branch's id in base64url). Screenshots of the tab
// and of both receipts land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, screenshotStep } from '../support/browser.ts';
import { type Counter, type DemoEngine, enterBackOffice, startCounter } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import type { LoopbackPrinter } from '../support/loopback-printer.ts';
import { decodeQr } from '../support/pdf-reader.ts';
import { receiptPng } from '../support/receipt-image.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50
const BASE = 'https://factura.laesperanza.example';

describe('the self-invoicing page set in the back office and printed on the receipts', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let page: Page;
  let printer: LoopbackPrinter;
  let errors: string[];
  let cashier: string;
  let cash: string;
  let n = 0;
  const name = 'the owner sets the self-invoicing page and the receipts carry a QR a phone reads';
  const shot = (step: string, on: Page = page) => screenshotStep(on, name, step);

  beforeAll(async () => {
    counter = await startCounter('e2e-self-invoicing', {
      viewport: { width: 1024, height: 768 },
      printer: true,
      prepare: async (d) => {
        cashier = await signIn(d.engine, d.people.cashier.id, d.people.cashier.pin);
        ok(await d.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: 'e2e-self-invoicing-shift' }, { token: cashier }));
        cash = ok(await d.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
      },
    });
    ({ demo, page, errors } = counter);
    printer = counter.printer!;
  }, 180_000);
  afterAll(() => counter?.close());

  /** A cash sale at the counter, and its receipt as the printer got it (after the drawer's pulse). */
  async function sell(codes: string[]) {
    const before = printer.jobs.length;
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: `e2e-self-invoicing-${++n}` }, { token: cashier }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    const paid = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }),
    );
    const jobs = await printer.waitForJobs(before + 2);
    const receipt = jobs.slice(before).find((job) => decodeEscPos(job).events.some((e) => e.type === 'cut'))!;
    const [row] = await demo.engine.services.sql.query<{ branch_id: string }>('SELECT branch_id FROM sales.sales WHERE id = $1', [sale.id]);
    return { receiptCode: paid.receiptCode, branchId: row!.branch_id, bytes: receipt };
  }

  it(name, async () => {
    await page.clock.setFixedTime(demo.clock.now());
    await page.goto(counter.server.url);
    await enterBackOffice(page, demo, 'Rosa María Núñez', demo.people.owner);

    const tab = page.getByRole('tab', { name: /Configuración/ });
    expect(await tab.getAttribute('aria-keyshortcuts')).toBe('Alt+7');
    await page.keyboard.press('Alt+7');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const field = page.getByLabel('Página de autofacturación');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bo-self-invoicing');
    await explained(page, () => page.getByRole('status').filter({ hasText: 'no llevan código QR' }).waitFor());
    await shot('the settings tab, no page set 1024x768');

    // Not https: refused beside the field, in Spanish, before anything is sent.
    await field.fill('http://factura.laesperanza.example');
    await page.keyboard.press('Enter');
    const alert = page.locator('form.bo-settings').getByRole('alert');
    await explained(page, () => alert.waitFor());
    expect(await alert.textContent()).toBe(
      'La dirección debe empezar con https://: la página pide los datos fiscales del cliente y deben viajar cifrados.',
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await shot('an http address refused 1024x768');
    await field.fill(`${BASE}/?tienda=1`);
    await page.keyboard.press('Enter');
    await expect.poll(() => alert.textContent()).toMatch(/^Escriba la dirección sin «\?» ni «#»/);

    await field.fill(`${BASE}/`);
    await page.keyboard.press('Enter');
    await explained(page, () =>
      page
        .getByRole('status')
        .filter({ hasText: `Guardado: los tickets siguientes llevan el código QR de ${BASE}/factura.` })
        .waitFor(),
    );
    expect(await alert.count()).toBe(0);
    expect(await field.inputValue()).toBe(BASE);
    expect(await page.locator('.bo-settings-now').textContent()).toBe(`Ahora los tickets llevan el código QR de ${BASE}/factura.`);
    await shot('the page set 1024x768');

    // The next receipts, as the printer got them, on both papers.
    const receiptPage = await counter.browser.context.newPage();
    try {
      for (const paperWidth of [80, 58] as const) {
        if (paperWidth === 58) {
          const owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
          ok(
            await demo.engine.call(
              'devices.configure',
              { registerCode: 'CAJA-1', devices: { printer: { uri: printer.uri, paperWidth: 58 } } },
              { token: owner },
            ),
          );
        }
        const { receiptCode, branchId, bytes } = await sell([ARROZ, AGUA_PINA]);
        const link = `${BASE}/factura?r=${receiptCode}&b=${Buffer.from(branchId.replace(/-/g, ''), 'hex').toString('base64url')}`;
        const { lines, events } = decodeEscPos(bytes);
        const text = lines.map((l) => l.trim());
        expect(events.filter((e) => e.type === 'qr')).toEqual([{ type: 'qr', data: link }]);
        expect(lines.every((l) => l.length <= (paperWidth === 58 ? 32 : 48))).toBe(true);
        // The question, the page (without the https:// a browser adds; broken after its slash on 58 mm) and the ticket.
        const invitation =
          paperWidth === 80
            ? ['¿Necesita factura? Escanee el código o visite', 'factura.laesperanza.example/factura', `Ticket: ${receiptCode}`]
            : ['¿Necesita factura?', 'Escanee el código o visite', 'factura.laesperanza.example/', 'factura', `Ticket: ${receiptCode}`];
        const at = text.indexOf(invitation[0]!);
        expect(text.slice(at, at + invitation.length)).toEqual(invitation);

        // What a phone sees on the paper: the QR, drawn as the printer draws it, reads as the link.
        const png = await receiptPng(receiptPage, bytes, paperWidth);
        expect(decodeQr(png)).toBe(link);
        await shot(`the receipt on ${paperWidth} mm paper`, receiptPage);
      }
    } finally {
      await receiptPage.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
