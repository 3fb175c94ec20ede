// The owner pairs the register with its card terminal in the back office (Terminal de tarjetas,
// Alt+8), in Debian's Chromium against serve mode at 1024×768, by keyboard alone, with a loopback
// Mercado Pago on 127.0.0.1 as the provider: a token the provider refuses is said in Spanish and
// installs nothing; the right one is saved (the field emptied), the account's terminals are
// listed, the one in standalone mode shown with why it cannot be chosen, and the PDV one is paired
// with the register, its printer kept. The token is never on the page. Screenshots land in
// test-results/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentKeysDir } from '#engine/security/payment-secrets.ts';
import { explained, screenshotStep } from '../support/browser.ts';
import { type CounterWithPrinter, type DemoEngine, enterBackOffice, startCounter } from '../support/counter-page.ts';
import { ok, signIn } from '../support/demo-engine.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from '../support/loopback-mercadopago.ts';

const TOKEN = 'APP_USR-5520917734416620-072214-9f1e0c3b7a5d2e8f4a6c-3344556677';
const WRONG = 'APP_USR-0000000000000000-000000-00000000000000000000-0000000000';
const WEBHOOK_SECRET = '7c2e9a41b6d84f0e93a5c1d7e2f4b6a8';
const PDV = 'PAX_A910__SMARTPOS1423';
const STANDALONE = 'PAX_A910__SMARTPOS9981';

describe('the owner pairs the card terminal in the back office', () => {
  let counter: CounterWithPrinter;
  let demo: DemoEngine;
  let mp: LoopbackMercadoPago;
  let page: Page;
  let errors: string[];
  const name = 'the owner pairs the register with a Mercado Pago terminal by keyboard';
  const shot = (step: string) => screenshotStep(page, name, `${step} 1024x768`);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('value'));

  beforeAll(async () => {
    mp = await startLoopbackMercadoPago({
      accessToken: TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      terminals: [
        { id: PDV, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' },
        { id: STANDALONE, operating_mode: 'STANDALONE', pos_id: 2, store_id: '1', external_pos_id: 'CAJA2' },
      ],
    });
    counter = await startCounter('e2e-card-terminal-pairing', { viewport: { width: 1024, height: 768 }, printer: true });
    ({ demo, page, errors } = counter);
  }, 180_000);
  afterAll(async () => {
    await counter?.close();
    await mp?.close();
  });

  it(name, async () => {
    await page.goto(counter.server.url);
    await enterBackOffice(page, demo, 'Rosa María Núñez', demo.people.owner);
    const tab = page.getByRole('tab', { name: /Terminal de tarjetas/ });
    expect(await tab.getAttribute('aria-keyshortcuts')).toBe('Alt+8');
    await page.keyboard.press('Alt+8');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await explained(page, () => page.getByText('Esta caja aún no tiene terminal de tarjetas.').waitFor());
    await page.getByText('Esta caja aún no tiene clave de Mercado Pago.').waitFor();
    await expect.poll(focused).toBe('bo-card-token');

    // A token of another account, pasted; the loopback's address typed two fields down; Enter.
    await page.keyboard.insertText(WRONG);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('bo-card-base-url');
    await page.keyboard.insertText(mp.baseUrl);
    await page.keyboard.press('Enter');
    const alert = page.locator('.bo-card-terminal').getByRole('alert');
    await explained(page, () => alert.waitFor());
    expect(await alert.textContent()).toBe(
      'Mercado Pago no aceptó la clave: revise que sea la de producción de la cuenta y péguela completa. No se cambió nada.',
    );
    expect(await page.getByText('Esta caja aún no tiene clave de Mercado Pago.').count()).toBe(1);
    await shot('a token Mercado Pago refuses, said in Spanish');

    // The right one, with the webhook secret, over the wrong one.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('bo-card-token');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(TOKEN);
    await page.keyboard.press('Tab');
    await page.keyboard.insertText(WEBHOOK_SECRET);
    await page.keyboard.press('Enter');
    await explained(page, () =>
      page
        .getByRole('status')
        .filter({ hasText: 'Clave de Mercado Pago guardada en esta caja (termina en 6677). Elija la terminal.' })
        .waitFor(),
    );
    await page.getByText('Esta caja tiene la clave de Mercado Pago que termina en 6677, con su clave secreta de webhooks.').waitFor();
    expect(await page.getByLabel('Clave de acceso de Mercado Pago (Access Token)').inputValue()).toBe('');
    expect(await page.getByLabel('Clave secreta de webhooks (opcional)').inputValue()).toBe('');
    expect(await alert.count()).toBe(0);

    // The account's terminals: the standalone one cannot be chosen, and says why; the keyboard is on the PDV one.
    const list = page.getByRole('group', { name: 'Terminales de la cuenta de Mercado Pago' });
    const pdv = list.getByRole('radio', { name: /SMARTPOS1423/ });
    const standalone = list.getByRole('radio', { name: /SMARTPOS9981/ });
    expect(await pdv.isDisabled()).toBe(false);
    expect(await standalone.isDisabled()).toBe(true);
    expect(await standalone.getAttribute('aria-describedby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe(
      'No se puede elegir: no está en modo integrado (PDV). Actívelo en la terminal o en la app de Mercado Pago y búsquela de nuevo.',
    );
    await expect.poll(focused).toBe(PDV);
    await shot('the account terminals listed, the standalone one with why');

    await page.keyboard.press('Space');
    expect(await pdv.isChecked()).toBe(true);
    await page.keyboard.press('Enter');
    await explained(page, () =>
      page.getByRole('status').filter({ hasText: 'Listo: CAJA-1 cobra con la terminal SMARTPOS1423 de Mercado Pago.' }).waitFor(),
    );
    await page.getByText('Ahora esta caja cobra con la terminal SMARTPOS1423 de Mercado Pago.').waitFor();
    await list.getByText('de esta caja').waitFor();
    await shot('the terminal paired with the register');

    // Paired as devices.configure keeps it, the printer untouched; the token in its file and nowhere on the page.
    const owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    const devices = ok(await demo.engine.call('devices.status', {}, { token: owner }));
    expect(devices.config).toEqual({
      printer: { uri: counter.printer.uri },
      scanners: [],
      cardTerminal: { provider: 'mercadopago', terminalId: PDV, baseUrl: mp.baseUrl },
    });
    expect(JSON.parse(readFileSync(join(paymentKeysDir(demo.dir), 'mercadopago.json'), 'utf8'))).toEqual({
      provider: 'mercadopago',
      accessToken: TOKEN,
      webhookSecret: WEBHOOK_SECRET,
    });
    const html = await page.content();
    expect([TOKEN, WRONG, WEBHOOK_SECRET].filter((secret) => html.includes(secret))).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
