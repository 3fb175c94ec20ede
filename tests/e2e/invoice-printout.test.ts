// A sale's stamped invoice printed from the shift history, in Debian's Chromium against serve mode
// with a loopback receipt printer as CAJA-1's: two sales invoiced before the screens open, one
// stamped by the loopback PAC and one still waiting for it. The stamped one's sale offers
// "Imprimir factura" (Alt+F), which sends the CFDI's printed representation to the printer and
// shows it on screen; the pending one offers nothing to print. The printer's bytes are read back
// as a printer would and written out as text beside the screenshots in test-results/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { verificationUrlOf } from '#engine/fiscal/mx/verification-qr.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { explained, SCREENSHOT_DIR, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { type CounterWithPrinter, type DemoEngine, signInAs, startCounter } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe('a stamped invoice printed from the shift history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-invoice-printout-'));
  let counter: CounterWithPrinter;
  let page: Page;
  let errors: string[];
  let stampedId: string;

  // Two invoiced sales before the screens open: the first stamped (as of the real clock the PAC
  // and the CSD hold a CFDI to), the second still pending.
  const invoiceBeforehand = async (demo: DemoEngine) => {
    const cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.code === 'CASH')!.id;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: 'e2e-printout-shift', openingFloat: '500' }, { token: cashier }));
    const invoiced = async (n: number, codes: string[]) => {
      demo.clock.advance(60_000);
      const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: `e2e-printout-sale-${n}` }, { token: cashier }));
      for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
      ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
      const key = `e2e-printout-invoice-${n}`;
      return ok(
        await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key }, { token: cashier }),
      );
    };
    stampedId = (await invoiced(1, [ARROZ, AGUA_PINA])).id;
    const pac = await startLoopbackPac({ username: 'e2e', password: 'e2e-secret', dir });
    try {
      const [{ tax_id: rfc }] = (await demo.engine.services.sql.query<{ tax_id: string }>(
        'SELECT tax_id FROM billing.fiscal_profiles',
      )) as [{ tax_id: string }];
      const pass = await stampPending(demo.engine.services, {
        pac: finkokClient({ username: 'e2e', password: 'e2e-secret', baseUrl: pac.baseUrl, timeoutMs: 5_000 }),
        csd: openCsd(makeTestCsd(dir, { rfc })),
        now: new Date(),
      });
      expect(pass.outcomes.map((o) => o.status)).toEqual(['ISSUED']);
    } finally {
      await pac.close();
    }
    await invoiced(2, [ARROZ]);
  };

  beforeAll(async () => {
    counter = await startCounter('e2e-invoice-printout', { printer: true, prepare: invoiceBeforehand });
    ({ page, errors } = counter);
  }, 120_000);
  afterAll(async () => {
    await counter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the stamped invoice of the sale opened with Alt+F, on paper and on screen, and offers none for a pending one', async () => {
    const shot = (step: string) => screenshotStep(page, 'a stamped invoice printed from the history', step);
    await page.goto(counter.server.url);
    await signInAs(page, 'Ángela Ibáñez', counter.demo.people.cashier.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('Control+h');
    await page.getByLabel('Número o código de barras del ticket').waitFor();

    // The pending invoice's sale: its state is said, and there is nothing to print yet.
    await typeLikeAPerson(page, '2');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'RCAJA-1-000002' }).waitFor();
    const invoices = page.getByRole('list', { name: 'Facturas de la venta' });
    await explained(page, () => expect.poll(() => invoices.textContent()).toMatch(/^Factura A-CAJA-1 folio 2 en espera de timbrado/));
    expect(await page.getByRole('button', { name: /Imprimir factura/ }).count()).toBe(0);
    await shot('a sale whose invoice is still pending: nothing to print');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Ventas del turno' }).waitFor();

    const field = page.getByLabel('Número o código de barras del ticket');
    await field.fill('');
    await field.focus();
    await typeLikeAPerson(page, '1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'RCAJA-1-000001' }).waitFor();
    await explained(page, () => expect.poll(() => invoices.textContent()).toMatch(/^Factura A-CAJA-1 folio 1 timbrada · GODE561231GR8/));
    const print = page.getByRole('button', { name: /Imprimir factura/ });
    expect(await print.getAttribute('aria-keyshortcuts')).toBe('Alt+F');
    await shot('a sale with a stamped invoice, ready to print it');

    const jobs = counter.printer.jobs.length;
    await page.keyboard.press('Alt+f');
    await explained(page, () =>
      expect
        .poll(() => page.getByRole('status').filter({ hasText: 'enviada a la impresora' }).allTextContents())
        .toEqual(['Factura A-CAJA-1 folio 1 enviada a la impresora.']),
    );
    const paper = page.getByRole('document', { name: /RCAJA-1-000001/ });
    await expect.poll(() => paper.textContent()).toContain('TIMBRE FISCAL DIGITAL');
    // The legend wraps on the paper's 48 columns, as the printer wraps it.
    expect((await paper.textContent())!.replace(/\s+/g, ' ')).toContain('Este documento es una representación impresa de un CFDI');
    await shot('the invoice sent to the printer and shown on screen');
    await paper.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot('the end of the invoice on screen: the seals and the QR');

    // What the printer got, read as a printer reads it.
    const [job] = (await counter.printer.waitForJobs(jobs + 1)).slice(jobs);
    const { lines, events } = decodeEscPos(job!);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(
      join(SCREENSHOT_DIR, 'e2e-invoice-printout-80mm.txt'),
      `${lines.map((l) => `|${l.padEnd(48)}|`).join('\n')}\n${JSON.stringify(events)}\n`,
    );
    const [{ xml }] = (await counter.engine.services.sql.query<{ xml: string }>(
      `SELECT fiscal_data->>'xml' AS xml FROM billing.invoices WHERE id = $1`,
      [stampedId],
    )) as [{ xml: string }];
    const cfdi = readComprobante(xml);
    expect(lines.filter((l) => l.length > 48)).toEqual([]);
    expect(lines.map((l) => l.trimEnd())).toEqual(
      expect.arrayContaining(['Serie y folio: A-CAJA-1-1', 'RFC: GODE561231GR8', cfdi.TimbreFiscalDigital!.UUID]),
    );
    expect(events).toEqual([{ type: 'qr', data: verificationUrlOf(cfdi) }, { type: 'cut' }]);
    const audit = await counter.engine.services.sql.query<{ entity_id: string }>(
      `SELECT entity_id FROM auth.audit_logs WHERE action = 'invoices.print'`,
    );
    expect(audit.map((a) => a.entity_id)).toEqual([stampedId]);
    expect(errors).toEqual([]);
  });
});
