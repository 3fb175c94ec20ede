// The register's card terminal on the pay screen, in Debian's Chromium against serve mode, with a
// loopback Mercado Pago on 127.0.0.1 as the terminal's provider, by keyboard alone. A sale of $40.00
// is split: $30.00 go to the terminal (F12, F5, the amount, Enter), the screen follows the charge
// while the customer takes the card to it, and the approval becomes a tender; the rest is cash.
// Then a charge is taken off the terminal with F9 before the customer pays, and the sale is paid in
// cash. Then a gift card is sold (Alt+G) and a sale is split between that gift card, the card
// terminal and cash. Screenshots land in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explained, scanLikeAScanner, screenshotStep } from '../support/browser.ts';
import { type Counter, openShift, signInAs } from '../support/counter-page.ts';
import type { LoopbackMercadoPago } from '../support/loopback-mercadopago.ts';
import { MP_TERMINAL as TERMINAL, startCardTerminalCounter } from '../support/card-terminal-counter.ts';

const ARROZ = '7505599000026'; // 31.50
const AGUA_PINA = '7505641000219'; // 8.50

describe('the card terminal on the pay screen', () => {
  let counter: Counter;
  let mp: LoopbackMercadoPago;
  let page: Page;
  let errors: string[];

  const state = () => page.getByRole('tabpanel', { name: 'Cobro en la terminal de tarjetas' }).getByRole('status');
  const lastOrder = () => mp.orders.at(-1)!;

  beforeAll(async () => {
    ({ counter, mp } = await startCardTerminalCounter('e2e-card-terminal'));
    ({ page, errors } = counter);
  }, 180_000);
  afterAll(async () => {
    await counter?.close();
    await mp?.close();
  });

  it('splits a sale between the card terminal and cash, following the charge to its approval', async () => {
    const name = 'a cashier charges part of a sale on the card terminal';
    const shot = (step: string) => screenshotStep(page, name, `${step} 1024x768`);
    await page.goto(counter.server.url);
    await signInAs(page, 'Ángela Ibáñez', counter.demo.people.cashier.pin);
    await openShift(page, '500');
    await scanLikeAScanner(page, ARROZ);
    await scanLikeAScanner(page, AGUA_PINA);
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$40.00');

    await page.keyboard.press('F12');
    await page.keyboard.press('F5');
    const tab = page.getByRole('tabpanel', { name: 'Cobro en la terminal de tarjetas' });
    const amount = tab.getByLabel('Importe a cobrar en la terminal');
    expect(await amount.inputValue()).toBe('40.00');
    await amount.fill('30');
    await page.keyboard.press('Enter');
    await explained(page, () => state().filter({ hasText: 'El cobro está en la terminal' }).waitFor());
    expect(lastOrder()).toMatchObject({ status: 'created', config: { point: { terminal_id: TERMINAL } } });
    expect(lastOrder().transactions.payments[0].amount).toBe('30.00');
    // A second Enter while it is there sends nothing more.
    await page.keyboard.press('Enter');
    expect(mp.orders).toHaveLength(1);

    mp.terminal(lastOrder().id).takes();
    await state().filter({ hasText: 'Esperando la tarjeta del cliente' }).waitFor();
    await shot('waiting for the card');
    mp.terminal(lastOrder().id).pays({ last4: '4242', brand: 'visa' });
    await expect
      .poll(() => page.getByRole('list', { name: 'Pagos recibidos' }).getByRole('listitem').allTextContents(), { timeout: 10_000 })
      .toEqual(['Tarjeta en terminal ****4242$30.00✕']);
    await expect.poll(() => page.getByRole('status', { name: 'Falta' }).textContent()).toBe('Falta: $10.00');
    // The approved charge is the customer's money: it cannot be taken off the list.
    expect(await page.getByRole('button', { name: /Quitar el pago Tarjeta en terminal/ }).isDisabled()).toBe(true);
    await shot('approved and taken as a tender');

    await page.keyboard.press('F1');
    await page.getByLabel('Efectivo recibido').fill('10');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-\d+$/).waitFor());
    await shot('paid by terminal and cash');
    const [tender] = await counter.engine.services.sql.query<{ card_last4: string; provider: string }>(
      `SELECT card_last4, provider FROM payments.transactions WHERE card_charge_id IS NOT NULL`,
    );
    expect(tender).toEqual({ card_last4: '4242', provider: 'mercadopago' });
    expect(mp.orders).toHaveLength(1);
    await page.getByRole('button', { name: /Nueva venta/ }).click();
    expect(errors).toEqual([]);
  }, 120_000);

  it('takes a charge off the terminal with F9 before the customer pays, and the sale is paid in cash', async () => {
    const name = 'a cashier cancels a charge on the card terminal';
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await scanLikeAScanner(page, ARROZ);
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$31.50');
    await page.keyboard.press('F12');
    await page.keyboard.press('F5');
    await page.keyboard.press('Enter');
    await explained(page, () => state().filter({ hasText: 'El cobro está en la terminal' }).waitFor());
    await page.keyboard.press('F9');
    await state().filter({ hasText: 'Cobro cancelado: no se cobró nada.' }).waitFor();
    expect(lastOrder().status).toBe('canceled');
    await screenshotStep(page, name, 'cancelled 1024x768');
    await page.keyboard.press('F1');
    await page.getByLabel('Efectivo recibido').fill('50');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-\d+$/).waitFor());
    expect(errors).toEqual([]);
  }, 120_000);

  it('sells a gift card, then splits a sale between the gift card, the card terminal and cash', async () => {
    const name = 'a cashier splits a sale between a gift card, the card terminal and cash';
    const shot = (step: string) => screenshotStep(page, name, `${step} 1024x768`);
    await page.getByRole('button', { name: /Nueva venta/ }).click();
    await page.getByLabel('Escanee o escriba un código').waitFor();
    await page.keyboard.press('Alt+G');
    const dialog = page.getByRole('dialog', { name: 'Vender o recargar una tarjeta de regalo' });
    await dialog.getByLabel('Código de la tarjeta (escanéela)').fill('7701 0000 9999');
    await dialog.getByLabel('Importe a cargar').fill('100');
    await shot('selling a gift card');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$100.00');
    await page.keyboard.press('F12');
    await page.getByLabel('Efectivo recibido').fill('100');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-\d+$/).waitFor());
    await page.getByRole('button', { name: /Nueva venta/ }).click();

    await page.getByLabel('Escanee o escriba un código').waitFor();
    await scanLikeAScanner(page, ARROZ);
    await scanLikeAScanner(page, AGUA_PINA);
    await expect.poll(() => page.getByLabel('Total', { exact: true }).last().textContent()).toBe('$40.00');
    await page.keyboard.press('F12');
    await page.keyboard.press('F6');
    const gift = page.getByRole('tabpanel', { name: 'Tarjeta de regalo' });
    await gift.getByLabel('Código de la tarjeta').fill('770100009999');
    await page.keyboard.press('Enter');
    await gift.getByRole('status').filter({ hasText: 'La tarjeta 770100009999 tiene $100.00 disponibles' }).waitFor();
    const fromCard = gift.getByLabel('Importe con la tarjeta');
    expect(await fromCard.inputValue()).toBe('40.00');
    await fromCard.fill('15');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status', { name: 'Falta' }).textContent()).toBe('Falta: $25.00');

    await page.keyboard.press('F5');
    const amount = page.getByRole('tabpanel', { name: 'Cobro en la terminal de tarjetas' }).getByLabel('Importe a cobrar en la terminal');
    await amount.fill('20');
    await page.keyboard.press('Enter');
    await explained(page, () => state().filter({ hasText: 'El cobro está en la terminal' }).waitFor());
    mp.terminal(lastOrder().id).takes();
    mp.terminal(lastOrder().id).pays({ last4: '1881', brand: 'master' });
    await expect
      .poll(() => page.getByRole('list', { name: 'Pagos recibidos' }).getByRole('listitem').allTextContents(), { timeout: 10_000 })
      .toEqual(['Tarjeta de regalo ****9999$15.00✕', 'Tarjeta en terminal ****1881$20.00✕']);
    await shot('gift card and terminal taken');
    await page.keyboard.press('F1');
    await page.getByLabel('Efectivo recibido').fill('5');
    await page.keyboard.press('Enter');
    await explained(page, () => page.getByText(/^Venta RCAJA-1-\d+$/).waitFor());
    // The receipt says what the card holds now.
    await page.getByText('Saldo restante').waitFor();
    expect(await page.getByText('Tarjeta de regalo ****9999').count()).toBe(1);
    await shot('paid by gift card, terminal and cash');
    const [card] = await counter.engine.services.sql.query<{ amount: string }>(
      `SELECT amount FROM payments.balances WHERE code = '770100009999'`,
    );
    expect(card!.amount).toBe('85.0000');
    const paid = await counter.engine.services.sql.query<{ kind: string; amount: string }>(
      `SELECT m.kind, t.amount FROM payments.transactions t JOIN payments.payment_methods m ON m.id = t.payment_method_id
       WHERE t.sale_id = (SELECT sale_id FROM payments.transactions WHERE card_last4 = '1881') ORDER BY m.kind`,
    );
    expect(paid).toEqual([
      { kind: 'CARD', amount: '20.0000' },
      { kind: 'CASH', amount: '5.0000' },
      { kind: 'GIFT_CARD', amount: '15.0000' },
    ]);
    expect(errors).toEqual([]);
  }, 120_000);
});
