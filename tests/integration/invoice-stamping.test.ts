// Stamping the PENDING invoices of a register without central, on a real demo engine, against a
// loopback Finkok on 127.0.0.1 and an issuer CSD made by openssl: each invoice becomes ISSUED or
// REJECTED once, a lost answer or a restart never makes a second CFDI for a sale, and the journal
// alone puts the same states back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginal, cadenaOriginalTfd, timbreOf } from '#engine/fiscal/mx/cadena-original.ts';
import { attribute, parseXml } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import type { PacClient } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd, SealError, verifySello } from '#engine/fiscal/mx/seal.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import { REPLAYS } from '#engine/recovery/fact-replay.ts';
import { installCsd, loadCsd } from '#engine/security/fiscal-secrets.ts';
import { type StampPass, stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { makeTestCsd } from '../support/test-csd.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const ARROZ = '7505599000026'; // 31.50, IVA 0 %
const AGUA_PINA = '7505641000219'; // 8.50, IVA 16 %
const CUSTOMER = { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' };
const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const HOUR = 3600 * 1000;

describe('stamping the invoices asked for at a register without central', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-stamping-'));
  let demo: Demo;
  let pac: LoopbackPac;
  let client: PacClient;
  let csd: Csd;
  let issuerRfc: string;
  let token: string;
  let seq = 0;
  const key = () => `stamping-test-${++seq}`;

  async function invoicedSale(codes: string[] = [ARROZ, AGUA_PINA]) {
    const sale = ok(await demo.engine.call('sales.open', { idempotencyKey: key() }, { token }));
    for (const code of codes) ok(await demo.engine.call('sales.addItem', { saleId: sale.id, code }, { token }));
    const cash = ok(await demo.engine.call('sales.paymentMethods', {}, { token })).find((m) => m.kind === 'CASH')!.id;
    ok(await demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '500' }] }, { token }));
    const invoice = ok(
      await demo.engine.call('invoices.request', { saleId: sale.id, receiver: CUSTOMER, idempotencyKey: key() }, { token }),
    );
    return { saleId: sale.id, invoiceId: invoice.id };
  }

  const pass = (options: { now?: Date; csd?: Csd } = {}): Promise<StampPass> =>
    stampPending(demo.engine.services, { pac: client, csd, now: new Date(), ...options });

  const invoiceRow = async (id: string) =>
    (
      await demo.engine.services.sql.query<{ status: string; fiscal_id: string | null; fiscal_data: Record<string, string> }>(
        'SELECT status, fiscal_id, fiscal_data FROM billing.invoices WHERE id = $1',
        [id],
      )
    )[0]!;
  const attempts = (invoiceId: string) =>
    demo.engine.services.sql.query<{ id: string; xml: string }>('SELECT id, xml FROM billing.stamp_attempts WHERE invoice_id = $1', [
      invoiceId,
    ]);

  beforeAll(async () => {
    pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
    client = finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 1_000 });
    // The loopback PAC holds Fecha to the SAT's 72 hours around the real clock: the till's clock is the real one.
    demo = await openDemoEngine('invoice-stamping', { start: new Date() });
    token = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    ok(await demo.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token }));
    [{ tax_id: issuerRfc }] = (await demo.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
      { tax_id: string },
    ];
    csd = openCsd(makeTestCsd(dir, { rfc: issuerRfc }));
  }, 60_000);
  afterAll(async () => {
    await pac?.close();
    await demo?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a requested invoice ISSUED with the PAC’s UUID, and its stamp verifies against the PAC’s certificate', async () => {
    const { saleId, invoiceId } = await invoicedSale();
    const result = await pass();
    expect(result.halted).toBeNull();
    expect(result.outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED', uuid: pac.stamped.at(-1)!.uuid })]);

    const row = await invoiceRow(invoiceId);
    expect(row).toMatchObject({ status: 'ISSUED', fiscal_id: pac.stamped.at(-1)!.uuid });
    expect(row.fiscal_data).toMatchObject({ uuid: row.fiscal_id, noCertificadoSat: pac.noCertificadoSat, rfcProvCertif: 'CVD110412TF6' });
    const stamped = parseXml(row.fiscal_data.xml!);
    const tfd = timbreOf(stamped)!;
    expect(attribute(tfd, 'UUID')).toBe(row.fiscal_id);
    expect(verifySello(cadenaOriginalTfd(tfd), attribute(tfd, 'SelloSAT')!, pac.certificate)).toBe(true);
    expect(verifySello(cadenaOriginal(stamped), attribute(stamped, 'Sello')!, csd.certificado)).toBe(true);
    expect(attribute(stamped, 'Serie')).toBe('A-CAJA-1');

    const kinds = demo.engine.services.journal
      .after(0, 100_000)
      .filter((f) => JSON.stringify(f.payload).includes(invoiceId))
      .map((f) => f.kind);
    expect(kinds).toEqual(['invoice.requested', 'invoice.sealed', 'invoice.stamped']);
    expect(ok(await demo.engine.call('invoices.ofSale', { saleId }, { token }))).toEqual([
      expect.objectContaining({ id: invoiceId, status: 'ISSUED', fiscalId: row.fiscal_id }),
    ]);
    // Nothing is left for the next pass.
    expect((await pass()).outcomes).toEqual([]);
  });

  it('finds the stamp the PAC made when the connection dropped before its answer: the same UUID, one stamp at the PAC', async () => {
    const { invoiceId } = await invoicedSale();
    const before = pac.stamped.length;
    pac.script('stamp-then-drop');
    const first = await pass();
    expect(first.halted).toMatchObject({ reason: 'UNAVAILABLE' });
    expect((await invoiceRow(invoiceId)).status).toBe('PENDING');
    expect(pac.stamped).toHaveLength(before + 1);

    const second = await pass();
    expect(second.outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED', uuid: pac.stamped.at(-1)!.uuid })]);
    expect(pac.stamped).toHaveLength(before + 1);
    expect(await attempts(invoiceId)).toHaveLength(1);
  });

  it('asks the PAC for what it stamped, rather than sealing a new document, when the answer was lost more than 72 hours ago', async () => {
    const { invoiceId } = await invoicedSale();
    const before = pac.stamped.length;
    pac.script('stamp-then-drop');
    expect((await pass()).halted).toMatchObject({ reason: 'UNAVAILABLE' });
    const later = await pass({ now: new Date(Date.now() + 73 * HOUR) });
    expect(later.outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED', uuid: pac.stamped.at(-1)!.uuid })]);
    expect(pac.stamped).toHaveLength(before + 1);
    expect(await attempts(invoiceId)).toHaveLength(1);
  });

  it('records the PAC’s rejection with its code once, and frees the sale to be invoiced again', async () => {
    const { saleId, invoiceId } = await invoicedSale([ARROZ]);
    pac.script({ reject: { code: '305', message: 'La fecha de emisión no esta dentro de la vigencia del CSD del Emisor' } });
    const result = await pass();
    expect(result.outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'REJECTED', code: '305' })]);
    expect(await invoiceRow(invoiceId)).toMatchObject({
      status: 'REJECTED',
      fiscal_id: null,
      fiscal_data: expect.objectContaining({ code: '305', message: expect.stringContaining('vigencia del CSD') }),
    });
    const [link] = await demo.engine.services.sql.query<{ deleted_at: Date | null }>(
      'SELECT deleted_at FROM billing.invoice_sales WHERE invoice_id = $1',
      [invoiceId],
    );
    expect(link!.deleted_at).not.toBeNull();
    expect(demo.engine.services.journal.find(`invoice:${invoiceId}:rejected`)?.kind).toBe('invoice.rejected');

    const again = ok(await demo.engine.call('invoices.request', { saleId, receiver: CUSTOMER, idempotencyKey: key() }, { token }));
    expect(again.status).toBe('PENDING');
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId: again.id, status: 'ISSUED' })]);
    expect((await invoiceRow(invoiceId)).status).toBe('REJECTED');
  });

  it('leaves an invoice PENDING while the PAC answers 5xx or hangs, and stamps it on a later pass', async () => {
    const { invoiceId } = await invoicedSale();
    const before = pac.stamped.length;
    pac.script({ httpStatus: 503 });
    expect(await pass()).toMatchObject({ halted: { reason: 'UNAVAILABLE' }, outcomes: [{ invoiceId, status: 'PENDING' }] });
    pac.script('hang');
    expect((await pass()).halted).toMatchObject({ reason: 'UNAVAILABLE' });
    expect((await invoiceRow(invoiceId)).status).toBe('PENDING');
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED' })]);
    expect(pac.stamped).toHaveLength(before + 1);
    expect(await attempts(invoiceId)).toHaveLength(1);
  });

  it('stops the pass and says so when the PAC refuses the account, and stamps once it is accepted', async () => {
    const { invoiceId } = await invoicedSale();
    pac.refuseCredentials(true);
    expect(await pass()).toMatchObject({ halted: { reason: 'AUTH', code: '300' }, outcomes: [{ invoiceId, status: 'PENDING' }] });
    pac.refuseCredentials(false);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED' })]);
  });

  it('sends nothing when the CSD has expired, and says why', async () => {
    const { invoiceId } = await invoicedSale();
    const shortLived = openCsd(makeTestCsd(dir, { rfc: issuerRfc, days: 1, serial: '30001000000500000099' }));
    const requests = pac.requests;
    const result = await pass({ csd: shortLived, now: new Date(Date.now() + 2 * 24 * HOUR) });
    expect(result.halted).toMatchObject({ reason: 'CSD', code: 'CSD_EXPIRED', message: expect.stringContaining('venció') });
    expect(pac.requests).toBe(requests);
    expect(await attempts(invoiceId)).toEqual([]);
    expect((await pass()).outcomes).toEqual([expect.objectContaining({ invoiceId, status: 'ISSUED' })]);
  });

  it('refuses a CSD whose password is wrong, in words the owner can act on, and installs nothing', () => {
    const files = makeTestCsd(dir, { rfc: issuerRfc, serial: '30001000000500000077', password: 'la-buena-1' });
    const keysDir = mkdtempSync(join(tmpdir(), 'pos-fiscal-keys-'));
    try {
      expect(() => installCsd(keysDir, { ...files, password: 'otra-cosa' })).toThrow(SealError);
      expect(() => installCsd(keysDir, { ...files, password: 'otra-cosa' })).toThrow(/contraseña de la llave privada/);
      expect(() => loadCsd(keysDir)).toThrow(/the CSD \(pos fiscal set-csd/);
      expect(installCsd(keysDir, files).noCertificado).toBe('30001000000500000077');
      expect(loadCsd(keysDir).rfc).toBe(issuerRfc);
    } finally {
      rmSync(keysDir, { recursive: true, force: true });
    }
  });

  it('replays every stamping fact without changing anything, journals a stamp a crash kept from the journal, and rebuilds the same invoices from it', async () => {
    const facts = demo.engine.services.journal.after(0, 100_000).filter((f) => f.kind.startsWith('invoice.'));
    expect(new Set(facts.map((f) => f.kind))).toEqual(
      new Set(['invoice.requested', 'invoice.sealed', 'invoice.stamped', 'invoice.rejected']),
    );
    for (const fact of facts) expect(await REPLAYS[fact.kind]!(demo.engine.services.sql, fact.payload as never), fact.kind).toBe(false);

    // Killed between PGlite's commit of the stamp and its journal append.
    const { invoiceId } = await invoicedSale([ARROZ]);
    const { journal } = demo.engine.services;
    const append = journal.append;
    journal.append = ((kind: string, key: string, payload: unknown) => {
      if (kind === 'invoice.stamped') throw new Error('killed between the PGlite commit and the journal append');
      return append(kind, key, payload);
    }) as typeof append;
    await expect(pass()).rejects.toThrow(/killed/);
    journal.append = append;
    expect((await invoiceRow(invoiceId)).status).toBe('ISSUED');

    const states = (engine: Engine) =>
      engine.services.sql.query(
        `SELECT i.id, i.status, i.fiscal_id, i.fiscal_data, i.issued_at,
                (SELECT json_agg(l.deleted_at IS NULL) FROM billing.invoice_sales l WHERE l.invoice_id = i.id) AS live_links,
                (SELECT json_agg(a.xml ORDER BY a.sealed_at) FROM billing.stamp_attempts a WHERE a.invoice_id = i.id) AS attempts
         FROM billing.invoices i ORDER BY i.id`,
      );
    const before = await states(demo.engine);
    await demo.engine.close();
    const reopen = () => openEngine(demo.dir, { purpose: 'test stamping restart', devices: false, sync: false });
    let engine = await reopen();
    try {
      expect(engine.reconciliation.journaled).toBe(1);
      expect(engine.services.journal.find(`invoice:${invoiceId}:stamped`)?.payload).toMatchObject({
        invoiceId,
        uuid: pac.stamped.at(-1)!.uuid,
      });
    } finally {
      await engine.close();
    }
    rmSync(join(demo.dir, 'pglite'), { recursive: true, force: true });
    engine = await reopen();
    try {
      expect(engine.rebuilt).toBe('deleted');
      expect(await states(engine)).toEqual(before);
    } finally {
      await engine.close();
    }
  }, 90_000);
});
