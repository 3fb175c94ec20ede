// Credit notes (CFDI de egreso, TipoRelacion 01) for returns of invoiced sales, on a real demo
// engine against a loopback Finkok on 127.0.0.1: written PENDING with the return (the counter never
// waits for the PAC), stamped after their invoice with its UUID, for exactly what came back; refused
// with an invoice the SAT refuses or cancels, their return then netted by the factura global; and
// never two for one return, a crash between PGlite's commit and the journal included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import { encodeDocument } from '#engine/devices/printer/escpos.ts';
import { amountProblems } from '#engine/fiscal/mx/cfdi-validations.ts';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd } from '#engine/fiscal/mx/seal.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import { REPLAYS } from '#engine/recovery/fact-replay.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { pendingInvoices } from '#engine/services/invoicing/cfdi-of-invoice.ts';
import { INVOICE_REQUESTED, type InvoiceRequestedFact } from '#engine/services/invoicing/invoice-facts.ts';
import { type StampPass, stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { stampedCfdiSchema, xmllintSchema } from '../support/sat-mx-tools.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16 %
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const DAY_MS = 24 * 3600 * 1000;

type Sold = { id: string; receiptCode: string; total: string };
type InvoiceRow = {
  id: string;
  kind: string;
  series: string;
  folio: string;
  status: string;
  total: string;
  related_invoice_id: string | null;
  fiscal_id: string | null;
  receiver: { taxId: string; fiscalUse: string };
  fiscal_data: { xml?: string; code?: string; message?: string };
};

/** A register with its shift open, a cashier and a manager's approval, selling and giving back. */
class Counter {
  demo!: Demo;
  cashier = '';
  cash = '';
  private seq = 0;
  constructor(private readonly label: string) {}

  key = () => `${this.label}-${++this.seq}`;
  sql = <T>(text: string, params: unknown[] = []) => this.demo.engine.services.sql.query<T>(text, params);

  async open(demo: Demo) {
    this.demo = demo;
    this.cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: this.key() }, { token: this.cashier }));
    this.cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: this.cashier })).find((m) => m.kind === 'CASH')!.id;
  }

  async sell(codes: [string, string][], saleDiscount?: string): Promise<Sold> {
    const { engine } = this.demo;
    const token = this.cashier;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: this.key() }, { token }));
    for (const [code, quantity] of codes) ok(await engine.call('sales.addItem', { saleId: sale.id, code, quantity }, { token }));
    if (saleDiscount) {
      ok(await engine.call('sales.setSaleDiscount', { saleId: sale.id, discount: { kind: 'amount', value: saleDiscount } }, { token }));
    }
    const paid = ok(
      await engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: this.cash, tendered: '500' }] }, { token }),
    );
    return { id: sale.id, receiptCode: paid.receiptCode, total: paid.total };
  }

  async invoice(sale: Sold) {
    return ok(
      await this.demo.engine.call(
        'invoices.request',
        { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: this.key() },
        { token: this.cashier },
      ),
    );
  }

  /** Gives back of each line (by line number) the quantity `quantityOf` says; null keeps it. */
  async giveBack(sale: Sold, quantityOf: (lineNo: number) => string | null, idempotencyKey = this.key()) {
    const { engine, people } = this.demo;
    const found = ok(await engine.call('returns.lookup', { code: sale.receiptCode }, { token: this.cashier }));
    const lines = found.lines.flatMap((l) => {
      const quantity = quantityOf(l.lineNo);
      return quantity ? [{ saleItemId: l.saleItemId, quantity }] : [];
    });
    return engine.call(
      'returns.create',
      { saleId: sale.id, lines, refundMethodId: this.cash, reason: 'Producto en mal estado', idempotencyKey },
      { token: this.cashier, override: { employeeId: people.manager.id, pin: people.manager.pin } },
    );
  }

  invoicesOf(saleId: string) {
    return this.sql<InvoiceRow>(
      `SELECT id, kind, series, folio::text AS folio, status, total::text AS total, related_invoice_id, fiscal_id, receiver, fiscal_data
       FROM billing.invoices WHERE sale_id = $1 ORDER BY created_at, id`,
      [saleId],
    );
  }

  async creditNotesOf(saleId: string) {
    return (await this.invoicesOf(saleId)).filter((i) => i.kind === 'CREDIT_NOTE');
  }

  /** The return a credit note is linked to, and whether the link is live. */
  async linkedReturn(invoiceId: string) {
    const [link] = await this.sql<{ return_id: string; live: boolean }>(
      'SELECT return_id, deleted_at IS NULL AS live FROM billing.invoice_returns WHERE invoice_id = $1',
      [invoiceId],
    );
    return link;
  }
}

