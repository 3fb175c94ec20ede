// Motive 01 at a register without central, on a real demo engine against a loopback Finkok: a
// stamped invoice replaced by a corrected one. The substitute is written at once for the same
// sale, related to the replaced one (TipoRelacion 04), and covers the sale from then on; the
// cancellation of the replaced one waits for the substitute's UUID and then goes to the SAT with it
// as FolioSustitucion. A substitute the SAT refuses hands the sale back to the replaced invoice
// and answers the cancellation as refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd } from '#engine/fiscal/mx/seal.ts';
import { REPLAYS } from '#engine/recovery/fact-replay.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026';
const WRONG = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const RIGHT = { ...WRONG, postalCode: '72000', cfdiUse: 'G01' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';

describe('replacing a stamped invoice (cancellation motive 01)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-substitute-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let client: PacClient;
  let csd: Csd;
  let cashier: string;
  let manager: string;
  let seq = 0;
  const key = () => `substitute-test-${++seq}`;
  const sql = <T>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<T>(text, params);
  const stamp = () => stampPending(demo.engine.services, { pac: client, csd, now: new Date() });
  const cancelPass = () => cancelPending(demo.engine.services, { pac: client, csd });
  const statusOf = async (invoiceId: string) =>
    (await sql<{ status: string }>('SELECT status FROM billing.invoices WHERE id = $1', [invoiceId]))[0]!.status;
  const coveringOf = async (saleId: string) =>
    (
      await sql<{ invoice_id: string }>('SELECT invoice_id FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL', [saleId])
    ).map((r) => r.invoice_id);

  async function stampedInvoice() {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }));
    const invoice = ok(
      await demo.engine.call('invoices.request', { saleId: sale.id, receiver: WRONG, idempotencyKey: key() }, { token: cashier }),
    );
    await stamp();
    const [row] = await sql<{ fiscal_id: string }>('SELECT fiscal_id FROM billing.invoices WHERE id = $1', [invoice.id]);
    return { saleId: sale.id, invoiceId: invoice.id, uuid: row!.fiscal_id };
  }
  const substitute = (invoiceId: string, idempotencyKey = key()) =>
    demo.engine.call(
      'invoices.substitute',
      { invoiceId, receiver: RIGHT, reason: 'Código postal y uso del CFDI equivocados', idempotencyKey },
      { token: manager },
    );

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    client = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 });
    demo = await openDemoEngine('invoice-substitution', { start: new Date() });
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    const [{ tax_id: rfc }] = (await sql<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [{ tax_id: string }];
    csd = openCsd(makeTestCsd(dir, { rfc }));
  }, 60_000);
  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stamps the substitute related to the wrong one, then cancels the wrong one with its UUID', async () => {
    const wrong = await stampedInvoice();
    const idempotencyKey = key();
    const asked = ok(await substitute(wrong.invoiceId, idempotencyKey));
    expect(asked.invoice).toMatchObject({ kind: 'INVOICE', status: 'PENDING', receiverRfc: RIGHT.rfc });
    expect(asked.cancellation).toMatchObject({ invoiceId: wrong.invoiceId, motive: '01', state: 'REQUESTED' });
    // The substitute covers the sale now; the same key answers the same, and writes nothing more.
    expect(await coveringOf(wrong.saleId)).toEqual([asked.invoice.id]);
    expect(ok(await substitute(wrong.invoiceId, idempotencyKey))).toEqual(asked);

    // Not sent before the substitute has its UUID.
    expect((await cancelPass()).outcomes).toEqual([]);
    const stamped = (await stamp()).outcomes.find((o) => o.invoiceId === asked.invoice.id)!;
    expect(stamped.status).toBe('ISSUED');
    const [{ xml }] = (await sql<{ xml: string }>(`SELECT fiscal_data->>'xml' AS xml FROM billing.invoices WHERE id = $1`, [
      asked.invoice.id,
    ])) as [{ xml: string }];
    const cfdi = readComprobante(xml);
    expect(cfdi.CfdiRelacionados).toEqual([{ TipoRelacion: '04', UUIDs: [wrong.uuid.toUpperCase()] }]);
    expect(cfdi.Receptor).toMatchObject({ DomicilioFiscalReceptor: '72000', UsoCFDI: 'G01' });

    const pass = await cancelPass();
    expect(pass.outcomes).toEqual([expect.objectContaining({ invoiceId: wrong.invoiceId, state: 'ACCEPTED' })]);
    expect(await statusOf(wrong.invoiceId)).toBe('CANCELLED');
    expect(await statusOf(asked.invoice.id)).toBe('ISSUED');
    expect(pac.stamped.find((s) => s.uuid === wrong.uuid.toUpperCase())?.estado).toBe('Cancelado');
    expect(await coveringOf(wrong.saleId)).toEqual([asked.invoice.id]);

    // The journal holds the substitute (with the link it took over) and the request; replaying changes nothing.
    const facts = demo.engine.services.journal.after(0, 100_000).filter((f) => JSON.stringify(f.payload).includes(asked.invoice.id));
    expect(facts.map((f) => f.kind)).toEqual(expect.arrayContaining(['invoice.requested', 'invoice.cancel_requested']));
    for (const fact of facts) await REPLAYS[fact.kind]!(demo.engine.services.sql, fact.payload as never);
    expect(await coveringOf(wrong.saleId)).toEqual([asked.invoice.id]);
  });

  it('gives the sale back to the replaced invoice when the SAT refuses the substitute', async () => {
    const wrong = await stampedInvoice();
    const asked = ok(await substitute(wrong.invoiceId));
    pac.script({ reject: { code: '301', message: 'XML mal formado' } });
    const refused = (await stamp()).outcomes.find((o) => o.invoiceId === asked.invoice.id)!;
    expect(refused).toMatchObject({ status: 'REJECTED', code: '301' });
    expect(await coveringOf(wrong.saleId)).toEqual([wrong.invoiceId]);
    expect(await statusOf(wrong.invoiceId)).toBe('ISSUED');
    const [answer] = ok(await demo.engine.call('invoices.list', { status: 'ISSUED' }, { token: manager })).items.filter(
      (i) => i.id === wrong.invoiceId,
    );
    expect(answer!.cancellation).toMatchObject({ motive: '01', state: 'REJECTED', code: 'SUBSTITUTE_REJECTED' });
    expect((await cancelPass()).outcomes).toEqual([]);
    // It may be replaced again.
    const again = ok(await substitute(wrong.invoiceId));
    expect(again.invoice.status).toBe('PENDING');
  });

  it('replaces an invoice with a credit note once that is cancelled, the substitute carrying a new one for the return', async () => {
    const wrong = await stampedInvoice();
    const [line] = await sql<{ id: string }>('SELECT id FROM sales.sale_items WHERE sale_id = $1', [wrong.saleId]);
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    const returned = ok(
      await demo.engine.call(
        'returns.create',
        {
          saleId: wrong.saleId,
          lines: [{ saleItemId: line!.id, quantity: '1' }],
          refundMethodId: cash,
          reason: 'Dañado',
          idempotencyKey: key(),
        },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    const note = returned.creditNote!;
    // (Passes here also take up what the tests before left waiting.)
    expect((await stamp()).outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: note.id, status: 'ISSUED' })]));

    // The SAT cancels no CFDI a standing credit note relates to: the credit note goes first.
    expect(await substitute(wrong.invoiceId)).toMatchObject({
      ok: false,
      error: { params: { reason: 'HAS_CREDIT_NOTES', creditNotes: 1 } },
    });
    ok(
      await demo.engine.call(
        'invoices.cancel',
        { invoiceId: note.id, motive: '02', reason: 'Corrige una factura que se sustituye', idempotencyKey: key() },
        { token: manager },
      ),
    );
    expect((await cancelPass()).outcomes).toEqual(
      expect.arrayContaining([expect.objectContaining({ invoiceId: note.id, state: 'ACCEPTED' })]),
    );

    const asked = ok(await substitute(wrong.invoiceId));
    const [renewed] = await sql<{ id: string; status: string; related_invoice_id: string; tax_id: string }>(
      `SELECT i.id, i.status, i.related_invoice_id, i.receiver->>'taxId' AS tax_id
       FROM billing.invoice_returns l JOIN billing.invoices i ON i.id = l.invoice_id
       WHERE l.return_id = $1 AND l.deleted_at IS NULL`,
      [returned.returnId],
    );
    expect(renewed).toEqual({ id: expect.any(String), status: 'PENDING', related_invoice_id: asked.invoice.id, tax_id: RIGHT.rfc });
    // The substitute, then its credit note, then the replaced invoice's cancellation with the substitute's UUID.
    const stamped = (await stamp()).outcomes.map((o) => [o.invoiceId, o.status]);
    expect(stamped.filter(([id]) => id === asked.invoice.id || id === renewed!.id)).toEqual([
      [asked.invoice.id, 'ISSUED'],
      [renewed!.id, 'ISSUED'],
    ]);
    expect((await cancelPass()).outcomes).toEqual(
      expect.arrayContaining([expect.objectContaining({ invoiceId: wrong.invoiceId, state: 'ACCEPTED' })]),
    );
    expect(await statusOf(wrong.invoiceId)).toBe('CANCELLED');
  });

  it('refuses what cannot be replaced, in words, and writes nothing', async () => {
    const wrong = await stampedInvoice();
    ok(await substitute(wrong.invoiceId));
    const before = (await sql('SELECT id FROM billing.invoices')).length;
    // A cancellation already waits for it.
    expect(await substitute(wrong.invoiceId)).toMatchObject({ ok: false, error: { params: { reason: 'CANCELLATION_PENDING' } } });
    // Not stamped yet.
    const pending = ok(await demo.engine.call('invoices.ofSale', { saleId: wrong.saleId }, { token: cashier })).find(
      (i) => i.status === 'PENDING',
    )!;
    expect(await substitute(pending.id)).toMatchObject({ ok: false, error: { params: { reason: 'NOT_STAMPED' } } });
    // A receiver the SAT would refuse.
    const other = await stampedInvoice();
    const bad = await demo.engine.call(
      'invoices.substitute',
      { invoiceId: other.invoiceId, receiver: { ...RIGHT, cfdiUse: 'S01', taxRegime: '601' }, reason: 'x', idempotencyKey: key() },
      { token: manager },
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // A cashier may not.
    const cashierAsks = await demo.engine.call(
      'invoices.substitute',
      { invoiceId: other.invoiceId, receiver: RIGHT, reason: 'x', idempotencyKey: key() },
      { token: cashier },
    );
    expect(cashierAsks).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await sql('SELECT id FROM billing.invoices')).length).toBe(before + 1);
  });
});
