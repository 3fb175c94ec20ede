// A customer invoices their purchase from the receipt's QR, on a phone: the page opens with the
// ticket's code filled in, they type the total and their fiscal data with the keyboard (a wrong
// RFC is marked on its field first), and read the stamped invoice with its folio fiscal and its
// PDF and XML. Central runs whole in this process (HTTP side and workers, a private Redis, a
// loopback PAC, a real SMTP mailbox), a synced register made the sale. Screenshots of each step
// go to test-results/ and to SELF_INVOICE_LOOK_DIR (default /tmp/selfinv-look).
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptCode } from '#engine/services/sales/checkout.ts';
import { selfInvoicingLink } from '#contract/self-invoicing.ts';
import { collectConsoleErrors, explained, type LaunchedBrowser, launchBrowser, screenshotStep } from '../support/browser.ts';
import { eventually } from '../support/central-service.ts';
import { installCentralFiscalSecrets } from '../support/central-fiscal-secrets.ts';
import type { LoopbackPac } from '../support/loopback-pac.ts';
import { freePort } from '../support/private-postgres.ts';
import { branchId, businessId } from '../support/sync-fixture.ts';
import { type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const TEST = 'a customer invoices their purchase from the receipt’s QR on a phone, by keyboard';
const LOOK_DIR = process.env.SELF_INVOICE_LOOK_DIR ?? '/tmp/selfinv-look';
const EMAIL = 'emiliano.gomez@ejemplo.mx';

describe('self-invoicing in the browser', () => {
  let synced: SyncedCentral;
  let pac: LoopbackPac;
  let browser: LaunchedBrowser;
  let base: string;

  beforeAll(async () => {
    synced = await startSyncedCentral('self_invoice_e2e', { pullEverySeconds: 1 });
    pac = await installCentralFiscalSecrets(synced.dataDir, businessId);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await synced.startService({ role: 'all', port: String(port), 'public-url': base, 'fiscal-every-ms': '2000' });
    browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
    mkdirSync(LOOK_DIR, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await synced?.close();
    await pac?.close();
  });

  it(TEST, async () => {
    const { terminal } = synced;
    const sale = await terminal.sell(3);
    terminal.engine.services.sync!.kick();
    await eventually(
      async () => terminal.status().pending,
      (n) => n === 0,
      30_000,
    );
    const [row] = await terminal.engine.services.sql.query<{ n: string; code: string }>(
      `SELECT s.receipt_number::text AS n, r.code FROM sales.sales s JOIN sales.cash_registers r ON r.id = s.register_id WHERE s.id = $1`,
      [sale.saleId],
    );
    const code = receiptCode(row!.code, Number(row!.n));
    const total = new Decimal(sale.total).toFixed(2);

    const page = browser.page;
    const errors = collectConsoleErrors(page);
    await page.setExtraHTTPHeaders({ 'accept-language': 'es-MX,es;q=0.9' });
    let step = 0;
    const look = async (name: string) => {
      const path = await screenshotStep(page, TEST, name);
      copyFileSync(path, join(LOOK_DIR, `${String(++step).padStart(2, '0')}-${basename(path).replace(/^\d+-/, '')}`));
    };

    // What the receipt's QR opens.
    const opened = await page.goto(selfInvoicingLink(base, code, branchId));
    expect(opened?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Facture su compra' }).waitFor();
    expect(await page.getByLabel('Código del ticket').inputValue()).toBe(code);
    // The branch came in the link too, for the lookup to tell this register's tickets from another branch's.
    expect(await page.locator('#app').getAttribute('data-branch')).toBe(branchId);
    // The code came with the page: the total is where the cursor waits.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('total');
    await look('the page opened from the QR');

    await page.keyboard.type(total);
    await page.keyboard.press('Enter');
    const found = page.getByText(/^Compra en Abarrotes La Esperanza/);
    await explained(page, () => found.waitFor());
    expect(await found.textContent()).toMatch(/del \d{2}\/\d{2}\/\d{4} por \$[\d,]+\.\d{2}\.$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('taxId');
    await look('the purchase found');

    // The fiscal data, field after field with Tab; the régimen and the uso chosen by typing their keys.
    await page.keyboard.type('gode561231gr9');
    await page.keyboard.press('Tab');
    await page.keyboard.type('EMILIANO GOMEZ DIAZ');
    await page.keyboard.press('Tab');
    await page.keyboard.type('612');
    await page.keyboard.press('Tab');
    await page.keyboard.type('06000');
    await page.keyboard.press('Tab');
    await page.keyboard.type('G03');
    await page.keyboard.press('Tab');
    await page.keyboard.type(EMAIL);
    expect(await page.getByLabel('Régimen fiscal').inputValue()).toBe('612');
    expect(await page.getByLabel('Uso del CFDI').inputValue()).toBe('G03');
    await look('the fiscal data typed');
    await page.keyboard.press('Enter');

    // A wrong check digit: said on the RFC, where the cursor goes back.
    const rfcError = page.locator('#taxId-error');
    await explained(page, () => rfcError.filter({ hasText: /\S/ }).waitFor());
    expect(await page.getByLabel('RFC').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('taxId');
    await look('a wrong RFC is marked on its field');

    await page.keyboard.press('Control+a');
    await page.keyboard.type('GODE561231GR8');
    await page.keyboard.press('Enter');
    const ready = page.getByText('Su factura está lista.');
    await explained(page, () =>
      page
        .getByRole('status')
        .filter({ hasText: /Timbrando|lista/ })
        .waitFor(),
    );
    await look('stamping');
    await explained(page, () => ready.waitFor({ timeout: 30_000 }));
    const uuid = (await page.locator('#result-uuid').textContent())!;
    expect(uuid).toMatch(/^[0-9A-F-]{36}$/i);
    expect(await page.locator('#result-invoice').textContent()).toBe('A-WEB-1');
    expect(await page.locator('#result-emailed').textContent()).toBe(`También se la enviamos a ${EMAIL}.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('download-pdf');
    expect(await page.locator('#fiscal-summary-text').textContent()).toBe('A nombre de EMILIANO GOMEZ DIAZ, RFC GODE561231GR8.');
    await look('the invoice stamped');

    // The links download what they say.
    const pdf = await page.request.get(new URL((await page.locator('#download-pdf').getAttribute('href'))!, page.url()).toString());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const xml = await page.request.get(new URL((await page.locator('#download-xml').getAttribute('href'))!, page.url()).toString());
    expect(await xml.text()).toContain(uuid);

    // The page reached nothing but central, and nothing went wrong but the refusal of the wrong
    // RFC (Chromium reports every answer that is not a 2xx).
    expect(errors).toEqual([expect.stringMatching(/status of 422 .*\/factura\/solicitud/)]);
  }, 180_000);
});
