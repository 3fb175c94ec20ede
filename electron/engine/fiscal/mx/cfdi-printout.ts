// The printed representation of a stamped CFDI 4.0 on the receipt printer's paper, as Anexo 20
// (and the CFF's article 29, fraction V) asks of one: the legend that it represents a CFDI; issuer
// and receiver with their régimen, the receiver's fiscal postal code and uso; serie-folio, place,
// date, type, forma and método de pago, currency; every concepto with its SAT keys and amounts;
// the taxes by rate and the totals; the stamp (folio fiscal, both certificates' numbers, the
// stamping date, the PAC's RFC, both seals and the cadena original of the TFD) and the SAT's
// verification QR. A factura global also shows its InformacionGlobal.
//
// Every value is the XML's own text: amounts keep the decimals the CFDI has (a ValorUnitario of
// 0.333333 is not a $0.33), and dates are printed as the Comprobante writes them, the local time
// of the place of issue, which no time zone conversion could improve on. Seals and the cadena
// are cut into lines of exactly the paper's columns so the printer never drops a character at a
// break, and the printed lines joined give the XML's text back.
import { Decimal } from 'decimal.js';
import { type Block, paperColumns, type ReceiptDocument } from '#contract/receipt-document.ts';
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
import type { Comprobante, Impuesto, Retencion, TimbreFiscalDigital, TipoDeComprobante, Traslado } from './cfdi-model.ts';
import { timbreElement } from './cfdi-xml.ts';
import { VerificationError, verificationUrlOf } from './verification-qr.ts';

export const PRINTED_REPRESENTATION_LEGEND = 'Este documento es una representación impresa de un CFDI';

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

const described = (rows: readonly CatalogEntry[]) => {
  const byClave = new Map(rows.map((r) => [r.clave, r.descripcion.replace(/\.$/, '')]));
  return (clave: string) => {
    const words = byClave.get(clave);
    return words ? `${clave} ${words}` : clave;
  };
};
const regimen = described(REGIMENES_FISCALES);
const uso = described(USOS_CFDI);
const formaPago = described(FORMAS_PAGO);
const objetoImp = described(OBJETOS_IMPUESTO);
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

/** "IVA 16%", "IEPS 26.5%", "IEPS $0.5911/u", "IVA exento": the tax and its rate, never through a float. */
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

type Layout = { columns: number; money: (amount: string) => string };

/**
 * A label and a code (an RFC, a UUID, a certificate number, a receipt's code): one line when both
 * fit, else the code on lines of its own, never broken at a hyphen where the printer would.
 */
function code(l: Layout, label: string, value: string, indent = ''): Block[] {
  const line = `${indent}${label}: ${value}`;
  if (line.length <= l.columns) return [{ type: 'text', text: line }];
  const own = `${indent}${value}`.length <= l.columns ? [`${indent}${value}`] : cutToColumns(value, l.columns);
  return [{ type: 'text', text: `${indent}${label}:` }, ...own.map((text): Block => ({ type: 'text', text }))];
}

/**
 * A label and words (a name, a catalog's description): the printer wraps them at spaces. A tab
 * or line break the XML may carry is printed as the space the cadena original reads it as: on
 * paper a tab is a command, not a character.
 */
const words = (label: string, value: string): Block => ({ type: 'text', text: `${label}: ${normalizeSpace(value)}` });

/** A seal or a cadena: its title, then the text in full lines of the paper's width. */
const longText = (l: Layout, title: string, value: string): Block[] => [
  { type: 'text', text: title, bold: true },
  ...cutToColumns(value, l.columns).map((text): Block => ({ type: 'text', text })),
];

const heading = (text: string): Block[] => [{ type: 'rule' }, { type: 'text', text, bold: true }];

function taxRows(
  l: Layout,
  traslados: readonly Traslado[],
  retenciones: readonly Pick<Retencion, 'Impuesto' | 'Importe'>[],
  indent = '',
): Block[] {
  const rows: Block[] = [];
  for (const t of traslados) {
    rows.push({
      type: 'row',
      left: `${indent}${rateLabel(t)} base ${l.money(t.Base)}`,
      right: t.Importe === undefined ? '—' : l.money(t.Importe),
    });
  }
  for (const r of retenciones) {
    const rate = 'TasaOCuota' in r ? ` ${new Decimal(String(r.TasaOCuota)).times(100).toString()}%` : '';
    rows.push({ type: 'row', left: `${indent}Retención ${IMPUESTO[r.Impuesto] ?? r.Impuesto}${rate}`, right: `-${l.money(r.Importe)}` });
  }
  return rows;
}

