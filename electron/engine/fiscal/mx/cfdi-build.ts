// Builds the CFDI 4.0 Comprobantes a Mexican shop issues, from plain snapshots of what was sold:
// - buildIngreso: the invoice for one sale, to a customer who asked for it;
// - buildEgreso: the credit note for a return of an invoiced sale (TipoRelacion 01, the original UUID);
// - buildGlobal: the factura global for the sales no individual CFDI covers (público en general,
//   InformacionGlobal, one concepto per sale with its receipt code).
// Each returns an unsealed Comprobante (Sello, NoCertificado and Certificado empty; seal.ts fills
// them), the UTC instant its Fecha was written from, and how far its Total is from what the sales
// charged ('0.00' but for the roundings cfdi-amounts.ts reports). Inputs are checked with zod at
// this boundary; a bad one is a CfdiBuildError naming the field, a receiver the SAT's rules refuse
// is the ReceiverError of receiver-rules.ts (its codes belong on the customer's form).
import { z } from 'zod';
import { CURRENCY_RULES, PricingError } from '../../services/sales/pricing.ts';
import {
  cantidad,
  comprobanteTotals,
  conceptAmounts,
  D,
  differenceFromSale,
  mergeConcepts,
  type PricedConcept,
  pricedReturnLine,
  pricedSaleLine,
  valorUnitario,
} from './cfdi-amounts.ts';
import type { Comprobante, Concepto } from './cfdi-model.ts';
import { formaPago as formaPagoEntry, TASA_O_CUOTA } from './catalogs.ts';
import { FiscalMxError } from './errors.ts';
import { checkReceiver, type ReceiverOptions } from './receiver-rules.ts';
import { PUBLICO_EN_GENERAL, parseRfc, RFC_GENERIC, RfcError } from './rfc.ts';

export type CfdiBuildCode =
  | 'CFDI_INPUT'
  | 'CFDI_TIME_ZONE'
  | 'CFDI_IEPS_RATE'
  | 'CFDI_NOTHING_TO_INVOICE'
  | 'CFDI_ISSUER_RFC'
  /** An egreso whose related ingreso has no UUID (refused or cancelled): there is nothing to relate it to. */
  | 'CFDI_RELATED_NOT_STAMPED';

export class CfdiBuildError extends FiscalMxError<CfdiBuildCode> {
  override name = 'CfdiBuildError';
}

// ---------------------------------------------------------------------------
// Inputs

const amount = z.string().regex(/^\d{1,18}(\.\d{1,6})?$/, 'un importe como 123.45');
const positive = amount.refine((v) => new D(v).greaterThan(0), 'mayor que cero');
/** Free text the SAT limits to [^|]{1,n}; a vertical bar is written as '/', the only character the SAT forbids. */
const satText = (max: number) =>
  z
    .string()
    .transform((v) => v.replaceAll('|', '/'))
    .pipe(z.string().trim().min(1).max(max));
const postalCode = z.string().regex(/^[0-9]{5}$/, 'un código postal de 5 dígitos');

export const issuerSchema = z
  .object({
    rfc: z.string(),
    /** As on the Constancia de Situación Fiscal, for companies without the régimen de capital (S.A. de C.V.). */
    nombre: satText(300),
    regimenFiscal: z.string().regex(/^[0-9]{3}$/),
    /** LugarExpedicion: the branch's postal code. */
    codigoPostal: postalCode,
    serie: satText(25).optional(),
    folio: satText(40).optional(),
    /** The branch's IANA time zone, e.g. America/Mexico_City: Fecha is the local time of the place of issue. */
    timeZone: z.string().min(1),
  })
  .strict();

export const receiverSchema = z
  .object({ rfc: z.string(), nombre: z.string(), regimenFiscal: z.string(), codigoPostal: z.string(), usoCfdi: z.string() })
  .strict();

const productFields = {
  descripcion: satText(1000),
  /** NoIdentificacion: the SKU. */
  sku: satText(100).optional(),
  claveProdServ: z.string().regex(/^[0-9]{8}$/),
  claveUnidad: z.string().regex(/^[A-Z0-9]{1,3}$/),
  /** The unit's name as printed (Pieza, Kilogramo); at most 20 characters. */
  unidad: satText(20).optional(),
};
const taxCode = z.enum(['IVA16', 'IVA8', 'IVA0', 'EXENTO', 'NONE']);

