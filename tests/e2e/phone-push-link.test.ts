// A manager asks, from the register's back office, for alerts on their phone: "Avisos en mi
// teléfono" under "Correos y avisos" journals the request, sync carries it, a central service
// (HTTP side and workers, in this process) e-mails the manager a link through a real SMTP server
// on loopback, and the link's page opens in a phone-sized window, in Spanish, ready to turn the
// alerts on. The browser of these tests blocks service workers (tests/support/browser.ts) and has
// no push service to reach, so the subscription itself is proven by the integration test
// (tests/integration/phone-push-link.test.ts); here the page is loaded and looked at.
import type { Page } from 'playwright-core';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotStep } from '../support/browser.ts';
import { eventually } from '../support/central-service.ts';
import { serveCounter, type ServedCounter } from '../support/counter-page.ts';
import { freePort } from '../support/private-postgres.ts';
import { openBackOfficeAsManager, type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const TEST = 'a manager asks for alerts on their phone from the back office and opens the e-mailed link';
const MANAGER_ADDRESS = 'joaquin.pena@laesperanza.example';

describe('alerts on a manager’s phone, from the back office', () => {
  let synced: SyncedCentral;
  let counter: ServedCounter;
  let page: Page;
  let publicUrl: string;
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    synced = await startSyncedCentral('phone_link_e2e', { pullEverySeconds: 1 });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    await synced.startService(
      { role: 'all', port: String(port), 'public-url': publicUrl, 'vapid-subject': 'mailto:soporte@laesperanza.example' },
      {
        POS_CENTRAL_MAIL_FROM: 'Avisos <avisos@laesperanza.example>',
        POS_CENTRAL_VAPID_PUBLIC_KEY: vapid.publicKey,
        POS_CENTRAL_VAPID_PRIVATE_KEY: vapid.privateKey,
        POS_CENTRAL_LINK_SECRET: 'la-clave-de-los-enlaces-del-e2e-2026-abcdef',
      },
    );
    counter = await serveCounter(synced.terminal.engine, { viewport: { width: 1024, height: 768 } });
    page = counter.page;
  }, 240_000);

  afterAll(async () => {
    await counter?.close();
    await synced?.close();
  });

  it(TEST, async () => {
    const { mailbox } = synced;
    await page.goto(counter.server.url);
    await openBackOfficeAsManager(page);
    await page.keyboard.press('Alt+5');
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toContain('Correos y avisos');
    const button = page.getByRole('button', { name: 'Avisos en mi teléfono' });
    await button.waitFor();
    await screenshotStep(page, TEST, 'the button in Correos y avisos');

    await button.click();
    const notice = page.getByRole('status').filter({ hasText: 'Le enviamos un enlace a su correo' });
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      'Le enviamos un enlace a su correo: ábralo en su teléfono y toque «Activar avisos». Vale 24 horas; si no le llega, pida que registren su correo.',
    );
    await screenshotStep(page, TEST, 'the link is on its way');

    await eventually(
      async () => mailbox.deliveries.length,
      (n) => n > 0,
      60_000,
    );
    const [mail] = mailbox.deliveries;
    expect(mail!.to).toEqual([MANAGER_ADDRESS]);
    const link = new RegExp(`${publicUrl}/push/subscribe\\?t=[\\w.-]+`).exec(mail!.text ?? '')?.[0];
    expect(link).toBeDefined();

    // The manager opens it on the phone.
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    // A phone in Mexico asks for Spanish: what a link that no longer works is answered in.
    await phone.setExtraHTTPHeaders({ 'accept-language': 'es-MX,es;q=0.9' });
    const opened = await phone.goto(link!);
    expect(opened?.status()).toBe(200);
    await phone.getByRole('heading', { name: 'Avisos en este teléfono' }).waitFor();
    expect(await phone.getByRole('button', { name: 'Activar avisos' }).isEnabled()).toBe(true);
    expect(await phone.locator('main').textContent()).toContain('Hola, Joaquín Peña.');
    await screenshotStep(phone, TEST, 'the link open on the phone');

    // A link someone changed is refused, with what to do instead.
    const forged = await phone.goto(`${link!.slice(0, -1)}${link!.endsWith('A') ? 'B' : 'A'}`);
    expect(forged?.status()).toBe(401);
    await phone.getByRole('heading', { name: 'Este enlace ya no sirve' }).waitFor();
    await screenshotStep(phone, TEST, 'a changed link is refused');
    await phone.close();
    expect(counter.errors).toEqual([]);
  }, 240_000);
});
