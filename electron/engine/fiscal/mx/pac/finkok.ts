// Finkok's SOAP web services (https://wiki.finkok.com), stamping and cancellation for CFDI 4.0.
//   Stamp service: <baseUrl>/servicios/soap/stamp, namespace http://facturacion.finkok.com/stamp
//     stamp(xml base64, username, password): the stamped CFDI; on "307 El CFDI contiene un timbre
//       previo" the same answer carries the earlier stamp (or, documented, sometimes not yet: then
//       `stamped` is asked).
//     stamped(xml base64, username, password): the stamp made earlier for this XML, or incidence
//       603 "El CFDI no contiene un timbre previo".
//   Cancel service: <baseUrl>/servicios/soap/cancel, namespace http://facturacion.finkok.com/cancel
//     cancel_signature(xml base64 of a Cancelacion signed by the issuer, username, password,
//       store_pending): per folio, the SAT's EstatusUUID (201 request accepted, 202 accepted before,
//       203, 205, 207, no_cancelable…); whole-request failures in CodEstatus (708 SAT unreachable).
//     get_sat_status(username, password, taxpayer_id, rtaxpayer_id, uuid, total): the SAT's
//       Estado, EsCancelable, EstatusCancelacion.
//   Answers: result fields in namespace apps.services.soap.core.views (xml, UUID, Fecha,
//   CodEstatus, SatSeal, NoCertificadoSAT, Incidencias/Incidencia{CodigoError, MensajeIncidencia}).
//   Demo: https://demo-facturacion.finkok.com; production: https://facturacion.finkok.com.
// Shapes as the phpcfdi/finkok and satcfdi clients read them, against recorded Finkok answers.
import { attribute, parseXml, type XmlElement } from '../cfdi-xml.ts';
import { CfdiXmlError } from '../cfdi-xml.ts';
import { timbreOf } from '../cadena-original.ts';
import {
  type CancelRequest,
  type CancelResult,
  type CfdiStatus,
  PacError,
  type PacClient,
  type Stamp,
  type StampRequest,
  type StatusRequest,
} from './pac-client.ts';
import { child, childText, children, clean, soapPost, textOf } from './soap.ts';

const PROVIDER = 'finkok';
export const FINKOK_STAMP_NAMESPACE = 'http://facturacion.finkok.com/stamp';
export const FINKOK_CANCEL_NAMESPACE = 'http://facturacion.finkok.com/cancel';
export const FINKOK_DEMO_URL = 'https://demo-facturacion.finkok.com';

export type FinkokOptions = {
  username: string;
  password: string;
  /** FINKOK_DEMO_URL or https://facturacion.finkok.com (or a loopback in tests). */
  baseUrl: string;
  /** Per request. A stamp is usually a second or two; the SAT's status can take longer. */
  timeoutMs?: number;
};

/** Incidences that say "this account", not "this document". */
const AUTH_CODES = new Set(['300', '501', '703']);
/** Incidences about the moment, not the document: the SAT or Finkok's own services were unreachable. */
const TRANSIENT_CODES = new Set(['708', '709', '800']);
const PREVIOUS_STAMP = '307';
const NO_PREVIOUS_STAMP = '603';

type Incidence = { code: string; message: string };

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

