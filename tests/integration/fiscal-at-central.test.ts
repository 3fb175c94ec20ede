// Central's fiscal worker for the registers that sync: it stamps their PENDING invoices with the
// business's CSD and PAC account, sends the cancellations they ask for, and issues the branch's
// factura global once a period is over, and writes the credit note of a return no register could
// credit; each register learns every answer with its next pull.
// Two passes at once (two workers, or a slow pass and the next firing) never make two CFDIs.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { readCentralConfig } from '#engine/server/central/config.ts';
import { businessFiscalRoot } from '#engine/server/central/fiscal/business-secrets.ts';
import { type FiscalDeps, fiscalPass } from '#engine/server/central/fiscal/fiscal-pass.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import { startCentralService } from '#engine/server/central/service.ts';
import { fiscalKeysDir } from '#engine/security/fiscal-secrets.ts';
import { startLoopbackPac, type LoopbackPac } from '../support/loopback-pac.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { runPos } from '../support/run-cli.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { businessId, createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe("central's fiscal worker", () => {
  let database: TestDatabase;
  let central: Central;
  let first: TestTerminal;
  let second: TestTerminal;
  let pac: LoopbackPac;
  let dataDir: string;
  let deps: FiscalDeps;
  let thirdId: string;

  const synced = async (terminal: TestTerminal) => {
    terminal.engine.services.sync!.kick();
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
  };
  const localInvoice = async (terminal: TestTerminal, invoiceId: string) =>
    (
      await terminal.engine.services.sql.query<{ status: string; fiscal_id: string | null; code: string | null }>(
        `SELECT status, fiscal_id, fiscal_data->>'code' AS code FROM billing.invoices WHERE id = $1`,
        [invoiceId],
      )
    )[0];
  const pulled = async (terminal: TestTerminal, invoiceId: string, status: string) => {
    await waitFor(
      async () => {
        terminal.engine.services.sync!.kick({ pull: true });
        return (await localInvoice(terminal, invoiceId))?.status === status;
      },
      30_000,
      `invoice ${status} at the register`,
    );
  };
  const managerOf = async (terminal: TestTerminal) => {
    const [row] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    return ok(await terminal.engine.call('auth.signInWithPin', { employeeId: row!.id, pin: demo.store.employees[1]!.pin })).token;
  };
  const ask = async (terminal: TestTerminal) => {
    const sale = await terminal.sell(1);
    const invoice = ok(
      await terminal.engine.call(
        'invoices.request',
        { saleId: sale.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
        { token: terminal.token },
      ),
    );
    return { saleId: sale.saleId, invoiceId: invoice.id };
  };

  /** One unit of the sale's first line given back in cash, approved by the manager's PIN. */
  const giveBackOne = async (terminal: TestTerminal, saleId: string) => {
    const [line] = await terminal.engine.services.sql.query<{ id: string }>(
      'SELECT id FROM sales.sale_items WHERE sale_id = $1 ORDER BY line_no LIMIT 1',
      [saleId],
    );
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    return ok(
      await terminal.engine.call(
        'returns.create',
        {
          saleId,
          lines: [{ saleItemId: line!.id, quantity: '1' }],
          refundMethodId: terminal.cash,
          reason: 'Producto en mal estado',
          idempotencyKey: `return-${uuidv7()}`,
        },
        { token: terminal.token, override: { employeeId: manager!.id, pin: demo.store.employees[1]!.pin } },
      ),
    );
  };

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('fiscal_at_central', 3));
    thirdId = registerIds[2]!;
    first = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'fiscal-1'), registerIds[0]!);
    second = await openTerminal(await provisionDir(central, database.url, registerIds[1]!, 'fiscal-2'), registerIds[1]!);
    dataDir = mkdtempSync(join(tmpdir(), 'pos-central-fiscal-'));
    pac = await startLoopbackPac({ username: 'central', password: 'secreto', dir: dataDir });
    const csd = makeTestCsd(dataDir, { rfc: 'ALE150312QX9' });
    const csdPassword = join(dataDir, 'csd-password.txt');
    const pacPassword = join(dataDir, 'pac-password.txt');
    writeFileSync(csdPassword, `${csd.password}\n`);
    writeFileSync(pacPassword, 'secreto\n');
    // As the README says: once per business, into the service's data directory.
    const installed = await runPos([
      ...['central', 'set-csd', '--business', businessId, '--data-dir', dataDir],
      ...['--cer', csd.cerPath, '--key', csd.keyPath, '--password-file', csdPassword],
    ]);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    const pacInstalled = await runPos([
      ...['central', 'set-pac', '--business', businessId, '--data-dir', dataDir],
      ...['--url', pac.baseUrl, '--user', 'central', '--password-file', pacPassword],
    ]);
    expect(pacInstalled).toMatchObject({ code: 0, stderr: '' });
    expect(pacInstalled.stdout).not.toContain('secreto');
    for (const file of ['csd.cer', 'csd.key', 'csd.password', 'pac.json']) {
      expect(statSync(join(fiscalKeysDir(businessFiscalRoot(dataDir, businessId)), file)).mode & 0o777, file).toBe(0o600);
    }
    deps = { pool: central.pool, sql: central.sql, dataDir, now: () => new Date(), globalSettleMinutes: 60, pacTimeoutMs: 5_000 };
  }, 180_000);

  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
    await pac?.close();
    await central?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to install secrets for something that is not a business id, in one line', async () => {
    const refused = await runPos(['central', 'set-pac', '--business', 'tienda-1', '--data-dir', dataDir, '--url', pac.baseUrl]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^pos: "tienda-1" is not a business id/);
  });

  it('stamps an invoice asked for at a register, and the register reads it stamped after its next pull', async () => {
    const { invoiceId } = await ask(first);
    await synced(first);
    expect(await localInvoice(first, invoiceId)).toMatchObject({ status: 'PENDING' });

    const pass = await fiscalPass(deps, businessId);
    expect(pass).toMatchObject({ ran: true, globals: [], halted: null });
    const [outcome] = pass.ran ? pass.stamped : [];
    expect(outcome).toMatchObject({ invoiceId, status: 'ISSUED' });

    await pulled(first, invoiceId, 'ISSUED');
    expect((await localInvoice(first, invoiceId))!.fiscal_id).toBe(outcome!.uuid);
    // The stamped CFDI prints at the counter from what came down.
    const printed = ok(
      await first.engine.call('invoices.print', { invoiceId, idempotencyKey: `print-${uuidv7()}` }, { token: first.token }),
    );
    expect(JSON.stringify(printed)).toContain(outcome!.uuid!);
  }, 120_000);

  it("frees a sale the SAT's refusal leaves without a CFDI, so the register can invoice it again", async () => {
    const { saleId, invoiceId } = await ask(first);
    await synced(first);
    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    await fiscalPass(deps, businessId);
    await pulled(first, invoiceId, 'REJECTED');
    expect((await localInvoice(first, invoiceId))!.code).toBe('305');
    await waitFor(
      async () => {
        first.engine.services.sync!.kick({ pull: true });
        const live = await first.engine.services.sql.query(
          'SELECT 1 FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL',
          [saleId],
        );
        return live.length === 0;
      },
      30_000,
      'the link let go at the register',
    );
    const again = ok(
      await first.engine.call(
        'invoices.request',
        { saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
        { token: first.token },
      ),
    );
    await synced(first);
    await fiscalPass(deps, businessId);
    await pulled(first, again.id, 'ISSUED');
  }, 120_000);

  it('sends a cancellation a manager asked for at a register, and the register reads the answer', async () => {
    const { invoiceId } = await ask(first);
    await synced(first);
    await fiscalPass(deps, businessId);
    await pulled(first, invoiceId, 'ISSUED');
    const manager = await managerOf(first);
    ok(
      await first.engine.call(
        'invoices.cancel',
        { invoiceId, motive: '02', reason: 'RFC del cliente equivocado', idempotencyKey: `cancel-${uuidv7()}` },
        { token: manager },
      ),
    );
    await synced(first);
    const pass = await fiscalPass(deps, businessId);
    expect(pass).toMatchObject({ ran: true, cancellations: 1, halted: null });
    await pulled(first, invoiceId, 'CANCELLED');
    const answers = () =>
      first.engine.services.sql.query<{ state: string }>(
        `SELECT a.state FROM billing.cancellation_answers a JOIN billing.invoice_cancellations c ON c.id = a.cancellation_id
         WHERE c.invoice_id = $1`,
        [invoiceId],
      );
    // The answer's table comes down after the invoices' in the same pull.
    await waitFor(
      async () => {
        first.engine.services.sync!.kick({ pull: true });
        return (await answers()).length > 0;
      },
      30_000,
      "the SAT's answer at the register",
    );
    expect(await answers()).toEqual([{ state: 'ACCEPTED' }]);
  }, 120_000);

  it('replaces a stamped invoice asked for at a register (motive 01): central stamps the substitute, then cancels the replaced one', async () => {
    const { saleId, invoiceId } = await ask(first);
    await synced(first);
    await fiscalPass(deps, businessId);
    await pulled(first, invoiceId, 'ISSUED');
    const asked = ok(
      await first.engine.call(
        'invoices.substitute',
        {
          invoiceId,
          receiver: { ...CUSTOMER, cfdiUse: 'G01' },
          reason: 'Uso del CFDI equivocado',
          idempotencyKey: `substitute-${uuidv7()}`,
        },
        { token: await managerOf(first) },
      ),
    );
    await synced(first);
    expect(first.status().quarantined).toEqual([]);
    // The substitute is stamped first, and the cancellation goes in the same pass once it has its UUID.
    const pass = await fiscalPass(deps, businessId);
    expect(pass).toMatchObject({ ran: true, cancellations: 1, halted: null });
    await pulled(first, asked.invoice.id, 'ISSUED');
    await pulled(first, invoiceId, 'CANCELLED');
    const [link] = await central.sql.query<{ invoice_id: string }>(
      'SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL',
      [saleId],
    );
    expect(link!.invoice_id).toBe(asked.invoice.id);
  }, 120_000);

  it('lets one pass at a time work on a business: two at once make one CFDI per invoice', async () => {
    const asked = [await ask(first), await ask(second), await ask(first)];
    await synced(first);
    await synced(second);
    const stampsBefore = pac.stamped.length;
    const passes = await Promise.all([fiscalPass(deps, businessId), fiscalPass(deps, businessId)]);
    expect(passes.filter((p) => p.ran)).toHaveLength(1);
    // A pass that found another on it did nothing; the next one finds nothing left.
    await fiscalPass(deps, businessId);
    expect(pac.stamped.length - stampsBefore).toBe(3);
    const attempts = await central.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM billing.stamp_attempts WHERE invoice_id = ANY($1::uuid[]) GROUP BY invoice_id',
      [asked.map((a) => a.invoiceId)],
    );
    expect(attempts).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
  }, 120_000);

  it("issues the branch's factura global once the day is over, covering both registers' sales no CFDI covers", async () => {
    const plain = [await first.sell(1), await second.sell(2)];
    await synced(first);
    await synced(second);
    // Not before the day (and the settle time after it) is over.
    const today = await fiscalPass(deps, businessId);
    expect(today).toMatchObject({ ran: true, globals: [] });

    // One global a business day of the branch: the file's sales span two when it runs across
    // the branch's midnight (06:00 UTC in Mexico City), and the test's clock is the real one.
    const days = await central.sql.query<{ day: string }>(
      `SELECT DISTINCT s.business_date::text AS day FROM sales.sales s
       WHERE s.status = 'COMPLETED' AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.sale_id = s.id AND l.deleted_at IS NULL)
       ORDER BY 1`,
    );
    expect(days.length).toBeGreaterThan(0);
    const tomorrow = new Date(Date.now() + 36 * 3600_000);
    const pass = await fiscalPass({ ...deps, now: () => tomorrow }, businessId);
    const globals = pass.ran ? pass.globals : [];
    expect(globals).toEqual(days.map(({ day }, i) => expect.objectContaining({ series: 'A-GLOBAL', folio: i + 1, from: day, to: day })));
    expect(pass.ran && pass.stamped).toEqual(globals.map((g) => expect.objectContaining({ invoiceId: g.invoiceId, status: 'ISSUED' })));

    // Exactly the completed sales of the branch that no live individual invoice covers.
    const uncovered = await central.sql.query<{ id: string }>(
      `SELECT s.id FROM sales.sales s WHERE s.status = 'COMPLETED'
         AND NOT EXISTS (SELECT 1 FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
                         WHERE l.sale_id = s.id AND l.deleted_at IS NULL AND i.kind = 'INVOICE')
       ORDER BY s.id`,
    );
    const linked = await central.sql.query<{ id: string; invoice_id: string }>(
      'SELECT sale_id AS id, invoice_id FROM billing.invoice_sales WHERE invoice_id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY sale_id',
      [globals.map((g) => g.invoiceId)],
    );
    expect(linked.map(({ id }) => ({ id }))).toEqual(uncovered);
    expect(linked.map((l) => l.id)).toEqual(expect.arrayContaining(plain.map((p) => p.saleId)));
    // Each register follows the global that covers its own sale (one global when the sales share a day).
    const covering = (saleId: string) => linked.find((l) => l.id === saleId)!.invoice_id;
    const global = globals.find((g) => g.invoiceId === covering(plain[1]!.saleId));

    // Each register learns of the global, and refuses an invoice for a sale in it.
    await pulled(first, covering(plain[0]!.saleId), 'ISSUED');
    await pulled(second, global!.invoiceId, 'ISSUED');
    // The links come down after the invoices, in the same pull.
    await waitFor(
      async () => {
        second.engine.services.sync!.kick({ pull: true });
        const link = await second.engine.services.sql.query('SELECT 1 FROM billing.invoice_sales WHERE sale_id = $1 AND invoice_id = $2', [
          plain[1]!.saleId,
          global!.invoiceId,
        ]);
        return link.length === 1;
      },
      30_000,
      "the global's link at the register",
    );
    const refused = await second.engine.call(
      'invoices.request',
      { saleId: plain[1]!.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
      { token: second.token },
    );
    expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'IN_GLOBAL_INVOICE' } } });
    // The back office's Facturas tab lists it beside the register's own.
    const listed = ok(await second.engine.call('invoices.list', {}, { token: await managerOf(second) }));
    expect(listed.items.map((i) => i.id)).toContain(global!.invoiceId);
    // Only its own sales' links came down to each register.
    const local = await second.engine.services.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM billing.invoice_sales l LEFT JOIN sales.sales s ON s.id = l.sale_id WHERE s.id IS NULL',
    );
    expect(local).toEqual([{ n: 0 }]);

    // Nothing is left for a second global of the same day.
    const again = await fiscalPass({ ...deps, now: () => tomorrow }, businessId);
    expect(again).toMatchObject({ ran: true, globals: [] });
  }, 180_000);

  it("stamps the egreso a register writes for a return of a sale in central's factura global, related to it", async () => {
    const sale = await first.sell(2);
    await synced(first);
    const tomorrow = new Date(Date.now() + 36 * 3600_000);
    const pass = await fiscalPass({ ...deps, now: () => tomorrow }, businessId);
    const [global] = pass.ran ? pass.globals : [];
    expect(pass.ran && pass.stamped).toEqual([expect.objectContaining({ invoiceId: global!.invoiceId, status: 'ISSUED' })]);
    await waitFor(
      async () => {
        first.engine.services.sync!.kick({ pull: true });
        const [link] = await first.engine.services.sql.query<{ status: string }>(
          `SELECT i.status FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
           WHERE l.sale_id = $1 AND l.invoice_id = $2 AND l.deleted_at IS NULL`,
          [sale.saleId, global!.invoiceId],
        );
        return link?.status === 'ISSUED';
      },
      30_000,
      "the global's link at the register",
    );

    // A line comes back: the register writes the egreso to the público en general, related to central's global.
    const returned = await giveBackOne(first, sale.saleId);
    expect(returned.creditNote).toMatchObject({ status: 'PENDING' });
    const noteId = returned.creditNote!.id;

    // Central takes it (nothing set aside), stamps it after the global, and the register reads it stamped.
    await synced(first);
    expect(first.status().quarantined).toEqual([]);
    const [atCentral] = await central.sql.query<{ related_invoice_id: string; tax_id: string }>(
      `SELECT related_invoice_id, receiver->>'taxId' AS tax_id FROM billing.invoices WHERE id = $1`,
      [noteId],
    );
    expect(atCentral).toEqual({ related_invoice_id: global!.invoiceId, tax_id: 'XAXX010101000' });
    const after = await fiscalPass(deps, businessId);
    expect(after.ran && after.stamped).toEqual([expect.objectContaining({ invoiceId: noteId, status: 'ISSUED' })]);
    await pulled(first, noteId, 'ISSUED');
  }, 180_000);

  it('refuses, in words, an invoice a register wrote offline for a sale central had already put in a global, and credits a return made meanwhile against the global', async () => {
    const dir = await provisionDir(central, database.url, thirdId, 'fiscal-3');
    let third = await openTerminal(dir, thirdId);
    const sale = await third.sell(1);
    await synced(third);
    await third.engine.close();

    // Central covers it with the day's global while the register is away.
    const tomorrow = new Date(Date.now() + 36 * 3600_000);
    const pass = await fiscalPass({ ...deps, now: () => tomorrow }, businessId);
    const [global] = pass.ran ? pass.globals : [];
    expect(global).toMatchObject({ series: 'A-GLOBAL' });

    // Offline, the register still sees the sale free and writes its invoice.
    third = await openTerminal(dir, thirdId, { sync: false });
    const invoice = ok(
      await third.engine.call(
        'invoices.request',
        { saleId: sale.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
        { token: third.token },
      ),
    );
    // And a line comes back, still offline: its credit note corrects the register's own invoice.
    const returned = await giveBackOne(third, sale.saleId);
    expect(returned.creditNote).toMatchObject({ status: 'PENDING' });
    await third.engine.close();

    // Back online: nothing is set aside; the invoice comes back refused and the sale stays in the global.
    third = await openTerminal(dir, thirdId);
    try {
      await synced(third);
      expect(third.status().quarantined).toEqual([]);
      await pulled(third, invoice.id, 'REJECTED');
      expect(await localInvoice(third, invoice.id)).toMatchObject({ status: 'REJECTED', code: 'IN_GLOBAL_INVOICE' });
      const [message] = await third.engine.services.sql.query<{ message: string }>(
        `SELECT fiscal_data->>'message' AS message FROM billing.invoices WHERE id = $1`,
        [invoice.id],
      );
      expect(message!.message).toContain(`factura global ${global!.series}-${global!.folio}`);
      const [covering] = await central.sql.query<{ invoice_id: string }>(
        'SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL',
        [sale.saleId],
      );
      expect(covering!.invoice_id).toBe(global!.invoiceId);
      await waitFor(
        async () => {
          third.engine.services.sync!.kick({ pull: true });
          const live = await third.engine.services.sql.query<{ invoice_id: string }>(
            'SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL',
            [sale.saleId],
          );
          return live.length === 1 && live[0]!.invoice_id === global!.invoiceId;
        },
        30_000,
        'the sale covered by the global at the register',
      );
      // Central never sends the refused invoice to the PAC.
      const after = await fiscalPass(deps, businessId);
      expect(after.ran && after.stamped.map((o) => o.invoiceId)).not.toContain(invoice.id);

      // The return's credit note went with the refused invoice; central credits the return against the global instead.
      expect(after.ran && after.stamped).toContainEqual(
        expect.objectContaining({ invoiceId: returned.creditNote!.id, status: 'REJECTED' }),
      );
      const next = await fiscalPass(deps, businessId);
      const [credited] = next.ran ? next.creditNotes : [];
      expect(credited).toMatchObject({ returnId: returned.returnId, series: 'NC-A-CENTRAL', folio: 1 });
      expect(next.ran && next.stamped).toContainEqual(expect.objectContaining({ invoiceId: credited!.invoiceId, status: 'ISSUED' }));
      const [related] = await central.sql.query<{ related_invoice_id: string }>(
        'SELECT related_invoice_id FROM billing.invoices WHERE id = $1',
        [credited!.invoiceId],
      );
      expect(related!.related_invoice_id).toBe(global!.invoiceId);
      // Once: the next pass finds the return accounted for.
      const again = await fiscalPass(deps, businessId);
      expect(again.ran && again.creditNotes).toEqual([]);
      // The register pulls it, and its return names it.
      await pulled(third, credited!.invoiceId, 'ISSUED');
      await waitFor(
        async () => {
          third.engine.services.sync!.kick({ pull: true });
          const [link] = await third.engine.services.sql.query<{ invoice_id: string }>(
            'SELECT invoice_id FROM billing.invoice_returns WHERE return_id = $1 AND deleted_at IS NULL',
            [returned.returnId],
          );
          return link?.invoice_id === credited!.invoiceId;
        },
        30_000,
        "central's credit note linked to the return at the register",
      );
    } finally {
      await third.dispose();
    }
  }, 180_000);

  it("runs on the service's schedule, and tells the managers once when the PAC refuses the account", async () => {
    await seedTemplates(central.sql);
    const redis = await startPrivateRedis();
    const service = await startCentralService(
      readCentralConfig({
        url: database.url,
        redis: redis.url,
        role: 'worker',
        'data-dir': dataDir,
        'fiscal-every-ms': '200',
        'log-dir': join(dataDir, 'logs'),
      }),
    );
    try {
      const { invoiceId } = await ask(first);
      await synced(first);
      await pulled(first, invoiceId, 'ISSUED');

      pac.refuseCredentials(true);
      const waiting = await ask(second);
      await synced(second);
      const alarms = () =>
        central.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM communication.in_app_notifications WHERE business_id = $1 AND data->>'code' = 'fiscal.halted'`,
          [businessId],
        );
      await waitFor(async () => (await alarms())[0]!.n > 0, 30_000, 'the alarm');
      const raised = (await alarms())[0]!.n;
      // Several more firings meet the same refusal: the managers were told once today.
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await alarms())[0]!.n).toBe(raised);
      expect(await localInvoice(second, waiting.invoiceId)).toMatchObject({ status: 'PENDING' });

      pac.refuseCredentials(false);
      await pulled(second, waiting.invoiceId, 'ISSUED');
    } finally {
      pac.refuseCredentials(false);
      await service.stop();
      await redis.stop();
    }
  }, 120_000);
});
