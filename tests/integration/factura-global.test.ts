// The factura global of a register that works alone, on a real demo engine: a day of 200 sales,
// 5 of them invoiced individually, some returned. Once the day is over, the global lists exactly
// the other sales net of their returns (a sale returned whole is left out), is stamped by a
// loopback Finkok from exactly what it was asked with, and a sale is never in a global and an
// individual CFDI both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { INVOICE_REQUESTED, type InvoiceRequestedFact, replayInvoiceRequested } from '#engine/services/invoicing/invoice-facts.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16 %
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const SALES = 200;
const DAY_MS = 24 * 3600 * 1000;

type Sold = { id: string; receiptCode: string; total: string };

describe('the factura global of a register that works alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-global-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let cashier: string;
  let owner: string;
  let day: string;
  let cash: string;
  const sold: Sold[] = [];
  const invoiced = new Set<string>();
  let returnedWhole: Sold;
  let returnedPart: Sold;
  let partRefund: string;
  let seq = 0;
  const key = () => `global-test-${++seq}`;
  const sql = <T>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<T>(text, params);

  async function sell(codes: string[]): Promise<Sold> {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token: cashier }));
    const paid = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '500' }] }, { token: cashier }),
    );
    return { id: sale.id, receiptCode: paid.receiptCode, total: paid.total };
  }

  async function giveBack(sale: Sold, quantityOf: (line: { lineNo: number; quantity: string }) => string | null) {
    const found = ok(await demo.engine.call('returns.lookup', { code: sale.receiptCode }, { token: cashier }));
    const lines = found.lines.flatMap((l) => {
      const quantity = quantityOf(l);
      return quantity ? [{ saleItemId: l.saleItemId, quantity: new Decimal(quantity).toString() }] : [];
    });
    const approval = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    return ok(
      await demo.engine.call(
        'returns.create',
        { saleId: sale.id, lines, refundMethodId: cash, reason: 'Producto en mal estado', idempotencyKey: key() },
        { token: cashier, override: approval },
      ),
    );
  }

  const issue = (input: { day: string; idempotencyKey?: string }) =>
    demo.engine.call('invoices.issueGlobal', { idempotencyKey: key(), ...input }, { token: owner });

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    // The loopback PAC holds Fecha to 72 hours around the real clock; the day sold is today, the
    // global is asked for tomorrow, both within it.
    demo = await openDemoEngine('factura-global', { start: new Date() });
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    day = businessDate(demo.clock.now(), 'America/Mexico_City');

    for (let n = 0; n < SALES; n++)
      sold.push(await sell(n % 3 === 0 ? [ARROZ] : n % 3 === 1 ? [AGUA_PINA, AGUA_PINA] : [ARROZ, AGUA_PINA]));
    for (const sale of sold.slice(10, 15)) {
      ok(await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }));
      invoiced.add(sale.id);
    }
    // A sale returned whole, one returned in part (its agua de piña), and one of an invoiced sale.
    returnedWhole = sold[20]!;
    await giveBack(returnedWhole, (l) => l.quantity);
    returnedPart = sold[23]!; // n % 3 === 2: arroz and agua de piña
    partRefund = (await giveBack(returnedPart, (l) => (l.lineNo === 1 ? null : l.quantity))).total;
    await giveBack(sold[11]!, (l) => l.quantity);
  }, 180_000);

  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused while its day is still open', async () => {
    const refused = await issue({ day });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'PERIOD_OPEN', from: day, to: day } });
  });
  it('lists, once the day is over, exactly the sales no individual CFDI covers, net of their returns', async () => {
    demo.clock.advance(DAY_MS);
    // Sessions do not outlive the night.
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    const global = ok(await issue({ day }));
    const expected = sold.filter((s) => !invoiced.has(s.id) && s.id !== returnedWhole.id);
    expect(global).toMatchObject({
      periodicity: '01',
      from: day,
      to: day,
      sales: SALES - 5 - 1,
      returns: 1,
      omittedReceipts: [returnedWhole.receiptCode],
      invoice: { kind: 'GLOBAL', status: 'PENDING', receiverRfc: 'XAXX010101000', receiverName: 'PUBLICO EN GENERAL', folio: 6 },
    });
    const linked = await sql<{ sale_id: string }>('SELECT sale_id FROM billing.invoice_sales WHERE invoice_id = $1', [global.invoice.id]);
    expect(linked.map((l) => l.sale_id).sort()).toEqual(expected.map((s) => s.id).sort());
    // What the sales charged less what was given back, to within the SAT's rounding of each concepto.
    const charged = expected.reduce((sum, s) => sum.plus(s.total), new Decimal(0)).minus(partRefund);
    expect(new Decimal(global.invoice.total).minus(charged).abs().toNumber()).toBeLessThanOrEqual(0.01 * expected.length);

    // Journaled whole: replaying what PGlite holds changes nothing.
    const fact = demo.engine.services.journal
      .after(0, 1_000_000)
      .find((f) => f.kind === INVOICE_REQUESTED && (f.payload as InvoiceRequestedFact).invoice.id === global.invoice.id);
    const payload = fact!.payload as InvoiceRequestedFact;
    expect(payload.links).toHaveLength(expected.length);
    expect(payload.returns).toHaveLength(1);
    expect(await replayInvoiceRequested(demo.engine.services.sql, payload)).toBe(false);

    // The same key answers the same global; another key finds nothing left to cover.
    const again = ok(await issue({ day, idempotencyKey: payload.invoice.idempotency_key as string }));
    expect(again).toEqual(global);
    const nothing = await issue({ day });
    expect(nothing.ok ? null : nothing.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'NOTHING_TO_INVOICE' } });
  });

  it('keeps a sale in the global out of an individual CFDI, and says which global holds it', async () => {
    const refused = await demo.engine.call(
      'invoices.request',
      { saleId: sold[0]!.id, receiver: CUSTOMER, idempotencyKey: key() },
      { token: cashier },
    );
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'IN_GLOBAL_INVOICE', series: 'A-CAJA-1', folio: 6 },
    });
  });

  it('is stamped from exactly the sales and returns it was asked with, one concepto per receipt', async () => {
    const [{ tax_id: rfc }] = (await sql<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [{ tax_id: string }];
    const csd = openCsd(makeTestCsd(dir, { rfc }));
    const client = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 5_000 });
    // A return made after the global was asked for is not netted in it (an egreso corrects it).
    await giveBack(sold[30]!, (l) => l.quantity);
    const pass = await stampPending(demo.engine.services, { pac: client, csd, now: demo.clock.now() });
    expect(pass.halted).toBeNull();
    expect(pass.outcomes.filter((o) => o.status !== 'ISSUED')).toEqual([]);

    const [global] = await sql<{ id: string; total: string; fiscal_data: { xml: string; global: { from: string } } }>(
      `SELECT id, total::text AS total, fiscal_data FROM billing.invoices WHERE kind = 'GLOBAL' AND status = 'ISSUED'`,
    );
    expect(global!.fiscal_data.global.from).toBe(day);
    const cfdi = readComprobante(global!.fiscal_data.xml);
    expect(cfdi.InformacionGlobal).toEqual({ Periodicidad: '01', Meses: day.slice(5, 7), Año: day.slice(0, 4) });
    expect(cfdi.Receptor).toMatchObject({ Rfc: 'XAXX010101000', RegimenFiscalReceptor: '616', UsoCFDI: 'S01' });
    const expected = sold.filter((s) => !invoiced.has(s.id) && s.id !== returnedWhole.id);
    expect(cfdi.Conceptos.map((c) => c.NoIdentificacion)).toEqual(expected.map((s) => s.receiptCode));
    expect(cfdi.Conceptos.every((c) => c.ClaveProdServ === '01010101' && c.ClaveUnidad === 'ACT' && c.Cantidad === '1')).toBe(true);
    expect(cfdi.Total).toBe(new Decimal(global!.total).toFixed(2));
  });
});