export const saleLineSchema = z
  .object({
    ...productFields,
    quantity: positive,
    unitPrice: amount,
    discountAmount: amount.default('0'),
    taxCode,
    /** IEPS as a Tasa from the SAT's c_TasaOCuota (e.g. '0.080000'); absent for no IEPS. */
    iepsRate: amount.optional(),
  })
  .strict();

export const returnLineSchema = z
  .object({
    ...productFields,
    quantity: positive,
    subtotal: amount,
    taxAmount: amount,
    taxCode,
    ieps: z.object({ rate: amount, amount }).strict().optional(),
  })
  .strict();

/** What paid the sale, by SAT forma de pago (c_FormaPago); formaPagoForTender maps the till's tenders. */
export const tenderSchema = z.object({ formaPago: z.string().regex(/^[0-9]{2}$/), amount }).strict();

const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => (typeof v === 'string' ? new Date(v) : v));

export const ingresoSchema = z
  .object({
    issuer: issuerSchema,
    receiver: receiverSchema,
    lines: z.array(saleLineSchema).min(1),
    pricesIncludeTax: z.boolean(),
    tenders: z.array(tenderSchema).min(1),
    /** When the invoice is issued (UTC); Fecha is this instant in the branch's time zone. */
    issuedAt: instant,
    /** The CFDI this one replaces (motive 01's substitute): CfdiRelacionados with TipoRelacion 04. */
    replacesUuid: z
      .string()
      .regex(/^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/)
      .optional(),
  })
  .strict();

/** InformacionGlobal: c_Periodicidad 01 diario … 05 bimestral; Meses 01–12, or 13–18 for a bimestral period; Año of the period. */
const globalPeriodFields = {
  periodicidad: z.enum(['01', '02', '03', '04', '05']),
  meses: z.string().regex(/^(0[1-9]|1[0-8])$/),
  año: z.number().int().min(2021).max(9999),
};
const bimestralRule: [(g: { periodicidad: string; meses: string }) => boolean, { message: string; path: string[] }] = [
  (g) => (g.periodicidad === '05') === Number(g.meses) > 12,
  { message: 'Meses 13 a 18 van con la periodicidad 05 (bimestral), y solo con ella', path: ['meses'] },
];

export const egresoSchema = z
  .object({
    issuer: issuerSchema,
    /** The invoiced customer; UsoCFDI for a credit note is usually G02 (devoluciones, descuentos o bonificaciones). */
    receiver: receiverSchema,
    /** The UUID of the ingreso the return is made against. */
    relatedUuid: z.string().regex(/^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/),
    lines: z.array(returnLineSchema).min(1),
    /** How the money went back. */
    tenders: z.array(tenderSchema).min(1),
    /**
     * For an egreso to the público en general (a return of a sale a factura global covered): the
     * related global's period. Anexo 20 wants InformacionGlobal whenever the receptor is
     * XAXX010101000 PUBLICO EN GENERAL, and only then.
     */
    global: z
      .object(globalPeriodFields)
      .strict()
      .refine(...bimestralRule)
      .optional(),
    issuedAt: instant,
  })
  .strict()
  .refine((e) => (e.global !== undefined) === (e.receiver.rfc === RFC_GENERIC && e.receiver.nombre === PUBLICO_EN_GENERAL), {
    message: 'El periodo de la factura global (InformacionGlobal) va cuando el receptor es PUBLICO EN GENERAL, y solo entonces',
    path: ['global'],
  });

export const globalSaleSchema = z
  .object({
    /** The receipt's code: the concepto's NoIdentificacion. */
    receiptCode: satText(100),
    lines: z.array(saleLineSchema).min(1),
    /** What was given back since, so the concepto is the sale net of its returns. */
    returns: z.array(returnLineSchema).default([]),
    pricesIncludeTax: z.boolean(),
    tenders: z.array(tenderSchema).min(1),
  })
  .strict();

export const globalSchema = z
  .object({
    issuer: issuerSchema,
    ...globalPeriodFields,
    sales: z.array(globalSaleSchema).min(1),
    issuedAt: instant,
  })
  .strict()
  .refine(...bimestralRule);

export type IssuerProfile = z.input<typeof issuerSchema>;
export type ReceiverSnapshot = z.input<typeof receiverSchema>;
export type SaleLineSnapshot = z.input<typeof saleLineSchema>;
export type ReturnLineSnapshot = z.input<typeof returnLineSchema>;
export type TenderSnapshot = z.input<typeof tenderSchema>;
export type IngresoInput = z.input<typeof ingresoSchema>;
export type EgresoInput = z.input<typeof egresoSchema>;
export type GlobalSaleSnapshot = z.input<typeof globalSaleSchema>;
export type GlobalInput = z.input<typeof globalSchema>;

