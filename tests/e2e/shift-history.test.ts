// The shift's sales, reprints and the register's language in Debian's Chromium against serve
// mode, on a register with no printer set: a reprint and a gift receipt after a sale show their
// paper on screen and say there is no printer; the shift's sales are listed newest first (Ctrl+H),
// a receipt is found by its scanned barcode and reprinted, a number the shift does not have is
// said; and the language chosen on the sign-in screen is kept by the engine for the register,
// changes the words at once (Argentina's "vuelto" and "comprobante", then English) and is still
// there after a reload; a manager changes it back in the devices panel. Screenshots land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningServer } from '#engine/server/serve.ts';
import { scanLikeAScanner, screenshotStep, typeLikeAPerson } from '../support/browser.ts';
import { signInAs, startCounter, type Counter, type DemoEngine } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';

const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50
const AGUA_PINA = '7505641000219'; // Polvo para preparar agua sabor piña 15 g, 8.50

describe('the shift history, reprints and the register language in the browser', () => {
  let counter: Counter;
  let demo: DemoEngine;
  let server: RunningServer;
  let page: Page;
  let errors: string[];

  // Sales made before the screens open: six in cash, one by card, one in cash and then returned.
  const sellBeforehand = async (demo: DemoEngine) => {
    const cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const methods = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier }));
    const cash = methods.find((m) => m.code === 'CASH')!.id;
    const card = methods.find((m) => m.code === 'CARD')!.id;
    ok(await demo.engine.call('shifts.open', { idempotencyKey: 'e2e-history-shift', openingFloat: '500' }, { token: cashier }));
    const sell = async (code: string, tender: object) => {
      demo.clock.advance(120_000);
      const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: `e2e-history-${code}` }, { token: cashier }));
      ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: code.split('-')[0]! }, { token: cashier }));
      return ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [tender as never] }, { token: cashier }));
    };
    // Six earlier sales fill the history past its first page.
    for (let n = 1; n <= 6; n++) await sell(`${AGUA_PINA}-${n}`, { methodId: cash, tendered: '10' });
    await sell(ARROZ, { methodId: card, amount: '31.50', cardLast4: '4242', approvalCode: 'A1B2' });
    const returned = await sell(AGUA_PINA, { methodId: cash, tendered: '10' });
    const found = ok(await demo.engine.call('returns.lookup', { code: returned.receiptCode }, { token: cashier }));
    ok(
      await demo.engine.call(
        'returns.create',
        {
          saleId: returned.saleId,
          lines: [{ saleItemId: found.lines[0]!.saleItemId, quantity: '1' }],
          refundMethodId: cash,
          reason: 'Caducado',
          idempotencyKey: 'e2e-history-return',
        },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    demo.clock.advance(120_000);
  };

  beforeAll(async () => {
    counter = await startCounter('e2e-shift-history', { prepare: sellBeforehand });
    ({ demo, server, page, errors } = counter);
  }, 120_000);
  afterAll(() => counter?.close());

  it('shows each reprint on screen and says there is no printer, after a sale and from the shift history', async () => {
    const shot = (step: string) => screenshotStep(page, 'reprints without a printer and the shift history', step);
    await page.goto(server.url);
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await scanLikeAScanner(page, ARROZ);
    await page.getByRole('button', { name: 'Elegir Arroz súper extra 900 g' }).waitFor();
    await page.keyboard.press('F12');
    await page.getByLabel('Efectivo recibido').fill('50');
    await page.keyboard.press('Enter');
    await page.getByText(/^Venta RCAJA-1-000009$/).waitFor();
    const paper = page.getByRole('document', { name: 'RCAJA-1-000009' });
    // The sale's own receipt, laid out, and why it is only on screen.
    await expect.poll(() => paper.textContent()).toContain('Arroz');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No hay impresora' }).count()).toBe(1);
    expect(await paper.textContent()).not.toContain('COPIA');

    await page.getByRole('button', { name: 'Reimprimir' }).click();
    await expect.poll(() => paper.textContent()).toContain('*** COPIA ***');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No hay impresora configurada en esta caja' }).count()).toBe(1);
    await shot('a copy with no printer, on screen');
    await page.getByRole('button', { name: 'Ticket de regalo' }).click();
    await expect.poll(() => paper.textContent()).not.toContain('*** COPIA ***');
    // A gift receipt names what was bought but not what it cost.
    expect(await paper.textContent()).toContain('Arroz');
    expect(await paper.textContent()).not.toContain('31.50');
    await shot('a gift receipt with no printer, on screen');
    await page.keyboard.press('Enter');
    await page.getByLabel('Escanee o escriba un código').waitFor();

    await page.keyboard.press('Control+h');
    const list = page.getByRole('table');
    await expect.poll(() => list.getByRole('row').count()).toBe(9);
    const rows = (await list.getByRole('row').allTextContents()).slice(1);
    expect(await page.getByRole('status').filter({ hasText: 'Página' }).textContent()).toBe('Página 1 de 2');
    expect(rows[0]).toMatch(/^RCAJA-1-000009.*Ángela Ibáñez1\$31\.50Efectivo.*Completada$/);
    expect(rows[1]).toMatch(/^RCAJA-1-000008.*\$8\.50Efectivo.*Devuelta$/);
    expect(rows[2]).toMatch(/^RCAJA-1-000007.*\$31\.50Tarjeta.*···4242Completada$/);
    await shot('the shift sales, newest first');
    expect(await page.evaluate('document.querySelector(".screen").scrollHeight <= document.querySelector(".screen").clientHeight')).toBe(
      true,
    );
    await page.getByRole('button', { name: 'Página siguiente' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Página' }).textContent()).toBe('Página 2 de 2');
    expect((await list.getByRole('row').allTextContents()).slice(1).map((r) => r.slice(0, 14))).toEqual(['RCAJA-1-000001']);
    await page.getByRole('button', { name: 'Página anterior' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Página' }).textContent()).toBe('Página 1 de 2');

    // A receipt's barcode scanned into the search field opens its sale.
    await scanLikeAScanner(page, 'RCAJA-1-000007');
    await page.getByRole('heading', { name: 'RCAJA-1-000007' }).waitFor();
    await expect.poll(() => page.getByRole('document', { name: /RCAJA-1-000007/ }).textContent()).toContain('Arroz');
    await page.getByRole('button', { name: 'Reimprimir' }).click();
    await expect.poll(() => page.getByRole('document', { name: /RCAJA-1-000007/ }).textContent()).toContain('*** COPIA ***');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No hay impresora configurada en esta caja' }).count()).toBe(1);
    await shot('a sale found by its scanned barcode, reprinted on screen');

    // Esc leaves the sale for the list, not the panel.
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Ventas del turno' }).waitFor();
    await page.getByLabel('Número o código de barras del ticket').fill('');
    await page.getByLabel('Número o código de barras del ticket').focus();
    await typeLikeAPerson(page, '999');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('No hay ninguna venta de este turno con el ticket 999.');
    await page.getByRole('button', { name: 'Ver todas' }).click();
    await page.getByRole('button', { name: 'Ver RCAJA-1-000008' }).click();
    await expect.poll(() => page.getByText(/Devuelto: 1/).count()).toBe(1);
    await shot('a returned sale opened');
    const audit = await demo.engine.services.sql.query<{ action: string }>(
      `SELECT action FROM auth.audit_logs WHERE action IN ('sales.reprint', 'sales.gift_receipt') ORDER BY created_at, id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['sales.reprint', 'sales.gift_receipt', 'sales.reprint']);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Ventas del turno' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.getByRole('button', { name: /Ventas del turno/ }).waitFor();
    await shot('the sell screen with the shift sales in its menu');
    expect(errors).toEqual([]);
  });

  it('keeps the language chosen on the sign-in screen for the register and speaks it at once', async () => {
    const shot = (step: string) => screenshotStep(page, 'the register language', step);
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.getByRole('heading', { name: '¿Quién cobra?' }).waitFor();
    await page.getByLabel('Idioma de la caja').selectOption('es-AR');
    await expect.poll(async () => ok(await demo.engine.call('terminal.info', {})).locale).toBe('es-AR');
    await signInAs(page, 'Ángela Ibáñez', demo.people.cashier.pin);
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await scanLikeAScanner(page, AGUA_PINA);
    await page.getByRole('button', { name: /^Elegir Polvo/ }).waitFor();
    await page.keyboard.press('F12');
    await page.getByLabel('Efectivo recibido').fill('10');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Vuelto' }).first().textContent()).toBe('Vuelto: $\u00a01,50');
    await expect.poll(() => page.getByRole('button', { name: 'Comprobante de regalo' }).count()).toBe(1);
    await shot('change is vuelto in Argentina');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+h');
    await page.getByRole('button', { name: /Buscar comprobante/ }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Salir' }).click();
    await page.getByLabel('Idioma de la caja').selectOption('en');
    // The same screen, without a reload, in English.
    await page.getByRole('heading', { name: 'Who is selling?' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shot('sign-in in English');
    await page.reload();
    await page.getByRole('heading', { name: 'Who is selling?' }).waitFor();
    expect(await page.getByLabel('Register language').inputValue()).toBe('en');

    // In the register's settings too, by a manager, while signed in: the panel turns Spanish in place.
    await signInAs(page, 'Joaquín Peña', demo.people.manager.pin, "Joaquín Peña's PIN");
    await page.getByLabel('Scan or type a code').waitFor();
    await page.keyboard.press('F11');
    await page.getByLabel('Register language').selectOption('es-MX');
    await page.getByRole('heading', { name: 'Dispositivos de la caja CAJA-1' }).waitFor();
    expect(await page.getByLabel('Idioma de la caja').inputValue()).toBe('es-MX');
    await shot('the devices panel after choosing Mexican Spanish');
    const changes = await demo.engine.services.sql.query<{ to: string; actor: string | null }>(
      `SELECT details->>'to' AS to, actor_employee_id AS actor FROM auth.audit_logs WHERE action = 'terminal.set_locale' ORDER BY created_at, id`,
    );
    expect(changes.map((c) => [c.to, c.actor])).toEqual([
      ['es-AR', null],
      ['en', null],
      ['es-MX', demo.people.manager.id],
    ]);
    expect(errors).toEqual([]);
  });
});
