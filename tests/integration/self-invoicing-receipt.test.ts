// A Mexican business's receipts invite the customer to invoice the purchase on central's
// self-invoicing page once the owner sets its address (settings.setSelfInvoicing): the question,
// the page, the ticket and a QR of {base}/factura?r=RECEIPT_CODE&b=BRANCH, as the printer reads
// the bytes.
// Never for a sale already covered by an invoice of its own (a copy printed after it leaves the
// invitation out), never once the address is taken away, never outside Mexico; a voided sale has
// no receipt at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import { encodeDocument } from '#engine/devices/printer/escpos.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { ok, openDemoEngine, signIn, signInToBackOffice } from '../support/demo-engine.ts';

const ARROZ = '7505599000026';
const BASE = 'https://factura.laesperanza.example';
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe('the self-invoicing QR on a sale’s receipt', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let owner: string;
  let cashier: string;
  let cash: string;
  let n = 0;
  const key = () => `self-invoicing-${++n}`;

  beforeAll(async () => {
    demo = await openDemoEngine('self-invoicing-receipt');
    owner = await signInToBackOffice(demo, demo.people.owner);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
  }, 60_000);
  afterAll(() => demo?.dispose());

  const sell = async () => {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const paid = ok(
      await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }),
    );
    return { id: sale.id, receiptCode: paid.receiptCode };
  };
  /** What the sale's QR opens: its code, and its branch's id in base64url (22 characters, so the QR fits 58 mm paper). */
  const linkOf = async (sale: { id: string; receiptCode: string }) => {
    const [row] = await demo.engine.services.sql.query<{ branch_id: string }>('SELECT branch_id FROM sales.sales WHERE id = $1', [sale.id]);
    const branch = Buffer.from(row!.branch_id.replace(/-/g, ''), 'hex').toString('base64url');
    return `${BASE}/factura?r=${sale.receiptCode}&b=${branch}`;
  };
  /** The sale's original receipt, once the receipts reaction has laid it out (this register has no printer: it is kept unsent). */
  const original = async (saleId: string): Promise<ReceiptDocument> => {
    let found: ReceiptDocument | undefined;
    await expect
      .poll(async () => {
        const receipts = ok(await demo.engine.call('sales.receipts', { saleId }, { token: cashier }));
        found = receipts.find((r) => r.kind === 'SALE' && r.copyNumber === 0)?.document;
        return found !== undefined;
      })
      .toBe(true);
    return found!;
  };
  const printed = (doc: ReceiptDocument) => {
    const { lines, events } = decodeEscPos(encodeDocument(doc));
    return { text: lines.map((l) => l.trim()), qr: events.filter((e) => e.type === 'qr') };
  };

  it('prints no invitation while the business has no self-invoicing page', async () => {
    expect(ok(await demo.engine.call('settings.receipts', {}, { token: cashier }))).toEqual({
      selfInvoicingUrl: null,
      selfInvoicingPage: null,
      country: 'MX',
    });
    const { text, qr } = printed(await original((await sell()).id));
    expect(qr).toEqual([]);
    expect(text.some((l) => l.includes('factura'))).toBe(false);
  });

  it('refuses an address that is not https, or carries a query, saying why, and takes it only from whoever may change settings', async () => {
    for (const [url, reason] of [
      ['http://factura.laesperanza.example', 'SELF_INVOICING_NOT_HTTPS'],
      [`${BASE}/?tienda=1`, 'SELF_INVOICING_HAS_QUERY'],
      ['factura.laesperanza.example', 'SELF_INVOICING_NOT_A_URL'],
    ] as const) {
      const refused = await demo.engine.call('settings.setSelfInvoicing', { url }, { token: owner });
      expect(refused.ok ? null : refused.error, url).toMatchObject({ code: 'INVALID_INPUT', params: { field: 'url', reason } });
    }
    const cashierTries = await demo.engine.call('settings.setSelfInvoicing', { url: BASE }, { token: cashier });
    expect(cashierTries.ok ? null : cashierTries.error.code).toBe('FORBIDDEN');
    expect(ok(await demo.engine.call('settings.receipts', {}, { token: owner })).selfInvoicingUrl).toBeNull();
  });

  it('asks, once set, whether the customer needs an invoice: the page, the ticket and a QR of both that the printer is sent whole', async () => {
    expect(ok(await demo.engine.call('settings.setSelfInvoicing', { url: `${BASE}/` }, { token: owner }))).toEqual({
      selfInvoicingUrl: BASE,
      selfInvoicingPage: `${BASE}/factura`,
      country: 'MX',
    });
    const sale = await sell();
    const { text, qr } = printed(await original(sale.id));
    const at = text.indexOf('¿Necesita factura? Escanee el código o visite');
    expect(text.slice(at, at + 3)).toEqual([
      '¿Necesita factura? Escanee el código o visite',
      'factura.laesperanza.example/factura',
      `Ticket: ${sale.receiptCode}`,
    ]);
    expect(qr).toEqual([{ type: 'qr', data: await linkOf(sale) }]);
    const [row] = await demo.engine.services.sql.query<{ value: unknown; branch_id: string | null }>(
      `SELECT value, branch_id FROM business.settings WHERE key = 'invoicing.selfServiceUrl' AND deleted_at IS NULL`,
    );
    expect(row).toEqual({ value: BASE, branch_id: null });
  });

  it('leaves the invitation out of a copy once the sale has its own invoice, whether the copy is the original marked or laid out again', async () => {
    const sale = await sell();
    expect(printed(await original(sale.id)).qr).toHaveLength(1);
    ok(await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }));
    const copy = ok(await demo.engine.call('sales.reprint', { saleId: sale.id }, { token: cashier }));
    const copied = printed(copy.document);
    expect(copied.text).toContain('*** COPIA ***');
    expect(copied.qr).toEqual([]);
    expect(copied.text.some((l) => l.includes('factura') || l.startsWith('Ticket:'))).toBe(false);
    expect(copied.text).toContain('¡Gracias por su compra! Vuelva pronto.');

    // On other paper the copy is laid out again from the sale: still without it.
    const paper = (width: number) =>
      demo.engine.services.sql.query(`UPDATE business.settings SET value = $1::jsonb WHERE key = 'receipt.paperWidth'`, [String(width)]);
    await paper(58);
    forgetStoreSettings(demo.engine.services.sql);
    try {
      const narrow = ok(await demo.engine.call('sales.reprint', { saleId: sale.id }, { token: cashier }));
      expect(narrow.document.paperWidth).toBe(58);
      expect(printed(narrow.document).qr).toEqual([]);
      // A sale with no invoice laid out again on that paper keeps it.
      const other = await sell();
      expect(printed(await original(other.id)).qr).toEqual([{ type: 'qr', data: await linkOf(other) }]);
    } finally {
      await paper(80);
      forgetStoreSettings(demo.engine.services.sql);
    }
  });

  it('prints none on a receipt of a business outside Mexico, and a voided sale has no receipt to print it on', async () => {
    await demo.engine.services.sql.query(`UPDATE business.businesses SET country = 'CO' WHERE id = $1`, [demo.demo.store.business.id]);
    forgetStoreSettings(demo.engine.services.sql);
    try {
      expect(printed(await original((await sell()).id)).qr).toEqual([]);
    } finally {
      await demo.engine.services.sql.query(`UPDATE business.businesses SET country = 'MX' WHERE id = $1`, [demo.demo.store.business.id]);
      forgetStoreSettings(demo.engine.services.sql);
    }
    const voided = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: voided.id, code: ARROZ }, { token: cashier }));
    ok(
      await demo.engine.call(
        'sales.void',
        { saleId: voided.id, reason: 'El cliente se arrepintió' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    expect(ok(await demo.engine.call('sales.receipts', { saleId: voided.id }, { token: cashier }))).toEqual([]);
  });

  it('prints none once the address is taken away, and the change and its undoing are audited', async () => {
    expect(ok(await demo.engine.call('settings.setSelfInvoicing', { url: null }, { token: owner })).selfInvoicingUrl).toBeNull();
    expect(printed(await original((await sell()).id)).qr).toEqual([]);
    const audited = await demo.engine.services.sql.query<{ details: { key: string; from: unknown; to: unknown } }>(
      `SELECT details FROM auth.audit_logs WHERE action = 'settings.set' ORDER BY created_at`,
    );
    expect(audited.map((a) => a.details)).toEqual([
      { key: 'invoicing.selfServiceUrl', from: null, to: BASE },
      { key: 'invoicing.selfServiceUrl', from: BASE, to: null },
    ]);
  });
});
