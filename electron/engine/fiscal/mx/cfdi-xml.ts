// CFDI 4.0 as XML: the Comprobante model written out as the SAT's cfdv40.xsd wants it (cfdi
// namespace, schemaLocation, UTF-8, Anexo 20's order), and XML read back into the same element
// tree the cadena original is taken from, or into the model.
//
// Attribute values are escaped so that a parser gives back exactly the string the model held:
// besides & < > ", tabs and line breaks are written as character references, because a literal
// one would reach the cadena original as a space (XML attribute-value normalisation). Characters
// XML 1.0 cannot carry at all are refused rather than dropped.
import { DOMParser } from '@xmldom/xmldom';
import {
  CFDI_NAMESPACE,
  CFDI_SCHEMA_LOCATION,
  type Comprobante,
  type Concepto,
  type Impuesto,
  type Retencion,
  type TimbreFiscalDigital,
  TFD_NAMESPACE,
  TFD_SCHEMA_LOCATION,
  type TipoFactor,
  type Traslado,
  XSI_NAMESPACE,
} from './cfdi-model.ts';
import { FiscalMxError } from './errors.ts';

export type XmlAttribute = { name: string; ns: string | null; local: string; value: string };
export type XmlElement = { name: string; ns: string | null; local: string; attrs: XmlAttribute[]; children: XmlNode[] };
export type XmlNode = XmlElement | string;

export type CfdiXmlCode = 'XML_INVALID_CHARACTER' | 'XML_MALFORMED' | 'XML_NOT_A_CFDI';

export class CfdiXmlError extends FiscalMxError<CfdiXmlCode> {
  override name = 'CfdiXmlError';
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';

// ---------------------------------------------------------------------------
// Element trees

/** The first child element with this namespace and local name. */
export const childElement = (el: XmlElement, ns: string, local: string): XmlElement | undefined =>
  el.children.find((c): c is XmlElement => typeof c !== 'string' && c.ns === ns && c.local === local);

/** Every child element with this namespace and local name, in document order. */
export const childElements = (el: XmlElement, ns: string, local: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.ns === ns && c.local === local);

/** An attribute in no namespace (as every CFDI attribute is), or undefined when absent. */
export const attribute = (el: XmlElement, local: string): string | undefined =>
  el.attrs.find((a) => a.ns === null && a.local === local)?.value;

function element(prefix: 'cfdi' | 'tfd', local: string, attrs: Record<string, string | undefined>, children: XmlNode[] = []): XmlElement {
  const list: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) list.push({ name, ns: null, local: name, value });
  }
  return { name: `${prefix}:${local}`, ns: prefix === 'cfdi' ? CFDI_NAMESPACE : TFD_NAMESPACE, local, attrs: list, children };
}

const declaration = (name: string, ns: string | null, local: string, value: string): XmlAttribute => ({ name, ns, local, value });

function trasladoElement(t: Traslado): XmlElement {
  return element('cfdi', 'Traslado', {
    Base: t.Base,
    Impuesto: t.Impuesto,
    TipoFactor: t.TipoFactor,
    TasaOCuota: t.TasaOCuota,
    Importe: t.Importe,
  });
}

function conceptoElement(c: Concepto): XmlElement {
  const children: XmlNode[] = [];
  if (c.Impuestos && (c.Impuestos.Traslados.length > 0 || c.Impuestos.Retenciones.length > 0)) {
    const taxes: XmlElement[] = [];
    if (c.Impuestos.Traslados.length > 0) taxes.push(element('cfdi', 'Traslados', {}, c.Impuestos.Traslados.map(trasladoElement)));
    if (c.Impuestos.Retenciones.length > 0) {
      taxes.push(
        element(
          'cfdi',
          'Retenciones',
          {},
          c.Impuestos.Retenciones.map((r) =>
            element('cfdi', 'Retencion', {
              Base: r.Base,
              Impuesto: r.Impuesto,
              TipoFactor: r.TipoFactor,
              TasaOCuota: r.TasaOCuota,
              Importe: r.Importe,
            }),
          ),
        ),
      );
    }
    children.push(element('cfdi', 'Impuestos', {}, taxes));
  }
  return element(
    'cfdi',
    'Concepto',
    {
      ClaveProdServ: c.ClaveProdServ,
      NoIdentificacion: c.NoIdentificacion,
      Cantidad: c.Cantidad,
      ClaveUnidad: c.ClaveUnidad,
      Unidad: c.Unidad,
      Descripcion: c.Descripcion,
      ValorUnitario: c.ValorUnitario,
      Importe: c.Importe,
      Descuento: c.Descuento,
      ObjetoImp: c.ObjetoImp,
    },
    children,
  );
}