describe('credit notes for the returns of invoiced sales', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-credit-notes-'));
  const t = new Counter('credit-note-test');
  let pac: LoopbackPac;
  let client: PacClient;
  let csd: Csd;
  let owner: string;
  // The sales the tests after the first one share: invoiced and stamped, refused, never invoiced.
  let stamped: Sold;
  let refusedSale: Sold;
  let cancelledSale: Sold;
  let uninvoiced: Sold;
  const refunds = new Map<string, string>();

  // Sealed no earlier than the real clock (the test CSD is valid from when it was made), nor
  // than the till's once it has moved on to the next day.
  const pass = (): Promise<StampPass> =>
    stampPending(t.demo.engine.services, { pac: client, csd, now: new Date(Math.max(Date.now(), t.demo.clock.now().getTime())) });
  const facts = () => t.demo.engine.services.journal.after(0, 1_000_000);
  /** The return's receipt as the printer would print it, once the receipts reaction has laid it out. */
  const returnReceiptLines = async (returnId: string) => {
    let document: ReceiptDocument | undefined;
    await expect
      .poll(async () => {
        [{ document } = { document: undefined }] = await t.sql<{ document: ReceiptDocument }>(
          `SELECT document FROM sales.receipts WHERE return_id = $1 AND kind = 'RETURN'`,
          [returnId],
        );
        return document !== undefined;
      })
      .toBe(true);
    return decodeEscPos(encodeDocument(document!)).lines.map((l) => l.trim());
  };

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    client = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 5_000 });
    // The loopback PAC holds Fecha to the SAT's 72 hours around the real clock: the till's clock is the real one.
    await t.open(await openDemoEngine('credit-notes', { start: new Date() }));
    owner = await signIn(t.demo.engine, t.demo.people.owner.id, t.demo.people.owner.pin);
    const [{ tax_id: rfc }] = (await t.sql<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [{ tax_id: string }];
    csd = openCsd(makeTestCsd(dir, { rfc }));
  }, 60_000);

  afterAll(async () => {
    await pac?.close();
    await t.demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the credit note of a partial return of a stamped invoice with the return, and stamps an egreso for exactly what came back', async () => {
    // Two lines and a sale discount, so the return gives back its share of the discount too.
    stamped = await t.sell(
      [
        [ARROZ, '2'],
        [AGUA_PINA, '4'],
      ],
      '4.00',
    );
    const invoice = await t.invoice(stamped);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
    const [original] = await t.invoicesOf(stamped.id);
    const requests = pac.requests;

    const returned = ok(await t.giveBack(stamped, (lineNo) => (lineNo === 2 ? '1' : null)));
    refunds.set(returned.returnId, returned.total);
    // The counter was answered without the PAC.
    expect(pac.requests).toBe(requests);
    const [note] = await t.creditNotesOf(stamped.id);
    expect(note).toMatchObject({
      kind: 'CREDIT_NOTE',
      series: 'NC-A-CAJA-1',
      folio: '1',
      status: 'PENDING',
      related_invoice_id: original!.id,
      receiver: { taxId: CUSTOMER.rfc, fiscalUse: 'G02' },
    });
    expect(note!.total).toBe(returned.total);
    expect(await t.linkedReturn(note!.id)).toEqual({ return_id: returned.returnId, live: true });
    // The counter's answer names it, and so does the return's receipt (laid out by a reaction once the return is on record).
    expect(returned.creditNote).toEqual({ id: note!.id, series: 'NC-A-CAJA-1', folio: 1, status: 'PENDING' });
    expect(await returnReceiptLines(returned.returnId)).toEqual(
      expect.arrayContaining(['Nota de crédito NC-A-CAJA-1 folio 1', '(pendiente de timbrar)']),
    );
    // Journaled after its return, as the fact of an invoice.
    const kinds = facts()
      .filter((f) => JSON.stringify(f.payload).includes(returned.returnId))
      .map((f) => f.kind);
    expect(kinds).toEqual(['return.recorded', INVOICE_REQUESTED]);

    const result = await pass();
    expect(result.outcomes).toEqual([expect.objectContaining({ invoiceId: note!.id, status: 'ISSUED', series: 'NC-A-CAJA-1', folio: 1 })]);
    const [issued] = await t.creditNotesOf(stamped.id);
    const xml = issued!.fiscal_data.xml!;
    const cfdi = readComprobante(xml);
    expect(cfdi).toMatchObject({
      TipoDeComprobante: 'E',
      Serie: 'NC-A-CAJA-1',
      Folio: '1',
      FormaPago: '01',
      MetodoPago: 'PUE',
      CfdiRelacionados: [{ TipoRelacion: '01', UUIDs: [original!.fiscal_id] }],
      Receptor: { Rfc: CUSTOMER.rfc, RegimenFiscalReceptor: '612', DomicilioFiscalReceptor: '06000', UsoCFDI: 'G02' },
      SubTotal: new Decimal(returned.subtotal).toFixed(2),
      Total: new Decimal(returned.total).toFixed(2),
    });
    expect(cfdi.Descuento).toBeUndefined();
    // The returned line, with the keys its line had in the invoice, net of its share of the discount.
    const [ingreso] = await t.sql<{ fiscal_product_code: string; fiscal_unit_code: string; description: string }>(
      `SELECT fiscal_product_code, fiscal_unit_code, description FROM billing.invoice_items WHERE invoice_id = $1 AND line_no = 2`,
      [original!.id],
    );
    expect(cfdi.Conceptos).toEqual([
      expect.objectContaining({
        ClaveProdServ: ingreso!.fiscal_product_code,
        ClaveUnidad: ingreso!.fiscal_unit_code,
        Descripcion: ingreso!.description,
        Cantidad: '1',
        Importe: new Decimal(returned.subtotal).toFixed(2),
        ObjetoImp: '02',
        Impuestos: {
          Traslados: [
            {
              Base: new Decimal(returned.subtotal).toFixed(2),
              Impuesto: '002',
              TipoFactor: 'Tasa',
              TasaOCuota: '0.160000',
              Importe: new Decimal(returned.taxTotal).toFixed(2),
            },
          ],
          Retenciones: [],
        },
      }),
    ]);
    expect(cfdi.Impuestos?.TotalImpuestosTrasladados).toBe(new Decimal(returned.taxTotal).toFixed(2));
    expect(amountProblems(cfdi)).toEqual([]);
    const schema = xmllintSchema(dir, stampedCfdiSchema(dir), xml, 'egreso.xml');
    expect(schema.output).not.toMatch(/fails to validate|error/);
    expect(schema.valid).toBe(true);

    // The back office lists it as a credit note of that return and receipt, correcting that invoice.
    const listed = ok(await t.demo.engine.call('invoices.list', {}, { token: owner }));
    expect(listed.items[0]).toMatchObject({
      id: note!.id,
      kind: 'CREDIT_NOTE',
      status: 'ISSUED',
      fiscalId: issued!.fiscal_id,
      creditNote: {
        returnNumber: returned.returnNumber,
        receiptCode: stamped.receiptCode,
        corrects: { series: 'A-CAJA-1', folio: Number(original!.folio), fiscalId: original!.fiscal_id },
      },
    });
    expect(listed.items.find((i) => i.id === original!.id)?.creditNote).toBeNull();
    const ofSale = ok(await t.demo.engine.call('invoices.ofSale', { saleId: stamped.id }, { token: t.cashier }));
    expect(ofSale.map((i) => i.kind)).toEqual(['CREDIT_NOTE', 'INVOICE']);
  });

  it('makes a second credit note for a second return of the same sale, in the next folio, related to the same invoice', async () => {
    const [original] = await t.invoicesOf(stamped.id);
    const second = ok(await t.giveBack(stamped, (lineNo) => (lineNo === 1 ? '2' : lineNo === 2 ? '1' : null)));
    refunds.set(second.returnId, second.total);
    expect(await pass()).toMatchObject({ halted: null, outcomes: [expect.objectContaining({ status: 'ISSUED', folio: 2 })] });
    const notes = await t.creditNotesOf(stamped.id);
    expect(notes.map((n) => [n.folio, n.status, n.related_invoice_id])).toEqual([
      ['1', 'ISSUED', original!.id],
      ['2', 'ISSUED', original!.id],
    ]);
    expect((await t.linkedReturn(notes[1]!.id))?.return_id).toBe(second.returnId);
    const cfdi = readComprobante(notes[1]!.fiscal_data.xml!);
    expect(cfdi.CfdiRelacionados).toEqual([{ TipoRelacion: '01', UUIDs: [original!.fiscal_id] }]);
    // Both lines came back: the arroz (IVA 0 %) and one more agua de piña (IVA 16 %).
    expect(cfdi.Conceptos.map((c) => [c.Cantidad, c.Impuestos?.Traslados[0]?.TasaOCuota])).toEqual([
      ['2', '0.000000'],
      ['1', '0.160000'],
    ]);
    expect(cfdi.Total).toBe(new Decimal(second.total).toFixed(2));
  });

  it('keeps the credit note of a return of an invoice still PENDING out of stamping until the invoice has its UUID, then stamps it after it', async () => {
    const sale = await t.sell([[AGUA_PINA, '3']]);
    const invoice = await t.invoice(sale);
    const returned = ok(await t.giveBack(sale, () => '1'));
    const [note] = await t.creditNotesOf(sale.id);
    expect(note).toMatchObject({ status: 'PENDING', related_invoice_id: invoice.id });
    expect((await pendingInvoices(t.demo.engine.services.sql, 20)).map((p) => p.id)).toEqual([invoice.id]);

    // The PAC stamps the invoice but its answer is lost: the credit note is not sent meanwhile.
    pac.script('stamp-then-drop');
    expect(await pass()).toMatchObject({ halted: { reason: 'UNAVAILABLE' }, outcomes: [{ invoiceId: invoice.id, status: 'PENDING' }] });
    expect(await t.sql('SELECT id FROM billing.stamp_attempts WHERE invoice_id = $1', [note!.id])).toEqual([]);

    const result = await pass();
    expect(result.outcomes.map((o) => [o.invoiceId, o.status])).toEqual([
      [invoice.id, 'ISSUED'],
      [note!.id, 'ISSUED'],
    ]);
    const [ingreso] = await t.invoicesOf(sale.id);
    const cfdi = readComprobante((await t.creditNotesOf(sale.id))[0]!.fiscal_data.xml!);
    expect(cfdi.CfdiRelacionados).toEqual([{ TipoRelacion: '01', UUIDs: [ingreso!.fiscal_id] }]);
    expect(cfdi.Total).toBe(new Decimal(returned.total).toFixed(2));
  });

  it('refuses the credit note with its invoice when the SAT refuses the invoice, saying why, and lets its return go', async () => {
    refusedSale = await t.sell([
      [ARROZ, '1'],
      [AGUA_PINA, '2'],
    ]);
    const invoice = await t.invoice(refusedSale);
    const returnKey = t.key();
    const returned = ok(await t.giveBack(refusedSale, (lineNo) => (lineNo === 2 ? '1' : null), returnKey));
    refunds.set(returned.returnId, returned.total);
    const [note] = await t.creditNotesOf(refusedSale.id);

    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    const result = await pass();
    expect(result.outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'REJECTED', code: '305' })]);
    const [refused] = await t.creditNotesOf(refusedSale.id);
    expect(refused).toMatchObject({
      id: note!.id,
      status: 'REJECTED',
      fiscal_data: { code: 'RELATED_REJECTED', message: expect.stringMatching(/A-CAJA-1-\d+ .*fue rechazada/) },
    });
    expect(await t.linkedReturn(note!.id)).toEqual({ return_id: returned.returnId, live: false });
    // The return asked again with its key answers the credit note as it stands: refused.
    const again = ok(await t.giveBack(refusedSale, (lineNo) => (lineNo === 2 ? '1' : null), returnKey));
    expect(again.creditNote).toEqual({ id: note!.id, series: note!.series, folio: Number(note!.folio), status: 'REJECTED' });
    expect(t.demo.engine.services.journal.find(`invoice:${note!.id}:rejected`)?.payload).toMatchObject({
      invoiceId: note!.id,
      fiscalData: { code: 'RELATED_REJECTED' },
    });
    // Nothing is left waiting: the credit note is never sent.
    expect((await pass()).outcomes).toEqual([]);
    const listed = ok(await t.demo.engine.call('invoices.list', { status: 'REJECTED' }, { token: owner }));
    expect(listed.items.find((i) => i.id === note!.id)).toMatchObject({
      reason: { code: 'RELATED_REJECTED' },
      creditNote: { returnNumber: returned.returnNumber, receiptCode: refusedSale.receiptCode },
    });
  });

  it('refuses a credit note still waiting when its invoice is cancelled with the SAT, and lets its return go', async () => {
    cancelledSale = await t.sell([[AGUA_PINA, '2']]);
    const invoice = await t.invoice(cancelledSale);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
    const returned = ok(await t.giveBack(cancelledSale, () => '1'));
    refunds.set(returned.returnId, returned.total);
    const [note] = await t.creditNotesOf(cancelledSale.id);
    expect(note!.status).toBe('PENDING');

    // Cancelled before the credit note's pass: there is nothing left to relate it to.
    const manager = await signIn(t.demo.engine, t.demo.people.manager.id, t.demo.people.manager.pin);
    ok(
      await t.demo.engine.call(
        'invoices.cancel',
        { invoiceId: invoice.id, motive: '03', reason: 'La venta no se realizó', idempotencyKey: t.key() },
        { token: manager },
      ),
    );
    expect((await cancelPending(t.demo.engine.services, { pac: client, csd })).outcomes).toEqual([
      expect.objectContaining({ invoiceId: invoice.id, state: 'ACCEPTED' }),
    ]);
    const [refused] = await t.creditNotesOf(cancelledSale.id);
    expect(refused).toMatchObject({
      status: 'REJECTED',
      fiscal_data: { code: 'RELATED_CANCELLED', message: expect.stringMatching(/fue cancelada/) },
    });
    expect(await t.linkedReturn(note!.id)).toEqual({ return_id: returned.returnId, live: false });
    expect(t.demo.engine.services.journal.find(`invoice:${note!.id}:rejected`)?.kind).toBe('invoice.rejected');
    expect((await pass()).outcomes).toEqual([]);
  });

  it('gives a sale invoiced after a return the credit note of that return with its invoice', async () => {
    const sale = await t.sell([[AGUA_PINA, '2']]);
    const returned = ok(await t.giveBack(sale, () => '1'));
    expect(await t.creditNotesOf(sale.id)).toEqual([]);
    const invoice = await t.invoice(sale);
    const [note] = await t.creditNotesOf(sale.id);
    expect(note).toMatchObject({ status: 'PENDING', related_invoice_id: invoice.id, total: returned.total });
    expect(await t.linkedReturn(note!.id)).toEqual({ return_id: returned.returnId, live: true });
    expect((await pass()).outcomes.map((o) => [o.invoiceId, o.status])).toEqual([
      [invoice.id, 'ISSUED'],
      [note!.id, 'ISSUED'],
    ]);
  });

  it('writes no credit note for a return of a sale in no invoice, and the factura global nets it and the returns of the refused and the cancelled invoices’ sales', async () => {
    uninvoiced = await t.sell([
      [ARROZ, '1'],
      [AGUA_PINA, '1'],
    ]);
    const returned = ok(await t.giveBack(uninvoiced, (lineNo) => (lineNo === 2 ? '1' : null)));
    expect(returned.creditNote).toBeNull();
    expect((await returnReceiptLines(returned.returnId)).some((l) => l.includes('Nota de crédito'))).toBe(false);
    expect(await t.invoicesOf(uninvoiced.id)).toEqual([]);
    expect(facts().filter((f) => f.kind === INVOICE_REQUESTED && JSON.stringify(f.payload).includes(returned.returnId))).toEqual([]);

    const day = businessDate(t.demo.clock.now(), 'America/Mexico_City');
    t.demo.clock.advance(DAY_MS);
    owner = await signIn(t.demo.engine, t.demo.people.owner.id, t.demo.people.owner.pin);
    const global = ok(await t.demo.engine.call('invoices.issueGlobal', { day, idempotencyKey: t.key() }, { token: owner }));
    // The three sales no live invoice covers (one never invoiced, one refused, one cancelled), each net of its return.
    expect(global).toMatchObject({ sales: 3, returns: 3 });
    const linked = await t.sql<{ return_id: string }>('SELECT return_id FROM billing.invoice_returns WHERE invoice_id = $1', [
      global.invoice.id,
    ]);
    const returnOf = async (sale: Sold) =>
      (await t.sql<{ id: string }>('SELECT id FROM sales.returns WHERE sale_id = $1', [sale.id]))[0]!.id;
    const freed = [await returnOf(refusedSale), await returnOf(cancelledSale)];
    expect(linked.map((l) => l.return_id).sort()).toEqual([...freed, returned.returnId].sort());
    const charged = [refusedSale, cancelledSale, uninvoiced]
      .reduce((sum, sale) => sum.plus(sale.total), new Decimal(0))
      .minus(refunds.get(freed[0]!)!)
      .minus(refunds.get(freed[1]!)!)
      .minus(returned.total);
    expect(new Decimal(global.invoice.total).minus(charged).abs().toNumber()).toBeLessThanOrEqual(0.03);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: global.invoice.id, status: 'ISSUED' })]);
  });

  it('writes an egreso to the público en general for a return of a sale in a stamped factura global, with the global’s period and UUID', async () => {
    const [global] = await t.sql<InvoiceRow & { fiscal_data: { global: { periodicidad: string; meses: string; año: number } } }>(
      `SELECT i.id, i.status, i.fiscal_id, i.fiscal_data FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
       WHERE l.sale_id = $1 AND l.deleted_at IS NULL`,
      [uninvoiced.id],
    );
    expect(global).toMatchObject({ status: 'ISSUED' });
    t.cashier = await signIn(t.demo.engine, t.demo.people.cashier.id, t.demo.people.cashier.pin);
    // What the global left of the sale: its rice.
    const returned = ok(await t.giveBack(uninvoiced, (lineNo) => (lineNo === 1 ? '1' : null)));
    const [note] = await t.creditNotesOf(uninvoiced.id);
    expect(note).toMatchObject({
      status: 'PENDING',
      related_invoice_id: global!.id,
      receiver: { taxId: 'XAXX010101000', fiscalUse: 'S01' },
      total: returned.total,
    });
    expect(returned.creditNote).toMatchObject({ id: note!.id, status: 'PENDING' });
    expect(await t.linkedReturn(note!.id)).toEqual({ return_id: returned.returnId, live: true });

    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: note!.id, status: 'ISSUED' })]);
    const [issued] = await t.creditNotesOf(uninvoiced.id);
    const xml = issued!.fiscal_data.xml!;
    const cfdi = readComprobante(xml);
    const period = global!.fiscal_data.global;
    expect(cfdi).toMatchObject({
      TipoDeComprobante: 'E',
      InformacionGlobal: { Periodicidad: period.periodicidad, Meses: period.meses, Año: String(period.año) },
      CfdiRelacionados: [{ TipoRelacion: '01', UUIDs: [global!.fiscal_id] }],
      Receptor: {
        Rfc: 'XAXX010101000',
        Nombre: 'PUBLICO EN GENERAL',
        RegimenFiscalReceptor: '616',
        UsoCFDI: 'S01',
        DomicilioFiscalReceptor: cfdi.LugarExpedicion,
      },
      Total: new Decimal(returned.total).toFixed(2),
    });
    // The global named no product: what comes back goes out with the Guía's keys for money given back.
    expect(cfdi.Conceptos).toEqual([expect.objectContaining({ ClaveProdServ: '84111506', ClaveUnidad: 'ACT', Cantidad: '1' })]);
    expect(amountProblems(cfdi)).toEqual([]);
    const schema = xmllintSchema(dir, stampedCfdiSchema(dir), xml, 'egreso-global.xml');
    expect(schema.output).not.toMatch(/fails to validate|error/);
    expect(schema.valid).toBe(true);
  });

  it('gives a sale invoiced again, after the SAT refused its invoice, a new credit note for its earlier return', async () => {
    const sale = await t.sell([[AGUA_PINA, '3']]);
    const first = await t.invoice(sale);
    const returned = ok(await t.giveBack(sale, () => '1'));
    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: first.id, status: 'REJECTED' })]);

    const second = await t.invoice(sale);
    const notes = await t.creditNotesOf(sale.id);
    expect(notes.map((n) => [n.status, n.related_invoice_id])).toEqual([
      ['REJECTED', first.id],
      ['PENDING', second.id],
    ]);
    expect(await t.linkedReturn(notes[1]!.id)).toEqual({ return_id: returned.returnId, live: true });
    expect((await pass()).outcomes.map((o) => [o.invoiceId, o.status])).toEqual([
      [second.id, 'ISSUED'],
      [notes[1]!.id, 'ISSUED'],
    ]);
  });

  it('writes again, when a manager asks, a credit note the SAT refused on its own, and refuses one for a return already accounted for', async () => {
    const sale = await t.sell([[AGUA_PINA, '2']]);
    const invoice = await t.invoice(sale);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
    const returnKey = t.key();
    const returned = ok(await t.giveBack(sale, () => '1', returnKey));
    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    const [refused] = await t.creditNotesOf(sale.id);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: refused!.id, status: 'REJECTED', code: '305' })]);
    expect(await t.linkedReturn(refused!.id)).toEqual({ return_id: returned.returnId, live: false });

    const key = t.key();
    const asked = ok(
      await t.demo.engine.call('invoices.creditReturn', { returnId: returned.returnId, idempotencyKey: key }, { token: owner }),
    );
    expect(asked).toMatchObject({ kind: 'CREDIT_NOTE', status: 'PENDING', series: refused!.series, folio: Number(refused!.folio) + 1 });
    const [, again] = await t.creditNotesOf(sale.id);
    expect(again).toMatchObject({ id: asked.id, related_invoice_id: invoice.id, total: returned.total });
    expect(await t.linkedReturn(asked.id)).toEqual({ return_id: returned.returnId, live: true });
    // The same key answers the same note; another finds the return accounted for.
    expect(
      ok(await t.demo.engine.call('invoices.creditReturn', { returnId: returned.returnId, idempotencyKey: key }, { token: owner })),
    ).toEqual(asked);
    const twice = await t.demo.engine.call(
      'invoices.creditReturn',
      { returnId: returned.returnId, idempotencyKey: t.key() },
      { token: owner },
    );
    expect(twice).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'RETURN_CREDITED' } } });
    // The return's answer names the live one.
    const retried = ok(await t.giveBack(sale, () => '1', returnKey));
    expect(retried.creditNote).toEqual({ id: asked.id, series: asked.series, folio: asked.folio, status: 'PENDING' });
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: asked.id, status: 'ISSUED' })]);

    // A return of a sale nothing covers is for the factura global to net.
    const plain = await t.sell([[AGUA_PINA, '1']]);
    const plainReturn = ok(await t.giveBack(plain, () => '1'));
    const uncovered = await t.demo.engine.call(
      'invoices.creditReturn',
      { returnId: plainReturn.returnId, idempotencyKey: t.key() },
      { token: owner },
    );
    expect(uncovered).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'SALE_NOT_INVOICED' } } });
    // A cashier cannot ask for it.
    const cashier = await t.demo.engine.call(
      'invoices.creditReturn',
      { returnId: returned.returnId, idempotencyKey: t.key() },
      { token: t.cashier },
    );
    expect(cashier).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('replays every credit note fact without changing anything', async () => {
    const invoiceFacts = facts().filter((f) => f.kind.startsWith('invoice.') || f.kind === 'return.recorded');
    for (const fact of invoiceFacts) {
      expect(await REPLAYS[fact.kind]!(t.demo.engine.services.sql, fact.payload as never), fact.kind).toBe(false);
    }
  });
});

