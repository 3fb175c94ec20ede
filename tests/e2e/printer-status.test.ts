// The printer's truth on screen, in Debian's Chromium against serve mode with a loopback printer:
// the status bar says, within seconds, that the paper ran out, the cover opened, the printer went away
// or stopped responding, and that it is ready again; the retry works from the keyboard; a receipt
// cut off by a jam is asked about ("¿Salió el ticket?") in a store that chose to be asked, and a
// copy marked as a reprint comes out when the cashier says so; the manager sets the printer's
// model and code page on the devices screen, sees how the printer is, and a test page that does
// not print says why. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocket as PageSocket } from 'playwright-core';
import type { RunningServer } from '#engine/server/serve.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { explained, scanLikeAScanner, screenshotStep } from '../support/browser.ts';
import { openShift, signInAs, startCounter, type CounterWithPrinter, type DemoEngine } from '../support/counter-page.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import type { LoopbackPrinter } from '../support/loopback-printer.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50

describe("the printer's state on screen", () => {
  let counter: CounterWithPrinter;
  let demo: DemoEngine;
  let printer: LoopbackPrinter;
  let server: RunningServer;
  let page: Page;
  let errors: string[];
  /** The calls the page sent over its WebSocket, by name, in order. */
  const sent: string[] = [];

  beforeAll(async () => {
    counter = await startCounter('e2e-printer-status', {
      printer: true,
      // A store that asks the cashier about a receipt whose printing is unknown, rather than printing a copy by itself.
      prepare: async (store) => {
        await store.engine.services.sql.query(
          `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'receipt.uncertain', '"ask"')`,
          [store.demo.store.business.id],
        );
        forgetStoreSettings(store.engine.services.sql);
      },
    });
    ({ demo, printer, server, page, errors } = counter);
    page.on('websocket', (ws: PageSocket) =>
      ws.on('framesent', (frame) => {
        const call = /"call":"([\w.]+)"/.exec(String(frame.payload))?.[1];
        if (call) sent.push(call);
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await counter?.close();
  });

  /** The printer's badge in the status bar. */
  const badge = () => page.locator('.status-bar .printer-status');
  /**
   * Waits for the badge to say `text`. How fast is not asserted (the engine asks an idle printer
   * every second, and speed is the bench's to measure); the wait is generous so a loaded machine
   * does not fail it.
   */
  const saysWithin = async (text: string, _since: number, timeout = 10_000) => {
    await explained(page, () => badge().getByText(text, { exact: true }).waitFor({ timeout }));
  };
  const change = () => Date.now();

  it('says that the paper ran out, the cover opened or the printer went away, and that it is ready again', async () => {
    const shot = (step: string) => screenshotStep(page, 'printer states', step);
    await page.goto(server.url);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await openShift(page, '500');
    await saysWithin('Impresora lista', change(), 10_000);
    await shot('ready');

    let at = change();
    printer.conditions.add('paperEnd');
    await saysWithin('Sin papel', at);
    // Not ready: the badge is the retry button, with its key.
    await page.getByRole('button', { name: /Sin papel.*Reintentar/ }).waitFor();
    await shot('out of paper');
    at = change();
    printer.conditions.delete('paperEnd');
    await saysWithin('Impresora lista', at);
    expect(await page.getByRole('button', { name: /Reintentar/ }).count()).toBe(0);

    at = change();
    printer.conditions.add('coverOpen');
    await saysWithin('Tapa abierta', at);
    await shot('cover open');
    at = change();
    printer.conditions.delete('coverOpen');
    await saysWithin('Impresora lista', at);

    at = change();
    await printer.unplug();
    await saysWithin('Impresora sin conexión', at);
    await shot('unplugged');
    at = change();
    await printer.plugIn();
    await saysWithin('Impresora lista', at);

    // A printer that takes the connection and says nothing is known only once it has had its
    // time to answer (800 ms), after at most a second until the engine's next look.
    at = change();
    printer.hang();
    await saysWithin('La impresora no responde', at);
    await shot('not responding');
    at = change();
    printer.recover();
    await saysWithin('Impresora lista', at);
    await shot('ready again');
    expect(errors).toEqual([]);
  });

  it('tries the printer again from the keyboard: Alt+I anywhere, or Tab to the badge and Enter', async () => {
    const shot = (step: string) => screenshotStep(page, 'retry from the keyboard', step);
    printer.hang();
    await saysWithin('La impresora no responde', change());
    const retries = () => sent.filter((c) => c === 'devices.retryPrinter').length;
    const before = retries();
    await page.getByLabel('Escanee o escriba un código').focus();
    await page.keyboard.press('Alt+i');
    await expect.poll(retries).toBe(before + 1);
    // The key took nothing into the scan field.
    expect(await page.getByLabel('Escanee o escriba un código').inputValue()).toBe('');

    // From the scan field back to the badge, as someone without a mouse would.
    const onBadge = () => page.evaluate(() => document.activeElement?.classList.contains('printer-badge') ?? false);
    for (let i = 0; i < 20 && !(await onBadge()); i++) await page.keyboard.press('Shift+Tab');
    expect(await onBadge()).toBe(true);
    await shot('retry button focused');
    await page.keyboard.press('Enter');
    await expect.poll(retries).toBe(before + 2);
    printer.recover();
    await saysWithin('Impresora lista', change());
    expect(errors).toEqual([]);
  });

  it('asks whether a receipt cut off by a jam came out, and prints a copy marked as a reprint when told to', async () => {
    const shot = (step: string) => screenshotStep(page, 'a receipt cut off by a jam', step);
    await page.getByLabel('Escanee o escriba un código').focus();
    await scanLikeAScanner(page, ARROZ);
    await page.getByRole('button', { name: 'Elegir Arroz súper extra 900 g' }).waitFor();
    // A card sale: no drawer pulse goes to the printer before the receipt.
    printer.jamAfter(20);
    await page.keyboard.press('F12');
    await page.getByRole('tab', { name: /^Tarjeta F2$/ }).click();
    await page.getByLabel('Últimos 4 dígitos de la tarjeta').fill('4242');
    await page.getByLabel('Número de autorización').fill('A1B2C3');
    await page.getByRole('button', { name: 'Cobrar con tarjeta' }).click();
    await page.getByText('Venta RCAJA-1-000001', { exact: true }).waitFor();

    const question = page.getByRole('button', { name: /¿Salió el ticket\?/ });
    await explained(page, () => question.waitFor({ timeout: 15_000 }));
    await page.getByText('No se sabe si salió', { exact: true }).waitFor();
    await saysWithin('La impresora no responde', change());
    await shot('the badge asks');
    const [original] = await demo.engine.services.sql.query<{ id: string; status: string }>(
      `SELECT r.id, r.status FROM sales.receipts r JOIN sales.sales s ON s.id = r.sale_id WHERE s.receipt_number = 1 AND r.copy_number = 0`,
    );
    expect(original?.status).toBe('UNCERTAIN');

    // The key opens the question; the first answer has the focus, Tab goes to the copy.
    await page.keyboard.press('Alt+i');
    const dialog = page.getByRole('dialog', { name: 'Tickets sin confirmar' });
    await dialog.waitFor();
    expect(await dialog.getByRole('listitem').count()).toBe(1);
    await dialog.getByText('Ticket RCAJA-1-000001').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sí, salió');
    await shot('the question');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Imprimir copia');
    await page.keyboard.press('Enter');
    // Nothing left to ask: the dialog closes, the copy waits for the printer, and the receipt screen is still there.
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await question.count()).toBe(0);
    await saysWithin('1 en espera', change());
    await page.getByText('Venta RCAJA-1-000001', { exact: true }).waitFor();
    await shot('a copy waits');

    printer.recover();
    await saysWithin('Impresora lista', change(), 10_000);
    const texts = () => printer.jobs.map((j) => decodeEscPos(j).text);
    await expect
      .poll(() => texts().some((t) => t.includes('*** COPIA / REIMPRESIÓN ***') && t.includes('Tarjeta ****4242')), { timeout: 10_000 })
      .toBe(true);
    const receipts = await demo.engine.services.sql.query<{ copy_number: number; status: string }>(
      `SELECT r.copy_number, r.status FROM sales.receipts r JOIN sales.sales s ON s.id = r.sale_id WHERE s.receipt_number = 1 ORDER BY r.copy_number`,
    );
    expect(receipts).toEqual([
      { copy_number: 0, status: 'REPRINTED' },
      { copy_number: 1, status: 'PRINTED' },
    ]);
    const audit = await demo.engine.services.sql.query<{ actor: string }>(
      `SELECT actor_employee_id AS actor FROM auth.audit_logs WHERE action = 'print.reprinted' AND entity_id = $1`,
      [original!.id],
    );
    expect(audit).toEqual([{ actor: demo.people.cashier.id }]);
    await shot('the copy printed');
    await page.keyboard.press('Enter');
    await page.getByLabel('Escanee o escriba un código').waitFor();
    expect(errors).toEqual([]);
  });

  it("takes the cashier's word that a receipt came out, by mouse this time", async () => {
    await scanLikeAScanner(page, AGUA_PINA);
    await page.getByRole('button', { name: 'Elegir Polvo para preparar agua sabor piña 15 g' }).waitFor();
    printer.jamAfter(20);
    await page.keyboard.press('F12');
    await page.getByRole('tab', { name: /^Tarjeta F2$/ }).click();
    await page.getByLabel('Últimos 4 dígitos de la tarjeta').fill('1111');
    await page.getByLabel('Número de autorización').fill('Z9');
    await page.getByRole('button', { name: 'Cobrar con tarjeta' }).click();
    await page.getByText('Venta RCAJA-1-000002', { exact: true }).waitFor();
    const question = page.getByRole('button', { name: /¿Salió el ticket\?/ });
    await explained(page, () => question.waitFor({ timeout: 15_000 }));
    await question.click();
    const dialog = page.getByRole('dialog', { name: 'Tickets sin confirmar' });
    await dialog.getByRole('button', { name: 'Sí, salió: Ticket RCAJA-1-000002' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const [receipt] = await demo.engine.services.sql.query<{ status: string; copies: number }>(
      `SELECT r.status, (SELECT count(*)::int FROM sales.receipts c WHERE c.sale_id = s.id AND c.copy_number > 0) AS copies
       FROM sales.receipts r JOIN sales.sales s ON s.id = r.sale_id WHERE s.receipt_number = 2 AND r.copy_number = 0`,
    );
    expect(receipt).toEqual({ status: 'PRINTED', copies: 0 });
    await page.getByText('Impreso', { exact: true }).waitFor();
    printer.recover();
    await saysWithin('Impresora lista', change(), 10_000);
    await page.keyboard.press('Enter');
    expect(errors).toEqual([]);
  });

  it("lets a manager set the printer's model and code page, shows how it is, and says why a test page did not print", async () => {
    const shot = (step: string) => screenshotStep(page, 'the devices screen', step);
    await page.getByRole('button', { name: 'Salir' }).click();
    await signInAs(page, 'Joaquín Peña', demo.people.manager.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('F11');
    await expect.poll(() => page.getByLabel('Dirección de la impresora').inputValue()).toBe(printer.uri);
    const facts = page.getByRole('region', { name: 'Estado' });
    await facts.getByText('Impresora lista', { exact: true }).waitFor();
    await facts.getByText('informa su estado', { exact: true }).waitFor();

    // A model without the code page chosen puts it back to automatic.
    await page.getByLabel('Página de códigos').selectOption('iso8859-15');
    await page.getByLabel('Modelo de la impresora').selectOption('epson-tm-t88iv');
    expect(await page.getByLabel('Página de códigos').inputValue()).toBe('auto');
    expect(await page.getByLabel('Página de códigos').locator('option').allTextContents()).toEqual([
      'Automática (según el texto)',
      'PC850',
      'PC858 (€)',
      'Windows-1252',
    ]);
    await page.getByLabel('Página de códigos').selectOption('cp858');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Guardado.').waitFor();
    const [stored] = await demo.engine.services.sql.query<{ value: Record<string, { printer: unknown }> }>(
      `SELECT value FROM business.settings WHERE key = 'devices.registers' AND deleted_at IS NULL`,
    );
    expect(stored!.value['CAJA-1']!.printer).toEqual({ uri: printer.uri, model: 'epson-tm-t88iv', codepage: 'cp858', paperWidth: 80 });
    await page.getByLabel('Dirección de la impresora').scrollIntoViewIfNeeded();
    await shot('model and code page saved');

    // The printer hangs: the screen says so as it happens, and the test page says why it did not print.
    printer.hang();
    await explained(page, () => facts.getByText('La impresora no responde', { exact: true }).waitFor({ timeout: 5_000 }));
    const jobs = printer.jobs.length;
    await page.getByRole('button', { name: 'Imprimir página de prueba' }).click();
    await explained(page, () =>
      page.getByText('No se imprimió la página de prueba: la impresora no responde', { exact: true }).waitFor({ timeout: 15_000 }),
    );
    await facts.getByText('Detalle técnico').waitFor();
    await shot('test page refused by a hung printer');
    await facts.scrollIntoViewIfNeeded();
    await shot('a hung printer on the devices screen');
    printer.recover();
    await facts.getByText('Impresora lista', { exact: true }).waitFor();

    printer.conditions.add('paperEnd');
    await facts.getByText('Sin papel', { exact: true }).waitFor();
    // What it says about itself, in words: out of paper, and so off line.
    await facts
      .getByText(/fuera de línea/)
      .filter({ hasText: 'sin papel' })
      .waitFor();
    await page.getByRole('button', { name: 'Imprimir página de prueba' }).click();
    await page.getByText('No se imprimió la página de prueba: la impresora no tiene papel', { exact: true }).waitFor();
    await shot('test page refused without paper');
    printer.conditions.delete('paperEnd');
    await facts.getByText('Impresora lista', { exact: true }).waitFor();

    // What did not print was never sent; the test page prints once the printer is back, for the model chosen.
    const sentBefore = printer.jobs.slice(jobs).map((j) => decodeEscPos(j).text);
    expect(sentBefore.some((t) => t.includes('PÁGINA DE PRUEBA'))).toBe(false);
    const retries = sent.filter((c) => c === 'devices.retryPrinter').length;
    await facts.getByRole('button', { name: 'Reintentar', exact: true }).click();
    await expect.poll(() => sent.filter((c) => c === 'devices.retryPrinter').length).toBe(retries + 1);
    await page.getByRole('button', { name: 'Imprimir página de prueba' }).click();
    await page.getByText('Página de prueba impresa.').waitFor();
    const page1 = decodeEscPos(printer.jobs.at(-1)!);
    expect(page1.lines.find((l) => l.startsWith('Perfil'))).toMatch(/epson-tm-t88iv$/);
    expect(page1.lines.find((l) => l.startsWith('Página de códigos'))).toMatch(/cp858$/);
    expect(page1.codePages).toContain('cp858');
    expect(page1.lines.map((l) => l.trim())).toContain('Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $');
    await shot('test page printed');
    expect(errors).toEqual([]);
  });
});
