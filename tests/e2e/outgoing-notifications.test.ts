// What central could not send, seen and retried from a register's back office, through the real
// path: a sale's e-mailed receipt goes up with the sale, a `pos central serve` worker offers it to
// a real SMTP server on loopback that refuses the customer's address (550), central marks the
// job failed, and the register pulls its masked copy. A manager, in the back office (look-only:
// a syncing register holds no back-office password), watches it appear under "Correos y avisos"
// with central's reason, asks for a retry by keyboard once the mailbox takes the address again,
// and after the next pull sees it sent; the customer gets the receipt once.
import type { Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotStep } from '../support/browser.ts';
import { eventually } from '../support/central-service.ts';
import { serveCounter, type ServedCounter } from '../support/counter-page.ts';
import { ok } from '../support/demo-engine.ts';
import { waitFor } from '../support/sync-fixture.ts';
import { openBackOfficeAsManager, type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const TEST = 'a manager sees a receipt central could not e-mail, with its reason, and has it sent again';
const ADDRESS = 'maria.lopez@ejemplo.mx';
const MASKED = 'm***@ejemplo.mx';
const ARROZ = '7505599000026';

describe('what central could not send, in the back office', () => {
  let synced: SyncedCentral;
  let counter: ServedCounter;
  let page: Page;
  const shot = (step: string) => screenshotStep(page, TEST, step);

  beforeAll(async () => {
    // A pull a second: the test waits on central's news, not on the 30 s a shop runs with.
    synced = await startSyncedCentral('outgoing_e2e', { pullEverySeconds: 1 });
    await synced.startService({ role: 'worker' }, { POS_CENTRAL_MAIL_FROM: 'Tickets <tickets@abarrotes.test>' });
    counter = await serveCounter(synced.terminal.engine, { viewport: { width: 1024, height: 768 } });
    page = counter.page;
  }, 240_000);

  afterAll(async () => {
    await counter?.close();
    await synced?.close();
  });

  it(TEST, async () => {
    const { central, terminal, mailbox } = synced;
    const { engine, token } = terminal;
    // The manager opens the back office from the register and goes to the tab by keyboard.
    await page.goto(counter.server.url);
    // Central sends no passwords to a register: its back office opens to look, and this tab needs no more.
    await openBackOfficeAsManager(page);
    await page.getByRole('status').filter({ hasText: 'Solo consulta' }).waitFor();
    await page.keyboard.press('Alt+5');
    await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toContain('Correos y avisos');
    await page.getByText('La central no ha tenido problemas para enviar correos ni avisos de este negocio.').waitFor();
    await shot('nothing central could not send yet');

    mailbox.rejectRecipients([ADDRESS]);
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
    ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
    ok(
      await engine.call(
        'sales.complete',
        { saleId: sale.id, tenders: [{ methodId: terminal.cash, tendered: '100' }], email: ADDRESS },
        { token },
      ),
    );
    const job = async () =>
      (
        await central.sql.query<{ id: string; status: string; last_error: string | null }>(
          `SELECT id, status, last_error FROM communication.notification_jobs WHERE payload->>'saleId' = $1`,
          [sale.id],
        )
      )[0];
    const failed = await eventually(job, (j) => j?.status === 'FAILED', 60_000);
    expect(failed).toMatchObject({ status: 'FAILED' });
    expect(failed!.last_error).toContain('550');
    expect(mailbox.deliveries).toHaveLength(0);
    const localStatus = async () =>
      (
        await engine.services.sql.query<{ status: string }>(`SELECT status FROM communication.notification_jobs WHERE id = $1`, [
          failed!.id,
        ])
      )[0]?.status;
    engine.services.sync!.kick({ pull: true });
    await waitFor(async () => (await localStatus()) === 'FAILED', 30_000, 'the failed job to come down to the register');

    // The open list follows the pull: nobody pressed anything.
    const table = page.getByRole('table', { name: 'Correos y avisos' });
    const row = table.getByRole('row').filter({ hasText: MASKED });
    await row.waitFor({ timeout: 20_000 });
    const cells = () => row.getByRole('cell').allTextContents();
    const seen = await cells();
    expect(seen.slice(0, 5)).toEqual(['Correo', 'Ticket de venta', MASKED, 'No se envióReintentar', '1']);
    // Central's own words, with the address masked there too.
    expect(seen[5]).toContain('550');
    expect(seen[5]).toContain(MASKED);
    expect(seen[5]).not.toContain(ADDRESS);
    expect(await table.textContent()).not.toContain(ADDRESS);
    // Only the ones that did not go out: the failed one stays.
    await page.getByLabel('Solo los que no salieron').check();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await shot('a refused receipt, with central reason');

    // The customer's mailbox takes the address again; the retry is one Tab from the filter.
    mailbox.acceptRecipients([ADDRESS]);
    await page.getByLabel('Solo los que no salieron').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Reintentar: Ticket de venta para ${MASKED}`,
    );
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Reintento pedido para' }).textContent())
      .toBe(`Reintento pedido para ${MASKED}: la central lo enviará de nuevo cuando esta caja esté conectada.`);
    await expect
      .poll(async () => (await cells())[3])
      .toBe('Reintento pedidoLa central lo enviará de nuevo cuando esta caja esté conectada.');
    expect(await row.getByRole('button', { name: /Reintentar/ }).count()).toBe(0);
    await shot('the retry asked for');

    await eventually(
      async () => mailbox.deliveries.length,
      (n) => n > 0,
      60_000,
    );
    await eventually(job, (j) => j?.status === 'SENT', 30_000);
    expect(mailbox.deliveries).toHaveLength(1);
    expect(mailbox.deliveries[0]!.to).toEqual([ADDRESS]);

    // The sent one is no longer among those that did not go out; the whole list says it went.
    await page.getByLabel('Solo los que no salieron').uncheck();
    await page.keyboard.press('Alt+a');
    await expect.poll(async () => (await cells())[3], { timeout: 30_000 }).toBe('Enviado');
    expect((await cells()).slice(0, 5)).toEqual(['Correo', 'Ticket de venta', MASKED, 'Enviado', '2']);
    expect(await row.getByRole('button', { name: /Reintentar/ }).count()).toBe(0);
    await shot('sent on the retry');
    expect(mailbox.deliveries).toHaveLength(1);
    expect(counter.errors).toEqual([]);
  }, 240_000);
});
