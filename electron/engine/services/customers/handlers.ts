// The customers a cashier picks or creates at the counter: search, open for the form, save.
// The fiscal data is checked by customer-rules.ts on the business's day; the e-mail and phone
// are sealed with the terminal's PII key, and the e-mail is also kept as a keyed hash to be found by.
import { and, eq, isNull, type SQL, sql as dsql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { customers } from '#db/schema/sales.ts';
import { defineHandlers, requireSession, type CallContext } from '#engine/call-context.ts';
import { conflictOnDuplicate } from '#engine/db-errors.ts';
import { EngineError } from '#engine/errors.ts';
import { maskRecipient } from '#engine/log/redaction.ts';
import { CUSTOMER_SEARCH_LIMIT, type CustomerRecord } from '#contract/customer-record.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { businessDate } from '../shifts/business-day.ts';
import { journalCustomer } from './customer-facts.ts';
import { fiscalOptionsOn } from './fiscal-options.ts';
import { checkFiscalData, customerQuery, normalisedEmail, personTypeOf, type CustomerProblem } from './customer-rules.ts';

type Customer = typeof customers.$inferSelect;
type Contact = { email?: string; phone?: string };

export const contactContext = (customerId: string) => `sales.customers.contact:${customerId}`;
/** The lookup hash's purpose: the e-mail of a customer, as customer-rules.ts normalises it. */
export const EMAIL_LOOKUP = 'sales.customers.email';

function record(ctx: CallContext, row: Customer, show: 'masked' | 'clear'): CustomerRecord {
  const contact: Contact = row.contact ? ctx.services.sealer.open<Contact>(row.contact, contactContext(row.id)) : {};
  const shown = (value: string | undefined) => (value === undefined ? null : show === 'clear' ? value : maskRecipient(value));
  return {
    id: row.id,
    taxId: row.taxId,
    personType: personTypeOf(row.taxId),
    legalName: row.legalName,
    taxRegime: row.taxRegime,
    postalCode: row.postalCode,
    fiscalUse: row.fiscalUse,
    email: shown(contact.email),
    phone: shown(contact.phone),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The first problem as the answer, every problem in params.problems so a form can mark each field. */
function invalid(problems: CustomerProblem[]): EngineError {
  const [first] = problems;
  return new EngineError('INVALID_INPUT', first!.message, {
    ...first!.params,
    field: first!.field,
    reason: first!.reason,
    problems: problems.map(({ field, reason, message }) => ({ field, reason, message })),
  });
}

/** The business's country and its calendar day here: catalog entries must be in force on the day of the invoice. */
async function whereAndWhen(ctx: CallContext, businessId: string, branchId: string | null) {
  const [place] = await ctx.services.sql.query<{ country: string; timezone: string | null }>(
    `SELECT b.country, coalesce(
       (SELECT timezone FROM business.branches WHERE id = $2 AND business_id = b.id),
       (SELECT timezone FROM business.branches WHERE business_id = b.id AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1)) AS timezone
     FROM business.businesses b WHERE b.id = $1`,
    [businessId, branchId],
  );
  if (!place) throw new EngineError('NOT_FOUND', 'no such business');
  return { country: place.country, day: businessDate(ctx.services.now(), place.timezone ?? 'UTC') };
}

/** A customer's fiscal data is Mexico's for now: anywhere else it is refused with the reason, the field the RFC. */
function onlyInMexico(country: string) {
  if (country === 'MX') return;
  throw new EngineError(
    'INVALID_INPUT',
    'Por ahora los datos fiscales de un cliente se registran solo en México (RFC y catálogos del SAT).',
    {
      field: 'taxId',
      reason: 'CUSTOMER_COUNTRY',
      country,
    },
  );
}

async function liveCustomer(ctx: CallContext, id: string): Promise<Customer> {
  const [row] = await ctx.services.db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.businessId, requireSession(ctx).businessId), isNull(customers.deletedAt)));
  if (!row) throw new EngineError('NOT_FOUND', 'no such customer in this business', { reason: 'CUSTOMER', what: 'customer' });
  return row;
}

const staleVersion = (currentVersion: number) =>
  new EngineError('CONFLICT', `the customer was changed by someone else meanwhile (now version ${currentVersion}); look at it again`, {
    reason: 'STALE_VERSION',
    what: 'customer',
    currentVersion,
  });

const duplicateTaxId = (taxId: string) => (err: unknown) => {
  try {
    return conflictOnDuplicate(err, { customers_business_id_tax_id_key: 'DUPLICATE_TAX_ID' });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'CONFLICT') {
      throw new EngineError('CONFLICT', `Ya hay un cliente con el RFC ${taxId}: búsquelo y actualice sus datos.`, {
        reason: 'DUPLICATE_TAX_ID',
        field: 'taxId',
        taxId,
      });
    }
    throw e;
  }
};

