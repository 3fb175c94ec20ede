// The CFDI 4.0 builders: the amounts follow the receipt and Anexo 20's rounding, and every
// document passes the SAT's arithmetic validations.
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { buildEgreso, buildGlobal, buildIngreso, CfdiBuildError, fechaLocal, formaPagoFromTenders } from '#engine/fiscal/mx/cfdi-build.ts';
import { amountProblems } from '#engine/fiscal/mx/cfdi-validations.ts';
import { ReceiverError } from '#engine/fiscal/mx/receiver-rules.ts';
import { CURRENCY_RULES, priceLine } from '#engine/services/sales/pricing.ts';
import { CUSTOMER_COMPANY, CUSTOMER_PERSON, ISSUER, randomIngreso, randomLine } from '../support/cfdi-samples.ts';
import { seededRandom } from '../support/seeded-random.ts';

const MXN = CURRENCY_RULES.MXN;
const rate = { IVA16: '0.16', IVA8: '0.08', IVA0: '0', EXENTO: '0', NONE: '0' } as const;
const issuedAt = '2026-06-15T17:45:30Z';

/** What the receipt charged for a line without IEPS, by the sale's own pricing. */
const receiptTotal = (
  line: { unitPrice: string; quantity: string; discountAmount?: string; taxCode: keyof typeof rate },
  pricesIncludeTax: boolean,
) =>
  priceLine(
    {
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      taxRate: rate[line.taxCode],
      pricesIncludeTax,
      discount: { kind: 'amount', value: line.discountAmount ?? '0' },
    },
    MXN,
  ).total;

const caught = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string; params?: Record<string, unknown> };
  }
  throw new Error('expected an error');
};

