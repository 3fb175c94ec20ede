// What the printed representation of a stamped CFDI 4.0 says, whatever paper it is laid out on,
// as Anexo 20 (and the CFF's article 29, fraction V) asks of one: the legend that it represents a
// CFDI; issuer and receiver with their régimen, the receiver's fiscal postal code and uso;
// serie-folio, place, date, type, forma and método de pago, currency; every concepto with its SAT
// keys and amounts; the taxes by rate and the totals; the stamp (folio fiscal, both certificates'
// numbers, the stamping date, the PAC's RFC, both seals and the cadena original of the TFD) and
// the SAT's verification address for the QR. A factura global also shows its InformacionGlobal.
// The 80 mm printout (cfdi-printout.ts) and the page (cfdi-pdf.ts) lay out the same words.
//
// Every value is the XML's own text: amounts keep the decimals the CFDI has (a ValorUnitario of
// 0.333333 is not a $0.33), and dates are printed as the Comprobante writes them, the local time
// of the place of issue, which no time zone conversion could improve on. A tab or line break the
// XML may carry in words is given as the space the cadena original reads it as: on paper a tab
// is a command, not a character.
import { Decimal } from 'decimal.js';
import { cadenaOriginalTfd, normalizeSpace } from './cadena-original.ts';
import {
  type CatalogEntry,
  FORMAS_PAGO,
  MESES,
  OBJETOS_IMPUESTO,
  PERIODICIDADES,
  REGIMENES_FISCALES,
  TIPOS_RELACION,
  USOS_CFDI,
} from './catalogs.ts';
import type { Comprobante, Concepto, Impuesto, Retencion, TipoDeComprobante, Traslado } from './cfdi-model.ts';
import { timbreElement } from './cfdi-xml.ts';
import { VerificationError, verificationUrlOf } from './verification-qr.ts';

export const PRINTED_REPRESENTATION_LEGEND = 'Este documento es una representación impresa de un CFDI';

/**
 * A labelled value. A code (an RFC, a UUID, a certificate number, a receipt's code) is never
 * broken at a hyphen or a space; words (a name, a catalog's description) wrap at spaces.
 */
export type Field = { label: string; value: string; kind: 'code' | 'words' };

/** A line of the taxes or the totals: its words and its amount, signed and with the currency's symbol. */
export type AmountRow = { label: string; amount: string; bold?: true };

/** A seal or a cadena: printed whole, cut anywhere, so its lines joined give the XML's text back. */
export type LongText = { title: string; text: string };

export type ConceptoView = {
  descripcion: string;
  noIdentificacion?: string;
  claveProdServ: string;
  claveUnidad: string;
  /** The unit's name the CFDI gives besides its key, if any. */
  unidad?: string;
  cantidad: string;
  valorUnitario: string;
  importe: string;
  /** Signed ("-$2.00"); absent when the concepto has none. */
  descuento?: string;
  objetoImp: { clave: string; descripcion: string };
  taxes: AmountRow[];
};

export type Representation = {
  /** FACTURA, FACTURA GLOBAL, NOTA DE CRÉDITO… */
  title: string;
  issuer: { nombre: string; rfc: string; regimen: string };
  /** SERIE-FOLIO, when the CFDI has either. */
  serieFolio: string | null;
  /** The folio fiscal. */
  uuid: string;
  /** What names this CFDI: serie-folio, place and date of issue. */
  identity: Field[];
  /** What it is and how it is paid: type, forma and método de pago, conditions, currency, export. */
  terms: Field[];
  /** A factura global's period; null for any other CFDI. */
  global: Field[] | null;
  related: { tipoRelacion: string; uuids: string[] }[];
  receiver: Field[];
  conceptos: ConceptoView[];
  totals: AmountRow[];
  /** Folio fiscal, both certificates, the stamping date, the PAC and its legend. */
  stamp: Field[];
  /** The CFDI's seal, the SAT's, and the TFD's cadena original. */
  seals: LongText[];
  verificationUrl: string;
};

const TIPO_COMPROBANTE: Record<TipoDeComprobante, string> = { I: 'Ingreso', E: 'Egreso', T: 'Traslado', N: 'Nómina', P: 'Pago' };
const TITLE: Record<TipoDeComprobante, string> = {
  I: 'FACTURA',
  E: 'NOTA DE CRÉDITO',
  T: 'TRASLADO',
  N: 'RECIBO DE NÓMINA',
  P: 'RECIBO DE PAGO',
};
/** c_MetodoPago: two entries, not worth a catalog file. */
const METODO_PAGO: Record<string, string> = { PUE: 'Pago en una sola exhibición', PPD: 'Pago en parcialidades o diferido' };
const IMPUESTO: Record<Impuesto, string> = { '001': 'ISR', '002': 'IVA', '003': 'IEPS' };

