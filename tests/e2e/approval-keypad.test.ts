// The approval dialog and the touch keypad in Debian's Chromium against serve mode: the dialog
// says what is approved and for how much, offers only those who may approve it (never the cashier
// asking), takes the focus, moves with the arrows, closes with Esc, keeps letters out of the PIN,
// and takes the PIN from its keypad; the keypad types into the opening float, the cash received,
// a line's quantity, a return's quantity and a cash movement. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from '#engine/server/serve.ts';
import { explained, scanLikeAScanner, screenshotStep } from '../support/browser.ts';
import { signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50

/** Controls on screen smaller than a fingertip (44 px either way); a radio or checkbox counts by its label. */
const smallTargets = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('button, input, select')]
  .filter((e) => e.type !== 'radio' && e.type !== 'checkbox')
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (r.width < 44 || r.height < 44); })
  .map((e) => (e.getAttribute('aria-label') || e.textContent || e.id || e.tagName).trim())`);

/** Anything in the dialog that sticks out of the window or of its own box (clipped or overflowing). */
const outOfView = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('[role="dialog"] *, [role="dialog"]')]
  .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth || e.scrollWidth > e.clientWidth + 1); })
  .map((e) => e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40))`);

const focusedName = (page: Page) =>
  page.evaluate(`(() => { const e = document.activeElement; return e?.id === 'approval-pin' ? 'PIN' : (e?.textContent ?? '').trim(); })()`);