export type BuiltCfdi = {
  comprobante: Comprobante;
  /** The instant Fecha was written from: seal.ts checks the certificate's validity at it. */
  issuedAt: Date;
  /** CFDI Total minus what the sales charged, to the centavo; '0.00' unless an IEPS or a return forced a SAT rounding. */
  differenceFromSale: string;
};

export type GlobalCfdi = BuiltCfdi & {
  /** Receipts left out because their returns left nothing to invoice. */
  omittedReceipts: string[];
};

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  throw new CfdiBuildError('CFDI_INPUT', `Dato no válido para el CFDI en ${path || 'la entrada'}: ${issue.message}.`, {
    path,
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

// ---------------------------------------------------------------------------
// Pieces

const MXN = CURRENCY_RULES.MXN;

/** Fecha: `at` as the wall-clock time in `timeZone`, AAAA-MM-DDThh:mm:ss. */
export function fechaLocal(at: Date, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
  } catch {
    throw new CfdiBuildError('CFDI_TIME_ZONE', `${timeZone} no es una zona horaria IANA (por ejemplo America/Mexico_City).`, { timeZone });
  }
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

/**
 * The one FormaPago a CFDI carries: the one that paid the largest amount (Anexo 20); between equal
 * amounts, the lower clave, so the choice is the same every time.
 */
export function formaPagoFromTenders(tenders: readonly TenderSnapshot[]): string {
  const totals = new Map<string, InstanceType<typeof D>>();
  for (const t of tenders) totals.set(t.formaPago, (totals.get(t.formaPago) ?? new D(0)).plus(t.amount));
  const [best] = [...totals.entries()].sort(([a, x], [b, y]) => y.comparedTo(x) || (a < b ? -1 : 1));
  return best![0];
}

/**
 * The c_FormaPago a tender of the till stands for. A card is 04 (crédito) unless known to be a
 * debit card (28); store credit and gift cards are the shop's own electronic purse (05);
 * vouchers are vales de despensa (08).
 */
export function formaPagoForTender(
  kind: 'CASH' | 'CARD' | 'TRANSFER' | 'STORE_CREDIT' | 'GIFT_CARD' | 'VOUCHER',
  card?: 'CREDIT' | 'DEBIT',
): string {
  switch (kind) {
    case 'CASH':
      return '01';
    case 'CARD':
      return card === 'DEBIT' ? '28' : '04';
    case 'TRANSFER':
      return '03';
    case 'STORE_CREDIT':
    case 'GIFT_CARD':
      return '05';
    case 'VOUCHER':
      return '08';
  }
}

function checkTenders(tenders: readonly TenderSnapshot[]): void {
  for (const t of tenders) {
    const entry = formaPagoEntry(t.formaPago);
    if (!entry || t.formaPago === '99') {
      throw new CfdiBuildError('CFDI_INPUT', `${t.formaPago} no es una forma de pago para un CFDI pagado en una exhibición (PUE).`, {
        path: 'tenders',
        formaPago: t.formaPago,
      });
    }
  }
}

function checkIeps(lines: readonly { iepsRate?: string | undefined; taxCode: string }[], day: string): void {
  for (const line of lines) {
    if (line.iepsRate === undefined) continue;
    const rate = new D(line.iepsRate);
    const allowed = TASA_O_CUOTA.some(
      (r) =>
        r.impuesto === 'IEPS' &&
        r.factor === 'Tasa' &&
        r.traslado &&
        r.tipo === 'Fijo' &&
        rate.equals(r.valor) &&
        r.vigenciaDesde <= day &&
        (r.vigenciaHasta === null || day <= r.vigenciaHasta),
    );
    if (!allowed || line.taxCode === 'NONE') {
      throw new CfdiBuildError(
        'CFDI_IEPS_RATE',
        line.taxCode === 'NONE'
          ? 'Un producto con IEPS es objeto de impuesto: dale también su IVA (16 %, 8 %, 0 % o exento).'
          : `${rate.toFixed(6)} no es una tasa de IEPS del catálogo c_TasaOCuota del SAT.`,
        { iepsRate: line.iepsRate },
      );
    }
  }
}

function issuerOf(issuer: z.output<typeof issuerSchema>): Comprobante['Emisor'] {
  try {
    const rfc = parseRfc(issuer.rfc);
    if (rfc.kind === 'GENERIC' || rfc.kind === 'FOREIGN')
      throw new RfcError('RFC_FORMAT', `${rfc.rfc} no puede emitir un CFDI.`, { rfc: rfc.rfc });
    return { Rfc: rfc.rfc, Nombre: issuer.nombre, RegimenFiscal: issuer.regimenFiscal };
  } catch (error) {
    if (error instanceof RfcError) {
      throw new CfdiBuildError('CFDI_ISSUER_RFC', `El RFC del emisor no es válido: ${error.message}`, {
        ...error.params,
        cause: error.code,
      });
    }
    throw error;
  }
}

function receiverOf(receiver: z.output<typeof receiverSchema>, options: ReceiverOptions): Comprobante['Receptor'] {
  const r = checkReceiver(receiver, options);
  return {
    Rfc: r.rfc,
    Nombre: r.nombre,
    DomicilioFiscalReceptor: r.codigoPostal,
    RegimenFiscalReceptor: r.regimenFiscal,
    UsoCFDI: r.usoCfdi,
  };
}

type ProductFields = {
  descripcion: string;
  sku?: string | undefined;
  claveProdServ: string;
  claveUnidad: string;
  unidad?: string | undefined;
};

function concepto(product: ProductFields, quantity: string, priced: PricedConcept): Concepto {
  const amounts = conceptAmounts(priced, MXN.minorUnits);
  const qty = cantidad(quantity);
  return {
    ClaveProdServ: product.claveProdServ,
    ...(product.sku ? { NoIdentificacion: product.sku } : {}),
    Cantidad: qty,
    ClaveUnidad: product.claveUnidad,
    ...(product.unidad ? { Unidad: product.unidad } : {}),
    Descripcion: product.descripcion,
    ValorUnitario: valorUnitario(priced, qty, MXN.minorUnits),
    ...amounts,
  };
}

function assemble(
  base: Omit<Comprobante, 'SubTotal' | 'Descuento' | 'Total' | 'Impuestos' | 'Conceptos' | 'Sello' | 'NoCertificado' | 'Certificado'>,
  conceptos: Concepto[],
): Comprobante {
  const totals = comprobanteTotals(conceptos, MXN.minorUnits);
  const { Impuestos, ...amounts } = totals;
  return {
    ...base,
    Sello: '',
    NoCertificado: '',
    Certificado: '',
    ...amounts,
    Conceptos: conceptos,
    ...(Impuestos ? { Impuestos } : {}),
  };
}

function header(issuer: z.output<typeof issuerSchema>, issuedAt: Date, tipo: 'I' | 'E', formaPago: string) {
  return {
    Version: '4.0' as const,
    ...(issuer.serie ? { Serie: issuer.serie } : {}),
    ...(issuer.folio ? { Folio: issuer.folio } : {}),
    Fecha: fechaLocal(issuedAt, issuer.timeZone),
    FormaPago: formaPago,
    Moneda: 'MXN',
    TipoDeComprobante: tipo,
    Exportacion: '01',
    MetodoPago: 'PUE',
    LugarExpedicion: issuer.codigoPostal,
  };
}

const day = (fecha: string) => fecha.slice(0, 10);

/** A line the sale's pricing refuses (a discount above its gross, say) is bad input here too. */
function priced<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PricingError) {
      throw new CfdiBuildError('CFDI_INPUT', `Dato no válido para el CFDI en ${path}: ${error.message}.`, { path, cause: error.code });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Comprobantes

/** The ingreso (TipoDeComprobante I) for one sale, to the customer who asked for it. */
export function buildIngreso(input: IngresoInput): BuiltCfdi {
  const data = parse(ingresoSchema, input);
  checkTenders(data.tenders);
  const head = header(data.issuer, data.issuedAt, 'I', formaPagoFromTenders(data.tenders));
  checkIeps(data.lines, day(head.Fecha));
  const Emisor = issuerOf(data.issuer);
  const Receptor = receiverOf(data.receiver, { on: day(head.Fecha) });
  const amounts = data.lines.map((line, i) => priced(`lines.${i}`, () => pricedSaleLine(line, data.pricesIncludeTax, MXN)));
  const conceptos = data.lines.map((line, i) => concepto(line, line.quantity, amounts[i]!));
  return {
    comprobante: assemble(
      {
        ...head,
        CfdiRelacionados: data.replacesUuid ? [{ TipoRelacion: '04', UUIDs: [data.replacesUuid.toUpperCase()] }] : [],
        Emisor,
        Receptor,
      },
      conceptos,
    ),
    issuedAt: data.issuedAt,
    differenceFromSale: differenceFromSale(amounts).toFixed(MXN.minorUnits),
  };
}

/** The egreso (TipoDeComprobante E) for a return of an invoiced sale: a credit note related by TipoRelacion 01. */
export function buildEgreso(input: EgresoInput): BuiltCfdi {
  const data = parse(egresoSchema, input);
  checkTenders(data.tenders);
  const head = header(data.issuer, data.issuedAt, 'E', formaPagoFromTenders(data.tenders));
  const Emisor = issuerOf(data.issuer);
  const Receptor = receiverOf(data.receiver, { on: day(head.Fecha) });
  const priced = data.lines.map((line) => pricedReturnLine(line, MXN));
  const conceptos = data.lines.map((line, i) => concepto(line, line.quantity, priced[i]!));
  return {
    comprobante: assemble(
      {
        ...head,
        ...(data.global
          ? { InformacionGlobal: { Periodicidad: data.global.periodicidad, Meses: data.global.meses, Año: String(data.global.año) } }
          : {}),
        CfdiRelacionados: [{ TipoRelacion: '01', UUIDs: [data.relatedUuid.toUpperCase()] }],
        Emisor,
        Receptor,
      },
      conceptos,
    ),
    issuedAt: data.issuedAt,
    differenceFromSale: differenceFromSale(priced).toFixed(MXN.minorUnits),
  };
}

/**
 * The factura global: público en general (XAXX010101000, régimen 616, uso S01, domicilio the
 * LugarExpedicion), InformacionGlobal for the period, and per sale one concepto (ClaveProdServ
 * 01010101, ClaveUnidad ACT, Cantidad 1, Descripcion Venta, NoIdentificacion the receipt code)
 * carrying the sale's amounts net of its returns, as the SAT's Guía de llenado del CFDI global asks.
 */
export function buildGlobal(input: GlobalInput): GlobalCfdi {
  const data = parse(globalSchema, input);
  const allTenders = data.sales.flatMap((s) => s.tenders);
  checkTenders(allTenders);
  const head = header(data.issuer, data.issuedAt, 'I', formaPagoFromTenders(allTenders));
  for (const sale of data.sales) checkIeps(sale.lines, day(head.Fecha));
  const Emisor = issuerOf(data.issuer);
  const conceptos: Concepto[] = [];
  const amounts: PricedConcept[] = [];
  const omittedReceipts: string[] = [];
  for (const [s, sale] of data.sales.entries()) {
    const merged = mergeConcepts(
      sale.lines.map((line, i) => priced(`sales.${s}.lines.${i}`, () => pricedSaleLine(line, sale.pricesIncludeTax, MXN))),
      sale.returns.map((line) => pricedReturnLine(line, MXN)),
      MXN.minorUnits,
    );
    if (!merged.importe.minus(merged.descuento).greaterThan(0)) {
      omittedReceipts.push(sale.receiptCode);
      continue;
    }
    amounts.push(merged);
    conceptos.push(concepto({ descripcion: 'Venta', sku: sale.receiptCode, claveProdServ: '01010101', claveUnidad: 'ACT' }, '1', merged));
  }
  if (conceptos.length === 0) {
    throw new CfdiBuildError('CFDI_NOTHING_TO_INVOICE', 'Las ventas del periodo fueron devueltas por completo: no hay nada que facturar.', {
      omittedReceipts,
    });
  }
  const comprobante = assemble(
    {
      ...head,
      InformacionGlobal: { Periodicidad: data.periodicidad, Meses: data.meses, Año: String(data.año) },
      CfdiRelacionados: [],
      Emisor,
      Receptor: {
        Rfc: RFC_GENERIC,
        Nombre: PUBLICO_EN_GENERAL,
        DomicilioFiscalReceptor: data.issuer.codigoPostal,
        RegimenFiscalReceptor: '616',
        UsoCFDI: 'S01',
      },
    },
    conceptos,
  );
  return { comprobante, issuedAt: data.issuedAt, differenceFromSale: differenceFromSale(amounts).toFixed(MXN.minorUnits), omittedReceipts };
}