function header(l: Layout, c: Comprobante): Block[] {
  const global = c.InformacionGlobal;
  const serieFolio = [c.Serie, c.Folio].filter((part) => part !== undefined && part !== '').join('-');
  const blocks: Block[] = [
    { type: 'logo' },
    { type: 'text', text: normalizeSpace(c.Emisor.Nombre), align: 'center', bold: true },
    { type: 'text', text: `RFC ${c.Emisor.Rfc}`, align: 'center' },
    words('Régimen fiscal', regimen(c.Emisor.RegimenFiscal)),
    { type: 'rule' },
    {
      type: 'text',
      text: global && c.TipoDeComprobante === 'I' ? 'FACTURA GLOBAL' : TITLE[c.TipoDeComprobante],
      align: 'center',
      bold: true,
    },
    { type: 'text', text: PRINTED_REPRESENTATION_LEGEND, align: 'center' },
    { type: 'rule' },
    ...(serieFolio ? code(l, 'Serie y folio', serieFolio) : []),
    ...code(l, 'Lugar de expedición', c.LugarExpedicion),
    ...code(l, 'Fecha de emisión', c.Fecha),
    words('Tipo de comprobante', `${c.TipoDeComprobante} ${TIPO_COMPROBANTE[c.TipoDeComprobante] ?? ''}`.trim()),
    ...(c.FormaPago ? [words('Forma de pago', formaPago(c.FormaPago))] : []),
    ...(c.MetodoPago ? [words('Método de pago', `${c.MetodoPago} ${METODO_PAGO[c.MetodoPago] ?? ''}`.trim())] : []),
    ...(c.CondicionesDePago ? [words('Condiciones de pago', c.CondicionesDePago)] : []),
    words('Moneda', c.TipoCambio ? `${c.Moneda} (tipo de cambio ${c.TipoCambio})` : c.Moneda),
    ...(c.Exportacion && c.Exportacion !== '01' ? [words('Exportación', c.Exportacion)] : []),
  ];
  if (global) {
    blocks.push(
      ...heading('INFORMACIÓN GLOBAL'),
      words('Periodicidad', periodicidad(global.Periodicidad)),
      words('Meses', mes(global.Meses)),
      words('Año', global.Año),
    );
  }
  for (const related of c.CfdiRelacionados) {
    blocks.push(...heading('CFDI RELACIONADOS'), words('Tipo de relación', tipoRelacion(related.TipoRelacion)));
    for (const uuid of related.UUIDs) blocks.push(...cutToColumns(uuid, l.columns).map((text): Block => ({ type: 'text', text })));
  }
  const r = c.Receptor;
  blocks.push(
    ...heading('RECEPTOR'),
    ...code(l, 'RFC', r.Rfc),
    words('Nombre', r.Nombre),
    ...code(l, 'Domicilio fiscal (CP)', r.DomicilioFiscalReceptor),
    ...(r.ResidenciaFiscal ? code(l, 'Residencia fiscal', r.ResidenciaFiscal) : []),
    ...(r.NumRegIdTrib ? code(l, 'Núm. reg. id. trib.', r.NumRegIdTrib) : []),
    words('Régimen fiscal', regimen(r.RegimenFiscalReceptor)),
    words('Uso CFDI', uso(r.UsoCFDI)),
  );
  return blocks;
}

