// The customer's receipt by e-mail, at the counter in Debian's Chromium against serve mode and by
// the keyboard alone: an address typed on the pay screen (Alt+E) goes with the sale; after a sale
// paid without one, Alt+E on the change screen sends it; an address that is not one is refused in
// Spanish and nothing is asked of the engine. The terminal only journals the request
// (receipt.email_requested); central sends it. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { RECEIPT_EMAIL_REQUESTED, type ReceiptEmailFact } from '#engine/services/sales/receipt-email.ts';
import { explained, scanLikeAScanner, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type Counter } from '../support/counter-page.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50

describe('a receipt e-mailed from the counter', () => {
  let reg: Counter;
  let page: Page;
  let errors: string[];

  const requests = () =>
    reg.engine.services.journal
      .after(0, 10_000)
      .filter((f) => f.kind === RECEIPT_EMAIL_REQUESTED)
      .map((f) => f.payload as ReceiptEmailFact);
  const saleNumbered = async (receiptNumber: number) => {
    const [sale] = await reg.engine.services.sql.query<{ id: string }>(
      `SELECT id FROM sales.sales WHERE receipt_number = $1 AND status = 'COMPLETED'`,
      [receiptNumber],
    );
    return sale!.id;
  };
  const notices = () => page.getByRole('status').filter({ hasText: /correo|Se enviará|Quedó anotado|Ya se había pedido/ });

  beforeAll(async () => {
    reg = await startCounter('e2e-receipt-email');
    ({ page, errors } = reg);
  }, 120_000);
  afterAll(() => reg?.close());

  it('sends the address typed on the pay screen with the sale, and says so on the change screen', async () => {
    const shot = (step: string) => screenshotStep(page, 'an e-mail typed on the pay screen', step);
    await page.goto(reg.server.url);
    await signInAs(page, 'Ángela Ibáñez', reg.demo.people.cashier.pin);
    await openShift(page, '500');
    await scanLikeAScanner(page, ARROZ);
    await page.getByRole('button', { name: 'Elegir Arroz súper extra 900 g' }).waitFor();

    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.waitFor();
    const email = page.getByLabel('Correo del cliente (ticket por correo)', { exact: true });
    expect(await email.getAttribute('aria-keyshortcuts')).toBe('Alt+E');
    await page.keyboard.press('Alt+e');
    await expect.poll(() => email.evaluate((e) => e === document.activeElement)).toBe(true);
    await typeLikeAPerson(page, 'Maria.Lopez@');
    const problem = page.locator('#pay-email-error');
    await explained(page, () =>
      expect
        .poll(() => problem.textContent())
        .toBe(
          'Eso no es una dirección de correo completa (como cliente@ejemplo.com). Corríjala, o bórrela para cobrar sin enviar el ticket.',
        ),
    );
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await shot('half an address, said under the field');

    await typeLikeAPerson(page, 'Ejemplo.mx');
    await expect.poll(() => problem.count()).toBe(0);
    await shot('the address typed');
    // Enter in the address goes back to the cash, where the payment is typed.
    await page.keyboard.press('Enter');
    await expect.poll(() => cash.evaluate((e) => e === document.activeElement)).toBe(true);
    await typeLikeAPerson(page, '50');
    await page.keyboard.press('Enter');

    await explained(page, () => page.getByText(/^Venta RCAJA-1-000001$/).waitFor());
    await expect
      .poll(() => notices().allTextContents())
      .toEqual(['Quedó anotado para maria.lopez@ejemplo.mx: se enviará cuando esta caja esté conectada a una central.']);
    await shot('the change screen says where the receipt goes');

    const saleId = await saleNumbered(1);
    expect(requests().map((r) => ({ saleId: r.saleId, email: r.email, locale: r.locale }))).toEqual([
      { saleId, email: 'maria.lopez@ejemplo.mx', locale: 'es-MX' },
    ]);
  });

  it('sends a receipt paid without an address from the change screen, refusing an address that is not one', async () => {
    const shot = (step: string) => screenshotStep(page, 'an e-mail sent from the change screen', step);
    await page.keyboard.press('Enter');
    await page.getByText('Escanee un producto para empezar la venta.').waitFor();
    await scanLikeAScanner(page, AGUA_PINA);
    await page.getByText('Polvo para preparar agua sabor piña 15 g').waitFor();
    await page.keyboard.press('F12');
    await page.getByLabel('Efectivo recibido').waitFor();
    await typeLikeAPerson(page, '10');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-000002$/).waitFor());
    expect(await notices().count()).toBe(0);
    const button = page.getByRole('button', { name: /Enviar por correo/ });
    expect(await button.getAttribute('aria-keyshortcuts')).toBe('Alt+E');
    await shot('paid without an address');

    await page.keyboard.press('Alt+e');
    const field = page.getByLabel('Correo del cliente', { exact: true });
    await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
    const before = requests().length;
    await typeLikeAPerson(page, 'ana@ejemplo');
    await expect
      .poll(() => page.locator('#receipt-email-error').textContent())
      .toBe('Eso no es una dirección de correo completa. Escríbala como cliente@ejemplo.com.');
    // Enter with a bad address sends nothing and leaves the change screen where it is.
    await page.keyboard.press('Enter');
    await shot('an address that is not one, refused');
    expect(requests()).toHaveLength(before);
    expect(await page.getByText(/^Venta RCAJA-1-000002$/).count()).toBe(1);
    expect(await notices().count()).toBe(0);

    await typeLikeAPerson(page, '.mx');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => notices().allTextContents())
      .toEqual(['Quedó anotado para ana@ejemplo.mx: se enviará cuando esta caja esté conectada a una central.']);
    await expect.poll(() => field.count()).toBe(0);
    await shot('sent from the change screen');

    // The same address again is one e-mail, and the screen says it was already asked for.
    await page.keyboard.press('Alt+e');
    await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true);
    await typeLikeAPerson(page, 'ANA@ejemplo.mx');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => notices().allTextContents())
      .toEqual(['Ya se había pedido a esa dirección (ana@ejemplo.mx): se enviará una sola vez.']);
    await shot('the same address again');

    const saleId = await saleNumbered(2);
    expect(
      requests()
        .slice(before)
        .map((r) => ({ saleId: r.saleId, email: r.email })),
    ).toEqual([{ saleId, email: 'ana@ejemplo.mx' }]);

    // Esc closes the field; Enter is the next customer again.
    await page.keyboard.press('Alt+e');
    await expect.poll(() => field.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => field.count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByText('Escanee un producto para empezar la venta.').waitFor();
    expect(errors).toEqual([]);
  });
});
