// What the egreso of a return says, from plain rows: its conceptos (each returned line, with the
// SAT keys its line went out with in the ingreso), the UsoCFDI it is made out with, and how the
// money went back. Pure: both the return that writes the credit note and the stamping that
// rebuilds it call these, so the document stamped is the one that was checked at the counter.
import type { PartySnapshot } from '#db/schema/billing.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import { D } from '#engine/fiscal/mx/cfdi-amounts.ts';
import {
  type BuiltCfdi,
  buildEgreso,
  CfdiBuildError,
  fechaLocal,
  formaPagoForTender,
  type IssuerProfile,
  type ReturnLineSnapshot,
} from '#engine/fiscal/mx/cfdi-build.ts';
import type { GlobalPeriod } from '#engine/fiscal/mx/global-period.ts';
import { receiverProblems } from '#engine/fiscal/mx/receiver-rules.ts';
import { unitName } from './cfdi-from-sale.ts';

/**
 * The keys of a concepto that gives money back without naming goods: 84111506 (Servicios de
 * facturación) with ClaveUnidad ACT (Actividad). Anexo 20's Guía de llenado (CFDI 4.0), Apéndice 5
 * "Emisión de CFDI de Egresos", lets an egreso for devoluciones, descuentos o bonificaciones carry
 * either the ClaveProdServ the related ingreso used for what comes back, or this one. A return
 * names goods, so each line keeps its ingreso's keys (the customer's accounting sees the same
 * product leave as came in); these are only for a line the ingreso has no keys for.
 */
export const REFUND_PRODUCT_KEY = '84111506';
export const REFUND_UNIT_KEY = 'ACT';

/** G02 (Devoluciones, descuentos o bonificaciones), the use of a credit note's receiver. */
export const CREDIT_NOTE_USE = 'G02';

/**
 * A credit note's CfdiRelacionados before its ingreso is stamped: the UUID does not move an amount,
 * so a return of an invoice still PENDING is checked with this one and stamped with the real one.
 */
export const UUID_NOT_YET_STAMPED = '00000000-0000-4000-8000-000000000000';

/** One returned line as the credit note keeps it (billing.invoice_items), with the return's own amounts. */
export type CreditNoteLine = {
  description: string;
  sku: string | null;
  fiscalProductCode: string | null;
  fiscalUnitCode: string | null;
  quantity: string;
  taxCode: TaxCode;
  /** What the return gave back of the line before tax (net of its share of the sale's discounts), and its tax. */
  subtotal: string;
  taxAmount: string;
};

const MEXICAN_TAXES: ReadonlySet<string> = new Set(['IVA16', 'IVA8', 'IVA0', 'EXENTO', 'NONE']);

export function egresoLine(line: CreditNoteLine): ReturnLineSnapshot {
  if (!MEXICAN_TAXES.has(line.taxCode)) {
    throw new CfdiBuildError('CFDI_INPUT', `«${line.description}» lleva ${line.taxCode}, que no es un impuesto de México.`, {
      path: 'lines',
      sku: line.sku,
      taxCode: line.taxCode,
    });
  }
  const keyed = line.fiscalProductCode !== null && line.fiscalUnitCode !== null;
  const claveUnidad = keyed ? line.fiscalUnitCode! : REFUND_UNIT_KEY;
  const unidad = unitName(claveUnidad);
  return {
    descripcion: line.description,
    ...(line.sku ? { sku: line.sku } : {}),
    claveProdServ: keyed ? line.fiscalProductCode! : REFUND_PRODUCT_KEY,
    claveUnidad,
    ...(unidad ? { unidad } : {}),
    quantity: line.quantity,
    subtotal: line.subtotal,
    taxAmount: line.taxAmount,
    taxCode: line.taxCode as ReturnLineSnapshot['taxCode'],
  };
}

/**
 * The receiver of the credit note: the ingreso's, with UsoCFDI G02 where the SAT's c_UsoCFDI
 * allows it for their person type and régimen on `day`; otherwise the ingreso's own use (S01 for
 * a receiver whose régimen takes no G02).
 */
export function creditNoteReceiver(invoiced: PartySnapshot, day: string): PartySnapshot {
  const problems = receiverProblems(
    {
      rfc: invoiced.taxId,
      nombre: invoiced.legalName,
      regimenFiscal: invoiced.taxRegime ?? '',
      codigoPostal: invoiced.postalCode ?? '',
      usoCfdi: CREDIT_NOTE_USE,
    },
    { on: day },
  );
  return problems.length === 0 ? { ...invoiced, fiscalUse: CREDIT_NOTE_USE } : invoiced;
}

export type EgresoOf = {
  issuer: IssuerProfile;
  receiver: PartySnapshot;
  relatedUuid: string;
  lines: readonly CreditNoteLine[];
  /** The tender the money went back on, and how much. */
  refund: { kind: TenderKind; amount: string };
  /** The period of the factura global it is related to, for a return of a sale one covered. */
  global?: Pick<GlobalPeriod, 'periodicidad' | 'meses' | 'año'> | undefined;
  issuedAt: Date;
};

/**
 * The egreso: TipoDeComprobante E, TipoRelacion 01 to the ingreso, PUE, FormaPago the refund's
 * tender's. Related to a factura global, it is made out to the público en general with the
 * global's InformacionGlobal, as the SAT's Guía de llenado asks of a return of a sale in one.
 */
export function egresoOf(input: EgresoOf): BuiltCfdi {
  const { receiver } = input;
  return buildEgreso({
    issuer: input.issuer,
    receiver: {
      rfc: receiver.taxId,
      nombre: receiver.legalName,
      regimenFiscal: receiver.taxRegime ?? '',
      codigoPostal: receiver.postalCode ?? '',
      usoCfdi: receiver.fiscalUse ?? '',
    },
    relatedUuid: input.relatedUuid,
    lines: input.lines.map(egresoLine),
    tenders: [{ formaPago: formaPagoForTender(input.refund.kind), amount: new D(input.refund.amount).toFixed(2) }],
    ...(input.global ? { global: { periodicidad: input.global.periodicidad, meses: input.global.meses, año: input.global.año } } : {}),
    issuedAt: input.issuedAt,
  });
}

/** The branch's calendar day of `at`: the catalogs are read as in force on it. */
export const localDay = (at: Date, timeZone: string) => fechaLocal(at, timeZone).slice(0, 10);