/** The TimbreFiscalDigital as its own element, with its namespace declarations (as a PAC writes it). */
export function timbreElement(t: TimbreFiscalDigital): XmlElement {
  const el = element('tfd', 'TimbreFiscalDigital', {
    Version: t.Version,
    UUID: t.UUID,
    FechaTimbrado: t.FechaTimbrado,
    RfcProvCertif: t.RfcProvCertif,
    Leyenda: t.Leyenda,
    SelloCFD: t.SelloCFD,
    NoCertificadoSAT: t.NoCertificadoSAT,
    SelloSAT: t.SelloSAT,
  });
  el.attrs.unshift(
    declaration('xmlns:tfd', XMLNS, 'tfd', TFD_NAMESPACE),
    declaration('xmlns:xsi', XMLNS, 'xsi', XSI_NAMESPACE),
    declaration('xsi:schemaLocation', XSI_NAMESPACE, 'schemaLocation', TFD_SCHEMA_LOCATION),
  );
  return el;
}

/** The Comprobante as an element tree, in the order of cfdv40.xsd. */
export function comprobanteElement(c: Comprobante): XmlElement {
  const children: XmlNode[] = [];
  if (c.InformacionGlobal) children.push(element('cfdi', 'InformacionGlobal', c.InformacionGlobal));
  for (const rel of c.CfdiRelacionados) {
    children.push(
      element(
        'cfdi',
        'CfdiRelacionados',
        { TipoRelacion: rel.TipoRelacion },
        rel.UUIDs.map((UUID) => element('cfdi', 'CfdiRelacionado', { UUID })),
      ),
    );
  }
  children.push(element('cfdi', 'Emisor', c.Emisor));
  children.push(element('cfdi', 'Receptor', c.Receptor));
  children.push(element('cfdi', 'Conceptos', {}, c.Conceptos.map(conceptoElement)));
  if (c.Impuestos) {
    const taxes: XmlElement[] = [];
    if (c.Impuestos.Retenciones.length > 0) {
      taxes.push(
        element(
          'cfdi',
          'Retenciones',
          {},
          c.Impuestos.Retenciones.map((r) => element('cfdi', 'Retencion', r)),
        ),
      );
    }
    if (c.Impuestos.Traslados.length > 0) taxes.push(element('cfdi', 'Traslados', {}, c.Impuestos.Traslados.map(trasladoElement)));
    children.push(
      element(
        'cfdi',
        'Impuestos',
        { TotalImpuestosRetenidos: c.Impuestos.TotalImpuestosRetenidos, TotalImpuestosTrasladados: c.Impuestos.TotalImpuestosTrasladados },
        taxes,
      ),
    );
  }
  if (c.TimbreFiscalDigital) children.push(element('cfdi', 'Complemento', {}, [timbreElement(c.TimbreFiscalDigital)]));

  const root = element(
    'cfdi',
    'Comprobante',
    {
      Version: c.Version,
      Serie: c.Serie,
      Folio: c.Folio,
      Fecha: c.Fecha,
      Sello: c.Sello,
      FormaPago: c.FormaPago,
      NoCertificado: c.NoCertificado,
      Certificado: c.Certificado,
      CondicionesDePago: c.CondicionesDePago,
      SubTotal: c.SubTotal,
      Descuento: c.Descuento,
      Moneda: c.Moneda,
      TipoCambio: c.TipoCambio,
      Total: c.Total,
      TipoDeComprobante: c.TipoDeComprobante,
      Exportacion: c.Exportacion,
      MetodoPago: c.MetodoPago,
      LugarExpedicion: c.LugarExpedicion,
      Confirmacion: c.Confirmacion,
    },
    children,
  );
  root.attrs.unshift(
    declaration('xmlns:cfdi', XMLNS, 'cfdi', CFDI_NAMESPACE),
    declaration('xmlns:xsi', XMLNS, 'xsi', XSI_NAMESPACE),
    declaration('xsi:schemaLocation', XSI_NAMESPACE, 'schemaLocation', CFDI_SCHEMA_LOCATION),
  );
  return root;
}

// ---------------------------------------------------------------------------
// Writing

// XML 1.0 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF (whole surrogate pairs).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

function checkChars(value: string, where: string): void {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new CfdiXmlError('XML_INVALID_CHARACTER', `${where} lleva un carácter que un XML no admite (U+${code}).`, {
      where,
      codePoint: code,
    });
  }
}

