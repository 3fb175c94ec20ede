// The customer's fiscal form (the counter's invoice panel, the back office's substitute invoice),
// as plain functions: the RFC as the SAT writes it, the person type its length says (12 a
// company, 13 a person), the régimenes and usos the engine's catalogs allow for it and ↑ ↓
// through them, the receiver a form makes, and which field of the form an engine refusal is
// about, whether it came from customers.save (params.field, params.problems) or from
// invoices.request and invoices.substitute (params.reason, or the receiver's field).
import type { CallArgs, CallOutput } from '#contract/calls.ts';
import { FIELD_OF_FISCAL_REASON, legalNameAsOnConstancia } from '#contract/customer-record.ts';
import type { ClientError } from '../api/client.ts';

export type FiscalOptions = CallOutput<'customers.fiscalOptions'>;
export type RegimenChoice = FiscalOptions['FISICA'][number];
export type FoundCustomer = CallOutput<'customers.search'>[number];

export type CustomerForm = { taxId: string; legalName: string; taxRegime: string; postalCode: string; fiscalUse: string; email: string };
export type FormField = keyof CustomerForm;
/** The form's fields in the order they are shown (and Tab goes). */
export const FORM_FIELDS: readonly FormField[] = ['taxId', 'legalName', 'taxRegime', 'postalCode', 'fiscalUse', 'email'];

export const EMPTY_FORM: CustomerForm = { taxId: '', legalName: '', taxRegime: '', postalCode: '', fiscalUse: '', email: '' };

/** What the cashier typed into the RFC field, as the SAT writes it: upper case, no spaces. */
export const rfcAsTyped = (typed: string) => typed.replace(/\s+/gu, '').toLocaleUpperCase('es-MX');

/** A company's RFC has 12 characters, a person's 13; anything else says nothing yet. */
export function personTypeOfRfc(rfc: string): keyof FiscalOptions | null {
  if (rfc.length === 12) return 'MORAL';
  if (rfc.length === 13) return 'FISICA';
  return null;
}

/** The régimenes a customer with this RFC may have (none until the RFC has a person type's length). */
export function regimenesFor(options: FiscalOptions | null, rfc: string): RegimenChoice[] {
  const type = personTypeOfRfc(rfc);
  return options && type ? options[type] : [];
}

/** The usos del CFDI allowed with the régimen chosen, for this RFC's person type. */
export function usosFor(options: FiscalOptions | null, rfc: string, regimen: string): RegimenChoice['usos'] {
  return regimenesFor(options, rfc).find((r) => r.clave === regimen)?.usos ?? [];
}

/** The régimen or uso clave ↑ (-1) or ↓ (1) steps to among those allowed; null when none is. */
export function steppedChoice(
  options: FiscalOptions | null,
  form: CustomerForm,
  field: 'taxRegime' | 'fiscalUse',
  direction: 1 | -1,
): string | null {
  const claves = (field === 'taxRegime' ? regimenesFor(options, form.taxId) : usosFor(options, form.taxId, form.taxRegime)).map(
    (c) => c.clave,
  );
  if (claves.length === 0) return null;
  const at = claves.indexOf(form[field].trim().toUpperCase());
  return claves[at < 0 ? 0 : Math.min(claves.length - 1, Math.max(0, at + direction))]!;
}

type FiscalReceiver = CallArgs<'invoices.substitute'>['receiver'];

/** The form an invoice's receiver fills (to correct it): the e-mail is no part of a receiver. */
export const formOfReceiver = (r: {
  receiverRfc: string;
  receiverName: string;
  receiverTaxRegime: string | null;
  receiverPostalCode: string | null;
  receiverCfdiUse: string | null;
}): CustomerForm => ({
  taxId: r.receiverRfc,
  legalName: r.receiverName,
  taxRegime: r.receiverTaxRegime ?? '',
  postalCode: r.receiverPostalCode ?? '',
  fiscalUse: r.receiverCfdiUse ?? '',
  email: '',
});

/** The receiver a form makes, written as customers.save would store it (the name as on the Constancia). */
export const receiverOfForm = (form: CustomerForm): FiscalReceiver => ({
  rfc: rfcAsTyped(form.taxId),
  name: legalNameAsOnConstancia(form.legalName),
  taxRegime: form.taxRegime.trim(),
  postalCode: form.postalCode.trim(),
  cfdiUse: form.fiscalUse.trim().toUpperCase(),
});

/** What customers.save takes from the form: the e-mail only when one was typed. */
export function saveInput(form: CustomerForm, saved: { id: string; version: number } | null): CallArgs<'customers.save'> {
  const { email, ...fiscal } = form;
  return {
    ...(saved ? { id: saved.id, version: saved.version } : {}),
    ...fiscal,
    taxId: rfcAsTyped(fiscal.taxId),
    ...(email.trim() === '' ? {} : { email: email.trim() }),
  };
}

/** The invoice's receiver, from a customer as saved (or found). */
export const receiverOf = (c: Pick<FoundCustomer, 'taxId' | 'legalName' | 'taxRegime' | 'postalCode' | 'fiscalUse'>) => ({
  rfc: c.taxId,
  name: c.legalName,
  taxRegime: c.taxRegime,
  postalCode: c.postalCode,
  cfdiUse: c.fiscalUse,
});

/** The fiscal core's reasons, by the form field they are about (the contract's, as the engine marks them). */
const FIELD_OF_REASON: Record<string, FormField> = FIELD_OF_FISCAL_REASON;

/** The contract's names for the same fields: customers.save's own, and invoices.request's receiver. */
const FIELD_OF_NAME: Record<string, FormField> = {
  taxId: 'taxId',
  legalName: 'legalName',
  taxRegime: 'taxRegime',
  postalCode: 'postalCode',
  fiscalUse: 'fiscalUse',
  email: 'email',
  'receiver.rfc': 'taxId',
  'receiver.name': 'legalName',
  'receiver.taxRegime': 'taxRegime',
  'receiver.postalCode': 'postalCode',
  'receiver.cfdiUse': 'fiscalUse',
};

/** The form field a refusal names: by its reason first (it is the more precise), else by the field it names. */
export function fieldOf(params: Record<string, unknown> | undefined): FormField | null {
  const reason = typeof params?.reason === 'string' ? FIELD_OF_REASON[params.reason] : undefined;
  if (reason) return reason;
  return typeof params?.field === 'string' ? (FIELD_OF_NAME[params.field] ?? null) : null;
}

/** One refusal per field it names (every problem customers.save listed), and the refusal no field owns. */
export type Refusals = { fields: Partial<Record<FormField, ClientError>>; rest: ClientError | null };

export function refusalsOf(error: ClientError): Refusals {
  const fields: Refusals['fields'] = {};
  // The refusal itself is the first problem, with all its details; the others carry their field, reason and sentence.
  const own = fieldOf(error.params);
  if (own) fields[own] = error;
  const listed = error.params?.problems;
  const problems = Array.isArray(listed) ? (listed as { field?: string; reason?: string; message?: string }[]) : [];
  for (const p of problems) {
    const field = fieldOf(p);
    // The first problem of a field is the one shown: the form's order, as the engine sorts them.
    if (field && !fields[field]) fields[field] = { code: error.code, message: p.message ?? error.message, params: { ...p } };
  }
  return { fields, rest: Object.keys(fields).length > 0 ? null : error };
}
