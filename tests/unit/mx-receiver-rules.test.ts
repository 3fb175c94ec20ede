import { describe, expect, it } from 'vitest';
import { REGIMENES_FISCALES, USOS_CFDI } from '#engine/fiscal/mx/catalogs.ts';
import { checkReceiver, ReceiverError, receiverProblems, regimenesFor, usosFor } from '#engine/fiscal/mx/receiver-rules.ts';
import { CUSTOMER_COMPANY, CUSTOMER_PERSON } from '../support/cfdi-samples.ts';

const on = '2026-06-15';
const codes = (receiver: Parameters<typeof receiverProblems>[0]) => receiverProblems(receiver, { on }).map((p) => p.code);

describe('the receiver of a CFDI 4.0', () => {
  it('passes when its régimen and uso apply to its person type and the uso is listed for the régimen', () => {
    expect(checkReceiver({ ...CUSTOMER_PERSON, rfc: 'cosc8001137na', nombre: ' CARLOS CORTES SOTO ' }, { on })).toEqual({
      ...CUSTOMER_PERSON,
      personType: 'FISICA',
      kind: 'FISICA',
    });
    expect(codes(CUSTOMER_COMPANY)).toEqual([]);
  });

  it('as the general public takes régimen 616 and uso S01, and nothing else', () => {
    const publico = { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', regimenFiscal: '616', codigoPostal: '04310', usoCfdi: 'S01' };
    expect(codes(publico)).toEqual([]);
    expect(codes({ ...publico, regimenFiscal: '612', usoCfdi: 'G03' })).toEqual(['GENERIC_RFC_REGIMEN', 'GENERIC_RFC_USO']);
  });

  it('is refused a régimen of the other person type, naming both', () => {
    const [problem] = receiverProblems({ ...CUSTOMER_COMPANY, regimenFiscal: '612', usoCfdi: 'G03' }, { on });
    expect(problem!.code).toBe('REGIMEN_NOT_FOR_PERSON_TYPE');
    expect(problem!.message).toContain('612');
    expect(problem!.message).toContain('persona moral');
    expect(problem!.params.allowed).toContain('601');
  });

  it('is refused a uso its régimen does not allow, with the usos that régimen allows', () => {
    const [problem] = receiverProblems({ ...CUSTOMER_PERSON, regimenFiscal: '605', usoCfdi: 'G01' }, { on });
    expect(problem!.code).toBe('USO_NOT_FOR_REGIMEN');
    expect(problem!.message).toMatch(/^El uso CFDI G01 \(Adquisición de mercancías\) no corresponde al régimen 605 \(Sueldos y Salarios/);
    expect(problem!.params).toMatchObject({ uso: 'G01', regimen: '605' });
    expect(problem!.params.allowed).toEqual(['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08', 'D09', 'D10', 'S01', 'CP01', 'CN01']);
  });

  it('is refused a uso for persons only when it is a company (deducciones personales)', () => {
    expect(codes({ ...CUSTOMER_COMPANY, usoCfdi: 'D01' })).toEqual(['USO_NOT_FOR_PERSON_TYPE', 'USO_NOT_FOR_REGIMEN']);
  });

  it('reports every problem of a form at once: RFC, name, postal code and unknown claves', () => {
    expect(codes({ rfc: 'NOPE', nombre: ' ', regimenFiscal: '999', codigoPostal: '4310', usoCfdi: 'Z99' })).toEqual([
      'RFC_FORMAT',
      'RECEIVER_NAME',
      'RECEIVER_POSTAL_CODE',
      'REGIMEN_UNKNOWN',
      'USO_UNKNOWN',
    ]);
    expect(() => checkReceiver({ ...CUSTOMER_PERSON, nombre: 'A | B' }, { on })).toThrow(ReceiverError);
  });

  it('offers for each person type and régimen exactly the usos the SAT’s catalog lists', () => {
    expect(regimenesFor('MORAL', on).map((r) => r.clave)).toEqual(['601', '603', '610', '620', '622', '623', '624', '626']);
    expect(usosFor('MORAL', '601', on).map((u) => u.clave)).toEqual([
      'G01',
      'G02',
      'G03',
      'I01',
      'I02',
      'I03',
      'I04',
      'I05',
      'I06',
      'I07',
      'I08',
      'S01',
      'CP01',
    ]);
    // Every (person type, régimen, uso) the lists offer passes the rules, and nothing else does.
    for (const personType of ['FISICA', 'MORAL'] as const) {
      const rfc = personType === 'FISICA' ? CUSTOMER_PERSON.rfc : CUSTOMER_COMPANY.rfc;
      for (const regimen of REGIMENES_FISCALES) {
        const offered = new Set(usosFor(personType, regimen.clave, on).map((u) => u.clave));
        for (const uso of USOS_CFDI) {
          const ok = codes({ rfc, nombre: 'X', codigoPostal: '01000', regimenFiscal: regimen.clave, usoCfdi: uso.clave }).length === 0;
          expect(ok, `${personType} ${regimen.clave} ${uso.clave}`).toBe(
            offered.has(uso.clave) && regimenesFor(personType, on).includes(regimen),
          );
        }
      }
    }
  });
});
