// Sample inputs for Mexico's fiscal core: an issuer, customers, and sales drawn from a seeded
// generator (lines, taxes, discounts, weights, and names with the characters that XML and the
// cadena original treat specially), so a failing case replays from its seed.
import { Decimal } from 'decimal.js';
import type {
  GlobalInput,
  IngresoInput,
  IssuerProfile,
  ReceiverSnapshot,
  SaleLineSnapshot,
  TenderSnapshot,
} from '#engine/fiscal/mx/cfdi-build.ts';
import { scaled } from './money-arbitraries.ts';
import type { SeededRandom } from './seeded-random.ts';

/** The SAT's test taxpayer (its published test CSDs are for this RFC). */
export const ISSUER: IssuerProfile = {
  rfc: 'EKU9003173C9',
  nombre: 'ESCUELA KEMPER URGATE',
  regimenFiscal: '601',
  codigoPostal: '04310',
  serie: 'COY',
  folio: '1001',
  timeZone: 'America/Mexico_City',
};

export const CUSTOMER_PERSON: ReceiverSnapshot = {
  rfc: 'COSC8001137NA',
  nombre: 'CARLOS CORTES SOTO',
  regimenFiscal: '612',
  codigoPostal: '52176',
  usoCfdi: 'G03',
};

export const CUSTOMER_COMPANY: ReceiverSnapshot = {
  rfc: 'CSM190311AH6',
  nombre: 'CREATIVITY AND SOMETHING MORE',
  regimenFiscal: '601',
  codigoPostal: '54700',
  usoCfdi: 'G01',
};

/** Names that exercise escaping and normalize-space: &, <, ", ', ñ, runs of spaces, a tab, a no-break space, an emoji. */
export const AWKWARD_NAMES = [
  'Jabón & Suavizante  "Primavera"',
  'Café <molido>   orgánico',
  "Galletas 'Marías'\tsurtidas",
  'Piña en almíbar  ',
  '  Ñoquis   de   papa',
  'Chile\u00a0serrano',
  'Refresco | cola 600 ml',
  'Té 🍵 verde',
  'Pan dulce\nconcha',
];

const TAX_CODES = ['IVA16', 'IVA16', 'IVA16', 'IVA0', 'IVA0', 'EXENTO', 'IVA8', 'NONE'] as const;
const IEPS_RATES = ['0.080000', '0.265000', '0.300000', '0.530000', '1.600000'];

/** A sale line: pieces or a weight, a price in centavos, now and then a discount, an IEPS, an awkward name. */
export function randomLine(r: SeededRandom, i: number): SaleLineSnapshot {
  const weighed = r.int(4) === 0;
  const quantity = weighed ? scaled(1 + r.int(5000), 3) : String(1 + r.int(6));
  const unitPrice = scaled(50 + r.int(60_000), 2);
  // Up to half the line's gross, in whole centavos.
  const halfGross = new Decimal(quantity).times(unitPrice).times(50).floor().toNumber();
  const discount = r.int(3) === 0 && halfGross > 10 ? scaled(r.int(halfGross), 2) : '0';
  const taxCode = r.pick(TAX_CODES);
  const ieps = taxCode !== 'NONE' && taxCode !== 'EXENTO' && r.int(5) === 0 ? r.pick(IEPS_RATES) : undefined;
  return {
    descripcion: r.int(3) === 0 ? r.pick(AWKWARD_NAMES) : `Producto ${i + 1}`,
    sku: r.int(2) === 0 ? `SKU-${1000 + i}` : undefined,
    claveProdServ: '50221200',
    claveUnidad: weighed ? 'KGM' : 'H87',
    unidad: weighed ? 'Kilogramo' : undefined,
    quantity,
    unitPrice,
    discountAmount: discount,
    taxCode,
    ...(ieps ? { iepsRate: ieps } : {}),
  };
}

export function randomTenders(r: SeededRandom): TenderSnapshot[] {
  const count = 1 + r.int(3);
  return Array.from({ length: count }, () => ({ formaPago: r.pick(['01', '03', '04', '28']), amount: scaled(100 + r.int(100_000), 2) }));
}

/** An ingreso for a random sale of 1 to 8 lines. */
export function randomIngreso(r: SeededRandom, receiver: ReceiverSnapshot = CUSTOMER_PERSON): IngresoInput {
  const lines = Array.from({ length: 1 + r.int(8) }, (_, i) => randomLine(r, i));
  return {
    issuer: ISSUER,
    receiver: r.int(4) === 0 ? { ...receiver, nombre: r.pick(AWKWARD_NAMES).replace('|', '/') } : receiver,
    lines,
    pricesIncludeTax: r.int(3) !== 0,
    tenders: randomTenders(r),
    issuedAt: new Date(Date.UTC(2026, r.int(12), 1 + r.int(28), r.int(24), r.int(60), r.int(60))),
  };
}

/** A daily factura global of December 2026 for two sales: water at IVA 16 %; rice at IVA 0 % and tortillas exento, less a discount. */
export function twoSaleGlobal(issuedAt: Date): GlobalInput {
  const line = { claveProdServ: '50221200', claveUnidad: 'H87', quantity: '1' };
  return {
    issuer: ISSUER,
    periodicidad: '01',
    meses: '12',
    año: 2026,
    issuedAt,
    sales: [
      {
        receiptCode: 'RCAJA-1-000041',
        pricesIncludeTax: true,
        lines: [{ ...line, descripcion: 'Agua', unitPrice: '8.50', taxCode: 'IVA16' }],
        tenders: [{ formaPago: '01', amount: '8.50' }],
      },
      {
        receiptCode: 'RCAJA-1-000042',
        pricesIncludeTax: true,
        lines: [
          { ...line, descripcion: 'Arroz', unitPrice: '31.50', taxCode: 'IVA0' },
          { ...line, descripcion: 'Tortillas', unitPrice: '22.00', taxCode: 'EXENTO', discountAmount: '2.00' },
        ],
        tenders: [{ formaPago: '01', amount: '51.50' }],
      },
    ],
  };
}
