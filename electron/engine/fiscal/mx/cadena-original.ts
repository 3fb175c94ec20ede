// The cadena original, the string a CFDI's Sello signs, exactly as the SAT's
// cadenaoriginal_4_0.xslt (resources/sat-mx) produces it, written out in TypeScript so that
// sealing needs no XSLT engine. Golden tests compare it byte for byte with xsltproc running the
// SAT's stylesheet.
//
// What the stylesheet does, and so what this does:
// - "|" first and "||" last; each value is preceded by "|".
// - A required value is written even when its attribute is absent (as "|"); an optional one
//   only when the attribute exists, even if empty.
// - Each value goes through XPath normalize-space: runs of space, tab, CR and LF become one
//   space and the ends are trimmed; no other character (not even a no-break space) is touched.
// - Nodes come in the stylesheet's order, attributes in the stylesheet's order (never the
//   document's), repeated nodes in document order.
// - Complements: the vendored stylesheet includes no complement's templates (SOURCES.md), so a
//   complement element contributes its text content, as XSLT's built-in rules give it; the
//   TimbreFiscalDigital has none and contributes nothing.
import { CFDI_NAMESPACE, type Comprobante, TFD_NAMESPACE } from './cfdi-model.ts';
import { attribute, childElement, childElements, comprobanteElement, type XmlElement } from './cfdi-xml.ts';

/** XPath 1.0 normalize-space(): only #x20, #x9, #xD and #xA are whitespace. */
export const normalizeSpace = (value: string): string => value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');

type Out = string[];

const required = (out: Out, el: XmlElement, name: string) => out.push(`|${normalizeSpace(attribute(el, name) ?? '')}`);
const optional = (out: Out, el: XmlElement, name: string) => {
  const value = attribute(el, name);
  if (value !== undefined) out.push(`|${normalizeSpace(value)}`);
};

const cfdi = (el: XmlElement, local: string) => childElements(el, CFDI_NAMESPACE, local);

/** XSLT's built-in templates: an element without a template of its own yields its text nodes, in order. */
function textContent(el: XmlElement, out: Out): void {
  for (const child of el.children) {
    if (typeof child === 'string') out.push(child);
    else textContent(child, out);
  }
}

function traslado(out: Out, t: XmlElement): void {
  required(out, t, 'Base');
  required(out, t, 'Impuesto');
  required(out, t, 'TipoFactor');
  optional(out, t, 'TasaOCuota');
  optional(out, t, 'Importe');
}

function informacionAduanera(out: Out, el: XmlElement): void {
  required(out, el, 'NumeroPedimento');
}

/** Every descendant element with this name, in document order (XPath .//cfdi:X). */
function descendants(el: XmlElement, local: string, found: XmlElement[] = []): XmlElement[] {
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (child.ns === CFDI_NAMESPACE && child.local === local) found.push(child);
    descendants(child, local, found);
  }
  return found;
}

function concepto(out: Out, c: XmlElement): void {
  for (const name of [
    'ClaveProdServ',
    'NoIdentificacion',
    'Cantidad',
    'ClaveUnidad',
    'Unidad',
    'Descripcion',
    'ValorUnitario',
    'Importe',
  ]) {
    if (name === 'NoIdentificacion' || name === 'Unidad') optional(out, c, name);
    else required(out, c, name);
  }
  optional(out, c, 'Descuento');
  required(out, c, 'ObjetoImp');
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Traslados')) for (const t of cfdi(list, 'Traslado')) traslado(out, t);
  }
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Retenciones')) {
      for (const r of cfdi(list, 'Retencion'))
        for (const name of ['Base', 'Impuesto', 'TipoFactor', 'TasaOCuota', 'Importe']) required(out, r, name);
    }
  }
  for (const terceros of cfdi(c, 'ACuentaTerceros')) {
    for (const name of ['RfcACuentaTerceros', 'NombreACuentaTerceros', 'RegimenFiscalACuentaTerceros', 'DomicilioFiscalACuentaTerceros']) {
      required(out, terceros, name);
    }
  }
  for (const aduana of cfdi(c, 'InformacionAduanera')) informacionAduanera(out, aduana);
  for (const predial of cfdi(c, 'CuentaPredial')) required(out, predial, 'Numero');
  for (const complemento of cfdi(c, 'ComplementoConcepto')) {
    for (const child of complemento.children) if (typeof child !== 'string') textContent(child, out);
  }
  for (const parte of descendants(c, 'Parte')) {
    required(out, parte, 'ClaveProdServ');
    optional(out, parte, 'NoIdentificacion');
    required(out, parte, 'Cantidad');
    optional(out, parte, 'Unidad');
    required(out, parte, 'Descripcion');
    optional(out, parte, 'ValorUnitario');
    optional(out, parte, 'Importe');
    for (const aduana of descendants(parte, 'InformacionAduanera')) informacionAduanera(out, aduana);
  }
}

