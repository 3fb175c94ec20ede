// A manager's back office in Debian's Chromium against serve mode: sign in with the PIN, open the
// back office from the sell screen (Ctrl+B) with the password and authenticator code, create a
// product with a barcode and a price (a mistyped barcode refused in place first), receive a
// delivery, count the shelf, add an employee and give them a PIN; then that employee signs in,
// scans the new barcode like a scanner and sees
// it in the cart at that price. Screenshots at 1024×768 and 1920×1080 land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeEan13 } from '#contract/gtin.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { scanLikeAScanner, screenshotStep } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';

const BARCODE = makeEan13('779123400077');
const MISTYPED = BARCODE.slice(0, -1) + String((Number(BARCODE.at(-1)) + 3) % 10);

describe('a manager in the back office', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  const name = 'a manager creates a product, receives and counts it, adds a cashier who sells it';
  /** The step at the size the test runs at, and again at 1920×1080. */
  const shot = async (step: string) => {
    await screenshotStep(page, name, `${step} 1024x768`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshotStep(page, name, `${step} 1920x1080`);
    await page.setViewportSize({ width: 1024, height: 768 });
  };

  beforeAll(async () => {
    counter = await startCounter('e2e-back-office', { viewport: { width: 1024, height: 768 } });
    ({ demo, server, page, errors } = counter);
  }, 120_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await page.goto(server.url);
    await signInAs(page, 'Joaquín Peña', demo.people.manager.pin);
    await openShift(page, '500');
    // The way in is on the sell screen, with its shortcut.
    await page
      .getByRole('button', { name: /Administración/ })
      .filter({ hasText: 'Ctrl+B' })
      .waitFor();
    await page.keyboard.press('Control+b');
    // The PIN opened the register; the back office asks for the password and the authenticator's code.
    await page.getByRole('dialog', { name: 'Confirme que es usted' }).waitFor();
    await page.getByLabel('Contraseña de Joaquín Peña').fill(demo.people.manager.password);
    await page.getByLabel('Código de la app de autenticación').fill(totpCodeAt(demo.people.manager.totpSecret, demo.clock.now()));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Administración' }).waitFor();
    await page.getByRole('table').getByRole('row').nth(5).waitFor();
    await shot('products list');

    // A new product; the barcode is mistyped first and refused where it was typed.
    await page.keyboard.press('Alt+n');
    await page.getByLabel('Nombre', { exact: true }).fill('Tortilla de nopal');
    await page.getByLabel('Marca').fill('Milpa Alta');
    await page.getByLabel('Categoría').selectOption({ label: 'Abarrotes' });
    await page.getByLabel('Impuesto').selectOption('IVA0');
    await page.getByLabel('SKU').fill('TOR-NOP-500');
    await page.getByLabel('Variante', { exact: true }).fill('500 g');
    await page.getByLabel('Precio').fill('3O');
    await page.getByLabel('Código de barras').fill(MISTYPED);
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([
        'Escriba una cantidad como 125.50, solo números y un punto.',
        'Ese código de barras no es válido: revise el último dígito (EAN-8, UPC-A, EAN-13 o GTIN-14).',
      ]);
    await expect(page.getByRole('button', { name: /^Guardar/ }).isDisabled()).resolves.toBe(true);
    await shot('new product refused in place');
    await page.getByLabel('Precio').fill('34.50');
    await page.getByLabel('Costo').fill('22');
    await page.getByLabel('Código de barras').fill(BARCODE);
    await page.getByLabel('SKU').press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Guardado' }).count()).toBe(1);
    await page.getByRole('heading', { name: 'Variantes' }).waitFor();
    await expect.poll(() => page.getByLabel('Precio de TOR-NOP-500', { exact: true }).inputValue()).toBe('34.5');
    await page.getByRole('button', { name: `Quitar el código ${BARCODE}` }).waitFor();
    await shot('product saved');
    const [product] = await demo.engine.services.sql.query<{ id: string }>(
      `SELECT id FROM inventory.products WHERE name = 'Tortilla de nopal'`,
    );
    expect(product).toBeDefined();

    // Stock: a delivery of 24, then a shelf count of 20.
    await page.keyboard.press('Alt+2');
    await page.getByLabel('Nombre, marca, SKU o código de barras').fill('TOR-NOP-500');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Existencias de Tortilla de nopal 500 g' }).click();
    await page.getByLabel('Cantidad recibida').fill('24');
    await page.getByLabel('Costo unitario').fill('21.80');
    await page.getByLabel('Factura o remisión del proveedor').fill('Remisión 4471');
    await page.getByRole('button', { name: /^Recibir/ }).dblclick();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Recibido' }).textContent()).toBe('Recibido: 24. Existencia: 24.');
    await page.getByLabel('Cantidad contada').fill('20');
    await page.getByLabel('Motivo').fill('Conteo de anaquel');
    await page.getByRole('button', { name: /^Ajustar/ }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Ajuste' }).textContent()).toBe('Ajuste de -4. Existencia: 20.');
    await expect.poll(() => page.getByRole('table').getByRole('row').count()).toBe(2);
    await shot('stock received and counted');
    // The double click received once.
    const moves = await demo.engine.services.sql.query<{ kind: string; quantity: string }>(
      `
      SELECT m.kind, m.quantity::text FROM inventory.stock_movements m JOIN inventory.product_variants v ON v.id = m.variant_id
      WHERE v.product_id = $1 ORDER BY m.occurred_at, m.id`,
      [product!.id],
    );
    expect(moves).toEqual([
      { kind: 'RECEIVE', quantity: '24.0000' },
      { kind: 'COUNT', quantity: '-4.0000' },
    ]);

    // A new cashier with a PIN.
    await page.keyboard.press('Alt+3');
    await page.getByRole('button', { name: 'Editar a Ángela Ibáñez' }).waitFor();
    await page.keyboard.press('Alt+n');
    await page.getByLabel('Número de empleado').fill('010');
    await page.getByLabel('Nombre', { exact: true }).fill('Luis Ortega');
    await page.getByLabel('Rol').selectOption({ label: 'Cajero' });
    await page.getByRole('button', { name: /^Guardar/ }).click();
    await page.getByLabel('PIN nuevo de Luis Ortega').fill('4321');
    await page.getByLabel('Repita el PIN').fill('4312');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Los dos PIN no coinciden.');
    await page.getByLabel('Repita el PIN').fill('4321');
    await page.getByRole('button', { name: 'Guardar PIN' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'PIN' }).textContent()).toBe('PIN guardado.');
    await shot('employee with a PIN');

    await page.keyboard.press('Escape');
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.getByRole('button', { name: 'Salir' }).click();

    // The new cashier signs in and sells the new product.
    await signInAs(page, 'Luis Ortega', '4321');
    const scanField = page.getByLabel('Escanee o escriba un código');
    await scanField.waitFor();
    // A cashier is not offered the back office.
    expect(await page.getByRole('button', { name: /Administración/ }).count()).toBe(0);
    await scanLikeAScanner(page, BARCODE);
    await page.getByText('Tortilla de nopal 500 g').waitFor();
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$34.50');
    await shot('new cashier sells the new product');
    expect(errors).toEqual([]);
  });
});