describe('a credit note after a crash between the return’s commit and its journal', () => {
  const t = new Counter('credit-note-crash');

  beforeAll(async () => {
    await t.open(await openDemoEngine('credit-note-crash', { start: new Date() }));
  }, 60_000);
  afterAll(() => t.demo?.dispose());

  it('is journaled once from PGlite at the next start, answers the retried return, and the journal alone rebuilds exactly one', async () => {
    const sale = await t.sell([[AGUA_PINA, '2']]);
    await t.invoice(sale);
    const { journal } = t.demo.engine.services;
    const append = journal.append;
    journal.append = ((kind: string, key: string, payload: unknown) => {
      if (kind === 'return.recorded') throw new Error('killed between the PGlite commit and the journal append');
      return append(kind, key, payload);
    }) as typeof append;
    const idempotencyKey = t.key();
    const killed = await t.giveBack(sale, () => '1', idempotencyKey);
    journal.append = append;
    expect(killed.ok).toBe(false);
    const [note] = await t.creditNotesOf(sale.id);
    expect(note).toMatchObject({ status: 'PENDING' });
    expect(journal.find(`invoice:${note!.id}`)).toBeUndefined();

    const creditNotes = (engine: Engine) =>
      engine.services.sql.query(
        `SELECT i.id, i.series, i.folio, i.status, i.total, i.related_invoice_id, l.return_id, l.deleted_at
         FROM billing.invoices i JOIN billing.invoice_returns l ON l.invoice_id = i.id WHERE i.kind = 'CREDIT_NOTE' ORDER BY i.id`,
      );
    const before = await creditNotes(t.demo.engine);
    expect(before).toHaveLength(1);
    await t.demo.engine.close();
    const reopen = () => openEngine(t.demo.dir, { purpose: 'test credit note restart', devices: false, sync: false });

    let engine = await reopen();
    try {
      expect(engine.reconciliation.journaled).toBe(2);
      const recovered = engine.services.journal.find(`invoice:${note!.id}`);
      expect(recovered?.kind).toBe(INVOICE_REQUESTED);
      expect((recovered!.payload as InvoiceRequestedFact).returns).toEqual([
        expect.objectContaining({ invoice_id: note!.id, return_id: before[0]!.return_id }),
      ]);
      // The return asked for again with its key is the same return, and makes no second credit note.
      const cashier = await signIn(engine, t.demo.people.cashier.id, t.demo.people.cashier.pin);
      const found = ok(await engine.call('returns.lookup', { code: sale.receiptCode }, { token: cashier }));
      const retried = ok(
        await engine.call(
          'returns.create',
          {
            saleId: sale.id,
            lines: [{ saleItemId: found.lines[0]!.saleItemId, quantity: '1' }],
            refundMethodId: t.cash,
            reason: 'Producto en mal estado',
            idempotencyKey,
          },
          { token: cashier, override: { employeeId: t.demo.people.manager.id, pin: t.demo.people.manager.pin } },
        ),
      );
      expect(retried.returnId).toBe(before[0]!.return_id);
      expect(await creditNotes(engine)).toEqual(before);
    } finally {
      await engine.close();
    }

    rmSync(join(t.demo.dir, 'pglite'), { recursive: true, force: true });
    engine = await reopen();
    try {
      expect(engine.rebuilt).toBe('deleted');
      expect(await creditNotes(engine)).toEqual(before);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
