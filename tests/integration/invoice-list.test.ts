// The back office's list of a register's invoices, on a real demo engine stamped by a loopback
// Finkok: one invoice the SAT refused, one stamped, one still waiting, and the day's factura
// global. Newest first, each in its state with the refusal's words and the global's days, narrowed
// to one state, a page at a time, with the latest cancellation asked for and its answer, and
// closed to a cashier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceListRow } from '#contract/calls/invoices.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd } from '#engine/fiscal/mx/seal.ts';
import { cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { businessDate } from '#engine/services/shifts/business-day.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const REFUSAL = { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' };
const MINUTE = 60_000;

describe("the back office's list of the register's invoices", () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-invoice-list-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let cashier: string;
  let owner: string;
  let day: string;
  let stamping: { pac: PacClient; csd: Csd };
  const ids = { rejected: '', issued: '', pending: '', global: '' };
  let seq = 0;
  const key = () => `invoice-list-${++seq}`;

  async function sell(): Promise<string> {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
    ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }));
    demo.clock.advance(MINUTE);
    return sale.id;
  }

  async function invoicedSale(): Promise<string> {
    const saleId = await sell();
    const invoice = ok(
      await demo.engine.call('invoices.request', { saleId, receiver: CUSTOMER, idempotencyKey: key() }, { token: cashier }),
    );
    demo.clock.advance(MINUTE);
    return invoice.id;
  }

  const list = async (input: { status?: 'PENDING' | 'ISSUED' | 'REJECTED' | 'CANCELLED'; after?: string; limit?: number } = {}) =>
    ok(await demo.engine.call('invoices.list', input, { token: owner }));

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    // The loopback PAC holds Fecha to 72 hours around the real clock.
    demo = await openDemoEngine('invoice-list', { start: new Date() });
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
    day = businessDate(demo.clock.now(), 'America/Mexico_City');
    const [{ tax_id: rfc }] = (await demo.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    stamping = {
      pac: finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 1_000 }),
      csd: openCsd(makeTestCsd(dir, { rfc })),
    };

    ids.rejected = await invoicedSale();
    ids.issued = await invoicedSale();
    // The oldest two are stamped, the first refused; the third waits.
    pac.script({ reject: REFUSAL });
    // Sealed by the real clock: the test CSD is valid from the moment it was made.
    const pass = await stampPending(demo.engine.services, { ...stamping, now: new Date(), limit: 2 });
    expect(pass.outcomes.map((o) => o.status)).toEqual(['REJECTED', 'ISSUED']);
    ids.pending = await invoicedSale();
    // A sale nobody asked an invoice for: the global covers it, and the refused one's sale.
    await sell();
    demo.clock.advance(24 * 3600 * 1000);
    // Sessions do not outlive the night.
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const global = ok(await demo.engine.call('invoices.issueGlobal', { day, idempotencyKey: key() }, { token: owner }));
    expect(global.sales).toBe(2);
    ids.global = global.invoice.id;
  }, 120_000);

  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists them newest first, each in its state, with the SAT’s refusal and the days the global covers', async () => {
    const page = await list();
    expect(page.next).toBeNull();
    expect(page.items.map((i) => i.id)).toEqual([ids.global, ids.pending, ids.issued, ids.rejected]);
    expect(page.items.map((i) => [i.kind, i.status])).toEqual([
      ['GLOBAL', 'PENDING'],
      ['INVOICE', 'PENDING'],
      ['INVOICE', 'ISSUED'],
      ['INVOICE', 'REJECTED'],
    ]);
    const byId = (id: string) => page.items.find((i) => i.id === id)!;
    expect(byId(ids.global)).toMatchObject({
      receiverRfc: 'XAXX010101000',
      receiverName: 'PUBLICO EN GENERAL',
      receiverTaxRegime: '616',
      receiverCfdiUse: 'S01',
      period: { from: day, to: day },
      reason: null,
      fiscalId: null,
    });
    expect(byId(ids.rejected)).toMatchObject({
      receiverRfc: CUSTOMER.rfc,
      // The rest of the receiver as the invoice was made out to them.
      receiverTaxRegime: CUSTOMER.taxRegime,
      receiverPostalCode: CUSTOMER.postalCode,
      receiverCfdiUse: CUSTOMER.cfdiUse,
      reason: REFUSAL,
      period: null,
      fiscalId: null,
      replaces: null,
    });
    expect(byId(ids.issued)).toMatchObject({ reason: null, period: null, fiscalId: pac.stamped.at(-1)!.uuid });
    expect(byId(ids.pending)).toMatchObject({ status: 'PENDING', reason: null, period: null, total: '31.5000' });
  });

  it('narrows the list to one state', async () => {
    const only = async (status: 'PENDING' | 'ISSUED' | 'REJECTED') => (await list({ status })).items.map((i: InvoiceListRow) => i.id);
    expect(await only('REJECTED')).toEqual([ids.rejected]);
    expect(await only('ISSUED')).toEqual([ids.issued]);
    expect(await only('PENDING')).toEqual([ids.global, ids.pending]);
  });

  it('pages through them with the last invoice of each page, ending where the list does', async () => {
    const whole = (await list()).items.map((i) => i.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await list({ limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.items.map((i) => i.id));
      if (page.next === null) break;
      expect(page.next).toBe(page.items.at(-1)!.id);
      after = page.next;
    }
    expect(seen).toEqual(whole);
    // Narrowed, the pages are of that state alone.
    expect(await list({ status: 'PENDING', limit: 1 })).toEqual({ items: [expect.objectContaining({ id: ids.global })], next: ids.global });
    expect(await list({ status: 'PENDING', limit: 1, after: ids.global })).toEqual({
      items: [expect.objectContaining({ id: ids.pending })],
      next: null,
    });
  });

  it('shows the latest cancellation asked for each invoice, with the authority’s last answer', async () => {
    const cancellationOf = async (id: string) => (await list()).items.find((i) => i.id === id)!.cancellation;
    const cancel = async (motive: '02' | '03') =>
      ok(
        await demo.engine.call(
          'invoices.cancel',
          { invoiceId: ids.issued, motive, reason: 'Datos del cliente equivocados', idempotencyKey: key() },
          { token: owner },
        ),
      );
    expect(await cancellationOf(ids.issued)).toBeNull();

    const first = await cancel('02');
    expect(await cancellationOf(ids.issued)).toEqual({
      motive: '02',
      state: 'REQUESTED',
      code: null,
      message: null,
      requestedAt: first.requestedAt,
    });
    // A PAC that never stamped it: the SAT does not find the UUID and refuses.
    const stranger = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    try {
      const elsewhere = finkokClient({ username: USER, password: PASSWORD, baseUrl: stranger.baseUrl, timeoutMs: 1_000 });
      await cancelPending(demo.engine.services, { pac: elsewhere, csd: stamping.csd });
    } finally {
      await stranger.close();
    }
    const refused = await cancellationOf(ids.issued);
    expect(refused).toMatchObject({ motive: '02', state: 'REJECTED', code: '205' });
    expect(refused!.message).toMatch(/\S/);

    // Asked again: the new request is the one shown, and once accepted the invoice is CANCELLED.
    demo.clock.advance(MINUTE);
    const second = await cancel('03');
    expect(await cancellationOf(ids.issued)).toMatchObject({
      motive: '03',
      state: 'REQUESTED',
      code: null,
      requestedAt: second.requestedAt,
    });
    await cancelPending(demo.engine.services, { pac: stamping.pac, csd: stamping.csd });
    const page = await list();
    expect(page.items.find((i) => i.id === ids.issued)).toMatchObject({
      status: 'CANCELLED',
      cancellation: { motive: '03', state: 'ACCEPTED', code: '201' },
    });
    // The others were never asked to be cancelled.
    expect(page.items.filter((i) => i.id !== ids.issued).map((i) => i.cancellation)).toEqual([null, null, null]);
    // Narrowed to the cancelled ones, it is the only one.
    expect((await list({ status: 'CANCELLED' })).items.map((i) => i.id)).toEqual([ids.issued]);
  });

  it('is not shown to a cashier, who may not issue the global', async () => {
    const refused = await demo.engine.call('invoices.list', {}, { token: cashier });
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
  });
});
