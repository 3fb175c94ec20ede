// What a CFDI says about a sale, read off the sale's own rows: each line with its product's SAT
// keys (the defaults Anexo 20 allows where the catalog has none), and each payment as a SAT
// forma de pago. Pure: the rows come in, the builder's snapshots go out.
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import { CfdiBuildError, formaPagoForTender, type SaleLineSnapshot, type TenderSnapshot } from '#engine/fiscal/mx/cfdi-build.ts';

/** "Sin clave": the SAT's key for a product the issuer has not classified. */
export const DEFAULT_PRODUCT_KEY = '01010101';
/** Pieza, for what is sold by the unit; Kilogramo, for what is weighed. */
export const UNIT_KEYS = { piece: 'H87', kilogram: 'KGM' } as const;
const UNIT_NAMES: Record<string, string> = { H87: 'Pieza', KGM: 'Kilogramo' };

/** The unit's name as printed beside its ClaveUnidad, where this shop knows it. */
export const unitName = (claveUnidad: string): string | undefined => UNIT_NAMES[claveUnidad];

const MEXICAN_TAXES: ReadonlySet<string> = new Set(['IVA16', 'IVA8', 'IVA0', 'EXENTO']);

export type InvoiceableLine = {
  name: string;
  sku: string;
  isWeighed: boolean;
  quantity: string;
  unitPrice: string;
  discountAmount: string;
  taxCode: TaxCode;
  fiscalProductCode: string | null;
  fiscalUnitCode: string | null;
};

export type InvoiceablePayment = {
  kind: TenderKind;
  /** What the tender pays of the sale (cash handed over beyond it went back as change). */
  amount: string;
  /** From the card terminal's answer where it says so; a card typed in by hand is taken as credit. */
  cardType?: 'CREDIT' | 'DEBIT' | null;
};

export function cfdiLine(line: InvoiceableLine): SaleLineSnapshot {
  if (!MEXICAN_TAXES.has(line.taxCode)) {
    throw new CfdiBuildError('CFDI_INPUT', `«${line.name}» lleva ${line.taxCode}, que no es un impuesto de México.`, {
      path: 'lines',
      sku: line.sku,
      taxCode: line.taxCode,
    });
  }
  const claveUnidad = line.fiscalUnitCode ?? (line.isWeighed ? UNIT_KEYS.kilogram : UNIT_KEYS.piece);
  const unidad = unitName(claveUnidad);
  return {
    descripcion: line.name,
    sku: line.sku,
    claveProdServ: line.fiscalProductCode ?? DEFAULT_PRODUCT_KEY,
    claveUnidad,
    ...(unidad ? { unidad } : {}),
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountAmount: line.discountAmount,
    taxCode: line.taxCode as SaleLineSnapshot['taxCode'],
  };
}

/** Each payment as a forma de pago; one of nothing (a tender fully given back) says nothing of how the sale was paid. */
export function cfdiTenders(payments: readonly InvoiceablePayment[]): TenderSnapshot[] {
  return payments
    .filter((p) => new D(p.amount).greaterThan(0))
    .map((p) => ({ formaPago: formaPagoForTender(p.kind, p.cardType ?? undefined), amount: p.amount }));
}
