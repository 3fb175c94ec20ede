// A stamped invoice's PDF and XML saved from the back office, in Debian's Chromium against serve
// mode at 1024×768, with a loopback Finkok. Three invoices were asked for at the counter: the
// oldest stamped and then cancelled with the SAT, the next stamped, the newest still waiting. The
// manager opens "Facturas" (Alt+6) and goes down the list with the keyboard: the waiting one has no
// files; on the stamped one Alt+P saves its PDF on letter paper and Alt+X its stamped XML, which
// parses and carries its folio fiscal; the cancelled one's PDF says CANCELADO, on A4 once chosen,
// and it has no XML. Screenshots land in test-results/.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { explained, screenshotStep } from '../support/browser.ts';
import type { DemoEngine } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import {
  ARROZ,
  CUSTOMERS,
  type FiscalPasses,
  focusedName,
  type InvoicingCounter,
  openInvoicesTab,
  startInvoicingCounter,
  type Till,
} from '../support/invoicing-counter.ts';
import { pdfInfo, pdfPages } from '../support/pdf-reader.ts';

describe('an invoice’s files from the back office', () => {
  let counter: InvoicingCounter;
  let demo: DemoEngine;
  let page: Page;
  let errors: string[];
  /** The folios fiscales of the stamped invoice (folio 2) and of the cancelled one (folio 1). */
  let stampedUuid: string;
  let cancelledUuid: string;
  const name = 'a manager saves a stamped invoice’s PDF and XML by keyboard, and a cancelled one’s PDF on A4';
  const shot = async (step: string) => {
    await screenshotStep(page, name, `${step} 1024x768`);
  };
  const focused = () => focusedName(page);
  /** What a key saved: the file's name and its bytes. */
  const saved = async (key: string) => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.keyboard.press(key)]);
    return { filename: download.suggestedFilename(), bytes: readFileSync((await (download as Download).path())!) };
  };

  /** Three invoices asked for at the counter: the first stamped and cancelled, the second stamped, the third waiting. */
  async function invoicedSales(d: DemoEngine, till: Till, fiscal: FiscalPasses) {
    const invoices: string[] = [];
    for (const [i, receiver] of CUSTOMERS.entries()) {
      const sale = await till.sell([ARROZ]);
      invoices.push((await till.invoice(sale.id, receiver)).id);
      d.clock.advance(5 * 60_000);
      if (i === 1) {
        const stamped = await fiscal.stamp();
        expect(stamped.map((o) => o.status)).toEqual(['ISSUED', 'ISSUED']);
        [cancelledUuid, stampedUuid] = stamped.map((o) => o.uuid!) as [string, string];
        const manager = await signIn(d.engine, d.people.manager.id, d.people.manager.pin);
        ok(
          await d.engine.call(
            'invoices.cancel',
            { invoiceId: invoices[0]!, motive: '03', reason: 'La venta no se hizo', idempotencyKey: till.key() },
            { token: manager },
          ),
        );
        expect((await fiscal.cancel()).map((o) => o.state)).toEqual(['ACCEPTED']);
      }
    }
  }

  beforeAll(async () => {
    counter = await startInvoicingCounter('e2e-back-office-invoice-files', {
      start: new Date(Date.now() - 3600_000),
      prepare: invoicedSales,
    });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await openInvoicesTab(counter, 3);

    // The buttons say their keys; with nothing chosen they do nothing.
    const pdf = page.getByRole('button', { name: /Descargar PDF/ });
    const xml = page.getByRole('button', { name: /Descargar XML/ });
    expect(await pdf.textContent()).toBe('Descargar PDF Alt+P');
    expect(await pdf.getAttribute('aria-keyshortcuts')).toBe('Alt+P');
    expect(await xml.textContent()).toBe('Descargar XML Alt+X');
    expect(await xml.getAttribute('aria-keyshortcuts')).toBe('Alt+X');
    const paper = page.getByLabel('Papel del PDF');
    expect(await paper.inputValue()).toBe('LETTER');
    expect(await paper.locator('option:checked').textContent()).toBe('Carta');
    expect([await pdf.isDisabled(), await xml.isDisabled()]).toEqual([true, true]);

    // The waiting one has no files yet.
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 3');
    expect([await pdf.isDisabled(), await xml.isDisabled()]).toEqual([true, true]);

    // The stamped one: its PDF on letter paper, named by its series and folio, and its stamped XML.
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 2');
    await expect.poll(async () => [await pdf.isDisabled(), await xml.isDisabled()]).toEqual([false, false]);
    await shot('the stamped invoice chosen, its files offered');
    const letter = await saved('Alt+p');
    expect(letter.filename).toBe('A-CAJA-1-2.pdf');
    expect(letter.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfInfo(letter.bytes)['Page size']).toBe('612 x 792 pts (letter)');
    expect(pdfPages(letter.bytes).join('\f')).toMatch(new RegExp(`Folio fiscal \\(UUID\\): +${stampedUuid}`));
    await explained(page, () => page.getByRole('status').filter({ hasText: 'Se descargó A-CAJA-1-2.pdf.' }).waitFor());
    await shot('the PDF saved');

    const stamped = await saved('Alt+x');
    expect(stamped.filename).toBe('A-CAJA-1-2.xml');
    const cfdi = readComprobante(stamped.bytes.toString('utf8'));
    expect(cfdi).toMatchObject({ Serie: 'A-CAJA-1', Folio: '2', Receptor: { Rfc: 'EKU9003173C9' } });
    expect(cfdi.TimbreFiscalDigital?.UUID).toBe(stampedUuid);
    const [row] = await demo.engine.services.sql.query<{ xml: string }>(
      `SELECT fiscal_data->>'xml' AS xml FROM billing.invoices WHERE series = 'A-CAJA-1' AND folio = 2`,
    );
    expect(stamped.bytes.toString('utf8')).toBe(row!.xml);

    // The cancelled one: a PDF marked CANCELADO, and no XML, whose button stays off and whose key does nothing.
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('Elegir A-CAJA-1 folio 1');
    await expect.poll(async () => [await pdf.isDisabled(), await xml.isDisabled()]).toEqual([false, true]);
    let unwanted = 0;
    const count = () => unwanted++;
    page.on('download', count);
    await page.keyboard.press('Alt+x');
    // A4 chosen beside the button: the next PDF is laid out on it.
    await paper.selectOption('A4');
    const a4 = await saved('Alt+p');
    page.off('download', count);
    expect(unwanted).toBe(1); // the PDF's own
    expect(a4.filename).toBe('A-CAJA-1-1.pdf');
    expect(pdfInfo(a4.bytes)['Page size']).toBe('595.28 x 841.89 pts (A4)');
    const pages = pdfPages(a4.bytes, 'raw');
    expect(pages.every((p) => p.includes('CANCELADO'))).toBe(true);
    expect(pages.join('\f')).toContain(cancelledUuid);
    await shot('the cancelled invoice’s PDF on A4');

    // The engine saw each file asked for, and nothing more.
    const audited = await demo.engine.services.sql.query<{ action: string }>(
      `SELECT action FROM auth.audit_logs WHERE action IN ('invoices.pdf', 'invoices.xml') ORDER BY created_at, id`,
    );
    expect(audited.map((a) => a.action)).toEqual(['invoices.pdf', 'invoices.xml', 'invoices.pdf']);
    expect(errors).toEqual([]);
  }, 120_000);
});
