// An invoice asked for at a register provisioned from central: the branch's fiscal profile came
// down with the first pull, the invoice goes up with the sale as a journal fact, and central
// holds the same rows, a credit note written with a return among them. A register cannot write an
// invoice in another register's name, link a sale that is not its own, nor hang a credit note on
// another register's invoice: central sets such a fact aside with its reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { INVOICE_REQUESTED, type InvoiceRequestedFact } from '#engine/services/invoicing/invoice-facts.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { readSyncConfig } from '#engine/sync/sync-config.ts';
import { startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };

describe('invoices asked for at a register reach central', () => {
  let database: TestDatabase;
  let central: Central;
  let first: TestTerminal;
  let second: TestTerminal;

  const pushed = async (terminal: TestTerminal) => {
    terminal.engine.services.sync!.kick();
    await waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
  };

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('invoice_at_central', 2));
    first = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'invoice-1'), registerIds[0]!);
    second = await openTerminal(await provisionDir(central, database.url, registerIds[1]!, 'invoice-2'), registerIds[1]!);
  }, 180_000);

  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
    await central?.close();
    await database?.drop();
  });

  it('issues from the fiscal profile central holds, and central holds the invoice, its lines and its link', async () => {
    const [profile] = await first.engine.services.sql.query<{ series: string; tax_id: string }>(
      'SELECT series, tax_id FROM billing.fiscal_profiles',
    );
    expect(profile).toEqual({ series: 'A', tax_id: 'ALE150312QX9' });

    const sale = await first.sell(2);
    const invoice = ok(
      await first.engine.call(
        'invoices.request',
        { saleId: sale.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
        { token: first.token },
      ),
    );
    expect(invoice).toMatchObject({ series: 'A-CAJA-1', folio: 1, status: 'PENDING' });
    await pushed(first);

    const [atCentral] = await central.sql.query<{ series: string; folio: string; status: string; total: string; register_id: string }>(
      'SELECT series, folio::text, status, total::text, register_id FROM billing.invoices WHERE id = $1',
      [invoice.id],
    );
    expect(atCentral).toEqual({
      series: 'A-CAJA-1',
      folio: '1',
      status: 'PENDING',
      total: `${invoice.total}`,
      register_id: first.registerId,
    });
    const counts = await central.sql.query<{ items: number; links: number }>(
      `SELECT (SELECT count(*)::int FROM billing.invoice_items WHERE invoice_id = $1) AS items,
              (SELECT count(*)::int FROM billing.invoice_sales WHERE invoice_id = $1 AND sale_id = $2) AS links`,
      [invoice.id, sale.saleId],
    );
    expect(counts).toEqual([{ items: 2, links: 1 }]);

    // The second register numbers its own series from 1.
    const other = await second.sell(1);
    const theirs = ok(
      await second.engine.call(
        'invoices.request',
        { saleId: other.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
        { token: second.token },
      ),
    );
    expect(theirs).toMatchObject({ series: 'A-CAJA-2', folio: 1 });
    await pushed(second);
    expect(await central.sql.query('SELECT 1 FROM billing.invoices WHERE id = $1', [theirs.id])).toHaveLength(1);
  }, 120_000);

  it("sets aside an invoice written in another register's name, or linking a sale not its own", async () => {
    const [fact] = first.engine.services.journal.after(0, 100_000).filter((f) => f.kind === INVOICE_REQUESTED);
    const original = fact!.payload as InvoiceRequestedFact;
    // Sales without an invoice: one of this register's, one of the other's.
    const mine = await first.sell(1);
    const theirs = await second.sell(1);
    await pushed(first);
    await pushed(second);
    const forge = (change: (f: InvoiceRequestedFact, id: string) => InvoiceRequestedFact) => {
      const id = uuidv7();
      const forged = change(structuredClone(original), id);
      first.engine.services.journal.append(INVOICE_REQUESTED, `forged-invoice-${id}`, forged);
    };
    const relink = (f: InvoiceRequestedFact, id: string, saleId: string) => ({
      ...f,
      invoice: { ...f.invoice, id, idempotency_key: `forged-${id}`, sale_id: saleId },
      items: f.items.map((i) => ({ ...i, id: uuidv7(), invoice_id: id })),
      links: [{ ...f.links[0]!, id: uuidv7(), invoice_id: id, sale_id: saleId }],
    });
    const before = first.status().quarantined.length;
    forge((f, id) => {
      const r = relink(f, id, mine.saleId);
      return { ...r, invoice: { ...r.invoice, register_id: second.registerId, folio: 91 } };
    });
    forge((f, id) => {
      const r = relink(f, id, theirs.saleId);
      return { ...r, invoice: { ...r.invoice, folio: 92 } };
    });
    first.engine.services.sync!.kick();
    await waitFor(() => first.status().quarantined.length === before + 2, 30_000, 'both forged invoices set aside');
    expect(
      first
        .status()
        .quarantined.slice(before)
        .map((q) => q.reason),
    ).toEqual([expect.stringContaining('row-level security'), expect.stringContaining('row-level security')]);
    expect(await central.sql.query('SELECT folio FROM billing.invoices WHERE folio IN (91, 92)')).toEqual([]);
  }, 60_000);

  it('holds the stamp and the rejection the register journaled, and lets the register answer nothing but its PENDING invoices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-central-stamps-'));
    const pac = await startLoopbackPac({ username: 'cajas', password: 'secreto', dir });
    try {
      const client = finkokClient({ username: 'cajas', password: 'secreto', baseUrl: pac.baseUrl, timeoutMs: 2_000 });
      const csd = openCsd(makeTestCsd(dir, { rfc: 'ALE150312QX9' }));
      const ask = async () => {
        const sale = await first.sell(1);
        const receiver = CUSTOMER;
        const invoice = ok(
          await first.engine.call(
            'invoices.request',
            { saleId: sale.saleId, receiver, idempotencyKey: `invoice-${uuidv7()}` },
            { token: first.token },
          ),
        );
        return { saleId: sale.saleId, invoiceId: invoice.id };
      };
      const setAside = first.status().quarantined.length;
      // What the earlier tests left PENDING is stamped first.
      await stampPending(first.engine.services, { pac: client, csd, now: new Date() });
      const issued = await ask();
      const [stamp] = (await stampPending(first.engine.services, { pac: client, csd, now: new Date() })).outcomes;
      const rejected = await ask();
      pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
      await stampPending(first.engine.services, { pac: client, csd, now: new Date() });
      await pushed(first);

      const rows = await central.sql.query<{
        id: string;
        status: string;
        fiscal_id: string | null;
        code: string | null;
        live: boolean;
        attempts: number;
      }>(
        `SELECT i.id, i.status, i.fiscal_id, i.fiscal_data->>'code' AS code,
                EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.invoice_id = i.id AND l.deleted_at IS NULL) AS live,
                (SELECT count(*)::int FROM billing.stamp_attempts a WHERE a.invoice_id = i.id) AS attempts
         FROM billing.invoices i WHERE i.id IN ($1, $2) ORDER BY i.created_at`,
        [issued.invoiceId, rejected.invoiceId],
      );
      expect(rows).toEqual([
        { id: issued.invoiceId, status: 'ISSUED', fiscal_id: stamp!.uuid, code: null, live: true, attempts: 1 },
        { id: rejected.invoiceId, status: 'REJECTED', fiscal_id: null, code: '305', live: false, attempts: 1 },
      ]);
      expect(first.status().quarantined.slice(setAside)).toEqual([]);

      // The register's login, used by hand: a stamped invoice stays stamped and its sale stays invoiced.
      const login = new pg.Client({ connectionString: readSyncConfig(first.dir)!.url });
      await login.connect();
      try {
        await expect(login.query(`UPDATE billing.invoices SET status = 'REJECTED' WHERE id = $1`, [issued.invoiceId])).rejects.toThrow(
          /an invoice ISSUED does not become REJECTED/,
        );
        await expect(
          login.query('UPDATE billing.invoice_sales SET deleted_at = now() WHERE invoice_id = $1', [issued.invoiceId]),
        ).rejects.toThrow(/row-level security policy "terminal_frees_undone"/);
        await expect(login.query('UPDATE billing.invoices SET total = 1 WHERE id = $1', [issued.invoiceId])).rejects.toThrow(
          /permission denied/,
        );
      } finally {
        await login.end();
      }
      const [still] = await central.sql.query<{ status: string }>('SELECT status FROM billing.invoices WHERE id = $1', [issued.invoiceId]);
      expect(still!.status).toBe('ISSUED');

      // Cancelled with the SAT by the register: central holds the request, the answer, the
      // CANCELLED invoice and its sale freed.
      const [managerRow] = await first.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
      const manager = ok(
        await first.engine.call('auth.signInWithPin', { employeeId: managerRow!.id, pin: demo.store.employees[1]!.pin }),
      ).token;
      const asked = ok(
        await first.engine.call(
          'invoices.cancel',
          { invoiceId: issued.invoiceId, motive: '02', reason: 'RFC del cliente equivocado', idempotencyKey: `cancel-${uuidv7()}` },
          { token: manager },
        ),
      );
      expect((await cancelPending(first.engine.services, { pac: client, csd })).outcomes).toEqual([
        expect.objectContaining({ cancellationId: asked.id, state: 'ACCEPTED' }),
      ]);
      await pushed(first);
      const [cancelled] = await central.sql.query<{ status: string; answers: string[]; live: boolean }>(
        `SELECT i.status,
                (SELECT array_agg(a.state) FROM billing.cancellation_answers a JOIN billing.invoice_cancellations c ON c.id = a.cancellation_id
                 WHERE c.invoice_id = i.id) AS answers,
                EXISTS (SELECT 1 FROM billing.invoice_sales l WHERE l.invoice_id = i.id AND l.deleted_at IS NULL) AS live
         FROM billing.invoices i WHERE i.id = $1`,
        [issued.invoiceId],
      );
      expect(cancelled).toEqual({ status: 'CANCELLED', answers: ['ACCEPTED'], live: false });
      expect(first.status().quarantined.slice(setAside)).toEqual([]);
    } finally {
      await pac.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("holds a credit note written with its return and refused with its invoice, and sets aside one hung on another register's invoice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-central-credit-notes-'));
    const pac = await startLoopbackPac({ username: 'cajas', password: 'secreto', dir });
    try {
      const client = finkokClient({ username: 'cajas', password: 'secreto', baseUrl: pac.baseUrl, timeoutMs: 2_000 });
      const csd = openCsd(makeTestCsd(dir, { rfc: 'ALE150312QX9' }));
      const setAside = first.status().quarantined.length;
      await stampPending(first.engine.services, { pac: client, csd, now: new Date() });
      const sale = await first.sell(1);
      const invoice = ok(
        await first.engine.call(
          'invoices.request',
          { saleId: sale.saleId, receiver: CUSTOMER, idempotencyKey: `invoice-${uuidv7()}` },
          { token: first.token },
        ),
      );
      const [item] = await first.engine.services.sql.query<{ id: string }>('SELECT id FROM sales.sale_items WHERE sale_id = $1', [
        sale.saleId,
      ]);
      const [managerRow] = await first.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
      const returned = ok(
        await first.engine.call(
          'returns.create',
          {
            saleId: sale.saleId,
            lines: [{ saleItemId: item!.id, quantity: '1' }],
            refundMethodId: first.cash,
            reason: 'Producto en mal estado',
            idempotencyKey: `return-${uuidv7()}`,
          },
          { token: first.token, override: { employeeId: managerRow!.id, pin: demo.store.employees[1]!.pin } },
        ),
      );
      pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
      await stampPending(first.engine.services, { pac: client, csd, now: new Date() });
      await pushed(first);

      const [note] = await central.sql.query<{ id: string; status: string; code: string; related_invoice_id: string; live: boolean }>(
        `SELECT i.id, i.status, i.fiscal_data->>'code' AS code, i.related_invoice_id,
                EXISTS (SELECT 1 FROM billing.invoice_returns l WHERE l.invoice_id = i.id AND l.deleted_at IS NULL) AS live
         FROM billing.invoices i JOIN billing.invoice_returns l ON l.invoice_id = i.id WHERE i.kind = 'CREDIT_NOTE' AND l.return_id = $1`,
        [returned.returnId],
      );
      expect(note).toMatchObject({ status: 'REJECTED', code: 'RELATED_REJECTED', related_invoice_id: invoice.id, live: false });
      expect(first.status().quarantined.slice(setAside)).toEqual([]);

      // The same credit note, forged onto the other register's invoice, and onto another sale's.
      const fact = first.engine.services.journal.find(`invoice:${note!.id}`)!.payload as InvoiceRequestedFact;
      const [theirs] = await central.sql.query<{ id: string }>(
        `SELECT id FROM billing.invoices WHERE register_id = $1 AND kind = 'INVOICE'`,
        [second.registerId],
      );
      const other = await first.sell(1);
      await pushed(first);
      const forge = (folio: number, change: Record<string, unknown>) => {
        const id = uuidv7();
        first.engine.services.journal.append(INVOICE_REQUESTED, `forged-credit-note-${id}`, {
          ...fact,
          invoice: { ...fact.invoice, id, idempotency_key: `forged-${id}`, folio, status: 'PENDING', ...change },
          items: fact.items.map((i) => ({ ...i, id: uuidv7(), invoice_id: id })),
          returns: [],
        });
      };
      forge(93, { related_invoice_id: theirs!.id });
      forge(94, { sale_id: other.saleId });
      first.engine.services.sync!.kick();
      await waitFor(() => first.status().quarantined.length === setAside + 2, 30_000, 'both forged credit notes set aside');
      expect(
        first
          .status()
          .quarantined.slice(setAside)
          .map((q) => q.reason),
      ).toEqual([expect.stringContaining('row-level security'), expect.stringContaining('row-level security')]);
      expect(await central.sql.query(`SELECT folio FROM billing.invoices WHERE kind = 'CREDIT_NOTE' AND folio IN (93, 94)`)).toEqual([]);
    } finally {
      await pac.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