function conceptos(l: Layout, c: Comprobante): Block[] {
  const blocks: Block[] = heading('CONCEPTOS');
  c.Conceptos.forEach((item, i) => {
    if (i > 0) blocks.push({ type: 'feed' });
    blocks.push({ type: 'text', text: normalizeSpace(item.Descripcion) });
    if (item.NoIdentificacion) blocks.push(...code(l, 'No. identificación', normalizeSpace(item.NoIdentificacion), '  '));
    blocks.push(...code(l, 'Clave prod./serv.', item.ClaveProdServ, '  '));
    blocks.push({ type: 'text', text: `  Clave unidad: ${item.ClaveUnidad}${item.Unidad ? ` ${normalizeSpace(item.Unidad)}` : ''}` });
    blocks.push({ type: 'row', left: `  ${item.Cantidad} x ${l.money(item.ValorUnitario)}`, right: l.money(item.Importe) });
    if (item.Descuento !== undefined && !ZERO.test(item.Descuento)) {
      blocks.push({ type: 'row', left: '  Descuento', right: `-${l.money(item.Descuento)}` });
    }
    blocks.push({ type: 'text', text: `  Objeto de impuesto: ${objetoImp(item.ObjetoImp)}` });
    if (item.Impuestos) blocks.push(...taxRows(l, item.Impuestos.Traslados, item.Impuestos.Retenciones, '  '));
  });
  return blocks;
}

function totals(l: Layout, c: Comprobante): Block[] {
  const blocks: Block[] = [{ type: 'rule' }, { type: 'row', left: 'Subtotal', right: l.money(c.SubTotal) }];
  if (c.Descuento !== undefined && !ZERO.test(c.Descuento))
    blocks.push({ type: 'row', left: 'Descuento', right: `-${l.money(c.Descuento)}` });
  if (c.Impuestos) blocks.push(...taxRows(l, c.Impuestos.Traslados, c.Impuestos.Retenciones));
  if (c.Impuestos?.TotalImpuestosTrasladados !== undefined) {
    blocks.push({ type: 'row', left: 'Impuestos trasladados', right: l.money(c.Impuestos.TotalImpuestosTrasladados) });
  }
  if (c.Impuestos?.TotalImpuestosRetenidos !== undefined) {
    blocks.push({ type: 'row', left: 'Impuestos retenidos', right: `-${l.money(c.Impuestos.TotalImpuestosRetenidos)}` });
  }
  blocks.push({ type: 'row', left: 'TOTAL', right: l.money(c.Total), bold: true });
  return blocks;
}

function stamp(l: Layout, c: Comprobante, tfd: TimbreFiscalDigital): Block[] {
  return [
    ...heading('TIMBRE FISCAL DIGITAL'),
    ...code(l, 'Folio fiscal (UUID)', tfd.UUID),
    ...code(l, 'No. de certificado del emisor', c.NoCertificado),
    ...code(l, 'No. de certificado del SAT', tfd.NoCertificadoSAT),
    ...code(l, 'Fecha de timbrado', tfd.FechaTimbrado),
    ...code(l, 'RFC del PAC', tfd.RfcProvCertif),
    ...(tfd.Leyenda ? [words('Leyenda', tfd.Leyenda)] : []),
    { type: 'feed' },
    ...longText(l, 'Sello digital del CFDI:', c.Sello),
    { type: 'feed' },
    ...longText(l, 'Sello del SAT:', tfd.SelloSAT),
    { type: 'feed' },
    ...longText(l, 'Cadena original del complemento de certificación digital del SAT:', cadenaOriginalTfd(timbreElement(tfd))),
    { type: 'feed' },
    { type: 'text', text: 'Verifique este CFDI en el portal del SAT:', align: 'center' },
    { type: 'qr', data: verificationUrlOf(c) },
    { type: 'text', text: PRINTED_REPRESENTATION_LEGEND, align: 'center' },
    { type: 'cut' },
  ];
}

/** The printed representation of a stamped CFDI on 58 or 80 mm paper. A CFDI without its stamp has none. */
export function cfdiPrintout(c: Comprobante, opts: { paperWidth: 58 | 80 }): ReceiptDocument {
  const tfd = c.TimbreFiscalDigital;
  if (!tfd) {
    throw new VerificationError('CFDI_NOT_STAMPED', 'El CFDI aún no está timbrado: no tiene representación impresa.');
  }
  const l: Layout = { columns: paperColumns(opts.paperWidth), money: moneyOf(c.Moneda) };
  return {
    kind: 'INVOICE',
    paperWidth: opts.paperWidth,
    blocks: [...header(l, c), ...conceptos(l, c), ...totals(l, c), ...stamp(l, c, tfd)],
  };
}
