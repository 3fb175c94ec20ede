// Cancelling a stamped invoice at a register without central, on a real demo engine, against a
// loopback Finkok: the request is written at once and journaled; the PAC's answer is recorded once
// per answer; an accepted cancellation makes the invoice CANCELLED and frees its sale to be
// invoiced again; a refused one leaves it ISSUED; a SAT that waits for the receiver is asked again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd } from '#engine/fiscal/mx/seal.ts';
import { REPLAYS } from '#engine/recovery/fact-replay.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { INVOICE_CANCEL_ANSWERED, INVOICE_CANCEL_REQUESTED } from '#engine/services/invoicing/cancellation-facts.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026';
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';

describe('cancelling a stamped invoice at a register without central', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-cancel-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let client: PacClient;
  let csd: Csd;
  let cashier: string;
  let manager: string;
  let seq = 0;
  const key = () => `cancel-test-${++seq}`;
  const sql = <T>(text: string, params: unknown[] = []) => demo.engine.services.sql.query<T>(text, params);

  async function stampedInvoice() {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }));
    const invoice = ok(
      await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }),
    );
    const pass = await stampPending(demo.engine.services, { pac: client, csd, now: new Date() });
    expect(pass.outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ invoiceId: invoice.id, status: 'ISSUED' })]));
    return { saleId: sale.id, invoiceId: invoice.id };
  }

  const cancel = (invoiceId: string, motive: '02' | '03' | '04' = '02') =>
    demo.engine.call(
      'invoices.cancel',
      { invoiceId, motive, reason: 'Datos del cliente equivocados', idempotencyKey: key() },
      { token: manager },
    );
  const passWith = (pacClient: PacClient = client) => cancelPending(demo.engine.services, { pac: pacClient, csd });
  const statusOf = async (invoiceId: string) =>
    (await sql<{ status: string }>('SELECT status FROM billing.invoices WHERE id = $1', [invoiceId]))[0]!.status;
  const liveLinks = async (saleId: string) =>
    (await sql('SELECT id FROM billing.invoice_sales WHERE sale_id = $1 AND deleted_at IS NULL', [saleId])).length;

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    client = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 });
    demo = await openDemoEngine('invoice-cancellation', { start: new Date() });
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

  it('cancels with the SAT, makes the invoice CANCELLED and frees its sale to be invoiced again', async () => {
    const { saleId, invoiceId } = await stampedInvoice();
    const requested = ok(await cancel(invoiceId));
    expect(requested).toMatchObject({ invoiceId, motive: '02', state: 'REQUESTED', code: null });
    expect(await statusOf(invoiceId)).toBe('ISSUED');

    const pass = await passWith();
    expect(pass).toEqual({ halted: null, outcomes: [{ cancellationId: requested.id, invoiceId, state: 'ACCEPTED', code: '201' }] });
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
    expect(pac.stamped.find((s) => s.uuid === pac.stamped.at(-1)!.uuid)!.estado).toBe('Cancelado');
    expect(await liveLinks(saleId)).toBe(0);
    // Nothing is left for the next pass, and the sale takes a new invoice.
    expect((await passWith()).outcomes).toEqual([]);
    const again = ok(await demo.engine.call('invoices.request', { saleId, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }));
    expect(again.status).toBe('PENDING');
    const states = ok(await demo.engine.call('invoices.ofSale', { saleId }, { token: cashier })).map((i) => i.status);
    expect(states).toEqual(['PENDING', 'CANCELLED']);

    // Journaled, request and answer; replaying either changes nothing.
    const facts = demo.engine.services.journal
      .after(0, 100_000)
      .filter((f) => f.kind === INVOICE_CANCEL_REQUESTED || f.kind === INVOICE_CANCEL_ANSWERED)
      .filter((f) => JSON.stringify(f.payload).includes(requested.id));
    expect(facts.map((f) => f.kind)).toEqual([INVOICE_CANCEL_REQUESTED, INVOICE_CANCEL_ANSWERED]);
    for (const fact of facts) expect(await REPLAYS[fact.kind]!(demo.engine.services.sql, fact.payload as never)).toBe(false);
  });

  it('refuses what cannot be cancelled, in words and with the reason, and writes nothing', async () => {
    const { invoiceId } = await stampedInvoice();
    const before = (await sql('SELECT id FROM billing.invoice_cancellations')).length;
    const global = await cancel(invoiceId, '04');
    expect(global.ok ? null : global.error).toMatchObject({
      code: 'INVALID_INPUT',
      params: { reason: 'MOTIVE_FOR_GLOBAL', field: 'motive' },
    });
    const byCashier = await demo.engine.call(
      'invoices.cancel',
      { invoiceId, motive: '02', reason: 'x', idempotencyKey: key() },
      { token: cashier },
    );
    expect(byCashier.ok ? null : byCashier.error.code).toBe('FORBIDDEN');
    expect((await sql('SELECT id FROM billing.invoice_cancellations')).length).toBe(before);

    ok(await cancel(invoiceId));
    const twice = await cancel(invoiceId);
    expect(twice.ok ? null : twice.error).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'CANCELLATION_PENDING', state: 'REQUESTED' },
    });
    await passWith();
    const done = await cancel(invoiceId);
    expect(done.ok ? null : done.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'ALREADY_CANCELLED' } });

    // Not stamped yet: nothing to cancel.
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }));
    const pending = ok(
      await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }),
    );
    const early = await cancel(pending.id);
    expect(early.ok ? null : early.error).toMatchObject({ code: 'CONFLICT', params: { reason: 'NOT_STAMPED', status: 'PENDING' } });
    await stampPending(demo.engine.services, { pac: client, csd, now: new Date() });
  });

  it('records the SAT’s refusal once and leaves the invoice ISSUED, open to a new request', async () => {
    const { saleId, invoiceId } = await stampedInvoice();
    // A PAC that never stamped this UUID: the SAT does not find it (205).
    const stranger = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    try {
      const elsewhere = finkokClient({ username: USER, password: PASSWORD, baseUrl: stranger.baseUrl, timeoutMs: 2_000 });
      const requested = ok(await cancel(invoiceId));
      expect((await passWith(elsewhere)).outcomes).toEqual([{ cancellationId: requested.id, invoiceId, state: 'REJECTED', code: '205' }]);
    } finally {
      await stranger.close();
    }
    expect(await statusOf(invoiceId)).toBe('ISSUED');
    expect(await liveLinks(saleId)).toBe(1);
    expect((await passWith()).outcomes).toEqual([]);
    const retried = ok(await cancel(invoiceId));
    expect((await passWith()).outcomes).toEqual([expect.objectContaining({ cancellationId: retried.id, state: 'ACCEPTED' })]);
  });

  it('asks the SAT again while a cancellation waits for the receiver, and records the end once', async () => {
    const { invoiceId } = await stampedInvoice();
    const requested = ok(await cancel(invoiceId));
    // The SAT takes the request; its status cannot be read right after (a 503 behind the PAC).
    pac.script('as-usual', { httpStatus: 503 });
    expect((await passWith()).outcomes).toEqual([expect.objectContaining({ cancellationId: requested.id, state: 'IN_PROCESS' })]);
    expect(await statusOf(invoiceId)).toBe('ISSUED');
    const retry = await cancel(invoiceId);
    expect(retry.ok ? null : retry.error).toMatchObject({ params: { reason: 'CANCELLATION_PENDING', state: 'IN_PROCESS' } });

    // Asked again: the status says cancelled, written once.
    expect((await passWith()).outcomes).toEqual([expect.objectContaining({ cancellationId: requested.id, state: 'ACCEPTED' })]);
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
    const answers = await sql<{ state: string }>(
      'SELECT state FROM billing.cancellation_answers WHERE cancellation_id = $1 ORDER BY answered_at',
      [requested.id],
    );
    expect(answers.map((a) => a.state)).toEqual(['IN_PROCESS', 'ACCEPTED']);
  });

  it('leaves a request waiting while the PAC cannot be reached, and sends it at a later pass', async () => {
    const { invoiceId } = await stampedInvoice();
    const requested = ok(await cancel(invoiceId, '03'));
    pac.script({ httpStatus: 502 });
    const down = await passWith();
    expect(down.halted).toMatchObject({ reason: 'UNAVAILABLE' });
    expect(await sql('SELECT id FROM billing.cancellation_answers WHERE cancellation_id = $1', [requested.id])).toEqual([]);
    expect((await passWith()).outcomes).toEqual([expect.objectContaining({ cancellationId: requested.id, state: 'ACCEPTED' })]);
  });

  it('keeps what was asked and answered as it was', async () => {
    const [row] = await sql<{ id: string }>('SELECT id FROM billing.cancellation_answers LIMIT 1');
    await expect(sql(`UPDATE billing.cancellation_answers SET message = 'otra' WHERE id = $1`, [row!.id])).rejects.toThrow(/immutable/);
    const [cancelled] = await sql<{ id: string }>(`SELECT id FROM billing.invoices WHERE status = 'CANCELLED' LIMIT 1`);
    await expect(sql(`UPDATE billing.invoices SET status = 'ISSUED' WHERE id = $1`, [cancelled!.id])).rejects.toThrow(/does not become/);
  });
});
