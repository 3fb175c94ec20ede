// What the egreso of a return says: each returned line with its ingreso's SAT keys (or the Guía's
// 84111506 / ACT when it has none), the return's own amounts to the centavo, UsoCFDI G02 where the
// receiver's régimen takes it, and the refund's tender as its FormaPago.
import { describe, expect, it } from 'vitest';
import { amountProblems } from '#engine/fiscal/mx/cfdi-validations.ts';
import {
  type CreditNoteLine,
  creditNoteReceiver,
  egresoLine,
  egresoOf,
  REFUND_PRODUCT_KEY,
  REFUND_UNIT_KEY,
  UUID_NOT_YET_STAMPED,
} from '#engine/services/invoicing/credit-note-cfdi.ts';
import { ISSUER } from '../support/cfdi-samples.ts';

const PERSON = { taxId: 'COSC8001137NA', legalName: 'CARLOS CORTES SOTO', taxRegime: '612', postalCode: '52176', fiscalUse: 'G03' };
const AGUA: CreditNoteLine = {
  description: 'Agua de piña 1 L',
  sku: '7505641000219',
  fiscalProductCode: '50202301',
  fiscalUnitCode: 'H87',
  quantity: '1.0000',
  taxCode: 'IVA16',
  // One of four at 8.50 with 1.40 of a sale discount on the line: 32.60 paid, 28.10 + 4.50 IVA.
  subtotal: '7.0300',
  taxAmount: '1.1300',
};
const RELATED = '04bf2854-fe7d-4377-9196-71248f060abb';
const issuedAt = new Date('2026-06-15T17:45:30Z');

describe('the egreso of a return', () => {
  it('keeps the keys each line had in the ingreso, and takes 84111506 / ACT only for a line without them', () => {
    expect(egresoLine(AGUA)).toMatchObject({ claveProdServ: '50202301', claveUnidad: 'H87', unidad: 'Pieza', sku: '7505641000219' });
    expect(egresoLine({ ...AGUA, fiscalProductCode: null, fiscalUnitCode: null, sku: null })).toEqual({
      descripcion: AGUA.description,
      claveProdServ: REFUND_PRODUCT_KEY,
      claveUnidad: REFUND_UNIT_KEY,
      quantity: '1.0000',
      subtotal: '7.0300',
      taxAmount: '1.1300',
      taxCode: 'IVA16',
    });
  });

  it('refuses a line taxed with what is not a Mexican tax, naming it', () => {
    expect(() => egresoLine({ ...AGUA, taxCode: 'VAT19' as CreditNoteLine['taxCode'] })).toThrow(/VAT19, que no es un impuesto de México/);
  });

  it('makes the receiver’s use G02 where their régimen takes it, and keeps the ingreso’s where it does not', () => {
    expect(creditNoteReceiver(PERSON, '2026-06-15')).toEqual({ ...PERSON, fiscalUse: 'G02' });
    // Sueldos y salarios (605) is not among G02's régimenes in c_UsoCFDI.
    const employee = { ...PERSON, taxRegime: '605', fiscalUse: 'S01' };
    expect(creditNoteReceiver(employee, '2026-06-15')).toEqual(employee);
  });

  it('is an egreso related by 01 to the ingreso, paid back as the refund was, for exactly what the return gave back', () => {
    const { comprobante, differenceFromSale } = egresoOf({
      issuer: { ...ISSUER, serie: 'NC-A-CAJA-1', folio: '1' },
      receiver: { ...PERSON, fiscalUse: 'G02' },
      relatedUuid: RELATED,
      lines: [
        AGUA,
        {
          ...AGUA,
          description: 'Arroz 1 kg',
          fiscalProductCode: '50221300',
          quantity: '2',
          taxCode: 'IVA0',
          subtotal: '60.4000',
          taxAmount: '0',
        },
      ],
      refund: { kind: 'STORE_CREDIT', amount: '68.5600' },
      issuedAt,
    });
    expect(comprobante).toMatchObject({
      TipoDeComprobante: 'E',
      Serie: 'NC-A-CAJA-1',
      FormaPago: '05',
      MetodoPago: 'PUE',
      CfdiRelacionados: [{ TipoRelacion: '01', UUIDs: [RELATED.toUpperCase()] }],
      Receptor: { Rfc: PERSON.taxId, UsoCFDI: 'G02' },
      SubTotal: '67.43',
      Total: '68.56',
      Impuestos: { TotalImpuestosTrasladados: '1.13' },
    });
    expect(comprobante.Descuento).toBeUndefined();
    expect(comprobante.Conceptos.map((c) => [c.Cantidad, c.Importe, c.Impuestos?.Traslados[0]?.Importe])).toEqual([
      ['1', '7.03', '1.13'],
      ['2', '60.40', '0.00'],
    ]);
    expect(differenceFromSale).toBe('0.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('is checked at the counter with a stand-in UUID while its ingreso waits, the amounts being the same', () => {
    const input = { issuer: ISSUER, receiver: PERSON, lines: [AGUA], refund: { kind: 'CARD' as const, amount: '8.16' }, issuedAt };
    const waiting = egresoOf({ ...input, relatedUuid: UUID_NOT_YET_STAMPED }).comprobante;
    const stamped = egresoOf({ ...input, relatedUuid: RELATED }).comprobante;
    expect(waiting.FormaPago).toBe('04');
    expect({ ...waiting, CfdiRelacionados: [] }).toEqual({ ...stamped, CfdiRelacionados: [] });
  });

  it('goes to the público en general with the global’s InformacionGlobal when it corrects a factura global, and only then', () => {
    const publico = {
      taxId: 'XAXX010101000',
      legalName: 'PUBLICO EN GENERAL',
      taxRegime: '616',
      postalCode: ISSUER.codigoPostal,
      fiscalUse: 'S01',
    };
    const input = { issuer: ISSUER, relatedUuid: RELATED, lines: [AGUA], refund: { kind: 'CASH' as const, amount: '8.16' }, issuedAt };
    const period = { periodicidad: '01' as const, meses: '06', año: 2026 };
    const { comprobante } = egresoOf({ ...input, receiver: creditNoteReceiver(publico, '2026-06-15'), global: period });
    expect(comprobante).toMatchObject({
      InformacionGlobal: { Periodicidad: '01', Meses: '06', Año: '2026' },
      Receptor: { Rfc: 'XAXX010101000', Nombre: 'PUBLICO EN GENERAL', RegimenFiscalReceptor: '616', UsoCFDI: 'S01' },
    });
    expect(() => egresoOf({ ...input, receiver: publico })).toThrow(/InformacionGlobal/);
    expect(() => egresoOf({ ...input, receiver: PERSON, global: period })).toThrow(/InformacionGlobal/);
  });
});
