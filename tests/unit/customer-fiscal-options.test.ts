import { describe, expect, it } from 'vitest';
import { fiscalOptionsOn } from '#engine/services/customers/fiscal-options.ts';
import { customerProblems } from '#engine/services/customers/customer-rules.ts';

const ON = '2026-11-25';

describe("the customer form's régimen and uso choices", () => {
  const options = fiscalOptionsOn(ON);

  it('offers a person 612 with G03 and a company 601, and neither the other’s régimen', () => {
    expect(options.FISICA.find((r) => r.clave === '612')?.usos.map((u) => u.clave)).toContain('G03');
    expect(options.MORAL.find((r) => r.clave === '601')?.usos.map((u) => u.clave)).toContain('G03');
    expect(options.FISICA.map((r) => r.clave)).not.toContain('601');
    expect(options.MORAL.map((r) => r.clave)).not.toContain('612');
  });

  it('offers only pairs the save accepts, for a person and for a company', () => {
    const people = { FISICA: 'GODE561231GR8', MORAL: 'EKU9003173C9' } as const;
    for (const personType of ['FISICA', 'MORAL'] as const) {
      for (const regimen of options[personType]) {
        for (const uso of regimen.usos) {
          const data = { taxId: people[personType], legalName: 'X', taxRegime: regimen.clave, postalCode: '06000', fiscalUse: uso.clave };
          expect(customerProblems(data, ON), `${personType} ${regimen.clave} ${uso.clave}`).toEqual([]);
        }
      }
    }
  });

  it('names each choice as the SAT describes it', () => {
    expect(options.FISICA.find((r) => r.clave === '612')?.descripcion).toMatch(/Actividades Empresariales/);
  });
});