export function finkokClient(options: FinkokOptions): PacClient {
  if (!options.username || !options.password) throw new Error('finkok: the account user and password are required');
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const secrets = [options.username, options.password];
  const auth: [string, string][] = [
    ['username', options.username],
    ['password', options.password],
  ];

  const fail = (code: 'REJECTED' | 'UNAVAILABLE' | 'AUTH' | 'PROTOCOL', operation: string, message: string, pac?: Incidence) =>
    new PacError(code, message, {
      provider: PROVIDER,
      operation,
      retry: code === 'UNAVAILABLE',
      ...(pac ? { pacCode: pac.code, pacMessage: pac.message } : {}),
    });

  /** An incidence or a failure line as the error it is: the account, the moment, or the document. */
  const refusal = (operation: string, pac: Incidence): PacError => {
    if (AUTH_CODES.has(pac.code)) {
      return fail('AUTH', operation, `Finkok no aceptó el usuario o la contraseña de la cuenta (${pac.code}): ${pac.message}`, pac);
    }
    if (TRANSIENT_CODES.has(pac.code)) {
      return fail(
        'UNAVAILABLE',
        operation,
        `Finkok no pudo completar ${operation} por ahora (${pac.code}): ${pac.message}. Se puede reintentar.`,
        pac,
      );
    }
    return fail('REJECTED', operation, `Finkok rechazó el comprobante (${pac.code}): ${pac.message}`, pac);
  };

  const incidencesOf = (result: XmlElement): Incidence[] =>
    children(child(result, 'Incidencias'), 'Incidencia').map((i) => ({
      code: childText(i, 'CodigoError'),
      message: clean(childText(i, 'MensajeIncidencia'), secrets),
    }));

  /** A failure line ("708 - No se pudo conectar al SAT", "300 Usuario…") split into its code and text. */
  const lineOf = (text: string): Incidence => {
    const m = /^\s*([0-9]{3,4})\b\s*[-:.]?\s*(.*)$/s.exec(text);
    return m ? { code: m[1]!, message: clean(m[2]!, secrets) } : { code: 'UNKNOWN', message: clean(text, secrets) };
  };

  const stampCall = (operation: 'stamp' | 'stamped', xml: string) =>
    soapPost({
      provider: PROVIDER,
      url: `${base}/servicios/soap/stamp`,
      namespace: FINKOK_STAMP_NAMESPACE,
      operation,
      params: [['xml', Buffer.from(xml, 'utf8').toString('base64')], ...auth],
      timeoutMs,
      secrets,
    });

  const cancelCall = (operation: string, params: [string, string][]) =>
    soapPost({
      provider: PROVIDER,
      url: `${base}/servicios/soap/cancel`,
      namespace: FINKOK_CANCEL_NAMESPACE,
      operation,
      params,
      timeoutMs,
      secrets,
    });

  /** The Sello of the XML to stamp; the document is refused here when it is not a sealed CFDI. */
  function selloOf(xml: string): string {
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch (error) {
      if (error instanceof CfdiXmlError) {
        throw new PacError('INVALID_REQUEST', error.message, { provider: PROVIDER, operation: 'stamp', retry: false });
      }
      throw error;
    }
    const sello = attribute(root, 'Sello') ?? '';
    if (root.local !== 'Comprobante' || sello === '') {
      throw new PacError('INVALID_REQUEST', 'El XML no es un CFDI sellado: falta el atributo Sello.', {
        provider: PROVIDER,
        operation: 'stamp',
        retry: false,
      });
    }
    if (timbreOf(root)) {
      throw new PacError('INVALID_REQUEST', 'El CFDI ya tiene un Timbre Fiscal Digital.', {
        provider: PROVIDER,
        operation: 'stamp',
        retry: false,
      });
    }
    return sello;
  }

  /** The stamp in a result, checked against the document we sent (its Sello), or null when it holds none. */
  function stampIn(operation: string, result: XmlElement, sello: string, previous: boolean): Stamp | null {
    const xml = textOf(child(result, 'xml')).trim();
    if (xml === '') return null;
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch {
      throw fail('PROTOCOL', operation, 'Finkok devolvió un XML timbrado que no se puede leer.');
    }
    const tfd = timbreOf(root);
    const uuid = tfd ? (attribute(tfd, 'UUID') ?? '') : '';
    if (!tfd || !UUID.test(uuid)) throw fail('PROTOCOL', operation, 'Finkok devolvió un XML sin un Timbre Fiscal Digital válido.');
    if (attribute(root, 'Sello') !== sello || attribute(tfd, 'SelloCFD') !== sello) {
      throw fail('PROTOCOL', operation, 'Finkok devolvió el timbre de otro comprobante (el SelloCFD no es el Sello enviado).');
    }
    return {
      uuid,
      fechaTimbrado: attribute(tfd, 'FechaTimbrado') ?? '',
      noCertificadoSat: attribute(tfd, 'NoCertificadoSAT') ?? '',
      selloSat: attribute(tfd, 'SelloSAT') ?? '',
      rfcProvCertif: attribute(tfd, 'RfcProvCertif') ?? '',
      xml,
      previous,
    };
  }

  async function stamped(request: StampRequest): Promise<Stamp | null> {
    const sello = selloOf(request.xml);
    const result = await stampCall('stamped', request.xml);
    const found = stampIn('stamped', result, sello, true);
    if (found) return found;
    const incidences = incidencesOf(result);
    if (incidences.length === 0 || incidences.every((i) => i.code === NO_PREVIOUS_STAMP)) return null;
    throw refusal('stamped', incidences.find((i) => i.code !== NO_PREVIOUS_STAMP)!);
  }

  async function status(request: StatusRequest): Promise<CfdiStatus> {
    const result = await cancelCall('get_sat_status', [
      ...auth,
      ['taxpayer_id', request.rfcEmisor],
      ['rtaxpayer_id', request.rfcReceptor],
      ['uuid', request.uuid],
      ['total', request.total],
    ]);
    const error = childText(result, 'error');
    if (error) throw refusal('get_sat_status', lineOf(error));
    const sat = child(result, 'sat');
    const estado = childText(sat, 'Estado');
    const codigoEstatus = clean(childText(sat, 'CodigoEstatus'), secrets);
    const normalized = estado === 'Vigente' || estado === 'Cancelado' ? estado : /^no encontrado$/i.test(estado) ? 'No encontrado' : null;
    if (!sat || !normalized)
      throw fail('PROTOCOL', 'get_sat_status', `Finkok devolvió un estado del SAT que no se reconoce: «${clean(estado, secrets)}».`);
    const esCancelable = childText(sat, 'EsCancelable');
    const estatusCancelacion = childText(sat, 'EstatusCancelacion');
    return {
      estado: normalized,
      codigoEstatus,
      ...(esCancelable ? { esCancelable } : {}),
      ...(estatusCancelacion ? { estatusCancelacion } : {}),
    };
  }

  return {
    provider: PROVIDER,

    async stamp(request) {
      const sello = selloOf(request.xml);
      const result = await stampCall('stamp', request.xml);
      const incidences = incidencesOf(result);
      const previous = incidences.some((i) => i.code === PREVIOUS_STAMP);
      const made = stampIn('stamp', result, sello, previous);
      if (made) return made;
      if (previous) {
        // Documented: the repeated stamp may come without the earlier XML; `stamped` has it.
        const earlier = await stamped(request);
        if (earlier) return earlier;
        throw fail(
          'UNAVAILABLE',
          'stamp',
          'Finkok dice que este CFDI ya fue timbrado pero aún no entrega ese timbre; se puede reintentar.',
          incidences.find((i) => i.code === PREVIOUS_STAMP),
        );
      }
      if (incidences.length > 0) throw refusal('stamp', incidences[0]!);
      throw fail('PROTOCOL', 'stamp', 'Finkok respondió sin XML timbrado y sin incidencias.');
    },

    stamped,

    status,

    async cancel(request: CancelRequest): Promise<CancelResult> {
      const refuse = (message: string) =>
        new PacError('INVALID_REQUEST', message, { provider: PROVIDER, operation: 'cancel_signature', retry: false });
      if (request.motivo === '01' && !request.folioSustitucion) {
        throw refuse(
          'El motivo 01 (comprobante emitido con errores con relación) requiere el folio fiscal (UUID) del CFDI que lo sustituye.',
        );
      }
      if (request.motivo !== '01' && request.folioSustitucion) {
        throw refuse(`El folio de sustitución sólo se indica con el motivo 01, no con el ${request.motivo}.`);
      }
      if (request.folioSustitucion !== undefined && !UUID.test(request.folioSustitucion))
        throw refuse('El folio de sustitución no es un UUID.');
      if (!UUID.test(request.uuid)) throw refuse('El folio fiscal a cancelar no es un UUID.');
      if (request.csd.rfc !== request.rfcEmisor) {
        throw refuse(`El CSD es del RFC ${request.csd.rfc}, pero el emisor del CFDI a cancelar es ${request.rfcEmisor}.`);
      }

      // The signing (xml-crypto) is loaded with the first cancellation, not with every engine.
      const { signedCancelacion } = await import('./cancelacion.ts');
      const signed = signedCancelacion(request.csd, request.rfcEmisor, [
        { uuid: request.uuid, motivo: request.motivo, folioSustitucion: request.folioSustitucion },
      ]);
      const result = await cancelCall('cancel_signature', [
        ['xml', Buffer.from(signed, 'utf8').toString('base64')],
        ...auth,
        // A request the SAT could not take is reported and retried by the caller, not queued at Finkok.
        ['store_pending', 'false'],
      ]);
      const folio = children(child(result, 'Folios'), 'Folio').find(
        (f) => childText(f, 'UUID').toUpperCase() === request.uuid.toUpperCase(),
      );
      if (!folio) {
        const line = childText(result, 'CodEstatus') || childText(result, 'error');
        if (line) throw refusal('cancel_signature', lineOf(line));
        throw fail('PROTOCOL', 'cancel_signature', 'Finkok respondió a la cancelación sin el folio enviado.');
      }
      const code = childText(folio, 'EstatusUUID');
      const message = clean(childText(folio, 'EstatusCancelacion'), secrets);
      if (code !== '201' && code !== '202') return { state: 'rejected', code, message };

      const acuseText = textOf(child(result, 'Acuse')).trim();
      const acuse = acuseText ? { acuse: acuseText } : {};
      // 201/202 say the SAT took the request; whether it is cancelled already or waits for the
      // receiver's acceptance is the CFDI's status.
      try {
        const now = await status(request);
        if (now.estado === 'Cancelado') return { state: 'accepted', code, message, ...acuse };
      } catch (error) {
        if (!(error instanceof PacError) || error.code !== 'UNAVAILABLE') throw error;
      }
      return { state: 'in_process', code, message, ...acuse };
    },
  };
}
