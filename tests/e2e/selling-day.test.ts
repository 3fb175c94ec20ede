// A cashier's day in Debian's Chromium against serve mode: sign in with the PIN, open the shift,
// ring up three barcodes typed by a keyboard-wedge scanner (one of them while a button has the
// focus) and a weighed scale label, take cash and read the receipt the loopback printer got,
// return one item with a manager's approval, pay the water man out of the drawer, count the
// drawer and close the shift, and find the Z report on the printer. Screenshots of every step
// land in test-results/ to be looked at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { gtinCheckDigit } from '#contract/gtin.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { launchBrowser, scanLikeAScanner, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type CounterWithPrinter, type DemoEngine } from '../support/counter-page.ts';
import { decodeEscPos, isDrawerKick } from '../support/escpos-decoder.ts';
import type { LoopbackPrinter } from '../support/loopback-printer.ts';

const ARROZ = '7505599000026';
const AGUA_PINA = '7505641000219';
/** Limón, PLU 00101, 1.234 kg, as a Mexican scale prints it: 20 PPPPP WWWWW C. */
const LIMON_LABEL = (() => {
  const body = '20' + '00101' + '01234';
  return body + gtinCheckDigit(body);
})();

describe('a cashier in the browser', () => {
  let counter: CounterWithPrinter;
  let demo: DemoEngine;
  let server: RunningServer;
  let printer: LoopbackPrinter;
  let page: Page;
  let errors: string[];
  const name = 'a cashier sells, takes cash, returns an item, pays out and closes the shift';
  const shot = (step: string) => screenshotStep(page, name, step);

  beforeAll(async () => {
    counter = await startCounter('e2e-selling-day', { printer: true });
    ({ demo, server, printer, page, errors } = counter);
  }, 120_000);
  afterAll(() => counter?.close());

  it(name, async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Ángela Ibáñez' }).click();
    await page.getByLabel('PIN de Ángela Ibáñez').fill('1111');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('PIN incorrecto. Inténtelo de nuevo.');
    await shot('wrong PIN');
    await page.getByLabel('PIN de Ángela Ibáñez').fill(demo.people.cashier.pin);
    await page.keyboard.press('Enter');

    await page.getByLabel('Fondo de caja').fill('500 pesos');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/solo números/);
    await expect(page.getByRole('button', { name: 'Abrir turno' }).isDisabled()).resolves.toBe(true);
    await shot('float refused');
    await page.getByLabel('Fondo de caja').fill('500');
    await page.keyboard.press('Enter');
    await page.getByText('Impresora lista', { exact: true }).waitFor();

    const scanField = page.getByLabel('Escanee o escriba un código');
    await scanField.waitFor();
    await shot('ready to sell');
    await scanLikeAScanner(page, ARROZ);
    await page.getByText('Arroz súper extra 900 g').waitFor();
    await scanLikeAScanner(page, AGUA_PINA);
    await page.getByText('Polvo para preparar agua sabor piña 15 g').waitFor();
    // The cashier pressed + on a line: the focus is on that button when the next scan comes.
    await page.getByRole('button', { name: 'Uno más de Arroz súper extra 900 g' }).click();
    await expect.poll(() => page.getByLabel('Cantidad de Arroz súper extra 900 g').textContent()).toBe('2');
    await page.getByRole('button', { name: 'Uno más de Polvo para preparar agua sabor piña 15 g' }).focus();
    await scanLikeAScanner(page, ARROZ);
    await expect.poll(() => page.getByLabel('Cantidad de Arroz súper extra 900 g').textContent()).toBe('3');
    await scanLikeAScanner(page, LIMON_LABEL);
    await page.getByText('Limón').waitFor();
    await expect.poll(() => page.getByLabel('Cantidad de Limón').textContent()).toBe('1.234 kg');
    // 3 × 31.50 + 8.50 + 1.234 kg × 34.00 (41.96)
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$144.96');
    await shot('cart with a weighed item');

    await page.keyboard.press('F12');
    const cash = page.getByLabel('Efectivo recibido');
    await cash.fill('1OO');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/solo números/);
    await shot('amount refused');
    await cash.fill('200');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Cambio' }).textContent()).toBe('Cambio: $55.04');
    await shot('change before paying');
    // A double click on the pay button pays once.
    await page.getByRole('button', { name: /Cobrar en efectivo/ }).dblclick();
    await page.getByText(/^Venta RCAJA-1-\d{6}$/).waitFor();
    const receiptCode = (await page.getByText(/^Venta RCAJA-1-\d{6}$/).textContent())!.replace('Venta ', '');
    await shot('receipt');

    const [kick, job] = await printer.waitForJobs(2);
    expect(isDrawerKick(kick!)).toBe(true);
    const text = decodeEscPos(job!).lines.map((l) => l.trim());
    expect(text).toContain('Arroz súper extra 900 g');
    expect(text.find((l) => l.startsWith('3 x $31.50'))).toMatch(/\$94\.50$/);
    expect(text.find((l) => l.startsWith('1.234 kg x $34.00'))).toMatch(/\$41\.96$/);
    expect(text.find((l) => l.startsWith('TOTAL'))).toMatch(/\$144\.96$/);
    expect(text.find((l) => l.startsWith('Efectivo'))).toMatch(/\$200\.00$/);
    expect(text.find((l) => l.startsWith('Cambio'))).toMatch(/\$55\.04$/);
    const sales = await demo.engine.services.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales.sales WHERE status = 'COMPLETED'`,
    );
    expect(sales[0]!.n).toBe(1);
    await expect.poll(() => page.getByText('Impreso', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByText('Impresora lista', { exact: true }).count()).toBe(1);

    await page.keyboard.press('Enter');
    await scanField.waitFor();
    await expect.poll(() => page.getByText('Escanee un producto para empezar la venta.').count()).toBe(1);
    await shot('next customer');

    // A return: the receipt's barcode scanned, one rice back, cash out; the cashier needs a manager.
    await page.keyboard.press('F8');
    await page.getByLabel('Ticket a devolver (escanee o escriba)').waitFor();
    await scanLikeAScanner(page, receiptCode);
    await page.getByLabel('Devolver de Arroz súper extra 900 g').fill('4');
    await page.getByLabel('Motivo').fill('Bolsa rota');
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Solo se pueden devolver 3 de Arroz súper extra 900 g.');
    await shot('return of too many refused');
    await page.getByLabel('Devolver de Arroz súper extra 900 g').fill('1');
    await page.getByRole('button', { name: 'Devolver', exact: true }).click();
    const approval = page.getByRole('dialog', { name: 'Autorización de gerente' });
    await approval.waitFor();
    await shot('manager approval');
    await approval.getByRole('button', { name: 'Joaquín Peña' }).click();
    await approval.getByLabel('PIN de Joaquín Peña').fill(demo.people.manager.pin);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Devolución' }).textContent()).toBe('Devolución 1: $31.50');
    await shot('return done');
    // A cash refund opens the drawer, then the return's receipt prints.
    const [returnKick, returnJob] = (await printer.waitForJobs(4)).slice(2);
    expect(isDrawerKick(returnKick!)).toBe(true);
    expect(decodeEscPos(returnJob!).lines.map((l) => l.trim())).toContain('DEVOLUCIÓN CAJA-1-1');

    // A pay-out for the water, then the close.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F9');
    await page.getByLabel('Importe').fill('45.50');
    await page.getByLabel('Motivo').fill('Garrafones de agua');
    await page.getByRole('button', { name: 'Registrar' }).click();
    await page.getByText('Registrado.').waitFor();
    await shot('pay-out');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    // Expected: 500 + 144.96 − 31.50 − 45.50 = 567.96; counted 567.50, within the tolerance.
    for (const [note, count] of [
      ['500', '1'],
      ['50', '1'],
      ['10', '1'],
      ['5', '1'],
      ['2', '1'],
      ['0.50', '1'],
    ] as const) {
      await page.getByLabel(`Cantidad de ${note === '0.50' ? '$0.50' : `$${note}.00`}`).fill(count);
    }
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Contado' }).textContent()).toBe('Contado: $567.50');
    await shot('count');
    await page.getByRole('button', { name: 'Cerrar turno', exact: true }).click();
    await page.getByText('Corte Z 1').waitFor();
    await expect.poll(() => page.getByLabel('Diferencia').textContent()).toBe('-$0.46');
    await shot('shift closed');
    const zJob = (await printer.waitForJobs(5))[4]!;
    const z = decodeEscPos(zJob).lines.map((l) => l.trim());
    expect(z).toContain('CORTE Z No. 1');
    expect(z.find((l) => l.startsWith('Esperado en caja'))).toMatch(/\$567\.96$/);
    expect(z.find((l) => l.startsWith('Contado'))).toMatch(/\$567\.50$/);
    await page.getByRole('button', { name: 'Terminar' }).click();
    await page.getByRole('heading', { name: '¿Quién cobra?' }).waitFor();
    await shot('signed out');
    // Chromium logs every 4xx answer; the wrong PIN (401) and the return before the manager's
    // approval (403) were provoked on purpose. Nothing else went wrong.
    expect(errors.filter((e) => !/401 .*\/api\/auth\.signInWithPin|403 .*\/api\/returns\.create/.test(e))).toEqual([]);
  });

  it('a cashier types a code by hand, finds a product by name, holds a sale, and takes a card', async () => {
    const shot2 = (step: string) => screenshotStep(page, 'a cashier types, searches, holds a sale and takes a card', step);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await openShift(page, '500');
    const scanField = page.getByLabel('Escanee o escriba un código');
    // Typed at a person's pace into the scan field, then Enter.
    await scanField.focus();
    await typeLikeAPerson(page, AGUA_PINA);
    await page.keyboard.press('Enter');
    await page.getByText('Polvo para preparar agua sabor piña 15 g').waitFor();
    // Found by name, accents and a slip forgiven.
    await page.keyboard.press('F3');
    await page.getByLabel('Nombre, marca o código').fill('jalapeno');
    const first = page.getByRole('button', { name: /^Agregar .*Jalapeño/ }).first();
    await first.waitFor();
    await shot2('search');
    await first.click();
    await page
      .getByText(/Jalapeño/)
      .first()
      .waitFor();
    // 10 % off the powder: over the cashier's 5 % limit, so a manager approves it.
    await page.getByRole('button', { name: 'Descuento a Polvo para preparar agua sabor piña 15 g' }).click();
    await page.getByLabel('Descuento %').fill('10');
    await page.getByRole('button', { name: 'Aplicar' }).click();
    const approval = page.getByRole('dialog', { name: 'Autorización de gerente' });
    await approval.getByRole('button', { name: 'Joaquín Peña' }).click();
    await approval.getByLabel('PIN de Joaquín Peña').fill(demo.people.manager.pin);
    await page.keyboard.press('Enter');
    await page.getByText('−$0.85').first().waitFor();
    await shot2('discount approved');
    // Held while the customer fetches something, then taken up again.
    await page.keyboard.press('F6');
    await page.getByText('Escanee un producto para empezar la venta.').waitFor();
    await page.keyboard.press('F7');
    await page.getByRole('button', { name: /^Retomar venta de/ }).click();
    await page.getByText('Polvo para preparar agua sabor piña 15 g').waitFor();
    await shot2('recalled');
    const before = printer.jobs.length;
    await page.keyboard.press('F12');
    await page.getByRole('tab', { name: /^Tarjeta F2$/ }).click();
    await page.getByLabel('Últimos 4 dígitos de la tarjeta').fill('4242');
    await page.getByLabel('Número de autorización').fill('A1B2C3');
    await shot2('card');
    await page.getByRole('button', { name: 'Cobrar con tarjeta' }).click();
    await page.getByText(/^Venta RCAJA-1-\d{6}$/).waitFor();
    await shot2('card receipt');
    const [job] = (await printer.waitForJobs(before + 1)).slice(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.jobs).toHaveLength(before + 1);
    // A card sale opens no drawer: the last job is the receipt, with the card's last digits.
    expect(isDrawerKick(job!)).toBe(false);
    expect(decodeEscPos(job!).lines.some((l) => /^Tarjeta \*\*\*\*4242/.test(l.trim()))).toBe(true);

    // The roll runs out: a reprint waits, and the status bar says why until paper is in.
    printer.conditions.add('paperEnd');
    await page.getByRole('button', { name: 'Reimprimir' }).click();
    await page.getByText('Sin papel', { exact: true }).waitFor();
    await shot2('out of paper');
    printer.conditions.delete('paperEnd');
    await page.getByText('Impresora lista', { exact: true }).waitFor({ timeout: 15_000 });
    const copy = decodeEscPos((await printer.waitForJobs(before + 2))[before + 1]!).lines.map((l) => l.trim());
    expect(copy).toContain('*** COPIA ***');
  });

  it('a manager sets the printer to 58 mm paper and prints a test page from the devices screen', async () => {
    const shot3 = (step: string) => screenshotStep(page, 'a manager sets up the printer', step);
    await page.getByRole('button', { name: 'Salir' }).click();
    await signInAs(page, 'Joaquín Peña', demo.people.manager.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('F11');
    await expect.poll(() => page.getByLabel('Dirección de la impresora').inputValue()).toBe(printer.uri);
    await page.getByLabel('58 mm').check();
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Guardado.').waitFor();
    const before = printer.jobs.length;
    await page.getByRole('button', { name: 'Imprimir página de prueba' }).click();
    await page.getByText('Página de prueba impresa.').waitFor();
    await shot3('test page sent');
    const { lines } = decodeEscPos((await printer.waitForJobs(before + 1))[before]!);
    expect(lines.map((l) => l.trim())).toContain('Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $');
    expect(lines.find((l) => l.startsWith('Papel'))).toMatch(/58 mm, 32 columnas$/);
    expect(lines.every((l) => l.length <= 32)).toBe(true);
  });

  it('shows the screens in English on a 1920×1080 display', async () => {
    const wide = await launchBrowser({ viewport: { width: 1920, height: 1080 } });
    try {
      await wide.page.goto(`${server.url}/?lang=en`);
      await wide.page.getByRole('heading', { name: 'Who is selling?' }).waitFor();
      await signInAs(wide.page, 'Ángela Ibáñez', demo.people.cashier.pin, "Ángela Ibáñez's PIN");
      await wide.page.getByLabel('Scan or type a code').waitFor();
      await scanLikeAScanner(wide.page, ARROZ);
      await wide.page.getByText('Arroz súper extra 900 g').waitFor();
      await expect.poll(() => wide.page.getByRole('button', { name: /^Pay/ }).textContent()).toBe('Pay F12');
      await screenshotStep(wide.page, 'the screens in English at 1920x1080', 'selling');
    } finally {
      await wide.close();
    }
  });
});
