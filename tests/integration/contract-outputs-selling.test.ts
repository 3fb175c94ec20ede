// Every call of the selling, returns, shift and register-language domains, made on a fresh demo
// engine as the screens make them, answers what its contract entry declares: each answer is
// parsed with the call's own output schema here (besides dispatch's own check in every test), and
// the last test proves no call of these domains went unasked, so a new one without coverage fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type CallName } from '#contract/calls.ts';
import { customerView, type CustomerView } from '#contract/customer-view.ts';
import type { InvoiceListRow } from '#contract/calls/invoices.ts';
import type { CallSpec } from '#contract/fields.ts';
import type { CallArgs, CallOptions, CallOutput } from '#engine/dispatch.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { SELLING_CALLS } from '../support/contract-owners.ts';
import { openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import { startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50, IVA 0
const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50, IVA 16
const PAC_USER = 'cajas@abarrotes-esperanza.mx';
const PAC_PASSWORD = 'Finkok-secreto-9!';
const MP_TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
const MP_SECRET = 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const MP_TERMINAL = 'PAX_A910__SMARTPOS1423';

/** The calls these domains own: whatever the contract holds under them now, not a list kept by hand. */
const OWNED = (Object.keys(contract) as CallName[]).filter((name) => SELLING_CALLS.test(name)).sort();

describe('the selling, shift and language calls answer what the contract declares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-contract-selling-'));
  let demo: Demo;
  /** Stamps the invoice asked for at the counter, so that its cancellation can be asked for. */
  let pac: LoopbackPac;
  let cashier: string;
  let manager: string;
  let approval: { employeeId: string; pin: string };
  let methods: CallOutput<'sales.paymentMethods'>;
  let paidSaleId: string;
  let paidReceiptCode: string;
  const answered = new Set<CallName>();
  const views: CustomerView[] = [];
  let seq = 0;
  const key = () => `contract-outputs-${++seq}-${Date.now()}`;

  /** A call that must succeed; its answer is parsed with the call's declared output before it is used. */
  async function ask<K extends CallName>(name: K, input: CallArgs<K>, opts: CallOptions = {}): Promise<CallOutput<K>> {
    const result = await demo.engine.call(name, input, opts);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
    const { output } = contract[name] as CallSpec;
    if (!output) throw new Error(`${name} declares no output`);
    const parsed = output.safeParse(result.value);
    expect(parsed.success ? [] : parsed.error.issues, `${name} answered outside its declared output`).toEqual([]);
    answered.add(name);
    return result.value;
  }

  const methodOf = (kind: string) => methods.find((m) => m.kind === kind)!.id;

  beforeAll(async () => {
    demo = await openDemoEngine('contract-outputs-selling');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    approval = { employeeId: demo.people.manager.id, pin: demo.people.manager.pin };
    demo.engine.events.on('customer.view', (view) => views.push(view));
    pac = await startLoopbackPac({ username: PAC_USER, password: PAC_PASSWORD, dir });
  }, 60_000);
  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sets the register's language, and says when it already spoke it", async () => {
    expect(await ask('terminal.setLocale', { locale: 'en', idempotencyKey: key() })).toMatchObject({ locale: 'en', changed: true });
    expect(await ask('terminal.setLocale', { locale: 'en', idempotencyKey: key() })).toMatchObject({ changed: false });
  });

  it('opens a shift by count, moves cash and opens the drawer, with the float hidden from a blind count', async () => {
    expect(await ask('shifts.current', {}, { token: cashier })).toBeNull();
    expect(await ask('shifts.open', { idempotencyKey: key(), count: { '500': 1 } }, { token: cashier })).toMatchObject({ repeated: false });
    expect(await ask('shifts.current', {}, { token: cashier })).toMatchObject({ openingFloat: null, blindClose: true });
    expect((await ask('shifts.current', {}, { token: manager }))?.openingFloat).toBe('500.0000');
    expect(
      await ask(
        'shifts.cashMovement',
        { kind: 'PAY_IN', amount: '100.00', reason: 'Cambio del banco', idempotencyKey: key() },
        { token: cashier },
      ),
    ).toMatchObject({ repeated: false });
    const opened = await ask('drawer.noSale', { reason: 'Cambio para un cliente', idempotencyKey: key() }, { token: manager });
    expect(opened.drawer).not.toBeNull();
  });

  it('finds items by category, by search and by scan, and answers every cart change with the cart', async () => {
    methods = await ask('sales.paymentMethods', {}, { token: cashier });
    expect(methods.length).toBeGreaterThan(1);
    const categories = await ask('sales.categories', {}, { token: cashier });
    const panaderia = categories.find((c) => c.name === 'Panadería')!;
    expect((await ask('sales.browse', { categoryId: panaderia.id }, { token: cashier })).items.length).toBeGreaterThan(0);
    const hits = await ask('sales.search', { text: 'agua sabor pina' }, { token: cashier });
    const taxed = hits.find((h) => h.soldBy === 'UNIT' && h.taxCode === 'IVA16')!;
    expect((await ask('sales.openPriceRates', {}, { token: cashier })).length).toBeGreaterThan(0);

    const sale = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    expect((await ask('sales.current', {}, { token: cashier }))?.id).toBe(sale.id);
    await ask('sales.addItem', { saleId: sale.id, code: ARROZ, quantity: '2' }, { token: cashier });
    await ask('sales.addItem', { saleId: sale.id, variantId: taxed.variantId }, { token: cashier });
    const withOpen = await ask(
      'sales.addOpenItem',
      { saleId: sale.id, description: 'Bolsa de hielo', unitPrice: '25.00', taxCode: 'IVA16' },
      { token: cashier },
    );
    const [arroz, , hielo] = withOpen.lines;
    await ask('sales.setQuantity', { saleId: sale.id, lineId: arroz!.id, quantity: '3' }, { token: cashier });
    await ask(
      'sales.setLineDiscount',
      { saleId: sale.id, lineId: arroz!.id, discount: { kind: 'rate', value: '0.05' } },
      { token: cashier },
    );
    await ask('sales.setSaleDiscount', { saleId: sale.id, discount: { kind: 'amount', value: '1.00' } }, { token: cashier });
    await ask(
      'sales.overridePrice',
      { saleId: sale.id, lineId: hielo!.id, unitPrice: '20.00', reason: 'Precio de la semana' },
      { token: cashier, override: approval },
    );
    const cart = await ask('sales.removeLine', { saleId: sale.id, lineId: hielo!.id }, { token: cashier });
    // Both kinds of discount and several taxes are in the answer, so each branch of the schema was read.
    expect(cart.saleDiscount?.kind).toBe('amount');
    expect(cart.lines.map((l) => l.discount?.kind ?? null)).toEqual(['rate', null]);
    expect(cart.totals.taxes.length).toBeGreaterThan(1);

    expect(await ask('sales.park', { saleId: sale.id, label: 'La señora del rebozo' }, { token: cashier })).toMatchObject({
      status: 'PARKED',
    });
    expect((await ask('sales.parked', {}, { token: cashier })).map((p) => p.id)).toEqual([sale.id]);
    expect(await ask('sales.recall', { saleId: sale.id }, { token: cashier })).toMatchObject({ status: 'OPEN' });
    expect(await ask('sales.get', { saleId: sale.id }, { token: cashier })).toMatchObject({ id: sale.id });

    const paid = await ask(
      'sales.complete',
      { saleId: sale.id, tenders: [{ methodId: methodOf('CASH'), tendered: '500' }] },
      { token: cashier },
    );
    expect(paid.tenders).toHaveLength(1);
    paidSaleId = paid.saleId;
    paidReceiptCode = paid.receiptCode;
  });

  it('shows the customer each line, the total and the change in the shape the customer view declares', async () => {
    // The change ('paid') is a reaction to the sale's fact, shown after the call has answered.
    await expect.poll(() => new Set(views.map((v) => v.kind))).toEqual(new Set(['line', 'total', 'idle', 'paid']));
    for (const view of views) expect(customerView.safeParse(view).error?.issues ?? []).toEqual([]);
  });

  it('answers the receipts, copies, history, returns and a store-credit slip as declared', async () => {
    const copy = await ask('sales.reprint', { saleId: paidSaleId }, { token: cashier });
    expect(copy.document.blocks.length).toBeGreaterThan(0);
    expect(await ask('sales.emailReceipt', { saleId: paidSaleId, email: 'Cliente@Ejemplo.MX' }, { token: cashier })).toMatchObject({
      queued: true,
    });
    await ask('sales.reprint', { saleId: paidSaleId, variant: 'gift' }, { token: cashier });
    expect((await ask('sales.receipts', { saleId: paidSaleId }, { token: cashier })).map((r) => r.kind)).toEqual(
      expect.arrayContaining(['SALE', 'GIFT']),
    );

    const returnable = await ask('returns.lookup', { code: paidReceiptCode }, { token: cashier });
    const returned = await ask(
      'returns.create',
      {
        saleId: paidSaleId,
        lines: [{ saleItemId: returnable.lines[0]!.saleItemId, quantity: '1' }],
        refundMethodId: methodOf('STORE_CREDIT'),
        reason: 'Bolsa rota',
        idempotencyKey: key(),
      },
      { token: cashier, override: approval },
    );
    expect(returned.storeCredit).not.toBeNull();
    expect(await ask('sales.storeCredit', { code: returned.storeCredit!.code }, { token: cashier })).toMatchObject({ status: 'ACTIVE' });

    const voided = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    await ask('sales.addItem', { saleId: voided.id, code: AGUA_PINA }, { token: cashier });
    expect(
      await ask('sales.void', { saleId: voided.id, reason: 'El cliente se arrepintió' }, { token: cashier, override: approval }),
    ).toEqual({ saleId: voided.id, status: 'VOIDED' });

    // A returned sale, a voided one (no receipt number) and each one's detail.
    const history = await ask('sales.history', {}, { token: cashier });
    expect(history.sales.map((s) => s.status)).toEqual(['VOIDED', 'PARTLY_RETURNED']);
    expect((await ask('sales.history', { code: paidReceiptCode }, { token: cashier })).sales).toHaveLength(1);
    expect((await ask('sales.historySale', { saleId: paidSaleId }, { token: cashier })).returns).toHaveLength(1);
    expect(await ask('sales.historySale', { saleId: voided.id }, { token: cashier })).toMatchObject({
      receiptNumber: null,
      status: 'VOIDED',
    });
  });

  it('sells a gift card, reads its balance and spends it, as declared', async () => {
    const sale = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    const cart = await ask('sales.addGiftCard', { saleId: sale.id, code: '4000 1234 5678', amount: '200' }, { token: cashier });
    expect(cart.lines[0]).toMatchObject({ name: 'Tarjeta de regalo ****5678' });
    await ask('sales.complete', { saleId: sale.id, tenders: [{ methodId: methodOf('CASH'), tendered: '200' }] }, { token: cashier });
    // Its value is on the card: the line is not taken back.
    const back = await demo.engine.call(
      'returns.create',
      {
        saleId: sale.id,
        lines: [{ saleItemId: cart.lines[0]!.id, quantity: '1' }],
        refundMethodId: methodOf('CASH'),
        reason: 'Ya no la quiere',
        idempotencyKey: key(),
      },
      { token: cashier, override: approval },
    );
    expect(back).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'GIFT_CARD_RETURN' } } });
    // No central here: the register is its cards' only authority.
    expect(await ask('sales.giftCard', { code: '400012345678' }, { token: cashier })).toEqual({
      code: '400012345678',
      amount: '200.0000',
      available: '200.0000',
      currency: 'MXN',
      status: 'ACTIVE',
      expiresAt: expect.any(String),
      source: 'REGISTER',
    });
    const spend = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    await ask('sales.addItem', { saleId: spend.id, code: ARROZ }, { token: cashier });
    await ask(
      'sales.complete',
      { saleId: spend.id, tenders: [{ methodId: methodOf('GIFT_CARD'), amount: '31.50', balanceCode: '400012345678' }] },
      { token: cashier },
    );
    expect((await ask('sales.giftCard', { code: '400012345678' }, { token: cashier })).amount).toBe('168.5000');
  });

  it("puts a charge on the register's card terminal, reads it, lists it, takes it off and sets the shift against the provider's list, as declared", async () => {
    const mp = await startLoopbackMercadoPago({
      accessToken: MP_TOKEN,
      webhookSecret: MP_SECRET,
      terminals: [{ id: MP_TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
    });
    try {
      // The owner installs the token from the back office, choosing the terminal from the account's list.
      const owner = await signInToBackOffice(demo, demo.people.owner);
      expect((await ask('payments.providerStatus', {}, { token: owner })).providers).toHaveLength(2);
      const installed = await ask(
        'payments.setProviderToken',
        { provider: 'mercadopago', token: MP_TOKEN, webhookSecret: MP_SECRET, baseUrl: mp.baseUrl },
        { token: owner },
      );
      expect(installed).toMatchObject({ installed: true, tokenEnds: '4756', terminals: [{ id: MP_TERMINAL, integrated: true }] });
      expect(
        (await ask('payments.providerTerminals', { provider: 'mercadopago', baseUrl: mp.baseUrl }, { token: owner })).terminals,
      ).toEqual(installed.terminals);
      const devices = { scanners: [], cardTerminal: { provider: 'mercadopago' as const, terminalId: MP_TERMINAL, baseUrl: mp.baseUrl } };
      expect(await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices }, { token: manager })).toMatchObject({
        ok: true,
      });
      const terminal = (await ask('sales.paymentMethods', {}, { token: cashier })).find((m) => m.integrated)!;
      const sale = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
      await ask('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier });
      const charge = await ask(
        'payments.startCharge',
        { saleId: sale.id, methodId: terminal.id, amount: '31.50', idempotencyKey: key() },
        { token: cashier },
      );
      expect(charge).toMatchObject({ status: 'CREATED', unreachable: null });
      expect(await ask('payments.charge', { chargeId: charge.id }, { token: cashier })).toMatchObject({ id: charge.id });
      expect(await ask('payments.chargesOfSale', { saleId: sale.id }, { token: cashier })).toEqual([
        expect.objectContaining({ id: charge.id }),
      ]);
      const cancelled = await ask('payments.cancelCharge', { chargeId: charge.id }, { token: cashier });
      // One already on the terminal comes off once the terminal confirms.
      if (cancelled.status !== 'CANCELLED') mp.terminal(mp.orders[0]!.id).confirmsCancellation();
      expect((await ask('payments.charge', { chargeId: charge.id }, { token: cashier })).status).toBe('CANCELLED');
      await ask('sales.complete', { saleId: sale.id, tenders: [{ methodId: methodOf('CASH'), tendered: '50' }] }, { token: cashier });
      // The shift's card tenders against the provider's list: none taken, none listed.
      expect(await ask('shifts.reconcileCards', {}, { token: manager })).toMatchObject({
        complete: true,
        providers: [{ provider: 'mercadopago', reachable: true, terminals: [{ terminalId: MP_TERMINAL, status: 'BALANCED' }] }],
      });
    } finally {
      await mp.close();
    }
  });

  let stampedInvoiceId: string;
  let replacedInvoiceId: string;
  it('asks for a CFDI for a paid sale, reads its state back, prints it, makes its PDF once stamped, replaces it (motive 01), answers a return with its credit note and asks for a cancellation, as declared', async () => {
    const receiver = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
    const sale = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    await ask('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier });
    const paid = await ask(
      'sales.complete',
      { saleId: sale.id, tenders: [{ methodId: methodOf('CASH'), tendered: '100' }] },
      { token: cashier },
    );
    const invoice = await ask('invoices.request', { saleId: sale.id, receiver, idempotencyKey: key() }, { token: cashier });
    expect(invoice).toMatchObject({ status: 'PENDING', fiscalId: null });
    expect(await ask('invoices.ofSale', { saleId: sale.id }, { token: cashier })).toEqual([invoice]);

    // Not stamped yet: nothing to print, and the refusal says why.
    const early = await demo.engine.call('invoices.print', { invoiceId: invoice.id }, { token: cashier });
    expect(early.ok ? null : early.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'INVOICE_NOT_STAMPED', status: 'PENDING', series: invoice.series, folio: invoice.folio },
    });

    // Stamped by the loopback PAC with a test CSD of the store's RFC, it prints (kept unsent: this register has no printer).
    const [{ tax_id: rfc }] = (await demo.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    // Sealed by the real clock: the loopback PAC holds Fecha to 72 hours around it, and the test CSD is valid from now.
    const secrets = {
      pac: finkokClient({ username: PAC_USER, password: PAC_PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 }),
      csd: openCsd(makeTestCsd(dir, { rfc })),
    };
    const pass = await stampPending(demo.engine.services, { ...secrets, now: new Date() });
    expect(pass.outcomes).toEqual([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]);
    const printKey = key();
    const printout = await ask('invoices.print', { invoiceId: invoice.id, idempotencyKey: printKey }, { token: cashier });
    expect(printout).toMatchObject({ copyNumber: 0, printed: false, document: { kind: 'INVOICE' } });
    expect(printout.document.blocks).toContainEqual({
      type: 'qr',
      data: expect.stringContaining('verificacfdi.facturaelectronica.sat.gob.mx'),
    });
    // The same key answers the same printout; without one, the next is copy 1.
    expect(await ask('invoices.print', { invoiceId: invoice.id, idempotencyKey: printKey }, { token: cashier })).toEqual(printout);
    expect(await ask('invoices.print', { invoiceId: invoice.id }, { token: cashier })).toMatchObject({ copyNumber: 1 });
    expect((await ask('sales.receipts', { saleId: sale.id }, { token: cashier })).filter((r) => r.kind === 'INVOICE')).toHaveLength(2);
    // Its PDF, on letter paper unless asked for A4.
    const pdf = await ask('invoices.pdf', { invoiceId: invoice.id, paper: 'A4' }, { token: cashier });
    expect(pdf.filename).toBe(`${invoice.series}-${invoice.folio}.pdf`);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // And the stamped XML itself, with its folio fiscal.
    const xml = await ask('invoices.xml', { invoiceId: invoice.id }, { token: cashier });
    expect(xml.filename).toBe(`${invoice.series}-${invoice.folio}.xml`);
    expect(xml.xml).toContain(`UUID="${pass.outcomes[0]!.uuid}"`);
    // Replaced by a corrected one (motive 01), which is stamped and covers the sale from then on.
    const substituted = await ask(
      'invoices.substitute',
      { invoiceId: invoice.id, receiver: { ...receiver, cfdiUse: 'G01' }, reason: 'Uso del CFDI equivocado', idempotencyKey: key() },
      { token: manager },
    );
    expect(substituted).toMatchObject({
      invoice: { status: 'PENDING', kind: 'INVOICE' },
      cancellation: { invoiceId: invoice.id, motive: '01', state: 'REQUESTED' },
    });
    await stampPending(demo.engine.services, { ...secrets, now: new Date() });
    // A return of the invoiced sale answers the credit note written with it.
    const returnable = await ask('returns.lookup', { code: paid.receiptCode }, { token: cashier });
    const returned = await ask(
      'returns.create',
      {
        saleId: sale.id,
        lines: [{ saleItemId: returnable.lines[0]!.saleItemId, quantity: '1' }],
        refundMethodId: methodOf('CASH'),
        reason: 'Producto en mal estado',
        idempotencyKey: key(),
      },
      { token: cashier, override: approval },
    );
    expect(returned.creditNote).toEqual({ id: expect.any(String), series: `NC-${invoice.series}`, folio: 1, status: 'PENDING' });
    // The SAT refuses that credit note on its own; a manager has it written again.
    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    await stampPending(demo.engine.services, { ...secrets, now: new Date() });
    const again = await ask('invoices.creditReturn', { returnId: returned.returnId, idempotencyKey: key() }, { token: manager });
    expect(again).toMatchObject({ kind: 'CREDIT_NOTE', status: 'PENDING', series: `NC-${invoice.series}`, folio: 2 });
    const cancellation = await ask(
      'invoices.cancel',
      { invoiceId: substituted.invoice.id, motive: '02', reason: 'Datos del cliente equivocados', idempotencyKey: key() },
      { token: manager },
    );
    expect(cancellation).toMatchObject({
      invoiceId: substituted.invoice.id,
      motive: '02',
      state: 'REQUESTED',
      code: null,
      message: null,
    });
    stampedInvoiceId = substituted.invoice.id;
    replacedInvoiceId = invoice.id;
  });

  it('reports the shift with the money hidden from a blind count, prints the X report, and closes with a Z report', async () => {
    // A sale left on hold: the report says how many and since when.
    const held = await ask('sales.open', { idempotencyKey: key() }, { token: cashier });
    await ask('sales.addItem', { saleId: held.id, code: ARROZ }, { token: cashier });
    await ask('sales.park', { saleId: held.id }, { token: cashier });

    const full = await ask('shifts.xReport', {}, { token: manager });
    expect(full.cash.expected).not.toBeNull();
    expect(full.tenders.length).toBeGreaterThan(0);
    expect(full.taxes.length).toBeGreaterThan(0);
    expect(full.parked.oldestAt).not.toBeNull();
    const blind = await ask('shifts.xReport', {}, { token: cashier });
    expect([blind.cash.expected, blind.openingFloat, blind.tenders[0]!.amount]).toEqual([null, null, null]);
    expect(await ask('shifts.printXReport', {}, { token: cashier })).toMatchObject({ printed: false, reason: 'NO_PRINTER' });

    const closed = await ask(
      'shifts.close',
      { idempotencyKey: key(), count: { '500': 1, '100': 2, '20': 1 } },
      { token: cashier, override: approval },
    );
    expect(closed.report.countedBy?.map((c) => c.denomination)).toEqual(['500', '100', '20']);
    expect(await ask('shifts.current', {}, { token: cashier })).toBeNull();
  });

  it("creates, edits, finds and opens a customer who asks for an invoice, the contact masked but in the form's answer", async () => {
    const fiscal = { taxId: 'EKU9003173C9', legalName: 'Escuela Kemper Urgate', taxRegime: '601', postalCode: '26015', fiscalUse: 'G03' };
    const created = await ask('customers.save', fiscal, { token: cashier });
    const edited = await ask(
      'customers.save',
      { ...fiscal, id: created.id, version: created.version, email: 'compras@kemper.mx', phone: '+525512345678' },
      { token: cashier },
    );
    expect(edited).toMatchObject({ version: 2, email: 'c***@kemper.mx' });
    expect(await ask('customers.search', { query: 'kemper' }, { token: cashier })).toEqual([edited]);
    expect(await ask('customers.get', { id: created.id }, { token: cashier })).toMatchObject({ email: 'compras@kemper.mx' });
    const options = await ask('customers.fiscalOptions', {}, { token: cashier });
    expect(options.MORAL.find((r) => r.clave === '601')?.usos.map((u) => u.clave)).toContain('G03');
  });

  it('refuses an answer with a field its call does not declare', async () => {
    const cart = await ask('sales.get', { saleId: paidSaleId }, { token: cashier });
    expect(contract['sales.get'].output.safeParse({ ...cart, cost: '10.0000' }).success).toBe(false);
    expect(contract['sales.get'].output.safeParse({ ...cart, lines: cart.lines.map((l) => ({ ...l, total: 31.5 })) }).success).toBe(false);
  });

  it('issues the factura global of a day that is over and lists it with the register’s invoices, as declared', async () => {
    const day = businessDate(demo.clock.now(), 'America/Mexico_City');
    demo.clock.advance(24 * 3600 * 1000);
    // Sessions do not outlive the night.
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    const global = await ask('invoices.issueGlobal', { day, idempotencyKey: key() }, { token: manager });
    expect(global).toMatchObject({ from: day, to: day, invoice: { kind: 'GLOBAL', status: 'PENDING' } });

    // The back office lists it first, with its days, before the credit notes of the return and the invoices asked for at the counter.
    const listed = await ask('invoices.list', {}, { token: manager });
    expect(listed.next).toBeNull();
    expect(listed.items.map((i) => i.kind)).toEqual(['GLOBAL', 'CREDIT_NOTE', 'CREDIT_NOTE', 'INVOICE', 'INVOICE']);
    const [{ postal_code: issuedAt }] = (await demo.engine.services.sql.query<{ postal_code: string }>(
      'SELECT postal_code FROM billing.fiscal_profiles',
    )) as [{ postal_code: string }];
    expect(listed.items[0]).toEqual({
      ...global.invoice,
      // Público en general, domiciled where the global is issued.
      receiverTaxRegime: '616',
      receiverPostalCode: issuedAt,
      receiverCfdiUse: 'S01',
      period: { from: day, to: day },
      reason: null,
      cancellation: null,
      creditNote: null,
      replaces: null,
    });
    // The stamped ones, their cancellations asked for and not yet answered: the substitute's, and
    // the replaced one's (motive 01, sent once the substitute had its UUID).
    // The substitute carries the corrected receiver and names the invoice it replaces.
    const stamped = (await ask('invoices.list', { status: 'ISSUED' }, { token: manager })).items;
    expect(stamped).toEqual([
      expect.objectContaining({ id: stampedInvoiceId, cancellation: expect.objectContaining({ motive: '02', state: 'REQUESTED' }) }),
      expect.objectContaining({ id: replacedInvoiceId, cancellation: expect.objectContaining({ motive: '01', state: 'REQUESTED' }) }),
    ]);
    const [substitute, replaced] = stamped as [InvoiceListRow, InvoiceListRow];
    expect(substitute).toMatchObject({
      receiverTaxRegime: '612',
      receiverPostalCode: '06000',
      receiverCfdiUse: 'G01',
      replaces: { series: replaced.series, folio: replaced.folio, fiscalId: replaced.fiscalId },
    });
    expect(replaced).toMatchObject({ receiverCfdiUse: 'G03', replaces: null });
  });

  it('made every call of these domains, each answered as declared', () => {
    expect(OWNED.length).toBeGreaterThan(30);
    expect([...answered].sort()).toEqual(OWNED);
  });
});
