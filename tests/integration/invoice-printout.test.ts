// A stamped invoice printed at the counter on a real TCP printer on 127.0.0.1: the invoice asked
// for, stamped by the loopback PAC with a test CSD of the store's RFC, and printed through the
// spool as receipts are. The printer's bytes are read back as a printer would, on 80 and then on
// 58 mm paper, and written out as text to test-results/ for a person to look at. The same invoice
// as a PDF on letter or A4 paper is read back with poppler's pdftotext, cancelled too.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperColumns, REPRINT_MARK, type ReceiptDocument } from '#contract/receipt-document.ts';
import { createPrintSpool } from '#engine/devices/printer/print-spool.ts';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { type Csd, openCsd } from '#engine/fiscal/mx/seal.ts';
import { verificationUrlOf } from '#engine/fiscal/mx/verification-qr.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { decodeQr, pdfInfo, pdfPagePng, pdfPages } from '../support/pdf-reader.ts';
import { makeTestCsd } from '../support/test-csd.ts';

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16 %
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe('a stamped invoice printed on the register’s printer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-invoice-printout-'));
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let printer: LoopbackPrinter;
  let pac: LoopbackPac;
  let csd: Csd;
  let cashier: string;
  let manager: string;
  let cash: string;
  let seq = 0;
  const key = () => `invoice-printout-${++seq}`;
  /** The first test's invoice, stamped: another invoice for a key to be reused on. */
  let earlierInvoiceId: string;

  /** The register's printer, on this paper. */
  async function printOnPaper(paperWidth: 58 | 80) {
    await demo.engine.services.sql.query(`UPDATE business.settings SET value = $2 WHERE business_id = $1 AND key = 'devices.registers'`, [
      demo.demo.store.business.id,
      JSON.stringify({ 'CAJA-1': { printer: { uri: printer.uri, paperWidth } } }),
    ]);
    forgetStoreSettings(demo.engine.services.sql);
  }

  async function invoicedSale() {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of [ARROZ, AGUA_PINA]) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
    return ok(
      await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }),
    );
  }

  const pacClient = () => finkokClient({ username: 'printout', password: 'printout-secret', baseUrl: pac.baseUrl, timeoutMs: 5_000 });
  /** One stamping pass, as of the real clock the PAC and the CSD hold a CFDI to. */
  const stamp = () => stampPending(demo.engine.services, { pac: pacClient(), csd, now: new Date() });

  const stampedXml = async (invoiceId: string) =>
    (
      await demo.engine.services.sql.query<{ xml: string }>(`SELECT fiscal_data->>'xml' AS xml FROM billing.invoices WHERE id = $1`, [
        invoiceId,
      ])
    )[0]!.xml;

  beforeAll(async () => {
    printer = await startLoopbackPrinter();
    pac = await startLoopbackPac({ username: 'printout', password: 'printout-secret', dir });
    demo = await openDemoEngine('invoice-printout');
    await demo.engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'devices.registers', $2)`,
      [demo.demo.store.business.id, JSON.stringify({ 'CAJA-1': { printer: { uri: printer.uri } } })],
    );
    forgetStoreSettings(demo.engine.services.sql);
    const [{ tax_id: rfc }] = (await demo.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    csd = openCsd(makeTestCsd(dir, { rfc }));
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.code === 'CASH')!.id;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: key(), openingFloat: '500' }, { token: cashier }));
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await printer?.close();
    await pac?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invoice the SAT has not stamped, saying so, and prints nothing', async () => {
    const invoice = await invoicedSale();
    const jobs = (await printer.waitForJobs(2)).length; // the sale's drawer pulse and receipt
    const refused = await demo.engine.call('invoices.print', { invoiceId: invoice.id }, { token: cashier });
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'INVOICE_NOT_STAMPED', status: 'PENDING', series: invoice.series, folio: invoice.folio },
    });
    const noPdf = await demo.engine.call('invoices.pdf', { invoiceId: invoice.id }, { token: cashier });
    expect(noPdf.ok ? null : noPdf.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'INVOICE_NOT_STAMPED', status: 'PENDING' } });
    const noXml = await demo.engine.call('invoices.xml', { invoiceId: invoice.id }, { token: cashier });
    expect(noXml.ok ? null : noXml.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'INVOICE_NOT_STAMPED', status: 'PENDING' } });
    expect((await stamp()).outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
    expect(printer.jobs).toHaveLength(jobs);
    earlierInvoiceId = invoice.id;
  });

  it('makes the stamped invoice’s PDF on letter paper unless asked for A4 and gives its stamped XML, each named by its series and folio', async () => {
    const [invoice] = await demo.engine.services.sql.query<{ series: string; folio: string }>(
      'SELECT series, folio::text AS folio FROM billing.invoices WHERE id = $1',
      [earlierInvoiceId],
    );
    const cfdi = readComprobante(await stampedXml(earlierInvoiceId));
    const letter = ok(await demo.engine.call('invoices.pdf', { invoiceId: earlierInvoiceId }, { token: cashier }));
    expect(letter.filename).toBe(`${invoice!.series}-${invoice!.folio}.pdf`);
    const pdf = Buffer.from(letter.base64, 'base64');
    expect(pdfInfo(pdf)['Page size']).toBe('612 x 792 pts (letter)');
    const text = pdfPages(pdf).join('\f');
    expect(text).toMatch(new RegExp(`Serie y folio: +${invoice!.series}-${invoice!.folio}`));
    expect(text).toMatch(new RegExp(`Folio fiscal \\(UUID\\): +${cfdi.TimbreFiscalDigital!.UUID}`));
    expect(text).toMatch(/RFC: +GODE561231GR8/);
    expect(text).toContain('Arroz súper extra 900 g');
    expect(text).toMatch(/TOTAL +\$40\.00/);
    expect(text).not.toContain('CANCELADO');
    expect(decodeQr(pdfPagePng(pdf, 1, 80))).toBe(verificationUrlOf(cfdi));

    // The stamped XML itself, character for character, named as the PDF is.
    const xml = ok(await demo.engine.call('invoices.xml', { invoiceId: earlierInvoiceId }, { token: cashier }));
    expect(xml).toEqual({ filename: `${invoice!.series}-${invoice!.folio}.xml`, xml: await stampedXml(earlierInvoiceId) });

    const a4 = ok(await demo.engine.call('invoices.pdf', { invoiceId: earlierInvoiceId, paper: 'A4' }, { token: cashier }));
    expect(pdfInfo(Buffer.from(a4.base64, 'base64'))['Page size']).toBe('595.28 x 841.89 pts (A4)');
    const other = await demo.engine.call('invoices.pdf', { invoiceId: '01a23aa7-4036-7350-99c8-ae6499ae7134' }, { token: cashier });
    expect(other.ok ? null : other.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  for (const paperWidth of [80, 58] as const) {
    it(`prints the stamped CFDI on ${paperWidth} mm paper in ${paperColumns(paperWidth)} columns, as the stamped XML says`, async () => {
      await printOnPaper(paperWidth);
      const invoice = await invoicedSale();
      expect((await stamp()).outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
      const cfdi = readComprobante(await stampedXml(invoice.id));
      const before = printer.jobs.length + 2; // this sale's drawer pulse and receipt come first
      await printer.waitForJobs(before);

      const answer = ok(await demo.engine.call('invoices.print', { invoiceId: invoice.id, idempotencyKey: key() }, { token: cashier }));
      expect(answer).toMatchObject({ copyNumber: 0, printed: true, document: { kind: 'INVOICE', paperWidth } });
      const job = (await printer.waitForJobs(before + 1))[before]!;
      const { lines, events } = decodeEscPos(job);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(
        join(SCREENSHOT_DIR, `invoice-printout-${paperWidth}mm.txt`),
        `${lines.map((l) => `|${l.padEnd(paperColumns(paperWidth))}|`).join('\n')}\n${JSON.stringify(events)}\n`,
      );

      expect(lines.filter((l) => l.length > paperColumns(paperWidth))).toEqual([]);
      const text = lines.map((l) => l.trimEnd());
      const words = text.join(' ').replace(/ +/g, ' ');
      expect(words).toContain('Este documento es una representación impresa de un CFDI');
      expect(words).toContain(`Serie y folio: ${invoice.series}-${invoice.folio}`);
      expect(words).toContain('RFC: GODE561231GR8');
      expect(words).toContain('Nombre: EMILIANO GOMEZ DIAZ');
      expect(words).toContain('Uso CFDI: G03 Gastos en general');
      expect(words).toContain('Arroz súper extra 900 g');
      expect(text.join('')).toContain(cfdi.TimbreFiscalDigital!.UUID);
      expect(text.join('')).toContain(cfdi.TimbreFiscalDigital!.SelloSAT);
      expect(text.find((l) => l.startsWith('TOTAL'))).toMatch(/\$40\.00$/);
      expect(events).toEqual([{ type: 'qr', data: verificationUrlOf(cfdi) }, { type: 'cut' }]);

      const [row] = await demo.engine.services.sql.query<{ kind: string; status: string; invoice_id: string; copy_number: number }>(
        'SELECT kind, status, invoice_id, copy_number FROM sales.receipts WHERE id = $1',
        [answer.receiptId],
      );
      await expect
        .poll(
          async () =>
            (
              await demo.engine.services.sql.query<{ status: string }>('SELECT status FROM sales.receipts WHERE id = $1', [
                answer.receiptId,
              ])
            )[0]!.status,
        )
        .toBe('PRINTED');
      expect(row).toMatchObject({ kind: 'INVOICE', invoice_id: invoice.id, copy_number: 0 });
    });
  }

  it('prints once for a key asked twice, refuses the key for another invoice, and numbers the next print', async () => {
    await printOnPaper(80);
    const invoice = await invoicedSale();
    await stamp();
    const before = printer.jobs.length + 2;
    await printer.waitForJobs(before);
    const printKey = key();
    const first = ok(await demo.engine.call('invoices.print', { invoiceId: invoice.id, idempotencyKey: printKey }, { token: cashier }));
    expect(ok(await demo.engine.call('invoices.print', { invoiceId: invoice.id, idempotencyKey: printKey }, { token: cashier }))).toEqual(
      first,
    );
    const reused = await demo.engine.call('invoices.print', { invoiceId: earlierInvoiceId, idempotencyKey: printKey }, { token: cashier });
    expect(reused.ok ? null : reused.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'IDEMPOTENCY_KEY_REUSED' } });
    const second = ok(await demo.engine.call('invoices.print', { invoiceId: invoice.id }, { token: cashier }));
    expect(second.copyNumber).toBe(1);
    await printer.waitForJobs(before + 2);
    // Two printouts of this invoice, no more: the repeated key printed nothing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(printer.jobs).toHaveLength(before + 2);
  });

  it('follows a printout the printer jammed in with a copy marked as a reprint, still the same invoice’s', async () => {
    // A spool of its own with short timeouts, on a printer of its own that jams 100 bytes in.
    const jamming = await startLoopbackPrinter();
    const spool = createPrintSpool(demo.engine.services.sql, { timeoutMs: 600, backoffMs: [100, 200] });
    try {
      jamming.jamAfter(100);
      const document = ok(await demo.engine.call('invoices.print', { invoiceId: earlierInvoiceId }, { token: cashier })).document;
      const copies = () =>
        demo.engine.services.sql.query<{
          status: string;
          copy_number: number;
          invoice_id: string;
          kind: string;
          document: ReceiptDocument;
        }>(`SELECT status, copy_number, invoice_id, kind, document FROM sales.receipts WHERE printer_uri = $1 ORDER BY created_at, id`, [
          jamming.uri,
        ]);
      const [register] = await demo.engine.services.sql.query<{ id: string }>(`SELECT id FROM sales.cash_registers WHERE code = 'CAJA-1'`);
      await spool.enqueue({
        registerId: register!.id,
        kind: 'INVOICE',
        printerUri: jamming.uri,
        document,
        invoiceId: earlierInvoiceId,
        copyNumber: 1,
      });
      await expect.poll(async () => (await copies()).map((r) => r.status), { timeout: 10_000 }).toEqual(['REPRINTED', 'PENDING']);
      const [jammed, copy] = await copies();
      expect(jammed).toMatchObject({ kind: 'INVOICE', invoice_id: earlierInvoiceId, copy_number: 1 });
      // Numbered after every printout of this invoice (0 and 1), and marked so it cannot pass for another.
      expect(copy).toMatchObject({ kind: 'INVOICE', invoice_id: earlierInvoiceId, copy_number: 2 });
      expect(copy!.document.blocks).toContainEqual({ type: 'text', text: REPRINT_MARK, align: 'center', bold: true });
      jamming.recover();
      await jamming.waitForJobs(2);
      expect(decodeEscPos(jamming.jobs[1]!).lines.map((l) => l.trim())).toContain(REPRINT_MARK);
    } finally {
      await spool.stop();
      await jamming.close();
    }
  });

  it('gives a cancelled invoice’s PDF marked CANCELADO on every page, and no longer prints it at the counter nor gives its XML', async () => {
    const invoice = await invoicedSale();
    await stamp();
    ok(
      await demo.engine.call(
        'invoices.cancel',
        { invoiceId: invoice.id, motive: '02', reason: 'Datos del cliente equivocados', idempotencyKey: key() },
        { token: manager },
      ),
    );
    expect((await cancelPending(demo.engine.services, { pac: pacClient(), csd })).outcomes).toEqual([
      expect.objectContaining({ invoiceId: invoice.id, state: 'ACCEPTED' }),
    ]);
    const answer = ok(await demo.engine.call('invoices.pdf', { invoiceId: invoice.id }, { token: cashier }));
    const pages = pdfPages(Buffer.from(answer.base64, 'base64'), 'raw');
    expect(pages.every((page) => page.includes('CANCELADO'))).toBe(true);
    const printed = await demo.engine.call('invoices.print', { invoiceId: invoice.id }, { token: cashier });
    expect(printed.ok ? null : printed.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'INVOICE_CANCELLED', status: 'CANCELLED' },
    });
    // Nor is its XML given: it cannot say it was cancelled.
    const xml = await demo.engine.call('invoices.xml', { invoiceId: invoice.id }, { token: cashier });
    expect(xml.ok ? null : xml.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'INVOICE_CANCELLED', status: 'CANCELLED' } });
  });
});
