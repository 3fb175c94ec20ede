// An invoice asked for at the counter, in Debian's Chromium against serve mode at 1024×768 and
// by the keyboard alone: after a cash sale, Alt+F on the change screen; an RFC nobody has yet
// opens the new customer's form; a wrong check digit is said beside the RFC, with everything
// typed kept; fixed, the customer is saved and the invoice is pending. A second request for the
// same sale, for the customer found by a search, is refused naming the invoice it already has,
// and the shift's history shows the invoice with the sale. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { explained, scanLikeAScanner, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type Counter } from '../support/counter-page.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50

describe('an invoice asked for at the counter', () => {
  let reg: Counter;
  let page: Page;
  let errors: string[];

  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const tabTo = async (id: string) => {
    await page.keyboard.press('Tab');
    await expect.poll(focusedId).toBe(id);
  };

  beforeAll(async () => {
    reg = await startCounter('e2e-counter-invoice', { viewport: { width: 1024, height: 768 } });
    ({ page, errors } = reg);
  }, 120_000);
  afterAll(() => reg?.close());

  it('creates the customer by keyboard, says a bad check digit beside the RFC, and leaves the invoice pending', async () => {
    const shot = (step: string) => screenshotStep(page, 'a new customer invoiced by keyboard', step);
    await page.goto(reg.server.url);
    await signInAs(page, 'Ángela Ibáñez', reg.demo.people.cashier.pin);
    await openShift(page, '500');
    await scanLikeAScanner(page, ARROZ);
    await page.getByRole('button', { name: 'Elegir Arroz súper extra 900 g' }).waitFor();
    await page.keyboard.press('F12');
    await page.getByLabel('Efectivo recibido').waitFor();
    await typeLikeAPerson(page, '50');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-000001$/).waitFor());
    expect(await page.getByRole('button', { name: /^Factura/ }).getAttribute('aria-keyshortcuts')).toBe('Alt+F');

    await page.keyboard.press('Alt+f');
    const dialog = page.getByRole('dialog', { name: 'Factura de la venta RCAJA-1-000001' });
    await dialog.waitFor();
    await expect.poll(focusedId).toBe('invoice-search');
    // An RFC nobody has: the search finds no one, and Enter starts the new customer with it.
    await typeLikeAPerson(page, 'gode561231gr9');
    await explained(page, () => dialog.getByText('Ningún cliente con «gode561231gr9». Enter o Alt+N: cliente nuevo.').waitFor());
    await shot('no customer with that RFC yet');
    await page.keyboard.press('Enter');
    const rfc = dialog.getByLabel('RFC', { exact: true });
    await expect.poll(() => rfc.inputValue()).toBe('GODE561231GR9');
    await expect.poll(focusedId).toBe('invoice-taxId');

    await tabTo('invoice-legalName');
    await typeLikeAPerson(page, 'Emiliano Gomez Diaz');
    await tabTo('invoice-taxRegime');
    // The régimenes are a persona física's: 13 characters.
    expect(await dialog.locator('#invoice-taxRegime-hint').textContent()).toMatch(/régimenes de una persona física/);
    await typeLikeAPerson(page, '612');
    await expect
      .poll(() => dialog.locator('#invoice-taxRegime-hint').textContent())
      .toBe('Personas Físicas con Actividades Empresariales y Profesionales');
    await tabTo('invoice-postalCode');
    await typeLikeAPerson(page, '06000');
    await tabTo('invoice-fiscalUse');
    // ↑ ↓ step through the usos the régimen allows; the clave typed replaces the one stepped to.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => dialog.getByLabel('Uso del CFDI').inputValue()).not.toBe('');
    await page.keyboard.press('Control+a');
    await typeLikeAPerson(page, 'g03');
    await expect.poll(() => dialog.getByLabel('Uso del CFDI').inputValue()).toBe('G03');
    expect(await dialog.locator('#invoice-fiscalUse-hint').textContent()).toBe('Gastos en general.');
    await shot('the new customer typed, with the wrong check digit');

    await page.keyboard.press('Enter');
    const problem = dialog.locator('#invoice-taxId-error');
    await explained(page, () =>
      expect
        .poll(() => problem.textContent())
        .toBe('El último carácter del RFC (dígito verificador) no corresponde. Revíselo en la Constancia de Situación Fiscal.'),
    );
    expect(await rfc.getAttribute('aria-invalid')).toBe('true');
    // Nothing typed is lost, and the RFC has the focus to be fixed.
    await expect.poll(focusedId).toBe('invoice-taxId');
    expect(await dialog.getByLabel('Razón social').inputValue()).toBe('Emiliano Gomez Diaz');
    expect(await dialog.getByLabel('Código postal').inputValue()).toBe('06000');
    await shot('the check digit refused beside the RFC');

    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await typeLikeAPerson(page, '8');
    await expect.poll(() => problem.count()).toBe(0);
    await page.keyboard.press('Enter');

    // Read once the dialog says it: the invoice is written while the dialog waits for the answer.
    await explained(page, () => dialog.getByRole('status').waitFor());
    const [invoice] = await reg.engine.services.sql.query<{ series: string; folio: string }>(
      `SELECT i.series, i.folio::text FROM billing.invoices i JOIN billing.invoice_sales s ON s.invoice_id = i.id
       JOIN sales.sales v ON v.id = s.sale_id WHERE v.receipt_number = 1`,
    );
    const pending = `Factura ${invoice!.series} folio ${invoice!.folio} en espera de timbrado`;
    expect(invoice!.series).toMatch(/^A-CAJA-1$/);
    expect(await dialog.getByRole('status').textContent()).toBe(pending);
    expect(await dialog.getByText('A nombre de EMILIANO GOMEZ DIAZ (RFC GODE561231GR8).').count()).toBe(1);
    await shot('the invoice pending');
    const [customer] = await reg.engine.services.sql.query<{ legal_name: string; tax_regime: string; fiscal_use: string }>(
      `SELECT legal_name, tax_regime, fiscal_use FROM sales.customers WHERE tax_id = 'GODE561231GR8'`,
    );
    expect(customer).toEqual({ legal_name: 'EMILIANO GOMEZ DIAZ', tax_regime: '612', fiscal_use: 'G03' });

    // Enter closes the dialog; the change screen keeps saying it.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByRole('status').filter({ hasText: pending }).count()).toBe(1);
    await shot('the change screen says the invoice is pending');
  });

  it('refuses a second invoice for the sale, naming the one it has, and shows it in the history', async () => {
    const shot = (step: string) => screenshotStep(page, 'a second invoice for the same sale', step);
    await page.keyboard.press('Alt+f');
    const dialog = page.getByRole('dialog', { name: 'Factura de la venta RCAJA-1-000001' });
    await dialog.waitFor();
    await typeLikeAPerson(page, 'gomez emi');
    const found = dialog.getByRole('option');
    await explained(page, () => expect.poll(() => found.allTextContents()).toEqual(['GODE561231GR8 EMILIANO GOMEZ DIAZ régimen 612']));
    expect(await found.first().getAttribute('aria-selected')).toBe('true');
    await shot('the customer found by name');
    await page.keyboard.press('Enter');
    const [invoice] = await reg.engine.services.sql.query<{ series: string; folio: string }>(
      `SELECT series, folio::text FROM billing.invoices`,
    );
    await explained(page, () =>
      expect
        .poll(() => dialog.getByRole('alert').textContent())
        .toBe(`Esta venta ya tiene la factura ${invoice!.series} folio ${invoice!.folio}.`),
    );
    expect((await reg.engine.services.sql.query('SELECT id FROM billing.invoices')).length).toBe(1);
    await shot('the second request refused, naming the invoice');

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('Control+h');
    await page.getByLabel('Número o código de barras del ticket').waitFor();
    await typeLikeAPerson(page, '1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'RCAJA-1-000001' }).waitFor();
    await explained(page, () =>
      expect
        .poll(() => page.getByRole('list', { name: 'Facturas de la venta' }).textContent())
        .toBe(`Factura ${invoice!.series} folio ${invoice!.folio} en espera de timbrado · GODE561231GR8 EMILIANO GOMEZ DIAZ`),
    );
    await shot('the sale in the history, with its invoice');
    expect(errors).toEqual([]);
  });
});
