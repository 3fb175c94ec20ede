// A CFDI receiver's fields, as the counter's new customer and the back office's substitute invoice
// show them: RFC, razón social, régimen (its clave, with its description or how many the RFC's
// person type allows), código postal, uso del CFDI (likewise, for the régimen) and, where asked,
// the e-mail. What is wrong with a field is said beside it: the engine's refusal, else what the
// SAT's catalogs already say of the clave typed. A new refusal takes the keyboard to the first
// field it names, with what was typed still there. ↑ ↓ through the claves are the caller's keys
// (steppedChoice), since a dialog decides what its arrows do.
import { useEffect, useRef } from 'react';
import type { I18n } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { readEmail } from '../screens/customer-email.ts';
import {
  type CustomerForm,
  type FiscalOptions,
  type FormField,
  personTypeOfRfc,
  type Refusals,
  regimenesFor,
  rfcAsTyped,
  usosFor,
} from '../screens/invoice-form.ts';

const LABEL: Record<FormField, MessageKey> = {
  taxId: 'invoice.rfc',
  legalName: 'invoice.legalName',
  taxRegime: 'invoice.taxRegime',
  postalCode: 'invoice.postalCode',
  fiscalUse: 'invoice.fiscalUse',
  email: 'invoice.email',
};

/** Each field's input: its length, its keyboard, and the claves' mark for the caller's ↑ ↓. */
const INPUT: Record<FormField, React.InputHTMLAttributes<HTMLInputElement> & { 'data-choice'?: string }> = {
  taxId: { maxLength: 13, autoCapitalize: 'characters' },
  legalName: { maxLength: 300 },
  taxRegime: { maxLength: 3, inputMode: 'numeric', 'data-choice': 'taxRegime' },
  postalCode: { maxLength: 5, inputMode: 'numeric' },
  fiscalUse: { maxLength: 4, autoCapitalize: 'characters', 'data-choice': 'fiscalUse' },
  email: { maxLength: 254, inputMode: 'email', autoCapitalize: 'none' },
};

/** The RFC and the uso as the SAT writes them, in upper case as they are typed. */
const asTyped = (field: FormField, value: string) =>
  field === 'taxId' ? rfcAsTyped(value) : field === 'fiscalUse' ? value.toLocaleUpperCase('es-MX') : value;

/** The clave typed for a régimen or uso, and why it cannot be taken as things stand (null: it can, or nothing typed). */
function choiceProblem(i18n: I18n, field: 'taxRegime' | 'fiscalUse', form: CustomerForm, options: FiscalOptions | null): string | null {
  const typed = form[field].trim();
  if (typed === '' || !options) return null;
  const person = personTypeOfRfc(form.taxId);
  if (field === 'taxRegime') {
    if (!person || regimenesFor(options, form.taxId).some((r) => r.clave === typed)) return null;
    return i18n.t('invoice.regimen.notAllowed', { clave: typed, person: i18n.t(`invoice.person.${person}`) });
  }
  if (!person || !regimenesFor(options, form.taxId).some((r) => r.clave === form.taxRegime)) return null;
  if (usosFor(options, form.taxId, form.taxRegime).some((u) => u.clave === typed.toUpperCase())) return null;
  return i18n.t('invoice.uso.notAllowed', { clave: typed.toUpperCase(), regimen: form.taxRegime });
}

export type ReceiverFieldsProps = {
  i18n: I18n;
  form: CustomerForm;
  options: FiscalOptions | null;
  refusals: Refusals | null;
  /** How many answers were refusals: each new one takes the keyboard to the first field it names. */
  refused: number;
  /** The fields shown, in the form's order (Tab's). */
  fields: readonly FormField[];
  /** Each field's id is `${idPrefix}-${field}` (its hint's and its problem's follow). */
  idPrefix: string;
  /** The field the keyboard starts on. */
  autoFocus?: FormField;
  onEdit(change: Partial<CustomerForm>): void;
};

/** The fields, each a grid cell of the caller's form. */
export function ReceiverFields({ i18n, form, options, refusals, refused, fields, idPrefix, autoFocus, onEdit }: ReceiverFieldsProps) {
  const latestRefusals = useRef(refusals);
  latestRefusals.current = refusals;
  useEffect(() => {
    if (refused === 0) return;
    const first = fields.find((f) => latestRefusals.current?.fields[f]);
    if (first) document.getElementById(`${idPrefix}-${first}`)?.focus();
  }, [refused, fields, idPrefix]);
  /** What is wrong with a field: the engine's refusal, else what the form already knows. */
  const said = (field: FormField): string | null => {
    const refusal = refusals?.fields[field];
    if (refusal) return i18n.error(refusal);
    if (field === 'taxRegime' || field === 'fiscalUse') return choiceProblem(i18n, field, form, options);
    if (field === 'email' && readEmail(form.email).bad) return i18n.t('invoice.email.problem');
    return null;
  };
  const person = personTypeOfRfc(form.taxId);
  const regimen = regimenesFor(options, form.taxId).find((r) => r.clave === form.taxRegime.trim());
  const uso = usosFor(options, form.taxId, form.taxRegime.trim()).find((u) => u.clave === form.fiscalUse.trim().toUpperCase());
  const hints: Partial<Record<FormField, string>> = {
    taxRegime: !options
      ? i18n.t('invoice.loading')
      : !person
        ? i18n.t('invoice.rfcFirst')
        : regimen
          ? regimen.descripcion
          : i18n.t('invoice.choose', { count: regimenesFor(options, form.taxId).length, person: i18n.t(`invoice.person.${person}`) }),
    fiscalUse: !regimen
      ? i18n.t('invoice.regimenFirst')
      : uso
        ? uso.descripcion
        : i18n.t('invoice.chooseUso', { count: regimen.usos.length }),
  };
  return (
    <>
      {fields.map((name) => {
        const problem = said(name);
        const hint = hints[name];
        const id = `${idPrefix}-${name}`;
        const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].join(' ').trim();
        return (
          <div key={name} className={`field ${id}`}>
            <label htmlFor={id}>{i18n.t(LABEL[name])}</label>
            <input
              id={id}
              autoComplete="off"
              spellCheck={false}
              value={form[name]}
              aria-invalid={problem !== null}
              aria-describedby={described || undefined}
              onChange={(e) => onEdit({ [name]: asTyped(name, e.target.value) })}
              autoFocus={name === autoFocus}
              {...INPUT[name]}
            />
            {hint ? (
              <p id={`${id}-hint`} className="hint">
                {hint}
              </p>
            ) : null}
            {problem ? (
              <p id={`${id}-error`} className="message" role="alert">
                {problem}
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}
