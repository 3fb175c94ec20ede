// A customer saved at this register, as a journal fact: the whole row after the change. Central
// keeps the business's customers from these facts (sync.apply_customer, central migration
// c0012), and a PGlite that lost its latest writes gets the row back from them. Either way the
// version column decides: an older version never overwrites a newer one. The contact travels
// sealed as it is stored: only a holder of this register's PII key can open it.
import type { Journal } from '#db/journal.ts';
import { newerVersionUpsert, toRow, type JsonRow } from '#db/row-json.ts';
import { customers } from '#db/schema/sales.ts';
import type { SqlDatabase } from '#db/sql-session.ts';

export const CUSTOMER_SAVED = 'customers.customer_saved';

/** `by`: the employee who saved it; central applies it only if they may sell there (sales.sell). */
export type CustomerSavedFact = { customer: JsonRow; by: string };

export const customerFactKey = (id: string, version: number) => `customer:${id}:v${version}`;

/** Puts a customer row back unless PGlite holds that version or a newer one. */
export const upsertCustomer = newerVersionUpsert(customers, 'sales.customers');

export const replayCustomerSaved = (sql: SqlDatabase, fact: CustomerSavedFact) => upsertCustomer(sql, fact.customer);

export function journalCustomer(journal: Journal, customer: typeof customers.$inferSelect, by: string): void {
  journal.append(CUSTOMER_SAVED, customerFactKey(customer.id, customer.version), {
    customer: toRow(customers, customer),
    by,
  } satisfies CustomerSavedFact);
}
