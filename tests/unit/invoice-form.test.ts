import { describe, expect, it } from 'vitest';
import {
  EMPTY_FORM,
  type FiscalOptions,
  fieldOf,
  formOfReceiver,
  personTypeOfRfc,
  receiverOf,
  receiverOfForm,
  refusalsOf,
  regimenesFor,
  rfcAsTyped,
  saveInput,
  steppedChoice,
  usosFor,
} from '../../renderer/screens/invoice-form.ts';
import { createI18n, LOCALES } from '../../renderer/i18n/index.ts';

const OPTIONS: FiscalOptions = {
  FISICA: [{ clave: '612', descripcion: 'Actividades Empresariales', usos: [{ clave: 'G03', descripcion: 'Gastos en general.' }] }],
  MORAL: [{ clave: '601', descripcion: 'General de Ley', usos: [{ clave: 'G01', descripcion: 'Adquisición de mercancías.' }] }],
};

describe("the invoice form's RFC", () => {
  it('is written as the SAT writes it: upper case, no spaces', () => {
    expect(rfcAsTyped(' gode 561231gr8 ')).toBe('GODE561231GR8');
    expect(rfcAsTyped('ñaño800101ab1')).toBe('ÑAÑO800101AB1');
  });

  it('says the person type by its length, and nothing before it has one', () => {
    expect(personTypeOfRfc('EKU9003173C9')).toBe('MORAL');
    expect(personTypeOfRfc('GODE561231GR8')).toBe('FISICA');
    expect(personTypeOfRfc('GODE5612')).toBeNull();
  });

  it("offers the régimenes of the RFC's person type and the usos of the régimen chosen", () => {
    expect(regimenesFor(OPTIONS, 'GODE561231GR8').map((r) => r.clave)).toEqual(['612']);
    expect(regimenesFor(OPTIONS, 'EKU9003173C9').map((r) => r.clave)).toEqual(['601']);
    expect(regimenesFor(OPTIONS, 'GODE')).toEqual([]);
    expect(regimenesFor(null, 'GODE561231GR8')).toEqual([]);
    expect(usosFor(OPTIONS, 'GODE561231GR8', '612').map((u) => u.clave)).toEqual(['G03']);
    expect(usosFor(OPTIONS, 'GODE561231GR8', '601')).toEqual([]);
  });
});

describe('↑ ↓ on the régimen and the uso', () => {
  const options: FiscalOptions = {
    FISICA: [
      {
        clave: '612',
        descripcion: 'Actividades Empresariales',
        usos: [
          { clave: 'G01', descripcion: 'Adquisición de mercancías.' },
          { clave: 'G03', descripcion: 'Gastos en general.' },
        ],
      },
      { clave: '626', descripcion: 'RESICO', usos: [{ clave: 'G03', descripcion: 'Gastos en general.' }] },
    ],
    MORAL: OPTIONS.MORAL,
  };
  const person = { ...EMPTY_FORM, taxId: 'GODE561231GR8', taxRegime: '612', fiscalUse: 'g03' };

  it('steps from the clave typed to the next or the one before, and stops at either end', () => {
    expect(steppedChoice(options, person, 'fiscalUse', -1)).toBe('G01');
    expect(steppedChoice(options, { ...person, fiscalUse: 'G01' }, 'fiscalUse', -1)).toBe('G01');
    expect(steppedChoice(options, person, 'taxRegime', 1)).toBe('626');
    expect(steppedChoice(options, { ...person, taxRegime: '626' }, 'taxRegime', 1)).toBe('626');
  });

  it('starts on the first of those allowed when what is typed is none of them, and offers nothing before the RFC says a person type', () => {
    expect(steppedChoice(options, { ...person, fiscalUse: 'X9' }, 'fiscalUse', 1)).toBe('G01');
    expect(steppedChoice(options, { ...person, taxId: 'GODE' }, 'taxRegime', 1)).toBeNull();
    expect(steppedChoice(null, person, 'taxRegime', 1)).toBeNull();
  });
});

describe("an invoice's receiver to correct", () => {
  const row = {
    receiverRfc: 'GODE561231GR8',
    receiverName: 'EMILIANO GOMEZ DIAZ',
    receiverTaxRegime: '612',
    receiverPostalCode: '06000',
    receiverCfdiUse: 'G03',
  };

  it('fills the form with the receiver the invoice has, and no e-mail', () => {
    expect(formOfReceiver(row)).toEqual({
      taxId: 'GODE561231GR8',
      legalName: 'EMILIANO GOMEZ DIAZ',
      taxRegime: '612',
      postalCode: '06000',
      fiscalUse: 'G03',
      email: '',
    });
    expect(formOfReceiver({ ...row, receiverTaxRegime: null, receiverPostalCode: null, receiverCfdiUse: null })).toMatchObject({
      taxRegime: '',
      postalCode: '',
      fiscalUse: '',
    });
  });

  it('sends it corrected as the Constancia writes it: RFC and uso in upper case, the name in upper case with single spaces', () => {
    const typed = {
      ...formOfReceiver(row),
      taxId: ' gode561231gr8',
      legalName: ' Emiliano  Gómez Díaz ',
      postalCode: ' 06700 ',
      fiscalUse: 'g01',
    };
    expect(receiverOfForm(typed)).toEqual({
      rfc: 'GODE561231GR8',
      name: 'EMILIANO GÓMEZ DÍAZ',
      taxRegime: '612',
      postalCode: '06700',
      cfdiUse: 'G01',
    });
  });
});

