// A customer who takes invoices, as the counter's customer picker and form show them: the fiscal
// data a CFDI's receiver carries, and how to reach them. The e-mail and phone are masked
// ("a***@example.com") everywhere but customers.get, which fills the form to edit them.
import { z } from 'zod';
import { utcTime } from './fields.ts';

/** Who the SAT's catalogs say the RFC belongs to: a person (13 characters) or a company (12). */
export const PERSON_TYPES = ['FISICA', 'MORAL'] as const;

/** At most this many customers answer one search: the picker shows a short list to choose from. */
export const CUSTOMER_SEARCH_LIMIT = 20;

export const customerRecord = z
  .object({
    id: z.uuid(),
    /** The RFC, upper case. */
    taxId: z.string(),
    personType: z.enum(PERSON_TYPES),
    /** As on the Constancia de Situación Fiscal: upper case, single spaces. */
    legalName: z.string(),
    /** c_RegimenFiscal clave. */
    taxRegime: z.string(),
    /** The fiscal address's 5-digit postal code. */
    postalCode: z.string(),
    /** The c_UsoCFDI clave the customer's invoices take. */
    fiscalUse: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    /** Send it back with customers.save: a change made meanwhile by someone else is a CONFLICT. */
    version: z.number().int().min(1),
    updatedAt: utcTime,
  })
  .strict();

export type CustomerRecord = z.output<typeof customerRecord>;