const descriptions = (rows: readonly CatalogEntry[]) => {
  const byClave = new Map(rows.map((r) => [r.clave, r.descripcion.replace(/\.$/, '')]));
  return (clave: string) => byClave.get(clave) ?? '';
};
const described = (rows: readonly CatalogEntry[]) => {
  const of = descriptions(rows);
  return (clave: string) => `${clave} ${of(clave)}`.trim();
};
const regimen = described(REGIMENES_FISCALES);
const uso = described(USOS_CFDI);
const formaPago = described(FORMAS_PAGO);
const objetoImp = descriptions(OBJETOS_IMPUESTO);
const periodicidad = described(PERIODICIDADES);
const mes = described(MESES);
const tipoRelacion = described(TIPOS_RELACION);

const ZERO = /^0(\.0+)?$/;

/**
 * An amount as the CFDI has it, with the currency's sign and thousands separators and every
 * decimal the XML carries (at least two). Intl formats the decimal string itself, never a float.
 */
function moneyOf(moneda: string): (amount: string) => string {
  const formats = new Map<number, Intl.NumberFormat>();
  return (amount) => {
    const places = Math.max(2, amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0);
    let format = formats.get(places);
    if (!format) {
      const options = { minimumFractionDigits: places, maximumFractionDigits: places };
      try {
        format = new Intl.NumberFormat('es-MX', { ...options, style: 'currency', currency: moneda, currencyDisplay: 'narrowSymbol' });
      } catch {
        // A Moneda Intl does not know (XXX in a recibo de pago) still prints its digits.
        format = new Intl.NumberFormat('es-MX', options);
      }
      formats.set(places, format);
    }
    return format.format(amount as unknown as number);
  };
}

/** "IVA 16%", "IEPS 26.5%", "IEPS cuota 0.5911", "IVA exento": the tax and its rate, never through a float. */
function rateLabel(t: { Impuesto: Impuesto; TipoFactor: string; TasaOCuota?: string }): string {
  const tax = IMPUESTO[t.Impuesto] ?? t.Impuesto;
  if (t.TipoFactor === 'Exento') return `${tax} exento`;
  if (t.TipoFactor === 'Cuota') return `${tax} cuota ${new Decimal(t.TasaOCuota ?? '0').toString()}`;
  return `${tax} ${new Decimal(t.TasaOCuota ?? '0').times(100).toString()}%`;
}

/** Text cut into pieces of exactly `columns` characters (the last one shorter): nothing is lost at a break. */
export function cutToColumns(text: string, columns: number): string[] {
  const pieces: string[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += columns) pieces.push(chars.slice(i, i + columns).join(''));
  return pieces.length > 0 ? pieces : [''];
}

const code = (label: string, value: string): Field => ({ label, value, kind: 'code' });
const words = (label: string, value: string): Field => ({ label, value: normalizeSpace(value), kind: 'words' });

function taxRows(
  money: (amount: string) => string,
  traslados: readonly Traslado[],
  retenciones: readonly Pick<Retencion, 'Impuesto' | 'Importe'>[],
): AmountRow[] {
  const rows: AmountRow[] = traslados.map((t) => ({
    label: `${rateLabel(t)} base ${money(t.Base)}`,
    amount: t.Importe === undefined ? '—' : money(t.Importe),
  }));
  for (const r of retenciones) {
    const rate = 'TasaOCuota' in r ? ` ${new Decimal(String(r.TasaOCuota)).times(100).toString()}%` : '';
    rows.push({ label: `Retención ${IMPUESTO[r.Impuesto] ?? r.Impuesto}${rate}`, amount: `-${money(r.Importe)}` });
  }
  return rows;
}

const serieFolioOf = (c: Comprobante): string | null =>
  [c.Serie, c.Folio].filter((part) => part !== undefined && part !== '').join('-') || null;

function identityFields(c: Comprobante): Field[] {
  const serieFolio = serieFolioOf(c);
  return [
    ...(serieFolio ? [code('Serie y folio', serieFolio)] : []),
    code('Lugar de expedición', c.LugarExpedicion),
    code('Fecha de emisión', c.Fecha),
  ];
}

function termFields(c: Comprobante): Field[] {
  return [
    words('Tipo de comprobante', `${c.TipoDeComprobante} ${TIPO_COMPROBANTE[c.TipoDeComprobante] ?? ''}`.trim()),
    ...(c.FormaPago ? [words('Forma de pago', formaPago(c.FormaPago))] : []),
    ...(c.MetodoPago ? [words('Método de pago', `${c.MetodoPago} ${METODO_PAGO[c.MetodoPago] ?? ''}`.trim())] : []),
    ...(c.CondicionesDePago ? [words('Condiciones de pago', c.CondicionesDePago)] : []),
    words('Moneda', c.TipoCambio ? `${c.Moneda} (tipo de cambio ${c.TipoCambio})` : c.Moneda),
    ...(c.Exportacion && c.Exportacion !== '01' ? [words('Exportación', c.Exportacion)] : []),
  ];
}

