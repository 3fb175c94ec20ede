// An e-mailed receipt end to end: a cashier types the customer's address on the pay screen's
// call, the register journals the request, sync carries it with the sale, central turns it into
// a notification job, and a `pos central serve` worker sends it to a real SMTP server on
// loopback. The message's HTML is opened in Chromium and read as the customer would.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moneyFormat } from '#contract/receipt-document.ts';
import { launchBrowser, screenshotStep } from '../support/browser.ts';
import { eventually } from '../support/central-service.ts';
import { ok } from '../support/demo-engine.ts';
import { demo, waitFor } from '../support/sync-fixture.ts';
import { type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const TEST = 'an e-mailed receipt reaches the customer with the sale as rung up';
const ARROZ = '7505599000026'; // IVA 0 %
const AGUA_PINA = '7505641000219'; // IVA 16 %
const PERIODICO = '7504209000012'; // exento

describe('e-mailed receipts', () => {
  let synced: SyncedCentral;

  beforeAll(async () => {
    synced = await startSyncedCentral('receipt_email');
  }, 180_000);

  afterAll(async () => {
    await synced?.close();
  });

  it(TEST, async () => {
    const { central, terminal, mailbox } = synced;
    const { engine, token } = terminal;
    const sale = ok(await engine.call('sales.open', { idempotencyKey: `sale-${uuidv7()}` }, { token }));
    for (const code of [ARROZ, AGUA_PINA, AGUA_PINA, PERIODICO])
      ok(await engine.call('sales.addItem', { saleId: sale.id, code }, { token }));
    const paid = ok(
      await engine.call(
        'sales.complete',
        { saleId: sale.id, tenders: [{ methodId: terminal.cash, tendered: '100' }], email: 'Maria.Lopez@Ejemplo.MX' },
        { token },
      ),
    );
    await waitFor(() => terminal.status().pending === 0, 60_000, 'the push');
    const [job] = await central.sql.query<{ id: string; status: string; recipient: string }>(
      `SELECT id, status, recipient FROM communication.notification_jobs WHERE payload->>'saleId' = $1`,
      [sale.id],
    );
    expect(job).toMatchObject({ status: 'PENDING', recipient: 'maria.lopez@ejemplo.mx' });

    await synced.startService({ role: 'worker' }, { POS_CENTRAL_MAIL_FROM: 'Tickets <tickets@abarrotes.test>' });
    await eventually(
      async () => mailbox.deliveries.length,
      (n) => n > 0,
      60_000,
    );
    await eventually(
      async () =>
        (await central.sql.query<{ status: string }>(`SELECT status FROM communication.notification_jobs WHERE id = $1`, [job!.id]))[0]!
          .status,
      (s) => s === 'SENT',
      10_000,
    );
    expect(mailbox.deliveries).toHaveLength(1);
    const mail = mailbox.deliveries[0]!;
    expect(mail.to).toEqual(['maria.lopez@ejemplo.mx']);
    expect(mail.messageId).toBe(`<${job!.id}@abarrotes.test>`);

    const money = moneyFormat('es-MX', 'MXN');
    const lines = await central.sql.query<{ name: string; total: string }>(
      `SELECT name, total::text FROM sales.sale_items WHERE sale_id = $1 AND deleted_at IS NULL ORDER BY line_no`,
      [sale.id],
    );
    const [taxes] = await central.sql.query<{ tax: string }>(`SELECT tax_total::text AS tax FROM sales.sales WHERE id = $1`, [sale.id]);
    // The plain-text part says the same as the HTML.
    expect(mail.text).toContain(demo.store.business.name);
    expect(mail.text).toContain(money(paid.total));

    const browser = await launchBrowser({ viewport: { width: 640, height: 900 } });
    try {
      await browser.page.setContent(mail.html!, { waitUntil: 'load' });
      await screenshotStep(browser.page, TEST, 'the e-mail as the customer opens it');
      // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what the customer reads
      const seen = await browser.page.locator('body').innerText();
      expect(seen).toContain(demo.store.business.name);
      expect(seen).toContain(paid.receiptCode);
      for (const line of lines) {
        expect(seen).toContain(line.name);
        expect(seen).toContain(money(line.total));
      }
      expect(seen).toMatch(/IVA 16\s?%/);
      expect(seen).toContain(money(taxes!.tax));
      expect(seen).toContain(money(paid.total));
    } finally {
      await browser.close();
    }
  }, 240_000);
});
