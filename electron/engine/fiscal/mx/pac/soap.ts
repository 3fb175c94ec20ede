// SOAP 1.1 over HTTP, as far as a PAC's document/literal web services need it: one envelope with
// the operation's parameters as text elements, one POST with a deadline, and the answer's
// <operation>Result element read back, or the failure sorted into the PacError the caller acts on.
//
// Credentials travel as parameters in the body; they are never put in a message. Whatever text
// comes from the other side goes through `clean` first, which takes out the credentials (should a
// PAC echo them) and anything scrubText knows to be secret or personal.
import { scrubText } from '../../../log/redaction.ts';
import { CfdiXmlError, parseXml, type XmlElement } from '../cfdi-xml.ts';
import { PacError } from './pac-client.ts';

export const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
// XML 1.0 Char; a parameter is base64, an RFC, a UUID, an amount or an account's name: anything
// outside it is refused rather than sent as a document no parser reads.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export const escapeXmlText = (value: string): string => value.replace(/[&<>"'\r]/g, (ch) => TEXT_ESCAPES[ch]!);

export type SoapCall = {
  provider: string;
  url: string;
  /** The service's target namespace (the operation element and its parameters are in it). */
  namespace: string;
  operation: string;
  /** In the order of the WSDL's sequence. */
  params: [name: string, value: string][];
  timeoutMs: number;
  /** Strings never to appear in an error: the account's user and password. */
  secrets: string[];
};

export function soapEnvelope(namespace: string, operation: string, params: [string, string][]): string {
  const body = params
    .map(([name, value]) => {
      if (NOT_XML_CHAR.test(value)) {
        throw new PacError('INVALID_REQUEST', `El parámetro ${name} lleva un carácter que un XML no admite.`, {
          provider: 'soap',
          operation,
          retry: false,
        });
      }
      return `<tns:${name}>${escapeXmlText(value)}</tns:${name}>`;
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}" xmlns:tns="${escapeXmlText(namespace)}">` +
    `<soapenv:Header/><soapenv:Body><tns:${operation}>${body}</tns:${operation}></soapenv:Body></soapenv:Envelope>`
  );
}

/** A foreign text fit for an error message: credentials out, secrets and addresses scrubbed, bounded. */
export function clean(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return scrubText(out).slice(0, 500);
}

/** The first child element with this local name, whatever its namespace (PACs' answers mix prefixes). */
export const child = (el: XmlElement | undefined, local: string): XmlElement | undefined =>
  el?.children.find((c): c is XmlElement => typeof c !== 'string' && c.local === local);

export const children = (el: XmlElement | undefined, local: string): XmlElement[] =>
  (el?.children ?? []).filter((c): c is XmlElement => typeof c !== 'string' && c.local === local);

export const textOf = (el: XmlElement | undefined): string =>
  (el?.children ?? []).map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

/** The text of a child element, trimmed; '' when absent. */
export const childText = (el: XmlElement | undefined, local: string): string => textOf(child(el, local)).trim();

function unavailable(call: SoapCall, message: string, httpStatus?: number): PacError {
  return new PacError('UNAVAILABLE', message, { provider: call.provider, operation: call.operation, retry: true, httpStatus });
}

/**
 * POSTs the call and returns its <operation>Result element. A timeout does not prove the PAC did
 * nothing: a stamp may have been made; `stamped`, or sending the same XML again, recovers it.
 */
export async function soapPost(call: SoapCall): Promise<XmlElement> {
  const body = soapEnvelope(call.namespace, call.operation, call.params);
  let status: number;
  let text: string;
  try {
    const res = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${call.operation}"`, accept: 'text/xml' },
      body,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw unavailable(call, `El PAC (${call.provider}) no respondió a ${call.operation} en ${call.timeoutMs} ms; se puede reintentar.`);
    }
    const why = clean(e.cause?.code ?? e.cause?.message ?? e.message, call.secrets);
    throw unavailable(call, `No se pudo comunicar con el PAC (${call.provider}) para ${call.operation}: ${why}. Se puede reintentar.`);
  }

  let envelope: XmlElement | undefined;
  try {
    envelope = text.trim() ? parseXml(text) : undefined;
  } catch (error) {
    if (!(error instanceof CfdiXmlError)) throw error;
  }
  const soapBody = envelope?.ns === SOAP_ENVELOPE && envelope.local === 'Envelope' ? child(envelope, 'Body') : undefined;
  const fault = child(soapBody, 'Fault');
  if (fault) {
    const faultCode = childText(fault, 'faultcode');
    const faultString = clean(childText(fault, 'faultstring'), call.secrets);
    // SOAP 1.1: a Client fault is our request (retrying it changes nothing); a Server fault is theirs.
    const theirs = /(^|:)Server/.test(faultCode) || (status >= 500 && !/(^|:)Client/.test(faultCode));
    const message = `El PAC (${call.provider}) respondió con un error SOAP a ${call.operation}: ${faultString || faultCode}`;
    if (theirs) throw unavailable(call, `${message}. Se puede reintentar.`, status);
    throw new PacError('PROTOCOL', message, {
      provider: call.provider,
      operation: call.operation,
      retry: false,
      pacCode: faultCode,
      pacMessage: faultString,
      httpStatus: status,
    });
  }
  if (status >= 500 || status === 408 || status === 429) {
    throw unavailable(call, `El PAC (${call.provider}) respondió HTTP ${status} a ${call.operation}; se puede reintentar.`, status);
  }
  if (status === 401 || status === 403) {
    throw new PacError('AUTH', `El PAC (${call.provider}) no aceptó las credenciales de la cuenta (HTTP ${status}).`, {
      provider: call.provider,
      operation: call.operation,
      retry: false,
      httpStatus: status,
    });
  }
  const response = soapBody?.children.find((c): c is XmlElement => typeof c !== 'string');
  const result = child(response, `${call.operation}Result`);
  if (status >= 300 || response?.local !== `${call.operation}Response` || !result) {
    throw new PacError('PROTOCOL', `La respuesta del PAC (${call.provider}) a ${call.operation} no es la que documenta (HTTP ${status}).`, {
      provider: call.provider,
      operation: call.operation,
      retry: false,
      httpStatus: status,
      pacMessage: clean(text.slice(0, 200), call.secrets),
    });
  }
  return result;
}
