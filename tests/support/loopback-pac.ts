// Finkok's stamping and cancellation SOAP services on 127.0.0.1, as documented
// (https://wiki.finkok.com; answers shaped as recorded Finkok answers): POST
// /servicios/soap/stamp (stamp, stamped) and /servicios/soap/cancel (cancel_signature,
// get_sat_status), document/literal SOAP 1.1, credentials as the username/password parameters.
//
// It checks a CFDI as a PAC must: the cadena original recomputed with the repo's cadenaOriginal,
// the Sello verified against the Certificado attribute, the certificate's RFC against the Emisor's,
// the Fecha within 72 hours of now (Mexico's wall clock). Then it stamps with a test PAC
// certificate of its own: a TimbreFiscalDigital 1.1 whose SelloSAT is RSA-SHA256 over the TFD's
// cadena original. It remembers each stamp by the CFDI's Sello, so the same XML again gets
// incidence 307 with the earlier stamp, and `stamped` finds it; it keeps each UUID's SAT status
// and takes signed cancellation requests (XML-DSig verified with xml-crypto).
//
// Knobs: script(...) the next requests' fate (an HTTP status, a hang, stamp-then-drop the
// connection, a rejection with a given incidence code), and refuseCredentials().
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from 'decimal.js';
import { SignedXml } from 'xml-crypto';
import { cadenaOriginal, cadenaOriginalTfd, timbreOf } from '#engine/fiscal/mx/cadena-original.ts';
import { fechaLocal } from '#engine/fiscal/mx/cfdi-build.ts';
import { CFDI_NAMESPACE, type TimbreFiscalDigital } from '#engine/fiscal/mx/cfdi-model.ts';
import { attribute, childElement, parseXml, serializeXml, timbreElement, type XmlElement } from '#engine/fiscal/mx/cfdi-xml.ts';
import { FINKOK_CANCEL_NAMESPACE, FINKOK_STAMP_NAMESPACE } from '#engine/fiscal/mx/pac/finkok.ts';
import { child, children, escapeXmlText, SOAP_ENVELOPE, textOf } from '#engine/fiscal/mx/pac/soap.ts';
import { type Csd, openCsd, verifySello } from '#engine/fiscal/mx/seal.ts';
import { makeTestCsd } from './test-csd.ts';

/** Finkok's RfcProvCertif, as its stamps carry it. */
export const FINKOK_RFC = 'CVD110412TF6';

export type PacScripted =
  /** Answer as usual (to script a later request). */
  | 'as-usual'
  /** Answer this HTTP status with an HTML page (a proxy's 502, a 503 in maintenance). */
  | { httpStatus: number }
  /** Read the request and never answer. */
  | 'hang'
  /** Stamp (and remember) as usual, then close the connection before answering. */
  | 'stamp-then-drop'
  /** Refuse the document with this incidence. */
  | { reject: { code: string; message: string } };

export type LoopbackPacRecord = {
  uuid: string;
  sello: string;
  xml: string;
  rfcEmisor: string;
  rfcReceptor: string;
  total: string;
  estado: 'Vigente' | 'Cancelado';
  estatusCancelacion: string;
};

export type LoopbackPac = {
  baseUrl: string;
  /** The test PAC's certificate (base64 DER): SelloSAT verifies against it. */
  certificate: string;
  noCertificadoSat: string;
  /** Every request that reached the server. */
  readonly requests: number;
  /** Stamps made (a repeated XML makes none). */
  readonly stamped: LoopbackPacRecord[];
  script(...next: PacScripted[]): void;
  refuseCredentials(refuse: boolean): void;
  close(): Promise<void>;
};