describe('what the form sends', () => {
  const form = { ...EMPTY_FORM, taxId: 'gode561231gr8', legalName: 'Emiliano', taxRegime: '612', postalCode: '06000', fiscalUse: 'G03' };

  it('leaves out an empty e-mail, and edits the customer already saved at its version', () => {
    expect(saveInput(form, null)).toEqual({
      taxId: 'GODE561231GR8',
      legalName: 'Emiliano',
      taxRegime: '612',
      postalCode: '06000',
      fiscalUse: 'G03',
    });
    expect(saveInput({ ...form, email: ' a@b.mx ' }, { id: 'c1', version: 2 })).toMatchObject({ id: 'c1', version: 2, email: 'a@b.mx' });
  });

  it("makes the invoice's receiver of a customer's fiscal data", () => {
    const customer = { taxId: 'GODE561231GR8', legalName: 'EMILIANO', taxRegime: '612', postalCode: '06000', fiscalUse: 'G03' };
    expect(receiverOf(customer)).toEqual({ rfc: 'GODE561231GR8', name: 'EMILIANO', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' });
  });
});

describe('a refusal on the form', () => {
  it("is placed by the fiscal reason, by customers.save's field, or by invoices.request's receiver field", () => {
    expect(fieldOf({ reason: 'RFC_CHECK_DIGIT', field: 'receiver' })).toBe('taxId');
    expect(fieldOf({ reason: 'USO_NOT_FOR_REGIMEN' })).toBe('fiscalUse');
    expect(fieldOf({ field: 'postalCode' })).toBe('postalCode');
    expect(fieldOf({ field: 'receiver.name' })).toBe('legalName');
    expect(fieldOf({ reason: 'ALREADY_INVOICED', series: 'A-CAJA-1' })).toBeNull();
  });

  it('marks every field customers.save listed, the first with all its details', () => {
    const error = {
      code: 'INVALID_INPUT' as const,
      message: 'El dígito verificador…',
      params: {
        field: 'taxId',
        reason: 'RFC_CHECK_DIGIT',
        expected: '8',
        problems: [
          { field: 'taxId', reason: 'RFC_CHECK_DIGIT', message: 'El dígito verificador…' },
          { field: 'postalCode', reason: 'RECEIVER_POSTAL_CODE', message: 'El código postal…' },
        ],
      },
    };
    const refusals = refusalsOf(error);
    expect(refusals.rest).toBeNull();
    expect(refusals.fields.taxId).toBe(error);
    expect(refusals.fields.postalCode).toMatchObject({ code: 'INVALID_INPUT', params: { reason: 'RECEIVER_POSTAL_CODE' } });
    expect(Object.keys(refusals.fields).sort()).toEqual(['postalCode', 'taxId']);
  });

  it('that names no field is said for the whole form', () => {
    const error = { code: 'CONFLICT' as const, message: 'already', params: { reason: 'ALREADY_INVOICED', series: 'A-CAJA-1', folio: 3 } };
    expect(refusalsOf(error)).toEqual({ fields: {}, rest: error });
  });
});

describe("the invoice's refusals in the cashier's words", () => {
  const reasons = [
    ['INVALID_INPUT', 'RFC_CHECK_DIGIT'],
    ['INVALID_INPUT', 'REGIMEN_NOT_FOR_PERSON_TYPE'],
    ['INVALID_INPUT', 'USO_NOT_FOR_REGIMEN'],
    ['INVALID_INPUT', 'GENERIC_RFC'],
    ['CONFLICT', 'DUPLICATE_TAX_ID'],
    ['CONFLICT', 'SALE_NOT_PAID'],
    ['CONFLICT', 'NO_FISCAL_PROFILE'],
    // invoices.substitute's own.
    ['INVALID_INPUT', 'NOT_A_CUSTOMER_INVOICE'],
    ['CONFLICT', 'ISSUED_ELSEWHERE'],
    ['CONFLICT', 'HAS_CREDIT_NOTES'],
  ] as const;

  for (const locale of LOCALES) {
    it(`are each their own sentence in ${locale}, never the generic one`, () => {
      const i18n = createI18n(locale, 'MXN', 'America/Mexico_City');
      for (const [code, reason] of reasons) {
        const said = i18n.error({ code, message: 'engine words', params: { reason, taxId: 'GODE561231GR8' } });
        expect(said, reason).not.toBe(i18n.error({ code, message: 'engine words' }));
        expect(said, reason).not.toMatch(/\{\w+\}/);
      }
      expect(i18n.error({ code: 'CONFLICT', message: '', params: { reason: 'ALREADY_INVOICED', series: 'A-CAJA-1', folio: 3 } })).toMatch(
        /A-CAJA-1 folio 3/,
      );
      expect(i18n.error({ code: 'CONFLICT', message: '', params: { reason: 'OTHER_MONTH', saleMonth: '2026-10' } })).toMatch(
        /2026-10.*global/,
      );
    });
  }
});
