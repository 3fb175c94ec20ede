// A customer saved at a register reaches central as the fact customers.customer_saved: the row
// as the register holds it, its contact still sealed (central holds no register's key), the
// newer version kept whatever order versions arrive in, and rows central must not take set aside.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import type { SealedJson } from '#db/schema/auth.ts';
import { CUSTOMER_SAVED, type CustomerSavedFact } from '#engine/services/customers/customer-facts.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { createCentral, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

let database: TestDatabase;
let central: Central;
let terminal: TestTerminal;

beforeAll(async () => {
  let registerIds: string[];
  ({ database, central, registerIds } = await createCentral('customers-central', 1));
  terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'customers-central'), registerIds[0]!);
}, 120_000);

afterAll(async () => {
  await terminal?.dispose();
  await central?.close();
  await database?.drop();
});

type Row = { id: string; tax_id: string; postal_code: string; version: number; contact: SealedJson | null; email_hash: string | null };
const rowAt = async (sql: Central['sql'] | TestTerminal['engine']['services']['sql'], id: string) =>
  (await sql.query<Row>('SELECT id, tax_id, postal_code, version, contact, email_hash FROM sales.customers WHERE id = $1', [id]))[0];
const pushed = () => waitFor(() => terminal.status().pending === 0, 30_000, 'the push');
const factsOf = (id: string) =>
  terminal.engine.services.journal
    .after(0, 100_000)
    .filter((f) => f.kind === CUSTOMER_SAVED && (f.payload as CustomerSavedFact).customer.id === id);

describe('a customer saved at a register, at central', () => {
  let customerId: string;

  it('arrives as the register holds it, the contact and its lookup hash the sealed bytes the register made', async () => {
    const fiscal = { taxId: 'EKU9003173C9', legalName: 'Escuela Kemper Urgate', taxRegime: '601', postalCode: '26015', fiscalUse: 'G03' };
    const created = ok(await terminal.engine.call('customers.save', { ...fiscal, email: 'compras@kemper.mx' }, { token: terminal.token }));
    customerId = created.id;
    ok(
      await terminal.engine.call(
        'customers.save',
        { ...fiscal, id: created.id, version: 1, postalCode: '26016' },
        { token: terminal.token },
      ),
    );
    ok(
      await terminal.engine.call(
        'customers.save',
        { ...fiscal, id: created.id, version: 2, postalCode: '26016', email: 'compras@kemper.mx' },
        { token: terminal.token },
      ),
    );
    await pushed();
    expect(terminal.status().quarantined).toEqual([]);
    const here = await rowAt(terminal.engine.services.sql, created.id);
    const there = await rowAt(central.sql, created.id);
    expect(there).toEqual(here);
    expect(there).toMatchObject({ tax_id: 'EKU9003173C9', postal_code: '26016', version: 3 });
    expect(JSON.stringify(there!.contact)).not.toContain('kemper.mx');
  }, 60_000);

  it('keeps the newer version when an older one arrives after it', async () => {
    const first = factsOf(customerId)[0]!;
    terminal.engine.services.journal.append(CUSTOMER_SAVED, `${first.idempotencyKey}:again`, first.payload);
    await pushed();
    expect(terminal.status().quarantined).toEqual([]);
    expect(await rowAt(central.sql, customerId)).toMatchObject({ version: 3, postal_code: '26016' });
  });

  it("sets aside a customer of another business, and a second customer with a customer's RFC", async () => {
    const payload = factsOf(customerId).at(-1)!.payload as CustomerSavedFact;
    const foreign = terminal.engine.services.journal.append(CUSTOMER_SAVED, 'forged-customer-of-another-business', {
      ...payload,
      customer: { ...payload.customer, id: uuidv7(), business_id: uuidv7(), tax_id: 'CLP150101AB5', version: 1 },
    }).fact;
    const twin = terminal.engine.services.journal.append(CUSTOMER_SAVED, 'same-rfc-made-apart', {
      ...payload,
      customer: { ...payload.customer, id: uuidv7(), version: 1 },
    }).fact;
    await pushed();
    expect(terminal.status().quarantined).toEqual([
      expect.objectContaining({ seq: foreign.seq, kind: CUSTOMER_SAVED, reason: expect.stringContaining('another business') }),
      expect.objectContaining({ seq: twin.seq, kind: CUSTOMER_SAVED, reason: expect.stringContaining(`RFC of customer ${customerId}`) }),
    ]);
    expect(Number((await central.sql.query<{ n: string }>('SELECT count(*) AS n FROM sales.customers'))[0]!.n)).toBe(1);
  });
});
