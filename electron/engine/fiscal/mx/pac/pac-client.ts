// What every PAC (Proveedor Autorizado de Certificación) adapter offers the fiscal core, and how it
// fails. A PAC stamps a sealed CFDI (adds the TimbreFiscalDigital, which makes it a CFDI), says
// what the SAT knows of one, and carries a cancellation to the SAT.
//
// Never two CFDIs for one sale: a stamp whose answer was lost (a timeout, a crash between "sent"
// and "answer stored") is recovered, never made again. The caller either asks `stamped` first, or
// sends the same XML again: a PAC that already stamped it answers with that stamp
// (`previous: true`), never with a new UUID. The XML must be the very same document (same Sello):
// a re-sealed one is a new CFDI to every PAC.
import type { Csd } from '../seal.ts';
import { FiscalMxError } from '../errors.ts';

export type StampRequest = {
  /** The sealed CFDI 4.0 (Sello, NoCertificado and Certificado filled in), as cfdiToXml writes it. */
  xml: string;
  /** The caller's idempotency key for this document (the sale's); PACs tell documents apart by their Sello. */
  key: string;
};

export type Stamp = {
  uuid: string;
  /** As the TimbreFiscalDigital writes it: AAAA-MM-DDThh:mm:ss, Mexico's wall clock. */
  fechaTimbrado: string;
  noCertificadoSat: string;
  selloSat: string;
  rfcProvCertif: string;
  /** The stamped CFDI: the XML sent, with the TimbreFiscalDigital in its Complemento. */
  xml: string;
  /** The PAC answered with a stamp it had made before for this same XML. */
  previous: boolean;
};

export type StatusRequest = { uuid: string; rfcEmisor: string; rfcReceptor: string; total: string };

export type CfdiStatus = {
  estado: 'Vigente' | 'Cancelado' | 'No encontrado';
  /** "Cancelable sin aceptación", "Cancelable con aceptación", "No cancelable", as the SAT words it. */
  esCancelable?: string;
  /** "En proceso", "Cancelado sin aceptación", "Solicitud rechazada"…, when the SAT gives one. */
  estatusCancelacion?: string;
  /** The SAT's answer line ("S - Comprobante obtenido satisfactoriamente."). */
  codigoEstatus: string;
};

/** The SAT's cancellation reasons (Anexo 20, c_MotivoCancelacion). */
export type MotivoCancelacion = '01' | '02' | '03' | '04';

export type CancelRequest = StatusRequest & {
  motivo: MotivoCancelacion;
  /** The UUID of the CFDI that replaces this one: required by motivo 01, refused by the others. */
  folioSustitucion?: string;
  /** The issuer's CSD: the cancellation request is signed with it here; the key never leaves. */
  csd: Csd;
};

export type CancelResult =
  /** The SAT cancelled it (cancelable without the receiver's acceptance, or already cancelled). */
  | { state: 'accepted'; code: string; message: string; acuse?: string }
  /** The SAT took the request and waits for the receiver's answer (up to 72 hours). */
  | { state: 'in_process'; code: string; message: string; acuse?: string }
  /** The SAT refused it: its code (205 UUID no encontrado, no_cancelable…) and its message. */
  | { state: 'rejected'; code: string; message: string };

export interface PacClient {
  /** The PAC's name, for logs and stored stamps ("finkok"). */
  readonly provider: string;
  stamp(request: StampRequest): Promise<Stamp>;
  /** The stamp the PAC already made for this XML, or null when it made none. */
  stamped(request: StampRequest): Promise<Stamp | null>;
  status(request: StatusRequest): Promise<CfdiStatus>;
  cancel(request: CancelRequest): Promise<CancelResult>;
}

export type PacErrorCode =
  /** The PAC or the SAT refused this document: never retried; `pacCode`/`pacMessage` say why. */
  | 'REJECTED'
  /** 5xx, a timeout, connection refused, the SAT unreachable behind the PAC: try again later. */
  | 'UNAVAILABLE'
  /** The PAC refused the account's credentials. */
  | 'AUTH'
  /** An answer that cannot be read as the protocol says. */
  | 'PROTOCOL'
  /** Refused here, before any request (e.g. motivo 01 without folio de sustitución). */
  | 'INVALID_REQUEST';

export class PacError extends FiscalMxError<PacErrorCode> {
  override name = 'PacError';
  constructor(
    code: PacErrorCode,
    message: string,
    readonly details: {
      provider: string;
      operation: string;
      /** Whether the same request may succeed later. */
      retry: boolean;
      pacCode?: string;
      pacMessage?: string;
      httpStatus?: number;
    },
  ) {
    super(code, message, { ...details });
  }

  get retry(): boolean {
    return this.details.retry;
  }
  get pacCode(): string | undefined {
    return this.details.pacCode;
  }
  get pacMessage(): string | undefined {
    return this.details.pacMessage;
  }
}
