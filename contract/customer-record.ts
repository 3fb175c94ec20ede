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

/** The fiscal fields of a customer, as customers.save names them. */
export type CustomerFiscalField = 'taxId' | 'legalName' | 'taxRegime' | 'postalCode' | 'fiscalUse';

/**
 * Which field a refusal of a customer's fiscal data is about, by its reason: the engine marks its
 * problems with it and the form puts each message beside its field. The régimen is the customer's
 * own (on their Constancia); the uso is what the cashier picks.
 */
export const FIELD_OF_FISCAL_REASON = {
  RFC_EMPTY: 'taxId',
  RFC_FORMAT: 'taxId',
  RFC_DATE: 'taxId',
  RFC_CHECK_DIGIT: 'taxId',
  GENERIC_TAX_ID: 'taxId',
  GENERIC_RFC: 'taxId',
  GENERIC_RFC_REGIMEN: 'taxId',
  GENERIC_RFC_USO: 'taxId',
  CUSTOMER_COUNTRY: 'taxId',
  DUPLICATE_TAX_ID: 'taxId',
  RECEIVER_NAME: 'legalName',
  RECEIVER_POSTAL_CODE: 'postalCode',
  REGIMEN_UNKNOWN: 'taxRegime',
  REGIMEN_NOT_IN_FORCE: 'taxRegime',
  REGIMEN_NOT_FOR_PERSON_TYPE: 'taxRegime',
  USO_UNKNOWN: 'fiscalUse',
  USO_NOT_IN_FORCE: 'fiscalUse',
  USO_NOT_FOR_PERSON_TYPE: 'fiscalUse',
  USO_NOT_FOR_REGIMEN: 'fiscalUse',
} as const satisfies Record<string, CustomerFiscalField>;

/**
 * The legal name as the receiver's Nombre is written: trimmed, every run of spaces one space, in
 * upper case. The SAT checks the name against its register of RFCs, which the Constancia de
 * Situación Fiscal prints in upper case, and its CFDI 4.0 guidance asks for it so; a name typed
 * in mixed case is then never refused for its case. Accents, Ñ and punctuation stay as typed:
 * the Constancia decides them and only the cashier can read it.
 */
export function legalNameAsOnConstancia(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLocaleUpperCase('es-MX');
}
