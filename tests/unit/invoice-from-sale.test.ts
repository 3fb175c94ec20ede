import { describe, expect, it } from 'vitest';
import { buildIngreso, CfdiBuildError } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiLine, cfdiTenders, type InvoiceableLine } from '#engine/services/invoicing/cfdi-from-sale.ts';

const arroz: InvoiceableLine = {
  name: 'Arroz súper extra 900 g',
  sku: 'ARR-900',
  isWeighed: false,
  quantity: '2.000',
  unitPrice: '31.5000',
  discountAmount: '0.0000',
  taxCode: 'IVA0',
  fiscalProductCode: '50221300',
  fiscalUnitCode: null,
};

describe('a sale line on a CFDI', () => {
  it('carries its product’s SAT key, and a piece as its unit when the catalog names none', () => {
    expect(cfdiLine(arroz)).toMatchObject({ claveProdServ: '50221300', claveUnidad: 'H87', unidad: 'Pieza', sku: 'ARR-900' });
  });

  it('of a product never classified goes as 01010101, and a weighed one in kilograms', () => {
    const line = cfdiLine({ ...arroz, fiscalProductCode: null, isWeighed: true, quantity: '0.750' });
    expect(line).toMatchObject({ claveProdServ: '01010101', claveUnidad: 'KGM', unidad: 'Kilogramo', quantity: '0.750' });
  });

  it('keeps a unit key the catalog gives, without a name the SAT does not list for it here', () => {
    expect(cfdiLine({ ...arroz, fiscalUnitCode: 'XBX' })).not.toHaveProperty('unidad');
  });

  it('with a tax of another country is refused, naming the product', () => {
    const refusal = (() => {
      try {
        cfdiLine({ ...arroz, taxCode: 'IVA19' });
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toBeInstanceOf(CfdiBuildError);
    expect((refusal as Error).message).toContain('Arroz súper extra 900 g');
  });
});

describe('the payments of a sale on a CFDI', () => {
  it('are formas de pago, cash as 01 and a card as credit unless known to be debit', () => {
    expect(
      cfdiTenders([
        { kind: 'CASH', amount: '50.0000' },
        { kind: 'CARD', amount: '20.0000' },
        { kind: 'CARD', amount: '10.0000', cardType: 'DEBIT' },
        { kind: 'GIFT_CARD', amount: '0.0000' },
      ]),
    ).toEqual([
      { formaPago: '01', amount: '50.0000' },
      { formaPago: '04', amount: '20.0000' },
      { formaPago: '28', amount: '10.0000' },
    ]);
  });

  it('make the FormaPago of the whole CFDI the one that paid most', () => {
    const built = buildIngreso({
      issuer: {
        rfc: 'ALE150312QX9',
        nombre: 'ABARROTES LA ESPERANZA',
        regimenFiscal: '601',
        codigoPostal: '04310',
        timeZone: 'America/Mexico_City',
      },
      receiver: { rfc: 'XAXX010101000', nombre: 'PUBLICO EN GENERAL', regimenFiscal: '616', codigoPostal: '04310', usoCfdi: 'S01' },
      lines: [cfdiLine(arroz)],
      pricesIncludeTax: true,
      tenders: cfdiTenders([
        { kind: 'CASH', amount: '13.0000' },
        { kind: 'CARD', amount: '50.0000' },
      ]),
      issuedAt: new Date('2026-12-04T18:00:00Z'),
    });
    expect(built.comprobante.FormaPago).toBe('04');
    expect(built.comprobante.Total).toBe('63.00');
  });
});
