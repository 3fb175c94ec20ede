// An e-mailed receipt end to end: a cashier types the customer's address on the pay screen's
// call, the register journals the request, sync carries it with the sale, central turns it into
// a notification job, and a `pos central serve` worker sends it to a real SMTP server on
// loopback. The message's HTML is opened in Chromium and read as the customer would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { moneyFormat } from '#contract/receipt-document.ts';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { type RunningCentral, startCentralService } from '#engine/server/central/service.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { launchBrowser, screenshotStep } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/central.ts';
import { eventually } from '../support/central-service.ts';
import { ok } from '../support/demo-engine.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { startSmtpMailbox, type SmtpMailbox } from '../support/smtp-mailbox.ts';
import { demo, openTerminal, prepareCentral, provisionDir, waitFor, type TestTerminal } from '../support/sync-fixture.ts';

const TEST = 'an e-mailed receipt reaches the customer with the sale as rung up';
const ARROZ = '7505599000026'; // IVA 0 %
const AGUA_PINA = '7505641000219'; // IVA 16 %
const PERIODICO = '7504209000012'; // exento

describe('e-mailed receipts', () => {
  let database: TestDatabase;
  let central: Central;
  let terminal: TestTerminal;
  let redis: PrivateRedis;
  let mailbox: SmtpMailbox;
  let service: RunningCentral | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-receipt-email-'));

  beforeAll(async () => {
    [database, redis, mailbox] = await Promise.all([createTestDatabase('receipt_email'), startPrivateRedis(), startSmtpMailbox()]);
    let registerIds: string[];
    ({ central, registerIds } = await prepareCentral(database.url, 1));
    await seedTemplates(central.sql);
    terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'receipt-email'), registerIds[0]!);
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await terminal?.dispose();
    await central?.close();
    await mailbox?.close();
    await redis?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(TEST, async () => {
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

    service = await startCentralService(
      readCentralConfig(
        { url: database.url, redis: redis.url, role: 'worker', 'data-dir': dataDir },
        { POS_CENTRAL_SMTP_URL: mailbox.url(), POS_CENTRAL_MAIL_FROM: 'Tickets <tickets@abarrotes.test>' },
      ),
    );
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