const escapeAttribute = (value: string) => value.replace(/[&<>"\t\n\r]/g, (ch) => ATTRIBUTE_ESCAPES[ch]!);
const escapeText = (value: string) => value.replace(/[&<>\r]/g, (ch) => TEXT_ESCAPES[ch]!);

function write(el: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  let open = `${pad}<${el.name}`;
  for (const a of el.attrs) {
    checkChars(a.value, `El atributo ${a.name} de ${el.local}`);
    open += ` ${a.name}="${escapeAttribute(a.value)}"`;
  }
  if (el.children.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  if (el.children.every((c) => typeof c === 'string')) {
    const text = (el.children as string[]).join('');
    checkChars(text, `El texto de ${el.local}`);
    out.push(`${open}>${escapeText(text)}</${el.name}>`);
    return;
  }
  out.push(`${open}>`);
  for (const child of el.children) {
    // Mixed content does not occur in a CFDI; whitespace between elements is layout only.
    if (typeof child !== 'string') write(child, depth + 1, out);
  }
  out.push(`${pad}</${el.name}>`);
}

/** An element tree as an XML document (UTF-8 declaration, two-space indent, LF line ends). */
export function serializeXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, 0, out);
  return `${out.join('\n')}\n`;
}

/** The Comprobante as the XML document a PAC receives; its bytes are this string in UTF-8. */
export const cfdiToXml = (c: Comprobante): string => serializeXml(comprobanteElement(c));

// ---------------------------------------------------------------------------
// Reading

type DomNode = {
  nodeType: number;
  namespaceURI: string | null;
  localName: string | null;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{ name: string; namespaceURI: string | null; localName: string | null; value: string }>;
};

function fromDom(node: DomNode): XmlElement {
  const attrs: XmlAttribute[] = [];
  for (const a of Array.from(node.attributes ?? [])) {
    attrs.push({ name: a.name, ns: a.namespaceURI || null, local: a.localName ?? a.name, value: a.value });
  }
  const children: XmlNode[] = [];
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 1) children.push(fromDom(child));
    // Text and CDATA; comments and processing instructions add nothing to a cadena original.
    else if (child.nodeType === 3 || child.nodeType === 4) children.push(child.nodeValue ?? '');
  }
  return { name: node.nodeName, ns: node.namespaceURI || null, local: node.localName ?? node.nodeName, attrs, children };
}

/** Any XML document as an element tree, namespaces resolved. Malformed XML is a CfdiXmlError. */
export function parseXml(text: string): XmlElement {
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') throw new CfdiXmlError('XML_MALFORMED', `El XML no está bien formado: ${message}`, { detail: message });
    },
  });
  let doc: { documentElement: DomNode | null };
  try {
    doc = parser.parseFromString(text, 'text/xml') as unknown as { documentElement: DomNode | null };
  } catch (error) {
    if (error instanceof CfdiXmlError) throw error;
    throw new CfdiXmlError('XML_MALFORMED', `El XML no está bien formado: ${(error as Error).message}`, {
      detail: (error as Error).message,
    });
  }
  if (!doc.documentElement) throw new CfdiXmlError('XML_MALFORMED', 'El XML no tiene elemento raíz.');
  return fromDom(doc.documentElement);
}

const attrs = (el: XmlElement): Record<string, string> =>
  Object.fromEntries(el.attrs.filter((a) => a.ns === null).map((a) => [a.local, a.value]));

function traslados(parent: XmlElement | undefined): Traslado[] {
  const list = parent ? childElement(parent, CFDI_NAMESPACE, 'Traslados') : undefined;
  return list
    ? childElements(list, CFDI_NAMESPACE, 'Traslado').map((t) => {
        const a = attrs(t);
        return {
          Base: a.Base ?? '',
          Impuesto: a.Impuesto as Impuesto,
          TipoFactor: a.TipoFactor as TipoFactor,
          ...(a.TasaOCuota !== undefined ? { TasaOCuota: a.TasaOCuota } : {}),
          ...(a.Importe !== undefined ? { Importe: a.Importe } : {}),
        };
      })
    : [];
}