export const customersHandlers = defineHandlers({
  async 'customers.search'(input, ctx) {
    const s = requireSession(ctx);
    const query = customerQuery(input.query);
    const live = dsql`business_id = ${s.businessId} AND deleted_at IS NULL`;
    // One branch per way of being found, each answered by its own index (migration 0011); a
    // customer found both ways is one id of the union.
    const branches: SQL[] = [];
    if (query.by === 'email') {
      const hash = ctx.services.sealer.lookupHash(EMAIL_LOOKUP, query.email);
      branches.push(dsql`SELECT id FROM sales.customers WHERE ${live} AND email_hash = ${hash}`);
    } else {
      if (query.taxIdPrefix) branches.push(dsql`SELECT id FROM sales.customers WHERE ${live} AND tax_id LIKE ${query.taxIdPrefix}`);
      if (query.nameWords.length > 0) {
        const words = dsql.join(
          query.nameWords.map((w) => dsql`public.pos_fold(legal_name) LIKE public.pos_fold(${w})`),
          dsql` AND `,
        );
        branches.push(dsql`SELECT id FROM sales.customers WHERE ${live} AND ${words}`);
      }
    }
    if (branches.length === 0) return [];
    // Each branch keeps only its own first page: a common word matches thousands of names, and
    // only the first ones in the list's order can be shown.
    const page = dsql`ORDER BY legal_name, id LIMIT ${dsql.raw(String(CUSTOMER_SEARCH_LIMIT))}`;
    const firstOfEach = dsql.join(
      branches.map((b) => dsql`(${b} ${page})`),
      dsql` UNION `,
    );
    const rows = await ctx.services.db
      .select()
      .from(customers)
      .where(dsql`${customers.id} IN (${firstOfEach})`)
      .orderBy(customers.legalName, customers.id)
      .limit(CUSTOMER_SEARCH_LIMIT);
    return rows.map((row) => record(ctx, row, 'masked'));
  },

  async 'customers.fiscalOptions'(_input, ctx) {
    const s = requireSession(ctx);
    const { country, day } = await whereAndWhen(ctx, s.businessId, s.branchId ?? ctx.services.terminal?.branchId ?? null);
    onlyInMexico(country);
    return fiscalOptionsOn(day);
  },

  async 'customers.get'(input, ctx) {
    return record(ctx, await liveCustomer(ctx, input.id), 'clear');
  },

  async 'customers.save'(input, ctx) {
    const s = requireSession(ctx);
    const { db, sealer, journal } = ctx.services;
    const { country, day } = await whereAndWhen(ctx, s.businessId, s.branchId ?? ctx.services.terminal?.branchId ?? null);
    onlyInMexico(country);
    const checked = checkFiscalData(input, day);
    if (!checked.ok) throw invalid(checked.problems);
    const fiscal = checked.value;
    const before = input.id !== undefined ? await liveCustomer(ctx, input.id) : undefined;
    const id = before?.id ?? uuidv7();
    const email = input.email === undefined ? undefined : normalisedEmail(input.email);
    const contact: Contact = { ...(email ? { email } : {}), ...(input.phone ? { phone: input.phone } : {}) };
    const fields = {
      taxId: fiscal.taxId,
      legalName: fiscal.legalName,
      taxRegime: fiscal.taxRegime,
      postalCode: fiscal.postalCode,
      fiscalUse: fiscal.fiscalUse,
      contact: Object.keys(contact).length > 0 ? sealer.seal(contact, contactContext(id)) : null,
      emailHash: email ? sealer.lookupHash(EMAIL_LOOKUP, email) : null,
    };
    const saved = await db
      .transaction(async (tx) => {
        const [row] = before
          ? await tx
              .update(customers)
              .set({ ...fields, version: dsql`version + 1` })
              .where(and(eq(customers.id, before.id), eq(customers.version, input.version!), isNull(customers.deletedAt)))
              .returning()
          : await tx
              .insert(customers)
              .values({ id, businessId: s.businessId, country, ...fields })
              .returning();
        if (!row) return undefined;
        // Which fields changed, never their values: an RFC, a name and a contact are personal data.
        const changed = before
          ? (['taxId', 'legalName', 'taxRegime', 'postalCode', 'fiscalUse'] as const).filter((f) => before[f] !== row[f])
          : [];
        await recordSessionAudit(
          { ...ctx.services, db: tx },
          s,
          {
            action: before ? 'customers.updated' : 'customers.created',
            outcome: 'SUCCESS',
            entityType: 'customer',
            entityId: row.id,
            details: {
              version: row.version,
              personType: fiscal.personType,
              ...(before ? { changed, contactChanged: !sameContact(ctx, before, contact) } : {}),
            },
          },
          ctx.approver,
        );
        return row;
      })
      .catch(duplicateTaxId(fiscal.taxId));
    if (!saved) throw staleVersion((await liveCustomer(ctx, id)).version);
    journalCustomer(journal, saved, s.employeeId);
    return record(ctx, saved, 'masked');
  },
});

function sameContact(ctx: CallContext, before: Customer, after: Contact): boolean {
  const was: Contact = before.contact ? ctx.services.sealer.open<Contact>(before.contact, contactContext(before.id)) : {};
  return was.email === after.email && was.phone === after.phone;
}
