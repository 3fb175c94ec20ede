// A customer invoices a sale themselves on central's page: a register sells and pushes; central
// (HTTP side and workers in this process, a private Redis, a loopback PAC, a real SMTP mailbox)
// finds the sale by its receipt code and total, writes the invoice PENDING in its own series,
// stamps it, shows it stamped with its PDF and XML, e-mails it once with both attached; the
// register learns of it with its pulls and will not invoice the sale again. Bad data and too many
// attempts are refused in Spanish and write nothing.
import { readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfInvoicingLink } from '#contract/self-invoicing.ts';
import type { SealedJson } from '#db/schema/auth.ts';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { createSealer } from '#engine/security/sealed-json.ts';
import { receiptCode } from '#engine/services/sales/checkout.ts';
import { SELF_INVOICE_ROUTES } from '#engine/server/central/self-invoice/paths.ts';
import { cloneRow } from '../support/central.ts';
import { eventually } from '../support/central-service.ts';
import { installCentralFiscalSecrets } from '../support/central-fiscal-secrets.ts';
import type { LoopbackPac } from '../support/loopback-pac.ts';
import { freePort } from '../support/private-postgres.ts';
import { branchId, businessId } from '../support/sync-fixture.ts';
import { type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const CUSTOMER = {
  taxId: 'GODE561231GR8',
  legalName: 'EMILIANO GOMEZ DIAZ',
  taxRegime: '612',
  postalCode: '06000',
  fiscalUse: 'G03',
  email: 'emiliano.gomez@ejemplo.mx',
};
const ADDRESS_LIMIT = 25;

type Answer = { status: number; body: any; headers: Headers };

describe('self-invoicing on central', () => {
  let synced: SyncedCentral;
  let pac: LoopbackPac;
  let base: string;
  let sold: { saleId: string; total: string; code: string };
  let token: string;
  let invoiceId: string;
  let uuid: string;
  let client = 0;
  /** Each part of the story comes from an address of its own (the proxy says which): the limits per address stay apart. */
  const from = () => `203.0.113.${++client}`;

  const post = async (path: string, body: object, address: string): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, 'accept-language': 'es-MX,es;q=0.9' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const get = (path: string) => fetch(`${base}${path}`, { headers: { 'accept-language': 'es-MX' } });
  const selfInvoices = async (saleId: string) =>
    (
      await synced.central.sql.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM billing.invoice_sales WHERE sale_id = $1)::int
              + (SELECT count(*) FROM billing.self_invoices WHERE sale_id = $1)::int AS n`,
        [saleId],
      )
    )[0]!.n;

  /** A cash sale at the register, pushed to central, with its receipt's code as printed. */
  async function sellAndPush() {
    const { terminal } = synced;
    const sale = await terminal.sell(2);
    terminal.engine.services.sync!.kick();
    await eventually(
      async () => terminal.status().pending,
      (n) => n === 0,
      30_000,
    );
    const [row] = await terminal.engine.services.sql.query<{ receipt_number: string; code: string }>(
      `SELECT s.receipt_number::text AS receipt_number, r.code FROM sales.sales s JOIN sales.cash_registers r ON r.id = s.register_id
       WHERE s.id = $1`,
      [sale.saleId],
    );
    // The total as the receipt prints it, with its two decimals.
    return { saleId: sale.saleId, total: new Decimal(sale.total).toFixed(2), code: receiptCode(row!.code, Number(row!.receipt_number)) };
  }

  beforeAll(async () => {
    synced = await startSyncedCentral('self_invoice', { pullEverySeconds: 1 });
    pac = await installCentralFiscalSecrets(synced.dataDir, businessId);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await synced.startService({
      role: 'all',
      port: String(port),
      'fiscal-every-ms': '1000',
      'trust-proxy': '127.0.0.1',
      'self-invoice-address-limit': String(ADDRESS_LIMIT),
    });
    sold = await sellAndPush();
  }, 240_000);

  afterAll(async () => {
    await synced?.close();
    await pac?.close();
  });

  it('opens the page with the receipt’s code filled in', async () => {
    const res = await get(`${SELF_INVOICE_ROUTES.page}?r=${encodeURIComponent(sold.code)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain(`value="${sold.code}"`);
    expect(html).toContain('Facture su compra');
  });

  it('refuses a wrong total with the same words as a code that does not exist, and says nothing of the sale', async () => {
    const address = from();
    const wrong = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: sold.code, total: '1.00' }, address);
    const missing = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: 'RCAJA-1-999999', total: sold.total }, address);
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(wrong.body).toEqual(missing.body);
    expect(wrong.body.message).toBe('No encontramos una compra con ese código y ese total. Revise los dos tal como aparecen en su ticket.');
    const typo = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: 'ticket 42', total: sold.total }, address);
    expect(typo).toMatchObject({ status: 400, body: { reason: 'BAD_CODE' } });
  });

  it('finds the sale by its code and total as typed, answering only the store, the day and the total', async () => {
    const found = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: sold.code.toLowerCase(), total: `$${sold.total}` }, from());
    expect(found.status).toBe(200);
    expect(Object.keys(found.body).sort()).toEqual(['day', 'ok', 'store', 'total']);
    expect(found.body.store).toContain('La Esperanza');
    expect(found.body.day).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  });

  /**
   * Another branch of the business beside the register's, with a register of the same code and a
   * sale of the same receipt number, lines, tenders and total as `saleId`'s (its own fiscal profile, series B).
   */
  async function twinAtAnotherBranch(saleId: string) {
    const sql = synced.central.sql;
    const [sale] = await sql.query<{ register_id: string; shift_id: string }>(
      'SELECT register_id, shift_id FROM sales.sales WHERE id = $1',
      [saleId],
    );
    const [profile] = await sql.query<{ id: string }>(
      'SELECT id FROM billing.fiscal_profiles WHERE branch_id = $1 AND deleted_at IS NULL',
      [branchId],
    );
    const [branch, register, shift, twin] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    await cloneRow(sql, 'business.branches', branchId, { id: branch, code: 'CEN-01', name: 'Sucursal Centro' });
    await cloneRow(sql, 'billing.fiscal_profiles', profile!.id, { id: uuidv7(), branch_id: branch, series: 'B' });
    await cloneRow(sql, 'sales.cash_registers', sale!.register_id, { id: register, branch_id: branch });
    await cloneRow(sql, 'sales.shifts', sale!.shift_id, { id: shift, branch_id: branch, register_id: register });
    // Open while its lines go in (a completed sale's lines are final), then completed as the original was.
    await cloneRow(sql, 'sales.sales', saleId, {
      id: twin,
      branch_id: branch,
      register_id: register,
      shift_id: shift,
      idempotency_key: `twin-${twin}`,
      status: 'OPEN',
      completed_at: null,
    });
    for (const item of await sql.query<{ id: string }>('SELECT id FROM sales.sale_items WHERE sale_id = $1', [saleId])) {
      await cloneRow(sql, 'sales.sale_items', item.id, { id: uuidv7(), sale_id: twin });
    }
    for (const paid of await sql.query<{ id: string }>('SELECT id FROM payments.transactions WHERE sale_id = $1', [saleId])) {
      const id = uuidv7();
      await cloneRow(sql, 'payments.transactions', paid.id, {
        id,
        sale_id: twin,
        branch_id: branch,
        register_id: register,
        shift_id: shift,
        idempotency_key: `twin-${id}`,
      });
    }
    await sql.query(
      `UPDATE sales.sales t SET status = s.status, completed_at = s.completed_at FROM sales.sales s WHERE t.id = $1 AND s.id = $2`,
      [twin, saleId],
    );
    return { branchId: branch, saleId: twin };
  }

  it('tells two branches’ tickets of the same code and total apart by the branch in the QR’s link; a link without it still finds a ticket no other branch shares', async () => {
    const ours = await sellAndPush();
    const opened = async (url: string) =>
      /data-branch="([^"]*)"/.exec(await (await fetch(url, { headers: { 'accept-language': 'es-MX' } })).text())![1];

    // A receipt printed before the links carried the branch: its page knows none, and the code and total find the sale.
    const older = `${base}${SELF_INVOICE_ROUTES.page}?r=${encodeURIComponent(ours.code)}`;
    expect(await opened(older)).toBe('');
    const alone = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: ours.code, total: ours.total, branch: '' }, from());
    expect(alone).toMatchObject({ status: 200, body: { store: 'Abarrotes La Esperanza · Sucursal Coyoacán' } });

    const twin = await twinAtAnotherBranch(ours.saleId);
    const address = from();
    const ambiguous = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: ours.code, total: ours.total, branch: '' }, address);
    expect(ambiguous).toMatchObject({ status: 409, body: { reason: 'AMBIGUOUS' } });
    expect(ambiguous.body.message).toContain('Escanee el código QR de su ticket');

    // Each receipt's QR opens the page with its own branch, and the lookup finds that branch's sale.
    for (const [branch, store] of [
      [branchId, 'Abarrotes La Esperanza · Sucursal Coyoacán'],
      [twin.branchId, 'Abarrotes La Esperanza · Sucursal Centro'],
    ] as const) {
      const inPage = await opened(selfInvoicingLink(base, ours.code, branch));
      expect(inPage).toBe(branch);
      const found = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: ours.code, total: ours.total, branch: inPage }, address);
      expect(found).toMatchObject({ status: 200, body: { store } });
    }
    // A `b` that is not one a receipt writes is dropped: the page asks as for an older receipt.
    expect(await opened(`${older}&b=${branchId}`)).toBe('');
    expect(await opened(`${older}&b=not-a-branch`)).toBe('');

    // The request with the branch invoices that branch's sale, in that branch's series, and not the other.
    const asked = await post(
      SELF_INVOICE_ROUTES.request,
      { receiptCode: ours.code, total: ours.total, branch: twin.branchId, requestKey: uuidv7(), ...CUSTOMER, email: 'centro@ejemplo.mx' },
      address,
    );
    expect(asked.status).toBe(201);
    expect(await selfInvoices(twin.saleId)).toBe(2);
    expect(await selfInvoices(ours.saleId)).toBe(0);
    // Stamped before the next tests script the PAC.
    const status = await eventually(
      async () => (await get(`${SELF_INVOICE_ROUTES.status}?t=${asked.body.token}`)).json() as Promise<any>,
      (s) => s.status !== 'PENDING',
      30_000,
    );
    expect(status).toMatchObject({ status: 'ISSUED', invoice: 'B-WEB-1' });
  }, 60_000);

  it('refuses fiscal data the SAT would refuse, in Spanish by field, and writes nothing', async () => {
    const address = from();
    const ask = (form: object) =>
      post(SELF_INVOICE_ROUTES.request, { receiptCode: sold.code, total: sold.total, requestKey: uuidv7(), ...CUSTOMER, ...form }, address);
    const badRfc = await ask({ taxId: 'GODE561231GR9' });
    expect(badRfc.status).toBe(422);
    expect(badRfc.body).toMatchObject({ reason: 'INVALID', message: 'Revise los datos marcados.' });
    expect(badRfc.body.problems.map((p: { field: string }) => p.field)).toEqual(['taxId']);
    const mismatch = await ask({ taxRegime: '605', fiscalUse: 'G03' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.problems).toEqual([{ field: 'fiscalUse', message: expect.stringContaining('Con ese régimen se permiten') }]);
    const noEmail = await ask({ email: 'emiliano' });
    expect(noEmail.body.problems).toEqual([{ field: 'email', message: expect.stringContaining('correo electrónico válido') }]);
    expect(await selfInvoices(sold.saleId)).toBe(0);
  });

  it('writes the invoice PENDING in central’s own series, and the status says ISSUED once the fiscal pass stamps it', async () => {
    const address = from();
    const requestKey = uuidv7();
    const body = { receiptCode: sold.code, total: sold.total, requestKey, ...CUSTOMER };
    // The PAC refuses central's account for a while: the invoice waits PENDING, and says so.
    pac.refuseCredentials(true);
    const asked = await post(SELF_INVOICE_ROUTES.request, body, address);
    expect(asked.status).toBe(201);
    token = asked.body.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [invoice] = await synced.central.sql.query<{
      id: string;
      series: string;
      status: string;
      register_id: string | null;
      receiver: { taxId: string };
    }>(
      `SELECT i.id, i.series, i.status, i.register_id, i.receiver FROM billing.invoices i JOIN billing.invoice_sales l ON l.invoice_id = i.id
       WHERE l.sale_id = $1 AND l.deleted_at IS NULL`,
      [sold.saleId],
    );
    expect(invoice).toMatchObject({ series: 'A-WEB', status: 'PENDING', register_id: null, receiver: { taxId: CUSTOMER.taxId } });
    invoiceId = invoice!.id;
    // The customer's e-mail is kept sealed: no row holds an address in the clear.
    const [row] = await synced.central.sql.query<{ id: string; email: string | null; sealed: SealedJson }>(
      'SELECT id, email, email_sealed AS sealed FROM billing.self_invoices WHERE token = $1',
      [token],
    );
    expect(row!.email).toBeNull();
    expect(Object.keys(row!.sealed).sort()).toEqual(['alg', 'data', 'iv', 'kid', 'tag', 'v']);
    const [clear] = await synced.central.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM billing.self_invoices WHERE email IS NOT NULL OR email_sealed::text ILIKE '%ejemplo%'`,
    );
    expect(clear).toEqual({ n: 0 });
    // It opens with the business's key, a 0600 file under central's data directory, for its own row only.
    const keyFile = join(synced.dataDir, 'businesses', businessId, 'keys', 'pii.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const sealer = createSealer(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
    expect(sealer.open(row!.sealed, `billing.self_invoices.email:${row!.id}`)).toBe(CUSTOMER.email);
    expect(() => sealer.open(row!.sealed, `billing.self_invoices.email:${uuidv7()}`)).toThrow(/does not open/);
    expect(await (await get(`${SELF_INVOICE_ROUTES.status}?t=${token}`)).json()).toMatchObject({ ok: true, status: 'PENDING', uuid: null });
    expect((await get(`${SELF_INVOICE_ROUTES.pdf}?t=${token}`)).status).toBe(409);
    pac.refuseCredentials(false);

    // The page's answer was lost: the same request again finds the same invoice.
    const again = await post(SELF_INVOICE_ROUTES.request, body, address);
    expect(again).toMatchObject({ status: 200, body: { ok: true, token } });

    const status = await eventually(
      async () => (await get(`${SELF_INVOICE_ROUTES.status}?t=${token}`)).json() as Promise<any>,
      (s) => s.status !== 'PENDING',
      30_000,
    );
    expect(status).toMatchObject({ ok: true, status: 'ISSUED', invoice: 'A-WEB-1', email: CUSTOMER.email });
    uuid = status.uuid;
    expect(uuid).toMatch(/^[0-9A-F-]{36}$/i);
    expect((await get(`${SELF_INVOICE_ROUTES.status}?t=${'x'.repeat(43)}`)).status).toBe(404);
  }, 60_000);

  it('downloads the stamped PDF and XML by the token', async () => {
    const pdf = await get(`${SELF_INVOICE_ROUTES.pdf}?t=${token}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="A-WEB-1.pdf"');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const xml = await get(`${SELF_INVOICE_ROUTES.xml}?t=${token}`);
    expect(xml.status).toBe(200);
    expect(readComprobante(await xml.text()).TimbreFiscalDigital!.UUID).toBe(uuid);
    // One character off (a 256-bit token's last base64url character is one of 16, 'A' among them).
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'E' : 'A'}`;
    expect((await get(`${SELF_INVOICE_ROUTES.xml}?t=${forged}`)).status).toBe(404);
  });

  it('e-mails the invoice once, with its PDF and its XML attached', async () => {
    const mails = () => synced.mailbox.deliveries.filter((d) => d.to.includes(CUSTOMER.email));
    await eventually(
      async () => mails().length,
      (n) => n > 0,
      30_000,
    );
    // Several more fiscal passes sweep for stamped self-invoices: none sends it again.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(mails()).toHaveLength(1);
    const [mail] = mails();
    expect(mail!.subject).toBe('Su factura A-WEB-1 de Abarrotes La Esperanza');
    expect(mail!.text).toContain(uuid);
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['A-WEB-1.pdf', 'application/pdf'],
      ['A-WEB-1.xml', 'application/xml'],
    ]);
    expect(mail!.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(readComprobante(mail!.attachments[1]!.content.toString('utf8')).TimbreFiscalDigital!.UUID).toBe(uuid);
    const jobs = await synced.central.sql.query<{ payload: object }>(
      `SELECT payload FROM communication.notification_jobs WHERE idempotency_key = $1`,
      [`invoice.self:${invoiceId}`],
    );
    // The job names the invoice; the files are never kept in it.
    expect(jobs).toEqual([{ payload: { invoiceId, locale: 'es-MX' } }]);
  }, 60_000);

  it('comes down to the register, which refuses to invoice that sale again at the counter', async () => {
    const { terminal } = synced;
    await eventually(
      async () => {
        terminal.engine.services.sync!.kick({ pull: true });
        return terminal.engine.services.sql.query<{ status: string }>(
          `SELECT i.status FROM billing.invoice_sales l JOIN billing.invoices i ON i.id = l.invoice_id
           WHERE l.sale_id = $1 AND l.deleted_at IS NULL`,
          [sold.saleId],
        );
      },
      (rows) => rows[0]?.status === 'ISSUED',
      30_000,
    );
    const refused = await terminal.engine.call(
      'invoices.request',
      {
        saleId: sold.saleId,
        receiver: { rfc: CUSTOMER.taxId, name: CUSTOMER.legalName, taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' },
        idempotencyKey: `invoice-${uuidv7()}`,
      },
      { token: terminal.token },
    );
    expect(refused).toMatchObject({ ok: false, error: { params: { reason: 'ALREADY_INVOICED', series: 'A-WEB', folio: 1 } } });
  }, 60_000);

  it('refuses a second self-invoice of the same sale, saying it is invoiced already', async () => {
    const address = from();
    const lookup = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: sold.code, total: sold.total }, address);
    expect(lookup).toMatchObject({
      status: 409,
      body: {
        reason: 'ALREADY_INVOICED',
        message: 'Esta compra ya está facturada (factura A-WEB-1). Si no le llegó, pídala en la tienda.',
      },
    });
    const second = await post(
      SELF_INVOICE_ROUTES.request,
      { receiptCode: sold.code, total: sold.total, requestKey: uuidv7(), ...CUSTOMER, taxId: 'XAXX010101000' },
      address,
    );
    expect(second).toMatchObject({ status: 409, body: { reason: 'ALREADY_INVOICED' } });
    expect(await selfInvoices(sold.saleId)).toBe(2);
  });

  it('says the SAT’s refusal in words, and lets the customer ask again with their data corrected', async () => {
    const address = from();
    const other = await sellAndPush();
    pac.script({
      reject: { code: 'CFDI40145', message: 'El campo Nombre del receptor, debe pertenecer al nombre asociado al RFC registrado' },
    });
    const asked = await post(
      SELF_INVOICE_ROUTES.request,
      { receiptCode: other.code, total: other.total, requestKey: uuidv7(), ...CUSTOMER },
      address,
    );
    expect(asked.status).toBe(201);
    const status = await eventually(
      async () => (await get(`${SELF_INVOICE_ROUTES.status}?t=${asked.body.token}`)).json() as Promise<any>,
      (s) => s.status !== 'PENDING',
      30_000,
    );
    expect(status).toMatchObject({
      status: 'REJECTED',
      message:
        'El SAT no aceptó la factura: El campo Nombre del receptor, debe pertenecer al nombre asociado al RFC registrado. Revise sus datos y vuelva a intentarlo.',
    });
    const again = await post(
      SELF_INVOICE_ROUTES.request,
      { receiptCode: other.code, total: other.total, requestKey: uuidv7(), ...CUSTOMER },
      address,
    );
    expect(again.status).toBe(201);
    const stamped = await eventually(
      async () => (await get(`${SELF_INVOICE_ROUTES.status}?t=${again.body.token}`)).json() as Promise<any>,
      (s) => s.status !== 'PENDING',
      30_000,
    );
    expect(stamped).toMatchObject({ status: 'ISSUED', invoice: 'A-WEB-3' });
  }, 60_000);

  it('keeps the address of a request written before addresses were sealed, seals it at a fiscal pass and e-mails it once', async () => {
    const sql = synced.central.sql;
    const EARLIER = 'ana.lopez@ejemplo.mx';
    const earlier = await sellAndPush();
    // Held PENDING while the row is put as migration c0021 wrote it: the address in the clear, nothing sealed.
    pac.refuseCredentials(true);
    let asked: Answer;
    try {
      asked = await post(
        SELF_INVOICE_ROUTES.request,
        { receiptCode: earlier.code, total: earlier.total, requestKey: uuidv7(), ...CUSTOMER, email: 'otro@ejemplo.mx' },
        from(),
      );
      expect(asked.status).toBe(201);
      // In one transaction: a fiscal pass seals the address it finds in the clear, and one running
      // between the put and the checks (a loaded machine) left nothing to refuse.
      await sql.transaction(async (tx) => {
        await tx.query('UPDATE billing.self_invoices SET email = $2, email_sealed = NULL WHERE token = $1', [asked.body.token, EARLIER]);
        // A row holds exactly one of the two: never none (the address lost), never both (kept in the clear).
        const sealedToo = `'{"v":1,"alg":"A256GCM","kid":"k","iv":"i","tag":"t","data":"d"}'::jsonb`;
        for (const change of ['email = NULL', `email_sealed = ${sealedToo}`]) {
          await tx.query('SAVEPOINT refused');
          await expect(tx.query(`UPDATE billing.self_invoices SET ${change} WHERE token = $1`, [asked.body.token])).rejects.toThrow(
            /self_invoices_email_once_check/,
          );
          await tx.query('ROLLBACK TO SAVEPOINT refused');
        }
      });
      expect(await (await get(`${SELF_INVOICE_ROUTES.status}?t=${asked.body.token}`)).json()).toMatchObject({ email: EARLIER });
    } finally {
      pac.refuseCredentials(false);
    }
    const mails = () => synced.mailbox.deliveries.filter((d) => d.to.includes(EARLIER));
    await eventually(
      async () => mails().length,
      (n) => n > 0,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(mails()).toHaveLength(1);
    expect(mails()[0]!.subject).toMatch(/^Su factura A-WEB-\d+ de Abarrotes La Esperanza$/);
    const [row] = await sql.query<{ email: string | null; sealed: SealedJson | null }>(
      'SELECT email, email_sealed AS sealed FROM billing.self_invoices WHERE token = $1',
      [asked.body.token],
    );
    expect(row).toEqual({ email: null, sealed: expect.objectContaining({ alg: 'A256GCM' }) });
    expect(await (await get(`${SELF_INVOICE_ROUTES.status}?t=${asked.body.token}`)).json()).toMatchObject({ email: EARLIER });
  }, 60_000);

  it('refuses a receipt after five failed lookups, from whichever address, with Retry-After, even with the right total', async () => {
    const other = await sellAndPush();
    for (let i = 0; i < 5; i++) {
      const wrong = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: other.code, total: `${i + 1}.00` }, from());
      expect(wrong.status).toBe(404);
    }
    const blocked = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: other.code, total: other.total }, from());
    expect(blocked.status).toBe(429);
    expect(blocked.body.message).toMatch(/^Demasiados intentos\. Intente de nuevo en \d+ minutos\.$/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await selfInvoices(other.saleId)).toBe(0);
  }, 60_000);

  it('refuses an address past its limit of lookups and requests, with Retry-After', async () => {
    const address = from();
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      expect((await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: 'x', total: '1' }, address)).status).toBe(400);
    }
    const over = await post(SELF_INVOICE_ROUTES.request, { receiptCode: sold.code, total: sold.total }, address);
    expect(over.status).toBe(429);
    expect(over.body.reason).toBe('TOO_MANY');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another address is not held back by it.
    expect((await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: sold.code, total: sold.total }, from())).status).toBe(409);
  });

  it('is not offered for a business whose CSD and PAC account central does not hold', async () => {
    const secrets = join(synced.dataDir, 'businesses', businessId);
    renameSync(secrets, `${secrets}.away`);
    try {
      const refused = await post(SELF_INVOICE_ROUTES.lookup, { receiptCode: sold.code, total: sold.total }, from());
      expect(refused).toMatchObject({
        status: 409,
        body: { reason: 'NOT_OFFERED', message: 'Esta tienda no ofrece la facturación en línea. Pida su factura en la caja.' },
      });
    } finally {
      renameSync(`${secrets}.away`, secrets);
    }
  });
});