function comprobante(out: Out, c: XmlElement): void {
  const attrs: [string, boolean][] = [
    ['Version', true],
    ['Serie', false],
    ['Folio', false],
    ['Fecha', true],
    ['FormaPago', false],
    ['NoCertificado', true],
    ['CondicionesDePago', false],
    ['SubTotal', true],
    ['Descuento', false],
    ['Moneda', true],
    ['TipoCambio', false],
    ['Total', true],
    ['TipoDeComprobante', true],
    ['Exportacion', true],
    ['MetodoPago', false],
    ['LugarExpedicion', true],
    ['Confirmacion', false],
  ];
  for (const [name, isRequired] of attrs) (isRequired ? required : optional)(out, c, name);
  for (const global of cfdi(c, 'InformacionGlobal')) for (const name of ['Periodicidad', 'Meses', 'Año']) required(out, global, name);
  for (const rel of cfdi(c, 'CfdiRelacionados')) {
    required(out, rel, 'TipoRelacion');
    for (const uuid of cfdi(rel, 'CfdiRelacionado')) required(out, uuid, 'UUID');
  }
  for (const emisor of cfdi(c, 'Emisor')) {
    required(out, emisor, 'Rfc');
    required(out, emisor, 'Nombre');
    required(out, emisor, 'RegimenFiscal');
    optional(out, emisor, 'FacAtrAdquirente');
  }
  for (const receptor of cfdi(c, 'Receptor')) {
    required(out, receptor, 'Rfc');
    required(out, receptor, 'Nombre');
    required(out, receptor, 'DomicilioFiscalReceptor');
    optional(out, receptor, 'ResidenciaFiscal');
    optional(out, receptor, 'NumRegIdTrib');
    required(out, receptor, 'RegimenFiscalReceptor');
    required(out, receptor, 'UsoCFDI');
  }
  for (const conceptos of cfdi(c, 'Conceptos')) for (const item of cfdi(conceptos, 'Concepto')) concepto(out, item);
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Retenciones')) {
      for (const r of cfdi(list, 'Retencion')) {
        required(out, r, 'Impuesto');
        required(out, r, 'Importe');
      }
    }
    optional(out, impuestos, 'TotalImpuestosRetenidos');
    for (const list of cfdi(impuestos, 'Traslados')) for (const t of cfdi(list, 'Traslado')) traslado(out, t);
    optional(out, impuestos, 'TotalImpuestosTrasladados');
  }
  for (const complemento of cfdi(c, 'Complemento')) {
    for (const child of complemento.children) if (typeof child !== 'string') textContent(child, out);
  }
}

/** The cadena original of a CFDI 4.0 document given as its root element (as parseXml returns it). */
export function cadenaOriginal(root: XmlElement): string {
  const out: Out = ['|'];
  if (root.ns === CFDI_NAMESPACE && root.local === 'Comprobante') comprobante(out, root);
  out.push('||');
  return out.join('');
}

/** The cadena original of a Comprobante model: what its Sello signs (Sello and Certificado are not part of it). */
export const cadenaOriginalOf = (c: Comprobante): string => cadenaOriginal(comprobanteElement(c));

/**
 * The TimbreFiscalDigital's cadena original (cadenaoriginal_TFD_1_1.xslt), which the SelloSAT
 * signs; `tfd` is the tfd:TimbreFiscalDigital element (the stylesheet's document root).
 */
export function cadenaOriginalTfd(tfd: XmlElement): string {
  const out: Out = ['|'];
  if (tfd.ns === TFD_NAMESPACE && tfd.local === 'TimbreFiscalDigital') {
    required(out, tfd, 'Version');
    required(out, tfd, 'UUID');
    required(out, tfd, 'FechaTimbrado');
    required(out, tfd, 'RfcProvCertif');
    optional(out, tfd, 'Leyenda');
    required(out, tfd, 'SelloCFD');
    required(out, tfd, 'NoCertificadoSAT');
  }
  out.push('||');
  return out.join('');
}

/** The TimbreFiscalDigital element inside a CFDI's cfdi:Complemento, if it has been stamped. */
export function timbreOf(root: XmlElement): XmlElement | undefined {
  for (const complemento of childElements(root, CFDI_NAMESPACE, 'Complemento')) {
    const tfd = childElement(complemento, TFD_NAMESPACE, 'TimbreFiscalDigital');
    if (tfd) return tfd;
  }
  return undefined;
}
