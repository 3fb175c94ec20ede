// What the customer form may offer on a given day: for each person type the régimenes fiscales in
// force, each with the usos del CFDI the SAT's c_UsoCFDI lists for it. Read from the same
// functions receiver-rules.ts checks with, so the form never offers a pair the save refuses.
import type { PERSON_TYPES } from '#contract/customer-record.ts';
import type { RegimenOption } from '#contract/calls/customers.ts';
import { regimenesFor, usosFor } from '#engine/fiscal/mx/receiver-rules.ts';

export type FiscalOptions = Record<(typeof PERSON_TYPES)[number], RegimenOption[]>;

const entry = ({ clave, descripcion }: { clave: string; descripcion: string }) => ({ clave, descripcion });

/** The régimenes of each person type in force on `day` (YYYY-MM-DD), each with its usos; a régimen without any uso is left out. */
export function fiscalOptionsOn(day: string): FiscalOptions {
  const of = (personType: (typeof PERSON_TYPES)[number]) =>
    regimenesFor(personType, day)
      .map((r) => ({ ...entry(r), usos: usosFor(personType, r.clave, day).map(entry) }))
      .filter((r) => r.usos.length > 0);
  return { FISICA: of('FISICA'), MORAL: of('MORAL') };
}
