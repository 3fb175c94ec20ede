// The e-mailed receipt as a customer's phone shows it: the shipped sale.receipt template (es-MX)
// rendered for a realistic sale and opened in Debian's Chromium at a phone's width. What must be
// readable is asserted as visible text; the screenshot lands in test-results/ for a person to look at.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleReceipt } from '#contract/receipt-document.ts';
import { receiptEmailData } from '#engine/server/central/notify/templates/receipt-email-data.ts';
import { renderEmail, type RenderedEmail } from '#engine/server/central/notify/templates/render.ts';
import { readTemplateFiles } from '#engine/server/central/notify/templates/template-files.ts';
import { collectConsoleErrors, launchBrowser, screenshotStep, type LaunchedBrowser } from '../support/browser.ts';

// Prices include IVA, as Mexican shelves show them: each line's total is what the customer pays
// for it, and the subtotal is the taxable base after the discount.
const SALE: SaleReceipt = {
  business: { name: 'Abarrotes La Esperanza', legalName: 'La Esperanza Comercial S.A. de C.V.', taxId: 'ECO980101AB1', country: 'MX' },
  branch: { name: 'Sucursal Centro', address: ['Av. Juárez 120, Col. Centro', 'Puebla, Pue. 72000'], phone: '222 555 0101' },
  registerCode: 'CEN-01',
  cashier: 'María López',
  receiptNumber: 1042,
  receiptCode: 'RCEN-01-001042',
  completedAt: '2026-03-14T19:32:05.000Z',
  lines: [
    // IVA 16%: 3 × 18.50 = 55.50, of which 7.66 is tax.
    {
      name: 'Refresco de cola 600 ml',
      quantity: '3.000',
      unit: 'pz',
      unitPrice: '18.5000',
      total: '55.5000',
      discountAmount: '0.0000',
      isWeighed: false,
    },
    // IVA 0%, weighed: 0.435 kg × 189.00 = 82.215, rounded half-up to 82.22.
    {
      name: 'Jamón de pavo',
      quantity: '0.435',
      unit: 'kg',
      unitPrice: '189.0000',
      total: '82.2200',
      discountAmount: '0.0000',
      isWeighed: true,
    },
    // IVA 16%, 10% off: 129.00 − 12.90 = 116.10, of which 16.01 is tax.
    {
      name: 'Detergente líquido 3 L',
      quantity: '1.000',
      unit: 'pz',
      unitPrice: '129.0000',
      total: '116.1000',
      discountAmount: '12.9000',
      isWeighed: false,
    },
  ],
  subtotal: '230.1500',
  discountTotal: '12.9000',
  taxes: [
    { label: 'IVA 16%', amount: '23.6700' },
    { label: 'IVA 0%', amount: '0.0000' },
  ],
  total: '253.8200',
  rounding: '0.0000',
  tenders: [
    { method: 'Tarjeta de débito', amount: '150.0000', tendered: null, cardLast4: '4242', approvalCode: '083311', reference: null },
    { method: 'Efectivo', amount: '103.8200', tendered: '200.0000', cardLast4: null, approvalCode: null, reference: null },
  ],
  change: '96.1800',
  footer: 'Cambios y devoluciones dentro de 30 días presentando este ticket.',
  invoiceUrl: 'https://factura.example.mx/?folio=RCEN-01-001042',
};

describe('the e-mailed receipt in a phone’s browser', () => {
  let browser: LaunchedBrowser;
  let mail: RenderedEmail;

  beforeAll(async () => {
    const source = readTemplateFiles().find((t) => t.code === 'sale.receipt' && t.channel === 'EMAIL' && t.locale === 'es-MX');
    if (!source) throw new Error('sale.receipt/EMAIL/es-MX is not among the shipped templates');
    const data = receiptEmailData(SALE, { locale: 'es-MX', currency: 'MXN', timezone: 'America/Mexico_City' });
    mail = await renderEmail({ ...source, id: uuidv7(), businessId: null, version: 1 }, data);
    browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the store, every line, each tax and the total as text, fetching nothing', async () => {
    const { page } = browser;
    const errors = collectConsoleErrors(page);
    await page.setContent(mail.html, { waitUntil: 'load' });
    // Visible ones only: the inbox teaser (mj-preview) carries the total too, hidden.
    const visible = async (text: string) => (await page.getByText(text).filter({ visible: true }).count()) > 0;

    const expected = [
      'Abarrotes La Esperanza',
      'La Esperanza Comercial S.A. de C.V.',
      'RFC ECO980101AB1',
      'Sucursal Centro',
      'Ticket CEN-01-1042',
      'Le atendió: María López',
      'Refresco de cola 600 ml',
      '3 × $18.50',
      '$55.50',
      'Jamón de pavo',
      '0.435 kg × $189.00',
      '$82.22',
      'Detergente líquido 3 L',
      '1 × $129.00',
      '$116.10',
      '-$12.90',
      'Subtotal',
      '$230.15',
      'IVA 16%',
      '$23.67',
      'IVA 0%',
      '$0.00',
      'TOTAL',
      '$253.82',
      'Tarjeta de débito •••• 4242',
      'Aut. 083311',
      'Efectivo',
      '$200.00',
      'Cambio',
      '$96.18',
      'Facturar esta compra',
      'Folio: RCEN-01-001042',
    ];
    const missing: string[] = [];
    for (const text of expected) if (!(await visible(text))) missing.push(text);
    expect(missing).toEqual([]);

    // Nothing runs off a phone's screen sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The total is set larger than the lines, so it is what the eye finds first.
    const size = (text: string) =>
      page
        .getByText(text, { exact: true })
        .filter({ visible: true })
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(await size('$253.82')).toBeGreaterThan(await size('$55.50'));

    await screenshotStep(page, 'receipt email render', 'sale receipt es-MX on a phone');
    expect(errors).toEqual([]);
  });
});