describe('approval and the keypad', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    counter = await startCounter('e2e-approval-keypad');
    ({ demo, server, page, errors } = counter);
  }, 120_000);
  afterAll(() => counter?.close());

  it('opens the shift with the float tapped on the keypad', async () => {
    const shot = (step: string) => screenshotStep(page, 'approval and keypad', step);
    await page.goto(server.url);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    const float = page.getByLabel('Fondo de caja');
    await float.waitFor();
    const pad = page.getByRole('group', { name: 'Teclado numérico' });
    for (const key of ['5', '00', '7']) await pad.getByRole('button', { name: key, exact: true }).click();
    await expect.poll(() => float.inputValue()).toBe('5007');
    await pad.getByRole('button', { name: 'Borrar el último dígito' }).click();
    await expect.poll(() => float.inputValue()).toBe('500');
    await pad.getByRole('button', { name: 'Punto decimal' }).click();
    await pad.getByRole('button', { name: 'Punto decimal' }).click();
    await pad.getByRole('button', { name: '5', exact: true }).click();
    await expect.poll(() => float.inputValue()).toBe('500.5');
    await pad.getByRole('button', { name: 'Borrar todo' }).click();
    await expect.poll(() => float.inputValue()).toBe('');
    for (const key of ['5', '00']) await pad.getByRole('button', { name: key, exact: true }).click();
    // The keys never took the focus: Enter in the field opens the shift.
    expect(await page.evaluate('document.activeElement?.getAttribute("inputmode")')).toBe('decimal');
    await shot('float on the keypad');
    expect(await smallTargets(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByLabel('Escanee o escriba un código').waitFor();
  });

  it('says what a price override is and for how much, offers only the two who may approve it, and closes with Esc', async () => {
    const shot = (step: string) => screenshotStep(page, 'approval and keypad', step);
    await scanLikeAScanner(page, ARROZ);
    await explained(page, () => page.getByRole('button', { name: 'Elegir Arroz súper extra 900 g' }).waitFor());
    const askForPrice = async () => {
      await page.keyboard.press('Alt+P');
      const price = page.getByRole('dialog', { name: 'Cambiar el precio: Arroz súper extra 900 g' });
      await price.getByLabel('Precio nuevo por pza').fill('20.00');
      await price.getByLabel('Motivo del cambio').fill('Precio de oferta');
      await page.keyboard.press('Enter');
    };
    await askForPrice();
    const approval = page.getByRole('dialog', { name: 'Autorización de gerente' });
    await approval.waitFor();
    await expect
      .poll(() => approval.locator('#approval-what').textContent())
      .toBe('Cambiar el precio de Arroz súper extra 900 g de $31.50 a $20.00');
    const who = approval.getByRole('group', { name: '¿Quién autoriza?' }).getByRole('button');
    expect((await who.allTextContents()).map((t) => t.trim())).toEqual(['Joaquín Peña Gerente', 'Rosa María Núñez Dueño']);
    await expect.poll(() => focusedName(page)).toBe('Joaquín Peña Gerente');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedName(page)).toBe('Rosa María Núñez Dueño');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedName(page)).toBe('Joaquín Peña Gerente');
    await shot('price override asked, the first approver focused');
    expect(await outOfView(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => approval.count()).toBe(0);
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$31.50');

    // Asked again: Enter on the focused name moves to the PIN; letters change nothing and say why.
    await askForPrice();
    await approval.waitFor();
    await expect.poll(() => focusedName(page)).toBe('Joaquín Peña Gerente');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('PIN');
    const pin = approval.getByLabel('PIN de Joaquín Peña');
    await page.keyboard.type('1a');
    await expect.poll(() => pin.inputValue()).toBe('1');
    await expect.poll(() => approval.getByRole('alert').textContent()).toBe('El PIN lleva solo números.');
    // A wrong PIN asks the same person again, in place.
    await page.keyboard.type('111');
    await page.keyboard.press('Enter');
    await expect.poll(() => approval.getByRole('alert').textContent()).toBe('La autorización no fue aceptada.');
    await expect.poll(() => focusedName(page)).toBe('PIN');
    await expect.poll(() => approval.getByRole('button', { name: 'Joaquín Peña' }).getAttribute('aria-pressed')).toBe('true');
    // The right PIN, tapped on the dialog's keypad.
    const pad = approval.getByRole('group', { name: 'Teclado numérico' });
    for (const key of demo.people.manager.pin) await pad.getByRole('button', { name: key, exact: true }).click();
    await expect.poll(() => pin.inputValue()).toBe(demo.people.manager.pin);
    await shot('PIN typed on the keypad');
    expect(await smallTargets(page)).toEqual([]);
    expect(await outOfView(page)).toEqual([]);
    await approval.getByRole('button', { name: /Autorizar/ }).click();
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$20.00');
  });

  it("goes straight to the PIN when only the owner may approve a discount above the manager's limit", async () => {
    const shot = (step: string) => screenshotStep(page, 'approval and keypad', step);
    await page.keyboard.press('Alt+D');
    const discount = page.getByRole('dialog', { name: 'Descuento a Arroz súper extra 900 g' });
    await discount
      .getByLabel(/Descuento/)
      .first()
      .waitFor();
    await discount.locator('#discount-value').fill('40');
    await page.keyboard.press('Enter');
    const approval = page.getByRole('dialog', { name: 'Autorización de gerente' });
    await approval.waitFor();
    await expect.poll(() => approval.locator('#approval-what').textContent()).toBe('Descuento de 40 % en Arroz súper extra 900 g');
    expect(
      (await approval.getByRole('group', { name: '¿Quién autoriza?' }).getByRole('button').allTextContents()).map((t) => t.trim()),
    ).toEqual(['Rosa María Núñez Dueño']);
    await expect.poll(() => focusedName(page)).toBe('PIN');
    await shot('discount over the manager limit, only the owner');
    await approval.getByRole('button', { name: /Cancelar/ }).click();
    await expect.poll(() => approval.count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it("types a line's quantity, the cash received, a return's quantity and a cash movement on the keypad", async () => {
    const shot = (step: string) => screenshotStep(page, 'approval and keypad', step);
    await page.getByRole('dialog', { name: /Descuento a/ }).waitFor({ state: 'detached' });
    // The quantity shows selected: the first key on the pad replaces it.
    await page.keyboard.press('F5');
    const quantityDialog = page.getByRole('dialog', { name: 'Cambiar la cantidad: Arroz súper extra 900 g' });
    await quantityDialog.getByLabel('Cantidad nueva').waitFor();
    await quantityDialog.getByRole('group', { name: 'Teclado numérico' }).getByRole('button', { name: '2', exact: true }).click();
    await expect.poll(() => quantityDialog.getByLabel('Cantidad nueva').inputValue()).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$40.00');
    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.waitFor();
    const payPad = page.getByRole('dialog', { name: /Cobrar/ }).getByRole('group', { name: 'Teclado numérico' });
    for (const key of ['5', '0']) await payPad.getByRole('button', { name: key, exact: true }).click();
    await expect.poll(() => cash.inputValue()).toBe('50');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cambio' }).textContent()).toBe('Cambio: $10.00');
    await shot('cash received on the keypad');
    expect(await outOfView(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.getByText(/^Venta RCAJA-1-000001$/).waitFor();
    await page.keyboard.press('Enter');

    await page.keyboard.press('F8');
    const code = page.getByLabel('Ticket a devolver (escanee o escriba)');
    await code.fill('1');
    await page.keyboard.press('Enter');
    const quantity = page.getByLabel('Devolver de Arroz súper extra 900 g');
    await quantity.waitFor();
    await page.getByRole('group', { name: 'Teclado numérico' }).getByRole('button', { name: '1', exact: true }).click();
    await expect.poll(() => quantity.inputValue()).toBe('1');
    await page.getByLabel('Motivo').fill('Bolsa rota');
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    const approval = page.getByRole('dialog', { name: 'Autorización de gerente' });
    await approval.waitFor();
    await expect.poll(() => approval.locator('#approval-what').textContent()).toBe('Devolver $20.00 del ticket RCAJA-1-000001');
    await shot('return asked for, with its refund');
    await page.keyboard.press('Escape');
    await expect.poll(() => approval.count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.keyboard.press('F9');
    const amount = page.getByLabel('Importe');
    await amount.waitFor();
    const cashPad = page.getByRole('group', { name: 'Teclado numérico' });
    for (const key of ['1', '2', '0']) await cashPad.getByRole('button', { name: key, exact: true }).click();
    await expect.poll(() => amount.inputValue()).toBe('120');
    await shot('cash movement on the keypad');
    expect(await smallTargets(page)).toEqual([]);
    // Chromium logs every 4xx answer: the approvals asked for (403) were provoked on purpose.
    expect(errors.filter((e) => !/403 .*\/api\/(sales\.overridePrice|sales\.setLineDiscount|returns\.create)/.test(e))).toEqual([]);
  });
});
