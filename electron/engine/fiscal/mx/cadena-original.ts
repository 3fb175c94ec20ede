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

/**
 * Each node's attributes in the stylesheet's order, a trailing "?" marking an optional one: the
 * order is the stylesheet's data, read off cadenaoriginal_4_0.xslt and cadenaoriginal_TFD_1_1.xslt.
 */
const ORDER = {
  Comprobante:
    'Version Serie? Folio? Fecha FormaPago? NoCertificado CondicionesDePago? SubTotal Descuento? Moneda TipoCambio? Total ' +
    'TipoDeComprobante Exportacion MetodoPago? LugarExpedicion Confirmacion?',
  InformacionGlobal: 'Periodicidad Meses Año',
  CfdiRelacionados: 'TipoRelacion',
  CfdiRelacionado: 'UUID',
  Emisor: 'Rfc Nombre RegimenFiscal FacAtrAdquirente?',
  Receptor: 'Rfc Nombre DomicilioFiscalReceptor ResidenciaFiscal? NumRegIdTrib? RegimenFiscalReceptor UsoCFDI',
  Concepto: 'ClaveProdServ NoIdentificacion? Cantidad ClaveUnidad Unidad? Descripcion ValorUnitario Importe Descuento? ObjetoImp',
  Traslado: 'Base Impuesto TipoFactor TasaOCuota? Importe?',
  ConceptoRetencion: 'Base Impuesto TipoFactor TasaOCuota Importe',
  ACuentaTerceros: 'RfcACuentaTerceros NombreACuentaTerceros RegimenFiscalACuentaTerceros DomicilioFiscalACuentaTerceros',
  InformacionAduanera: 'NumeroPedimento',
  CuentaPredial: 'Numero',
  Parte: 'ClaveProdServ NoIdentificacion? Cantidad Unidad? Descripcion ValorUnitario? Importe?',
  Retencion: 'Impuesto Importe',
  TimbreFiscalDigital: 'Version UUID FechaTimbrado RfcProvCertif Leyenda? SelloCFD NoCertificadoSAT',
} as const;

const PARSED = Object.fromEntries(
  Object.entries(ORDER).map(([node, spec]) => [
    node,
    spec
      .split(' ')
      .map((field) => (field.endsWith('?') ? { name: field.slice(0, -1), isRequired: false } : { name: field, isRequired: true })),
  ]),
) as Record<keyof typeof ORDER, { name: string; isRequired: boolean }[]>;

/** Writes a node's attributes in the stylesheet's order. */
const fields = (out: Out, el: XmlElement, node: keyof typeof ORDER) => {
  for (const { name, isRequired } of PARSED[node]) (isRequired ? required : optional)(out, el, name);
};

const cfdi = (el: XmlElement, local: string) => childElements(el, CFDI_NAMESPACE, local);

/** XSLT's built-in templates: an element without a template of its own yields its text nodes, in order. */
function textContent(el: XmlElement, out: Out): void {
  for (const child of el.children) {
    if (typeof child === 'string') out.push(child);
    else textContent(child, out);
  }
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
  fields(out, c, 'Concepto');
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Traslados')) for (const t of cfdi(list, 'Traslado')) fields(out, t, 'Traslado');
  }
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Retenciones')) {
      for (const r of cfdi(list, 'Retencion')) fields(out, r, 'ConceptoRetencion');
    }
  }
  for (const terceros of cfdi(c, 'ACuentaTerceros')) fields(out, terceros, 'ACuentaTerceros');
  for (const aduana of cfdi(c, 'InformacionAduanera')) fields(out, aduana, 'InformacionAduanera');
  for (const predial of cfdi(c, 'CuentaPredial')) fields(out, predial, 'CuentaPredial');
  for (const complemento of cfdi(c, 'ComplementoConcepto')) {
    for (const child of complemento.children) if (typeof child !== 'string') textContent(child, out);
  }
  for (const parte of descendants(c, 'Parte')) {
    fields(out, parte, 'Parte');
    for (const aduana of descendants(parte, 'InformacionAduanera')) fields(out, aduana, 'InformacionAduanera');
  }
}

function comprobante(out: Out, c: XmlElement): void {
  fields(out, c, 'Comprobante');
  for (const global of cfdi(c, 'InformacionGlobal')) fields(out, global, 'InformacionGlobal');
  for (const rel of cfdi(c, 'CfdiRelacionados')) {
    fields(out, rel, 'CfdiRelacionados');
    for (const uuid of cfdi(rel, 'CfdiRelacionado')) fields(out, uuid, 'CfdiRelacionado');
  }
  for (const emisor of cfdi(c, 'Emisor')) fields(out, emisor, 'Emisor');
  for (const receptor of cfdi(c, 'Receptor')) fields(out, receptor, 'Receptor');
  for (const conceptos of cfdi(c, 'Conceptos')) for (const item of cfdi(conceptos, 'Concepto')) concepto(out, item);
  for (const impuestos of cfdi(c, 'Impuestos')) {
    for (const list of cfdi(impuestos, 'Retenciones')) {
      for (const r of cfdi(list, 'Retencion')) fields(out, r, 'Retencion');
    }
    optional(out, impuestos, 'TotalImpuestosRetenidos');
    for (const list of cfdi(impuestos, 'Traslados')) for (const t of cfdi(list, 'Traslado')) fields(out, t, 'Traslado');
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
    fields(out, tfd, 'TimbreFiscalDigital');
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