describe('an ingreso for one sale', () => {
  const sale = {
    issuer: ISSUER,
    receiver: CUSTOMER_PERSON,
    pricesIncludeTax: true,
    tenders: [
      { formaPago: '01', amount: '100.00' },
      { formaPago: '04', amount: '150.00' },
    ],
    issuedAt,
    lines: [
      {
        descripcion: 'Arroz 1 kg',
        sku: 'ARR-1',
        claveProdServ: '50221200',
        claveUnidad: 'H87',
        quantity: '3',
        unitPrice: '24.90',
        discountAmount: '2.00',
        taxCode: 'IVA16' as const,
      },
      {
        descripcion: 'Frijol a granel',
        claveProdServ: '50221200',
        claveUnidad: 'KGM',
        unidad: 'Kilogramo',
        quantity: '0.755',
        unitPrice: '38.50',
        taxCode: 'IVA0' as const,
      },
      {
        descripcion: 'Revista',
        claveProdServ: '55101500',
        claveUnidad: 'H87',
        quantity: '1',
        unitPrice: '45.00',
        taxCode: 'EXENTO' as const,
      },
    ],
  };

  it('shows the receipt line by line: net Importe and Descuento, the line subtotal as Base and its tax as the traslado', () => {
    const { comprobante, differenceFromSale } = buildIngreso(sale);
    const [arroz, frijol, revista] = comprobante.Conceptos;
    expect(arroz).toMatchObject({
      Cantidad: '3',
      ValorUnitario: '21.465517',
      Importe: '64.40',
      Descuento: '1.73',
      ObjetoImp: '02',
      NoIdentificacion: 'ARR-1',
    });
    // 3 × 24.90 − 2.00 = 72.70 charged; 72.70 / 1.16 = 62.67 and 10.03 of IVA, as the receipt has them.
    expect(arroz!.Impuestos!.Traslados).toEqual([
      { Base: '62.67', Impuesto: '002', TipoFactor: 'Tasa', TasaOCuota: '0.160000', Importe: '10.03' },
    ]);
    expect(frijol).toMatchObject({ Cantidad: '0.755', ValorUnitario: '38.50', Importe: '29.07', Unidad: 'Kilogramo' });
    expect(frijol!.Impuestos!.Traslados).toEqual([
      { Base: '29.07', Impuesto: '002', TipoFactor: 'Tasa', TasaOCuota: '0.000000', Importe: '0.00' },
    ]);
    expect(revista!.Impuestos!.Traslados).toEqual([{ Base: '45.00', Impuesto: '002', TipoFactor: 'Exento' }]);
    expect(comprobante).toMatchObject({
      SubTotal: '138.47',
      Descuento: '1.73',
      Total: '146.77',
      FormaPago: '04',
      MetodoPago: 'PUE',
      Exportacion: '01',
    });
    const charged = sale.lines.reduce((acc, l) => acc.plus(receiptTotal(l, true)), new Decimal(0));
    expect(comprobante.Total).toBe(charged.toFixed(2));
    expect(differenceFromSale).toBe('0.00');
    expect(comprobante.Impuestos).toEqual({
      TotalImpuestosTrasladados: '10.03',
      Retenciones: [],
      Traslados: [
        { Base: '45.00', Impuesto: '002', TipoFactor: 'Exento' },
        { Base: '29.07', Impuesto: '002', TipoFactor: 'Tasa', TasaOCuota: '0.000000', Importe: '0.00' },
        { Base: '62.67', Impuesto: '002', TipoFactor: 'Tasa', TasaOCuota: '0.160000', Importe: '10.03' },
      ],
    });
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('writes the issuer, the receiver and the header as Anexo 20 asks, Fecha in the branch’s local time', () => {
    const { comprobante } = buildIngreso(sale);
    expect(comprobante).toMatchObject({
      Version: '4.0',
      Serie: 'COY',
      Folio: '1001',
      Fecha: '2026-06-15T11:45:30',
      Moneda: 'MXN',
      TipoDeComprobante: 'I',
      LugarExpedicion: '04310',
      Emisor: { Rfc: 'EKU9003173C9', Nombre: 'ESCUELA KEMPER URGATE', RegimenFiscal: '601' },
      Receptor: {
        Rfc: 'COSC8001137NA',
        Nombre: 'CARLOS CORTES SOTO',
        DomicilioFiscalReceptor: '52176',
        RegimenFiscalReceptor: '612',
        UsoCFDI: 'G03',
      },
      Sello: '',
      NoCertificado: '',
      Certificado: '',
    });
  });

  it('with prices before tax, keeps the shelf price as ValorUnitario and rounds the IVA per line', () => {
    const { comprobante, differenceFromSale } = buildIngreso({ ...sale, pricesIncludeTax: false });
    expect(comprobante.Conceptos[0]).toMatchObject({ ValorUnitario: '24.90', Importe: '74.70', Descuento: '2.00' });
    expect(comprobante.Conceptos[0]!.Impuestos!.Traslados[0]).toMatchObject({ Base: '72.70', Importe: '11.63' });
    expect(differenceFromSale).toBe('0.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('puts the IEPS in the IVA base and still charges exactly what the receipt did', () => {
    const { comprobante, differenceFromSale } = buildIngreso({
      ...sale,
      lines: [
        {
          descripcion: 'Papas 45 g',
          claveProdServ: '50192100',
          claveUnidad: 'H87',
          quantity: '2',
          unitPrice: '22.00',
          discountAmount: '1.10',
          taxCode: 'IVA16',
          iepsRate: '0.080000',
        },
      ],
    });
    expect(comprobante.Conceptos[0]!.Impuestos!.Traslados).toEqual([
      { Base: '34.24', Impuesto: '003', TipoFactor: 'Tasa', TasaOCuota: '0.080000', Importe: '2.74' },
      { Base: '36.98', Impuesto: '002', TipoFactor: 'Tasa', TasaOCuota: '0.160000', Importe: '5.92' },
    ]);
    expect(comprobante.Total).toBe('42.90');
    expect(differenceFromSale).toBe('0.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('marks a line that is not subject to tax ObjetoImp 01 with no Impuestos, and leaves out TotalImpuestosTrasladados when only exento remains', () => {
    const { comprobante } = buildIngreso({
      ...sale,
      lines: [
        { descripcion: 'Donativo', claveProdServ: '84101600', claveUnidad: 'ACT', quantity: '1', unitPrice: '10', taxCode: 'NONE' },
        { descripcion: 'Libro', claveProdServ: '55101500', claveUnidad: 'H87', quantity: '1', unitPrice: '200', taxCode: 'EXENTO' },
      ],
    });
    expect(comprobante.Conceptos[0]).toMatchObject({ ObjetoImp: '01' });
    expect(comprobante.Conceptos[0]!.Impuestos).toBeUndefined();
    expect(comprobante.Impuestos).toEqual({ Retenciones: [], Traslados: [{ Base: '200.00', Impuesto: '002', TipoFactor: 'Exento' }] });
    expect(comprobante.Descuento).toBeUndefined();
    expect(comprobante.Total).toBe('210.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('passes the SAT’s validations for 300 generated sales, and charges what the receipt did whenever no IEPS forces a rounding', () => {
    const r = seededRandom(2026);
    let withIeps = 0;
    for (let i = 0; i < 300; i++) {
      const input = randomIngreso(r, i % 3 === 0 ? CUSTOMER_COMPANY : CUSTOMER_PERSON);
      const { comprobante, differenceFromSale } = buildIngreso(input);
      expect(amountProblems(comprobante), `case ${i}`).toEqual([]);
      const lines = input.lines;
      if (lines.every((l) => l.iepsRate === undefined)) {
        const charged = lines.reduce(
          (acc, l) => acc.plus(receiptTotal({ ...l, discountAmount: l.discountAmount ?? '0' }, input.pricesIncludeTax)),
          new Decimal(0),
        );
        expect(comprobante.Total, `case ${i}`).toBe(charged.toFixed(2));
        expect(differenceFromSale, `case ${i}`).toBe('0.00');
      } else {
        withIeps++;
        // A total no IEPS base reaches is off by at most a centavo per such line.
        expect(new Decimal(differenceFromSale).abs().lessThanOrEqualTo(new Decimal('0.01').times(lines.length)), `case ${i}`).toBe(true);
      }
    }
    expect(withIeps).toBeGreaterThan(10);
  });
});

describe('Fecha and FormaPago', () => {
  it('is the wall-clock time of the branch’s IANA zone, not UTC', () => {
    expect(fechaLocal(new Date('2026-01-01T05:59:59Z'), 'America/Mexico_City')).toBe('2025-12-31T23:59:59');
    expect(fechaLocal(new Date('2026-07-01T12:00:00Z'), 'America/Tijuana')).toBe('2026-07-01T05:00:00');
    expect(fechaLocal(new Date('2026-07-01T12:00:00Z'), 'America/Cancun')).toBe('2026-07-01T07:00:00');
  });

  it('refuses a time zone that is not an IANA name', () => {
    const error = caught(() => buildIngreso({ ...randomIngreso(seededRandom(1)), issuer: { ...ISSUER, timeZone: 'Hora del Centro' } }));
    expect(error).toBeInstanceOf(CfdiBuildError);
    expect(error.code).toBe('CFDI_TIME_ZONE');
  });

  it('takes the forma de pago that paid the most, and between equal amounts the lower clave', () => {
    expect(
      formaPagoFromTenders([
        { formaPago: '01', amount: '60' },
        { formaPago: '04', amount: '50' },
        { formaPago: '01', amount: '0.01' },
      ]),
    ).toBe('01');
    expect(
      formaPagoFromTenders([
        { formaPago: '28', amount: '50' },
        { formaPago: '04', amount: '50.00' },
      ]),
    ).toBe('04');
  });
});

describe('an egreso for a return', () => {
  it('relates the original UUID with TipoRelacion 01 and credits exactly what the return gave back', () => {
    const { comprobante, differenceFromSale } = buildEgreso({
      issuer: ISSUER,
      receiver: { ...CUSTOMER_PERSON, usoCfdi: 'G02' },
      relatedUuid: '04bf2854-fe7d-4377-9196-71248f060abb',
      lines: [
        {
          descripcion: 'Arroz 1 kg',
          sku: 'ARR-1',
          claveProdServ: '50221200',
          claveUnidad: 'H87',
          quantity: '1',
          subtotal: '20.89',
          taxAmount: '3.34',
          taxCode: 'IVA16',
        },
        {
          descripcion: 'Revista',
          claveProdServ: '55101500',
          claveUnidad: 'H87',
          quantity: '1',
          subtotal: '45.00',
          taxAmount: '0',
          taxCode: 'EXENTO',
        },
      ],
      tenders: [{ formaPago: '01', amount: '69.23' }],
      issuedAt,
    });
    expect(comprobante).toMatchObject({ TipoDeComprobante: 'E', FormaPago: '01', MetodoPago: 'PUE', SubTotal: '65.89', Total: '69.23' });
    expect(comprobante.CfdiRelacionados).toEqual([{ TipoRelacion: '01', UUIDs: ['04BF2854-FE7D-4377-9196-71248F060ABB'] }]);
    expect(comprobante.Receptor.UsoCFDI).toBe('G02');
    expect(comprobante.Conceptos[0]).toMatchObject({ ValorUnitario: '20.89', Importe: '20.89', ObjetoImp: '02' });
    expect(differenceFromSale).toBe('0.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('takes the SAT’s rounding, and says so, when a partial return’s recorded tax falls outside the SAT’s limits', () => {
    const { comprobante, differenceFromSale } = buildEgreso({
      issuer: ISSUER,
      receiver: { ...CUSTOMER_PERSON, usoCfdi: 'G02' },
      relatedUuid: '04BF2854-FE7D-4377-9196-71248F060ABB',
      lines: [
        {
          descripcion: 'Aceite',
          claveProdServ: '50151500',
          claveUnidad: 'H87',
          quantity: '1',
          subtotal: '10.00',
          taxAmount: '1.62',
          taxCode: 'IVA16',
        },
      ],
      tenders: [{ formaPago: '01', amount: '11.62' }],
      issuedAt,
    });
    expect(comprobante.Conceptos[0]!.Impuestos!.Traslados[0]!.Importe).toBe('1.60');
    expect(differenceFromSale).toBe('-0.02');
    expect(amountProblems(comprobante)).toEqual([]);
  });
});

describe('the factura global', () => {
  const r = seededRandom(4040);
  const sales = Array.from({ length: 25 }, (_, i) => ({
    receiptCode: `COY-01-${String(i + 1).padStart(6, '0')}`,
    lines: Array.from({ length: 1 + r.int(6) }, (_, j) => ({ ...randomLine(r, j), iepsRate: undefined })),
    pricesIncludeTax: true,
    tenders: [{ formaPago: i % 4 === 0 ? '04' : '01', amount: '100.00' }],
  }));
  const input = { issuer: ISSUER, periodicidad: '01' as const, meses: '06', año: 2026, sales, issuedAt: '2026-06-16T07:00:00Z' };

  it('is made out to the público en general with InformacionGlobal and one concepto per sale carrying its receipt code', () => {
    const { comprobante, omittedReceipts } = buildGlobal(input);
    expect(comprobante.Receptor).toEqual({
      Rfc: 'XAXX010101000',
      Nombre: 'PUBLICO EN GENERAL',
      DomicilioFiscalReceptor: '04310',
      RegimenFiscalReceptor: '616',
      UsoCFDI: 'S01',
    });
    expect(comprobante.InformacionGlobal).toEqual({ Periodicidad: '01', Meses: '06', Año: '2026' });
    expect(comprobante).toMatchObject({ TipoDeComprobante: 'I', MetodoPago: 'PUE', FormaPago: '01', Fecha: '2026-06-16T01:00:00' });
    expect(comprobante.Conceptos.map((c) => c.NoIdentificacion)).toEqual(sales.map((s) => s.receiptCode));
    for (const c of comprobante.Conceptos) {
      expect(c).toMatchObject({
        ClaveProdServ: '01010101',
        ClaveUnidad: 'ACT',
        Cantidad: '1',
        Descripcion: 'Venta',
        ValorUnitario: c.Importe,
      });
    }
    expect(omittedReceipts).toEqual([]);
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('adds up to what the sales charged, each concepto to its receipt', () => {
    const { comprobante, differenceFromSale } = buildGlobal(input);
    sales.forEach((sale, i) => {
      const charged = sale.lines.reduce(
        (acc, l) => acc.plus(receiptTotal({ ...l, discountAmount: l.discountAmount ?? '0' }, true)),
        new Decimal(0),
      );
      const c = comprobante.Conceptos[i]!;
      const taxes = (c.Impuestos?.Traslados ?? []).reduce((acc, t) => acc.plus(t.Importe ?? 0), new Decimal(0));
      expect(
        new Decimal(c.Importe)
          .minus(c.Descuento ?? 0)
          .plus(taxes)
          .toFixed(2),
        sale.receiptCode,
      ).toBe(charged.toFixed(2));
    });
    expect(differenceFromSale).toBe('0.00');
  });

  it('nets each sale of its returns and leaves out a sale returned whole', () => {
    const line = {
      descripcion: 'Leche',
      claveProdServ: '50131700',
      claveUnidad: 'H87',
      quantity: '2',
      unitPrice: '29.00',
      taxCode: 'IVA0' as const,
    };
    const { comprobante, omittedReceipts } = buildGlobal({
      ...input,
      sales: [
        { receiptCode: 'A-1', lines: [line], pricesIncludeTax: true, tenders: [{ formaPago: '01', amount: '58' }] },
        {
          receiptCode: 'A-2',
          lines: [line],
          returns: [
            {
              descripcion: 'Leche',
              claveProdServ: '50131700',
              claveUnidad: 'H87',
              quantity: '1',
              subtotal: '29.00',
              taxAmount: '0.00',
              taxCode: 'IVA0',
            },
          ],
          pricesIncludeTax: true,
          tenders: [{ formaPago: '01', amount: '58' }],
        },
        {
          receiptCode: 'A-3',
          lines: [line],
          returns: [
            {
              descripcion: 'Leche',
              claveProdServ: '50131700',
              claveUnidad: 'H87',
              quantity: '2',
              subtotal: '58.00',
              taxAmount: '0.00',
              taxCode: 'IVA0',
            },
          ],
          pricesIncludeTax: true,
          tenders: [{ formaPago: '01', amount: '58' }],
        },
      ],
    });
    expect(comprobante.Conceptos.map((c) => [c.NoIdentificacion, c.Importe])).toEqual([
      ['A-1', '58.00'],
      ['A-2', '29.00'],
    ]);
    expect(omittedReceipts).toEqual(['A-3']);
    expect(comprobante.Total).toBe('87.00');
    expect(amountProblems(comprobante)).toEqual([]);
  });

  it('refuses months 13 to 18 unless the period is bimestral', () => {
    const error = caught(() => buildGlobal({ ...input, meses: '13' }));
    expect(error).toBeInstanceOf(CfdiBuildError);
    expect(error.params?.path).toBe('meses');
    expect(buildGlobal({ ...input, periodicidad: '05', meses: '13' }).comprobante.InformacionGlobal).toEqual({
      Periodicidad: '05',
      Meses: '13',
      Año: '2026',
    });
  });
});

describe('bad input', () => {
  const base = randomIngreso(seededRandom(9));

  it('names the receiver rule a customer breaks, with the receiver’s own error class', () => {
    const error = caught(() => buildIngreso({ ...base, receiver: { ...CUSTOMER_PERSON, regimenFiscal: '605', usoCfdi: 'G01' } }));
    expect(error).toBeInstanceOf(ReceiverError);
    expect(error.code).toBe('USO_NOT_FOR_REGIMEN');
    expect(caught(() => buildIngreso({ ...base, receiver: { ...CUSTOMER_PERSON, rfc: 'COSC8001137N1' } })).code).toBe('RFC_CHECK_DIGIT');
  });

  it('names the field of a malformed snapshot', () => {
    const error = caught(() => buildIngreso({ ...base, lines: [{ ...base.lines[0]!, unitPrice: '12,50' }] }));
    expect(error).toBeInstanceOf(CfdiBuildError);
    expect(error.code).toBe('CFDI_INPUT');
    expect(error.params?.path).toBe('lines.0.unitPrice');
    expect(caught(() => buildIngreso({ ...base, lines: [] })).params?.path).toBe('lines');
    const tooMuch = caught(() =>
      buildIngreso({ ...base, lines: [{ ...base.lines[0]!, quantity: '1', unitPrice: '10.00', discountAmount: '10.01' }] }),
    );
    expect(tooMuch).toBeInstanceOf(CfdiBuildError);
    expect(tooMuch.params).toMatchObject({ path: 'lines.0', cause: 'DISCOUNT_TOO_LARGE' });
  });

  it('refuses an IEPS rate that is not in the SAT’s catalog and a forma de pago 99 on a paid sale', () => {
    expect(caught(() => buildIngreso({ ...base, lines: [{ ...base.lines[0]!, taxCode: 'IVA16', iepsRate: '0.120000' }] })).code).toBe(
      'CFDI_IEPS_RATE',
    );
    expect(caught(() => buildIngreso({ ...base, tenders: [{ formaPago: '99', amount: '1.00' }] })).code).toBe('CFDI_INPUT');
  });

  it('refuses an issuer RFC that is not valid or is a generic one', () => {
    expect(caught(() => buildIngreso({ ...base, issuer: { ...ISSUER, rfc: 'EKU9003173C8' } })).code).toBe('CFDI_ISSUER_RFC');
    expect(caught(() => buildIngreso({ ...base, issuer: { ...ISSUER, rfc: 'XAXX010101000' } })).code).toBe('CFDI_ISSUER_RFC');
  });

  it('writes a vertical bar in a product name as a slash, the one character the SAT forbids there', () => {
    const { comprobante } = buildIngreso({ ...base, lines: [{ ...base.lines[0]!, descripcion: 'Refresco | cola' }] });
    expect(comprobante.Conceptos[0]!.Descripcion).toBe('Refresco / cola');
  });
});