const fault = (code: string, message: string) =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<senv:Envelope xmlns:senv="${SOAP_ENVELOPE}"><senv:Body><senv:Fault>` +
  `<faultcode>senv:${code}</faultcode><faultstring>${escapeXmlText(message)}</faultstring></senv:Fault></senv:Body></senv:Envelope>`;

const answer = (namespace: string, operation: string, inner: string) =>
  `<?xml version='1.0' encoding='UTF-8'?>\n<senv:Envelope xmlns:s0="apps.services.soap.core.views" xmlns:senv="${SOAP_ENVELOPE}" xmlns:tns="${namespace}">` +
  `<senv:Body><tns:${operation}Response><tns:${operation}Result>${inner}</tns:${operation}Result></tns:${operation}Response></senv:Body></senv:Envelope>`;

const el = (name: string, text: string) => `<s0:${name}>${escapeXmlText(text)}</s0:${name}>`;

const incidencias = (list: { code: string; message: string }[]) =>
  list.length === 0
    ? '<s0:Incidencias/>'
    : `<s0:Incidencias>${list
        .map(
          (i) =>
            `<s0:Incidencia>${el('IdIncidencia', randomUUID())}${el('Uuid', '')}${el('CodigoError', i.code)}${el('WorkProcessId', randomUUID())}` +
            `${el('MensajeIncidencia', i.message)}${el('ExtraInfo', '')}${el('NoCertificadoPac', '')}${el('FechaRegistro', fechaLocal(new Date(), 'America/Mexico_City'))}</s0:Incidencia>`,
        )
        .join('')}</s0:Incidencias>`;

/** The RFC a SAT certificate names in x500UniqueIdentifier ("RFC / RFC of the representative"). */
function certificateRfc(certificado: string): string {
  try {
    const subject = new X509Certificate(Buffer.from(certificado, 'base64')).toLegacyObject().subject as unknown as Record<string, unknown>;
    const value = subject.x500UniqueIdentifier;
    const text = Array.isArray(value) ? String(value[0]) : String(value ?? '');
    return /[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}/u.exec(text)?.[0] ?? '';
  } catch {
    return '';
  }
}

const HOURS_72 = 72 * 3600 * 1000;
const wallClockMs = (fecha: string) => Date.parse(`${fecha}Z`);

export async function startLoopbackPac(opts: { username: string; password: string; dir: string }): Promise<LoopbackPac> {
  const pacFiles = makeTestCsd(opts.dir, { rfc: FINKOK_RFC, name: 'FINKOK SAPI DE CV', serial: '30001000000500003456' });
  const pac: Csd = openCsd(pacFiles);
  const bySello = new Map<string, LoopbackPacRecord>();
  const byUuid = new Map<string, LoopbackPacRecord>();
  const stampedList: LoopbackPacRecord[] = [];
  const scripted: PacScripted[] = [];
  let requests = 0;
  let refusing = false;

  /** Checks and stamps a CFDI; a repeated one gets its earlier record back. */
  function stampCfdi(xml: string): { record: LoopbackPacRecord; previous: boolean } | { code: string; message: string } {
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch {
      return { code: '301', message: 'XML mal formado' };
    }
    if (root.ns !== CFDI_NAMESPACE || root.local !== 'Comprobante' || attribute(root, 'Version') !== '4.0') {
      return { code: '705', message: 'XML estructura inválida' };
    }
    const sello = attribute(root, 'Sello') ?? '';
    const earlier = bySello.get(sello);
    if (earlier) return { record: earlier, previous: true };
    if (timbreOf(root)) return { code: '707', message: 'XML ya contiene un nodo TimbreFiscalDigital' };
    const certificado = attribute(root, 'Certificado') ?? '';
    if (!verifySello(cadenaOriginal(root), sello, certificado)) return { code: '302', message: 'Sello mal formado o inválido' };
    const emisor = childElement(root, CFDI_NAMESPACE, 'Emisor');
    const receptor = childElement(root, CFDI_NAMESPACE, 'Receptor');
    const rfcEmisor = emisor ? (attribute(emisor, 'Rfc') ?? '') : '';
    if (certificateRfc(certificado) !== rfcEmisor) return { code: '303', message: 'Sello no corresponde a emisor' };
    const now = fechaLocal(new Date(), 'America/Mexico_City');
    const fecha = attribute(root, 'Fecha') ?? '';
    if (!(Math.abs(wallClockMs(now) - wallClockMs(fecha)) <= HOURS_72)) {
      return { code: '401', message: 'Fecha y hora de generación fuera de rango' };
    }

    const tfd: TimbreFiscalDigital = {
      Version: '1.1',
      UUID: randomUUID().toUpperCase(),
      FechaTimbrado: now,
      RfcProvCertif: FINKOK_RFC,
      SelloCFD: sello,
      NoCertificadoSAT: pac.noCertificado,
      SelloSAT: '',
    };
    tfd.SelloSAT = sign('sha256', Buffer.from(cadenaOriginalTfd(timbreElement(tfd)), 'utf8'), pac.key).toString('base64');
    let complemento = childElement(root, CFDI_NAMESPACE, 'Complemento');
    if (!complemento) {
      complemento = { name: 'cfdi:Complemento', ns: CFDI_NAMESPACE, local: 'Complemento', attrs: [], children: [] };
      root.children.push(complemento);
    }
    complemento.children.push(timbreElement(tfd));
    const record: LoopbackPacRecord = {
      uuid: tfd.UUID,
      sello,
      xml: serializeXml(root),
      rfcEmisor,
      rfcReceptor: receptor ? (attribute(receptor, 'Rfc') ?? '') : '',
      total: attribute(root, 'Total') ?? '',
      estado: 'Vigente',
      estatusCancelacion: '',
    };
    bySello.set(sello, record);
    byUuid.set(record.uuid, record);
    stampedList.push(record);
    return { record, previous: false };
  }

  function stampResult(record: LoopbackPacRecord, status: string, issues: { code: string; message: string }[]): string {
    const tfd = timbreOf(parseXml(record.xml))!;
    return (
      el('xml', record.xml) +
      el('UUID', record.uuid) +
      el('Fecha', attribute(tfd, 'FechaTimbrado') ?? '') +
      el('CodEstatus', status) +
      el('SatSeal', attribute(tfd, 'SelloSAT') ?? '') +
      incidencias(issues) +
      el('NoCertificadoSAT', attribute(tfd, 'NoCertificadoSAT') ?? '')
    );
  }

  function onStampService(operation: string, params: Map<string, string>, next: PacScripted | undefined): string {
    const refused = refusing || params.get('username') !== opts.username || params.get('password') !== opts.password;
    if (refused) {
      // Echoes the user it refused, as some services do: the adapter must not pass it on.
      return answer(
        FINKOK_STAMP_NAMESPACE,
        operation,
        el('xml', '') + incidencias([{ code: '300', message: `Usuario o contraseña inválidos: ${params.get('username')}` }]),
      );
    }
    if (next && typeof next === 'object' && 'reject' in next) {
      return answer(FINKOK_STAMP_NAMESPACE, operation, el('xml', '') + incidencias([next.reject]));
    }
    const xml = Buffer.from(params.get('xml') ?? '', 'base64').toString('utf8');
    if (operation === 'stamped') {
      let sello = '';
      try {
        sello = attribute(parseXml(xml), 'Sello') ?? '';
      } catch {}
      const record = bySello.get(sello);
      if (record) return answer(FINKOK_STAMP_NAMESPACE, operation, stampResult(record, 'Comprobante recibido satisfactoriamente', []));
      return answer(
        FINKOK_STAMP_NAMESPACE,
        operation,
        el('xml', '') + incidencias([{ code: '603', message: 'El CFDI no contiene un timbre previo' }]),
      );
    }
    const made = stampCfdi(xml);
    if ('code' in made) return answer(FINKOK_STAMP_NAMESPACE, operation, el('xml', '') + incidencias([made]));
    return answer(
      FINKOK_STAMP_NAMESPACE,
      operation,
      made.previous
        ? stampResult(made.record, 'Comprobante timbrado previamente', [{ code: '307', message: 'El CFDI contiene un timbre previo' }])
        : stampResult(made.record, 'Comprobante timbrado satisfactoriamente', []),
    );
  }

  function cancelSignature(params: Map<string, string>): string {
    const op = 'cancel_signature';
    const whole = (line: string) => answer(FINKOK_CANCEL_NAMESPACE, op, el('CodEstatus', line));
    const xml = Buffer.from(params.get('xml') ?? '', 'base64').toString('utf8');
    const signature = /<Signature[\s>][\s\S]*<\/Signature>/.exec(xml)?.[0];
    const cert = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)?.[1]?.replace(/\s+/g, '');
    let root: XmlElement;
    try {
      root = parseXml(xml);
    } catch {
      return whole('301 - XML mal formado');
    }
    if (!signature || !cert) return whole('302 - Sello mal formado o inválido');
    const verifier = new SignedXml({ publicCert: new X509Certificate(Buffer.from(cert, 'base64')).toString() });
    verifier.loadSignature(signature);
    let valid = false;
    try {
      valid = verifier.checkSignature(xml);
    } catch {
      valid = false;
    }
    if (!valid) return whole('302 - Sello mal formado o inválido');
    const rfcEmisor = attribute(root, 'RfcEmisor') ?? '';
    const folios = children(child(root, 'Folios'), 'Folio').map((f) => {
      const uuid = (attribute(f, 'UUID') ?? '').toUpperCase();
      const motivo = attribute(f, 'Motivo') ?? '';
      const sustitucion = attribute(f, 'FolioSustitucion');
      const record = byUuid.get(uuid);
      const result = (code: string, message: string) =>
        `<s0:Folio>${el('UUID', uuid)}${el('EstatusUUID', code)}${el('EstatusCancelacion', message)}</s0:Folio>`;
      if (!record) return result('205', 'UUID No encontrado');
      if (record.rfcEmisor !== rfcEmisor || certificateRfc(cert) !== rfcEmisor) {
        return result('203', 'No corresponde el RFC del Emisor y de quien solicita la cancelación');
      }
      if (!['01', '02', '03', '04'].includes(motivo) || (motivo === '01') !== Boolean(sustitucion)) {
        return result('207', 'Motivo de cancelacion invalido');
      }
      if (record.estado === 'Cancelado') return result('202', 'Petición de cancelación realizada Previamente');
      record.estado = 'Cancelado';
      record.estatusCancelacion = 'Cancelado sin aceptación';
      return result('201', 'Petición de cancelación realizada exitosamente');
    });
    const fecha = fechaLocal(new Date(), 'America/Mexico_City');
    const acuse = `<Acuse xmlns="http://cancelacfd.sat.gob.mx" Fecha="${fecha}" RfcEmisor="${escapeXmlText(rfcEmisor)}"/>`;
    return answer(
      FINKOK_CANCEL_NAMESPACE,
      op,
      `<s0:Folios>${folios.join('')}</s0:Folios>${el('Acuse', acuse)}${el('Fecha', fecha)}${el('RfcEmisor', rfcEmisor)}`,
    );
  }

  function satStatus(params: Map<string, string>): string {
    const record = byUuid.get((params.get('uuid') ?? '').toUpperCase());
    const sat = (codigo: string, estado: string, esCancelable: string, estatus: string) =>
      answer(
        FINKOK_CANCEL_NAMESPACE,
        'get_sat_status',
        `<s0:sat>${el('CodigoEstatus', codigo)}${el('Estado', estado)}${el('EsCancelable', esCancelable)}${el('EstatusCancelacion', estatus)}</s0:sat>`,
      );
    if (!record) return sat('N - 602: Comprobante no encontrado.', 'No Encontrado', '', '');
    let sameTotal = false;
    try {
      sameTotal = new Decimal(params.get('total') ?? '').eq(record.total);
    } catch {}
    if (params.get('taxpayer_id') !== record.rfcEmisor || params.get('rtaxpayer_id') !== record.rfcReceptor || !sameTotal) {
      return sat('N - 601: La expresión impresa proporcionada no es válida.', 'No Encontrado', '', '');
    }
    return sat('S - Comprobante obtenido satisfactoriamente.', record.estado, 'Cancelable sin aceptación', record.estatusCancelacion);
  }

  function onCancelService(operation: string, params: Map<string, string>): string {
    if (refusing || params.get('username') !== opts.username || params.get('password') !== opts.password) {
      const line = `300 - Usuario o contraseña inválidos: ${params.get('username')}`;
      return answer(FINKOK_CANCEL_NAMESPACE, operation, operation === 'get_sat_status' ? el('error', line) : el('CodEstatus', line));
    }
    return operation === 'get_sat_status' ? satStatus(params) : cancelSignature(params);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: string, type = 'text/xml; charset=utf-8') => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
      let envelope: XmlElement;
      try {
        envelope = parseXml(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(500, fault('Client', 'The request is not well-formed XML'));
      }
      const body = envelope.ns === SOAP_ENVELOPE ? child(envelope, 'Body') : undefined;
      const call = body?.children.find((c): c is XmlElement => typeof c !== 'string');
      const service =
        req.url === '/servicios/soap/stamp' ? FINKOK_STAMP_NAMESPACE : req.url === '/servicios/soap/cancel' ? FINKOK_CANCEL_NAMESPACE : '';
      const operations = service === FINKOK_STAMP_NAMESPACE ? ['stamp', 'stamped'] : ['cancel_signature', 'get_sat_status'];
      if (req.method !== 'POST' || !service || !call || call.ns !== service || !operations.includes(call.local)) {
        return send(500, fault('Client', `Requested resource ${req.url} ${call?.local ?? ''} not found`));
      }
      const params = new Map<string, string>();
      for (const p of call.children) if (typeof p !== 'string' && p.ns === service) params.set(p.local, textOf(p));

      const next = scripted.shift();
      if (next === 'hang') return;
      if (next && typeof next === 'object' && 'httpStatus' in next) {
        return send(next.httpStatus, `<html><body><h1>${next.httpStatus}</h1></body></html>`, 'text/html');
      }
      const reply = service === FINKOK_STAMP_NAMESPACE ? onStampService(call.local, params, next) : onCancelService(call.local, params);
      if (next === 'stamp-then-drop') {
        req.socket.destroy();
        return;
      }
      send(200, reply);
    });
  });
  // The PAC shares the tests' event loop: after a synchronous stretch longer than an idle
  // timeout (sealing, a PDF's rendering), its timer to close an idle connection and the client's
  // next request on that same connection come due together, and the client got ECONNRESET. A
  // real PAC's timer does not wait on ours; this one closes connections only when it stops.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificate: pac.certificado,
    noCertificadoSat: pac.noCertificado,
    get requests() {
      return requests;
    },
    stamped: stampedList,
    script: (...next) => void scripted.push(...next),
    refuseCredentials: (refuse) => {
      refusing = refuse;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
