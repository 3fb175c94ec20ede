// The customers a cashier picks or creates at the counter when one asks for an invoice. The
// fiscal fields are only bounded here: the engine checks them against the SAT's rules and
// catalogs and answers what is wrong in the cashier's Spanish, naming the field (params.field).
import { z } from 'zod';
import { CUSTOMER_SEARCH_LIMIT, customerRecord } from '../customer-record.ts';
import { call, email, shaped, text } from '../fields.ts';

const catalogEntry = z.object({ clave: z.string(), descripcion: z.string() }).strict();

/** A régimen fiscal a customer of this person type may have, with the usos del CFDI the SAT allows with it. */
export const regimenOption = catalogEntry.extend({ usos: z.array(catalogEntry) }).strict();
export type RegimenOption = z.output<typeof regimenOption>;

export const customersCalls = {
  /**
   * The choices the customer form offers, for each person type (the RFC's length says which):
   * the régimenes in force today at this business, each with its usos. The engine's catalogs,
   * so the form offers exactly what customers.save and invoices.request accept.
   */
  'customers.fiscalOptions': call('sales.sell', z.object({}).strict(), {
    output: z.object({ FISICA: z.array(regimenOption), MORAL: z.array(regimenOption) }).strict(),
  }),
  /** An RFC or its beginning, words of the name (any order, accents aside) or an e-mail; live customers of this business. */
  'customers.search': call('sales.sell', z.object({ query: text(254, { min: 1 }) }).strict(), {
    output: z.array(customerRecord).max(CUSTOMER_SEARCH_LIMIT),
  }),
  /** One customer with the e-mail and phone in clear, to fill the form. */
  'customers.get': call('sales.sell', z.object({ id: z.uuid() }).strict(), { output: customerRecord }),
  /**
   * Creates a customer (no id), or replaces one's data at the version the cashier saw (id and
   * version). The e-mail and phone are the form's: one left out is one the customer no longer has.
   */
  'customers.save': call(
    'sales.sell',
    z
      .object({
        id: z.uuid().optional(),
        version: z.number().int().min(1).optional(),
        taxId: text(20),
        legalName: text(400),
        taxRegime: text(10),
        postalCode: text(10),
        fiscalUse: text(10),
        email: email.optional(),
        phone: shaped(16, /^\+[1-9][0-9]{6,14}$/, 'a phone in international format, such as +525512345678').optional(),
      })
      .strict()
      .refine((v) => (v.id === undefined) === (v.version === undefined), {
        message: 'an edit sends the id and the version it was read at; a new customer sends neither',
        path: ['version'],
      }),
    { output: customerRecord },
  ),
};
