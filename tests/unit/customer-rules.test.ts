import { describe, expect, it } from 'vitest';
import { legalNameAsOnConstancia } from '#contract/customer-record.ts';
import {
  checkFiscalData,
  customerProblems,
  customerQuery,
  normalisedFiscalData,
  personTypeOf,
} from '#engine/services/customers/customer-rules.ts';

const ON = '2026-11-25';
const company = { taxId: 'EKU9003173C9', legalName: 'ESCUELA KEMPER URGATE', taxRegime: '601', postalCode: '26015', fiscalUse: 'G03' };

describe("a customer's legal name", () => {
  it('is written in upper case with single spaces, accents, Ñ and punctuation kept', () => {
    expect(legalNameAsOnConstancia('  José   Muñoz\tPeña ')).toBe('JOSÉ MUÑOZ PEÑA');
    expect(legalNameAsOnConstancia('Abarrotes "La Esperanza", S. de R.L.')).toBe('ABARROTES "LA ESPERANZA", S. DE R.L.');
  });

  it('is the same text whether its accents were typed composed or decomposed', () => {
    expect(legalNameAsOnConstancia('Jose\u0301')).toBe(legalNameAsOnConstancia('José'));
  });
});

describe("a customer's fiscal data", () => {
  it('is normalised before it is checked: RFC and uso upper case without spaces', () => {
    expect(normalisedFiscalData({ ...company, taxId: ' eku9003173c9 ', fiscalUse: 'g03' })).toEqual(company);
    expect(checkFiscalData({ ...company, taxId: 'eku 9003173c9' }, ON)).toEqual({ ok: true, value: { ...company, personType: 'MORAL' } });
  });

  it('refuses the generic RFCs as customers, whatever régimen and uso come with them', () => {
    for (const taxId of ['XAXX010101000', 'XEXX010101000']) {
      expect(customerProblems({ ...company, taxId, taxRegime: '616', fiscalUse: 'S01' }, ON)).toEqual([
        expect.objectContaining({ field: 'taxId', reason: 'GENERIC_TAX_ID' }),
      ]);
    }
  });

  it("names the form's field of every rule the SAT's catalogs hold it to, in the form's order", () => {
    const problems = customerProblems(
      { taxId: 'EKU9003173C8', legalName: '', taxRegime: '612', postalCode: 'ABCDE', fiscalUse: 'D01' },
      ON,
    );
    expect(problems.map((p) => [p.field, p.reason])).toEqual([
      ['taxId', 'RFC_CHECK_DIGIT'],
      ['legalName', 'RECEIVER_NAME'],
      ['postalCode', 'RECEIVER_POSTAL_CODE'],
    ]);
    const mismatched = customerProblems({ ...company, taxRegime: '612', fiscalUse: 'D01' }, ON);
    expect(mismatched.map((p) => [p.field, p.reason])).toEqual([
      ['taxRegime', 'REGIMEN_NOT_FOR_PERSON_TYPE'],
      ['fiscalUse', 'USO_NOT_FOR_PERSON_TYPE'],
    ]);
    expect(customerProblems({ ...company, taxId: 'GOMA800101H15', taxRegime: '605', fiscalUse: 'G03' }, ON)).toEqual([
      expect.objectContaining({ field: 'fiscalUse', reason: 'USO_NOT_FOR_REGIMEN' }),
    ]);
  });

  it("tells a company's RFC from a person's by its length", () => {
    expect(personTypeOf('EKU9003173C9')).toBe('MORAL');
    expect(personTypeOf('GOMA800101H15')).toBe('FISICA');
  });
});

describe('a typed customer search', () => {
  it('is an e-mail lookup when it holds an @, lower case and trimmed', () => {
    expect(customerQuery('  Ana@Example.COM ')).toEqual({ by: 'email', email: 'ana@example.com' });
  });

  it('is an RFC prefix and words of the name, with LIKE wildcards taken literally', () => {
    expect(customerQuery('goma80')).toEqual({ by: 'text', taxIdPrefix: 'GOMA80%', nameWords: ['%goma80%'] });
    expect(customerQuery('comercial 100%_x')).toEqual({ by: 'text', taxIdPrefix: null, nameWords: ['%comercial%', '%100\\%\\_x%'] });
  });

  it('searches names only when a word has three characters: shorter ones narrow a longer one', () => {
    expect(customerQuery('GO')).toEqual({ by: 'text', taxIdPrefix: 'GO%', nameWords: [] });
    expect(customerQuery('la paz')).toEqual({ by: 'text', taxIdPrefix: 'LAPAZ%', nameWords: ['%la%', '%paz%'] });
  });
});
