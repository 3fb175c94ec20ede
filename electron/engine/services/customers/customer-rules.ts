// What makes a customer's fiscal data acceptable, and how a typed search is read. The RFC and the
// SAT's catalog rules are the fiscal core's (fiscal/mx: parseRfc, receiverProblems); this module
// maps each of its refusals to the form's field, refuses the generic RFCs, and normalises the
// legal name.
import { parseRfc, type PersonType, RFC_FOREIGN, RFC_GENERIC, RfcError } from '#engine/fiscal/mx/rfc.ts';
import { type ReceiverRuleCode, receiverProblems } from '#engine/fiscal/mx/receiver-rules.ts';
import { FIELD_OF_FISCAL_REASON, legalNameAsOnConstancia } from '#contract/customer-record.ts';

/** The form's fiscal fields, as customers.save names them. */
export type FiscalData = { taxId: string; legalName: string; taxRegime: string; postalCode: string; fiscalUse: string };
export type CustomerField = keyof FiscalData;
export type CheckedFiscalData = FiscalData & { personType: PersonType };

/** One thing wrong with the form: the field to mark, a stable reason, and the cashier's Spanish sentence. */
export type CustomerProblem = { field: CustomerField; reason: string; message: string; params: Record<string, unknown> };

// Every rule of the fiscal core names its field (a new rule without one does not compile).
const FIELD_OF: Record<ReceiverRuleCode, CustomerField> = FIELD_OF_FISCAL_REASON;

/** The form's values as stored: RFC, régimen and uso without spaces and in upper case, the name as above. */
export function normalisedFiscalData(data: FiscalData): FiscalData {
  return {
    taxId: data.taxId.replace(/\s+/gu, '').toUpperCase(),
    legalName: legalNameAsOnConstancia(data.legalName),
    taxRegime: data.taxRegime.trim(),
    postalCode: data.postalCode.trim(),
    fiscalUse: data.fiscalUse.trim().toUpperCase(),
  };
}

const GENERIC_MESSAGE = {
  [RFC_GENERIC]:
    'XAXX010101000 es el RFC del público en general: esas ventas van en la factura global y no se guardan como cliente. Para facturarle, pida el RFC del cliente.',
  [RFC_FOREIGN]: 'XEXX010101000 es el RFC genérico de extranjeros: no se guarda como cliente. Para facturarle, pida el RFC del cliente.',
} as const;

/** Every rule the (normalised) data breaks, in the form's order of fields; empty when it can be invoiced on `on` (YYYY-MM-DD). */
export function customerProblems(data: FiscalData, on: string): CustomerProblem[] {
  if (data.taxId === RFC_GENERIC || data.taxId === RFC_FOREIGN) {
    return [{ field: 'taxId', reason: 'GENERIC_TAX_ID', message: GENERIC_MESSAGE[data.taxId], params: { taxId: data.taxId } }];
  }
  const problems = receiverProblems(
    { rfc: data.taxId, nombre: data.legalName, regimenFiscal: data.taxRegime, codigoPostal: data.postalCode, usoCfdi: data.fiscalUse },
    { on },
  ).map((p) => ({ field: FIELD_OF[p.code], reason: p.code, message: p.message, params: p.params }));
  const order: CustomerField[] = ['taxId', 'legalName', 'taxRegime', 'postalCode', 'fiscalUse'];
  return problems.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** The data with its person type when it breaks no rule, or its problems. */
export function checkFiscalData(
  data: FiscalData,
  on: string,
): { ok: true; value: CheckedFiscalData } | { ok: false; problems: CustomerProblem[] } {
  const normalised = normalisedFiscalData(data);
  const problems = customerProblems(normalised, on);
  if (problems.length > 0) return { ok: false, problems };
  try {
    return { ok: true, value: { ...normalised, personType: parseRfc(normalised.taxId).personType } };
  } catch (error) {
    if (error instanceof RfcError)
      return { ok: false, problems: [{ field: 'taxId', reason: error.code, message: error.message, params: error.params }] };
    throw error;
  }
}

/** A stored RFC's person type: 12 characters, a company; 13, a person (rfc.ts). */
export const personTypeOf = (taxId: string): PersonType => (taxId.length === 12 ? 'MORAL' : 'FISICA');

/** The e-mail as the lookup hash takes it: the contract's own normalisation (trimmed, lower case). */
export const normalisedEmail = (email: string) => email.trim().toLowerCase();

/** How a typed search is looked for: by e-mail (exactly), or by RFC prefix and by words of the name. */
export type CustomerQuery =
  | { by: 'email'; email: string }
  | {
      by: 'text';
      /** A LIKE pattern for the RFC's beginning, or null when the query cannot be one. */
      taxIdPrefix: string | null;
      /** LIKE patterns ('%word%') the folded name must all match; empty when no word is long enough to search by. */
      nameWords: string[];
    };

const likeEscaped = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Trigrams need three characters: a shorter word alone would read every name, so it only narrows a longer one. */
const SEARCHABLE_WORD = 3;
const MAX_WORDS = 8;

export function customerQuery(query: string): CustomerQuery {
  const typed = query.normalize('NFC').trim();
  if (typed.includes('@')) return { by: 'email', email: normalisedEmail(typed) };
  const compact = typed.replace(/\s+/gu, '').toUpperCase();
  // RFC characters: letters (Ñ and & included in the SAT's names part) and digits, at most 13.
  const taxIdPrefix = /^[A-ZÑ&0-9]{1,13}$/u.test(compact) ? `${likeEscaped(compact)}%` : null;
  const words = typed
    .split(/\s+/u)
    .filter((w) => w !== '')
    .slice(0, MAX_WORDS);
  const nameWords = words.some((w) => w.length >= SEARCHABLE_WORD) ? words.map((w) => `%${likeEscaped(w)}%`) : [];
  return { by: 'text', taxIdPrefix, nameWords };
}