function receiverFields(r: Comprobante['Receptor']): Field[] {
  return [
    code('RFC', r.Rfc),
    words('Nombre', r.Nombre),
    code('Domicilio fiscal (CP)', r.DomicilioFiscalReceptor),
    ...(r.ResidenciaFiscal ? [code('Residencia fiscal', r.ResidenciaFiscal)] : []),
    ...(r.NumRegIdTrib ? [code('Núm. reg. id. trib.', r.NumRegIdTrib)] : []),
    words('Régimen fiscal', regimen(r.RegimenFiscalReceptor)),
    words('Uso CFDI', uso(r.UsoCFDI)),
  ];
}

const conceptoView = (money: (amount: string) => string, item: Concepto): ConceptoView => ({
  descripcion: normalizeSpace(item.Descripcion),
  ...(item.NoIdentificacion ? { noIdentificacion: normalizeSpace(item.NoIdentificacion) } : {}),
  claveProdServ: item.ClaveProdServ,
  claveUnidad: item.ClaveUnidad,
  ...(item.Unidad ? { unidad: normalizeSpace(item.Unidad) } : {}),
  cantidad: item.Cantidad,
  valorUnitario: money(item.ValorUnitario),
  importe: money(item.Importe),
  ...(item.Descuento !== undefined && !ZERO.test(item.Descuento) ? { descuento: `-${money(item.Descuento)}` } : {}),
  objetoImp: { clave: item.ObjetoImp, descripcion: objetoImp(item.ObjetoImp) },
  taxes: item.Impuestos ? taxRows(money, item.Impuestos.Traslados, item.Impuestos.Retenciones) : [],
});

function totalRows(money: (amount: string) => string, c: Comprobante): AmountRow[] {
  const rows: AmountRow[] = [{ label: 'Subtotal', amount: money(c.SubTotal) }];
  if (c.Descuento !== undefined && !ZERO.test(c.Descuento)) rows.push({ label: 'Descuento', amount: `-${money(c.Descuento)}` });
  if (c.Impuestos) rows.push(...taxRows(money, c.Impuestos.Traslados, c.Impuestos.Retenciones));
  if (c.Impuestos?.TotalImpuestosTrasladados !== undefined) {
    rows.push({ label: 'Impuestos trasladados', amount: money(c.Impuestos.TotalImpuestosTrasladados) });
  }
  if (c.Impuestos?.TotalImpuestosRetenidos !== undefined) {
    rows.push({ label: 'Impuestos retenidos', amount: `-${money(c.Impuestos.TotalImpuestosRetenidos)}` });
  }
  rows.push({ label: 'TOTAL', amount: money(c.Total), bold: true });
  return rows;
}

/** What the printed representation of a stamped CFDI says. A CFDI without its stamp has none. */
export function representationOf(c: Comprobante): Representation {
  const tfd = c.TimbreFiscalDigital;
  if (!tfd) {
    throw new VerificationError('CFDI_NOT_STAMPED', 'El CFDI aún no está timbrado: no tiene representación impresa.');
  }
  const money = moneyOf(c.Moneda);
  const global = c.InformacionGlobal;
  return {
    title: global && c.TipoDeComprobante === 'I' ? 'FACTURA GLOBAL' : TITLE[c.TipoDeComprobante],
    issuer: { nombre: normalizeSpace(c.Emisor.Nombre), rfc: c.Emisor.Rfc, regimen: regimen(c.Emisor.RegimenFiscal) },
    serieFolio: serieFolioOf(c),
    uuid: tfd.UUID,
    identity: identityFields(c),
    terms: termFields(c),
    global: global
      ? [words('Periodicidad', periodicidad(global.Periodicidad)), words('Meses', mes(global.Meses)), words('Año', global.Año)]
      : null,
    related: c.CfdiRelacionados.map((r) => ({ tipoRelacion: tipoRelacion(r.TipoRelacion), uuids: r.UUIDs })),
    receiver: receiverFields(c.Receptor),
    conceptos: c.Conceptos.map((item) => conceptoView(money, item)),
    totals: totalRows(money, c),
    stamp: [
      code('Folio fiscal (UUID)', tfd.UUID),
      code('No. de certificado del emisor', c.NoCertificado),
      code('No. de certificado del SAT', tfd.NoCertificadoSAT),
      code('Fecha de timbrado', tfd.FechaTimbrado),
      code('RFC del PAC', tfd.RfcProvCertif),
      ...(tfd.Leyenda ? [words('Leyenda', tfd.Leyenda)] : []),
    ],
    seals: [
      { title: 'Sello digital del CFDI:', text: c.Sello },
      { title: 'Sello del SAT:', text: tfd.SelloSAT },
      {
        title: 'Cadena original del complemento de certificación digital del SAT:',
        text: cadenaOriginalTfd(timbreElement(tfd)),
      },
    ],
    verificationUrl: verificationUrlOf(c),
  };
}