/** A CFDI 4.0 document read back into the model (the nodes this model has; others are ignored). */
export function readComprobante(xml: string | XmlElement): Comprobante {
  const root = typeof xml === 'string' ? parseXml(xml) : xml;
  if (root.ns !== CFDI_NAMESPACE || root.local !== 'Comprobante' || attribute(root, 'Version') !== '4.0') {
    throw new CfdiXmlError('XML_NOT_A_CFDI', 'El documento no es un CFDI versión 4.0.');
  }
  const a = attrs(root);
  const need = (el: XmlElement | undefined, what: string): XmlElement => {
    if (!el) throw new CfdiXmlError('XML_NOT_A_CFDI', `El CFDI no tiene el nodo ${what}.`, { node: what });
    return el;
  };
  const global = childElement(root, CFDI_NAMESPACE, 'InformacionGlobal');
  const taxes = childElement(root, CFDI_NAMESPACE, 'Impuestos');
  const complemento = childElement(root, CFDI_NAMESPACE, 'Complemento');
  const tfd = complemento ? childElement(complemento, TFD_NAMESPACE, 'TimbreFiscalDigital') : undefined;
  const optional = (key: string) => (a[key] !== undefined ? { [key]: a[key] } : {});
  const g = global ? attrs(global) : undefined;
  return {
    Version: '4.0',
    ...optional('Serie'),
    ...optional('Folio'),
    Fecha: a.Fecha ?? '',
    Sello: a.Sello ?? '',
    ...optional('FormaPago'),
    NoCertificado: a.NoCertificado ?? '',
    Certificado: a.Certificado ?? '',
    ...optional('CondicionesDePago'),
    SubTotal: a.SubTotal ?? '',
    ...optional('Descuento'),
    Moneda: a.Moneda ?? '',
    ...optional('TipoCambio'),
    Total: a.Total ?? '',
    TipoDeComprobante: a.TipoDeComprobante as Comprobante['TipoDeComprobante'],
    Exportacion: a.Exportacion ?? '',
    ...optional('MetodoPago'),
    LugarExpedicion: a.LugarExpedicion ?? '',
    ...optional('Confirmacion'),
    ...(g ? { InformacionGlobal: { Periodicidad: g.Periodicidad ?? '', Meses: g.Meses ?? '', Año: g.Año ?? '' } } : {}),
    CfdiRelacionados: childElements(root, CFDI_NAMESPACE, 'CfdiRelacionados').map((rel) => ({
      TipoRelacion: attribute(rel, 'TipoRelacion') ?? '',
      UUIDs: childElements(rel, CFDI_NAMESPACE, 'CfdiRelacionado').map((r) => attribute(r, 'UUID') ?? ''),
    })),
    Emisor: attrs(need(childElement(root, CFDI_NAMESPACE, 'Emisor'), 'Emisor')) as Comprobante['Emisor'],
    Receptor: attrs(need(childElement(root, CFDI_NAMESPACE, 'Receptor'), 'Receptor')) as Comprobante['Receptor'],
    Conceptos: childElements(need(childElement(root, CFDI_NAMESPACE, 'Conceptos'), 'Conceptos'), CFDI_NAMESPACE, 'Concepto').map((el) => {
      const taxesOf = childElement(el, CFDI_NAMESPACE, 'Impuestos');
      const retenciones = taxesOf ? childElement(taxesOf, CFDI_NAMESPACE, 'Retenciones') : undefined;
      return {
        ...(attrs(el) as Omit<Concepto, 'Impuestos'>),
        ...(taxesOf
          ? {
              Impuestos: {
                Traslados: traslados(taxesOf),
                Retenciones: retenciones
                  ? childElements(retenciones, CFDI_NAMESPACE, 'Retencion').map((r) => attrs(r) as unknown as Retencion)
                  : [],
              },
            }
          : {}),
      };
    }),
    ...(taxes
      ? {
          Impuestos: {
            ...(attribute(taxes, 'TotalImpuestosRetenidos') !== undefined
              ? { TotalImpuestosRetenidos: attribute(taxes, 'TotalImpuestosRetenidos')! }
              : {}),
            ...(attribute(taxes, 'TotalImpuestosTrasladados') !== undefined
              ? { TotalImpuestosTrasladados: attribute(taxes, 'TotalImpuestosTrasladados')! }
              : {}),
            Retenciones: (() => {
              const list = childElement(taxes, CFDI_NAMESPACE, 'Retenciones');
              return list
                ? childElements(list, CFDI_NAMESPACE, 'Retencion').map((r) => ({
                    Impuesto: attribute(r, 'Impuesto') as Impuesto,
                    Importe: attribute(r, 'Importe') ?? '',
                  }))
                : [];
            })(),
            Traslados: traslados(taxes),
          },
        }
      : {}),
    ...(tfd ? { TimbreFiscalDigital: attrs(tfd) as unknown as TimbreFiscalDigital } : {}),
  };
}
