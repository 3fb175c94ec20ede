// Customers with Mexican fiscal data, made and found at the counter of a fresh demo engine: the
// SAT's rules refuse what could not be invoiced, naming the field; the contact is stored sealed
// and found by its keyed hash; an edit at a stale version and a soft-deleted customer are not
// taken for current ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallArgs, CallResult } from '#engine/dispatch.ts';
import { contactContext, EMAIL_LOOKUP } from '#engine/services/customers/handlers.ts';
import { CUSTOMER_SAVED, type CustomerSavedFact, replayCustomerSaved } from '#engine/services/customers/customer-facts.ts';
import type { SealedJson } from '#db/schema/auth.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

const company = {
  taxId: 'EKU9003173C9',
  legalName: 'Escuela Kemper   Urgate ',
  taxRegime: '601',
  postalCode: '26015',
  fiscalUse: 'G03',
} as const;
const person = {
  taxId: 'goma800101h15',
  legalName: 'María Guadalupe Gómez Álvarez',
  taxRegime: '612',
  postalCode: '04310',
  fiscalUse: 'G01',
  email: 'Lupita.Gomez@Example.com',
  phone: '+525512345678',
} as const;

describe('customers at the counter', () => {
  let demo: Demo;
  let cashier: string;

  const save = (input: CallArgs<'customers.save'>) => demo.engine.call('customers.save', input, { token: cashier });
  const search = async (query: string) => ok(await demo.engine.call('customers.search', { query }, { token: cashier }));
  const refusal = (result: CallResult<unknown>) => {
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  };

  beforeAll(async () => {
    demo = await openDemoEngine('customers');
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
  }, 60_000);
  afterAll(() => demo?.dispose());

  it('creates a company and a person, the RFC and the name upper case as on the Constancia', async () => {
    const saved = ok(await save(company));
    expect(saved).toMatchObject({
      taxId: 'EKU9003173C9',
      personType: 'MORAL',
      legalName: 'ESCUELA KEMPER URGATE',
      version: 1,
      email: null,
    });
    const lupita = ok(await save(person));
    expect(lupita).toMatchObject({ taxId: 'GOMA800101H15', personType: 'FISICA', legalName: 'MARÍA GUADALUPE GÓMEZ ÁLVAREZ' });
    expect(lupita.email).toBe('l***@example.com');
    expect(lupita.phone).toBe('+52******5678');
  });

  it('finds customers by the beginning of the RFC, by words of the name in any order and accents aside, and by e-mail', async () => {
    expect((await search('goma80')).map((c) => c.taxId)).toEqual(['GOMA800101H15']);
    expect((await search('EKU9003173C9')).map((c) => c.taxId)).toEqual(['EKU9003173C9']);
    expect((await search('alvarez guadalupe')).map((c) => c.taxId)).toEqual(['GOMA800101H15']);
    expect((await search('kemper')).map((c) => c.legalName)).toEqual(['ESCUELA KEMPER URGATE']);
    expect((await search('  LUPITA.gomez@example.com ')).map((c) => c.taxId)).toEqual(['GOMA800101H15']);
    expect(await search('nadie@example.com')).toEqual([]);
    expect(await search('zapata')).toEqual([]);
    // Every answer of a search shows the contact masked.
    expect((await search('gomez'))[0]!.email).toBe('l***@example.com');
  });

  it('keeps the e-mail and phone sealed in the row, found only through the keyed hash', async () => {
    const [row] = await demo.engine.services.sql.query<{ id: string; contact: SealedJson; email_hash: string }>(
      `SELECT id, contact, email_hash FROM sales.customers WHERE tax_id = 'GOMA800101H15'`,
    );
    const stored = JSON.stringify(row);
    expect(stored.toLowerCase()).not.toContain('lupita');
    expect(stored).not.toContain('12345678');
    expect(row!.email_hash).toBe(demo.engine.services.sealer.lookupHash(EMAIL_LOOKUP, 'lupita.gomez@example.com'));
    expect(demo.engine.services.sealer.open(row!.contact, contactContext(row!.id))).toEqual({
      email: 'lupita.gomez@example.com',
      phone: '+525512345678',
    });
    // customers.get fills the form: the contact in clear.
    expect(ok(await demo.engine.call('customers.get', { id: row!.id }, { token: cashier }))).toMatchObject({
      email: 'lupita.gomez@example.com',
      phone: '+525512345678',
    });
  });

  it('refuses the generic RFCs: the público en general goes on the factura global', async () => {
    for (const taxId of ['XAXX010101000', 'xexx010101000']) {
      const error = refusal(await save({ ...company, taxId, taxRegime: '616', fiscalUse: 'S01' }));
      expect(error).toMatchObject({ code: 'INVALID_INPUT', params: { field: 'taxId', reason: 'GENERIC_TAX_ID' } });
      expect(error.message).toMatch(/no se guarda(n)? como cliente/);
    }
  });

  it('refuses an RFC whose check digit does not match, saying which digit the SAT expects', async () => {
    const error = refusal(await save({ ...company, taxId: 'EKU9003173C8' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', params: { field: 'taxId', reason: 'RFC_CHECK_DIGIT', expected: '9' } });
    expect(error.message).toContain('dígito verificador');
  });

  it('refuses a uso CFDI the régimen does not allow, naming the uso field and the usos it allows', async () => {
    const error = refusal(await save({ ...person, taxId: 'PEJJ751212Q36', taxRegime: '605', fiscalUse: 'G03' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', params: { field: 'fiscalUse', reason: 'USO_NOT_FOR_REGIMEN', regimen: '605' } });
    expect(error.message).toMatch(/Con ese régimen se permiten: .*D01/);
  });

  it("refuses a company with a persona física's régimen, naming the régimen field", async () => {
    const error = refusal(await save({ ...company, taxId: 'CLP150101AB5', taxRegime: '612' }));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', params: { field: 'taxRegime', reason: 'REGIMEN_NOT_FOR_PERSON_TYPE' } });
    expect(error.message).toContain('persona moral');
  });

  it('answers every problem of the form at once, the first as the message', async () => {
    const error = refusal(await save({ ...company, taxId: 'CLP150101AB5', postalCode: '4310', taxRegime: '999' }));
    expect(error.params).toMatchObject({ field: 'taxRegime', reason: 'REGIMEN_UNKNOWN' });
    expect((error.params!.problems as { field: string }[]).map((p) => p.field)).toEqual(['taxRegime', 'postalCode']);
  });

  it('refuses a second customer with the same RFC, and an edit at a stale version', async () => {
    expect(refusal(await save({ ...company, legalName: 'OTRA' }))).toMatchObject({
      code: 'CONFLICT',
      params: { reason: 'DUPLICATE_TAX_ID', field: 'taxId' },
    });
    const [kemper] = await search('EKU9003173C9');
    const edited = ok(
      await save({ ...company, id: kemper!.id, version: kemper!.version, postalCode: '26016', email: 'compras@kemper.mx' }),
    );
    expect(edited).toMatchObject({ version: 2, postalCode: '26016', email: 'c***@kemper.mx' });
    const stale = refusal(await save({ ...company, id: kemper!.id, version: kemper!.version, postalCode: '26017' }));
    expect(stale).toMatchObject({ code: 'CONFLICT', params: { reason: 'STALE_VERSION', currentVersion: 2 } });
    expect(ok(await demo.engine.call('customers.get', { id: kemper!.id }, { token: cashier })).postalCode).toBe('26016');
  });

  it('writes an audit entry and a journal fact for each save, with no RFC, name or contact in the entry', async () => {
    const entries = await demo.engine.services.sql.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM auth.audit_logs WHERE entity_type = 'customer' ORDER BY created_at, id`,
    );
    expect(entries.map((e) => e.action)).toEqual(['customers.created', 'customers.created', 'customers.updated']);
    expect(entries[2]!.details).toMatchObject({ version: 2, changed: ['postalCode'], contactChanged: true });
    expect(JSON.stringify(entries)).not.toMatch(/EKU9003173C9|KEMPER|kemper\.mx/i);
    const facts = demo.engine.services.journal.after(0, 100_000).filter((f) => f.kind === CUSTOMER_SAVED);
    expect(facts.map((f) => f.idempotencyKey)).toEqual([
      expect.stringMatching(/:v1$/),
      expect.stringMatching(/:v1$/),
      expect.stringMatching(/:v2$/),
    ]);
  });

  it('puts a version PGlite lost back from the journal, and never an older one over a newer', async () => {
    const { sql, journal } = demo.engine.services;
    const [kemper] = await search('EKU9003173C9');
    const saved = journal
      .after(0, 100_000)
      .filter((f) => f.kind === CUSTOMER_SAVED && (f.payload as CustomerSavedFact).customer.id === kemper!.id);
    // As if the power went before PGlite wrote the edit: the row is back at its first version.
    await sql.query(`UPDATE sales.customers SET version = 1, postal_code = '26015' WHERE id = $1`, [kemper!.id]);
    expect(await replayCustomerSaved(sql, saved[1]!.payload as CustomerSavedFact)).toBe(true);
    expect(await replayCustomerSaved(sql, saved[0]!.payload as CustomerSavedFact)).toBe(false);
    expect(ok(await demo.engine.call('customers.get', { id: kemper!.id }, { token: cashier }))).toMatchObject({
      version: 2,
      postalCode: '26016',
      email: 'compras@kemper.mx',
    });
  });

  it('leaves a soft-deleted customer out of search, get and the RFC check', async () => {
    const [lupita] = await search('GOMA800101H15');
    await demo.engine.services.sql.query('UPDATE sales.customers SET deleted_at = now() WHERE id = $1', [lupita!.id]);
    expect(await search('GOMA800101H15')).toEqual([]);
    expect(await search('lupita.gomez@example.com')).toEqual([]);
    expect(refusal(await demo.engine.call('customers.get', { id: lupita!.id }, { token: cashier })).code).toBe('NOT_FOUND');
    expect(refusal(await save({ ...person, id: lupita!.id, version: lupita!.version })).code).toBe('NOT_FOUND');
    // The RFC is free again for a new record.
    expect(ok(await save(person)).id).not.toBe(lupita!.id);
  });
});
