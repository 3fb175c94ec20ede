// Sealing a CFDI with the issuer's Certificado de Sello Digital (CSD): the .cer (X.509, DER), the
// .key (PKCS#8 DER, encrypted with the owner's password) and that password. The Sello is
// SHA256withRSA over the UTF-8 bytes of the cadena original, in base64; NoCertificado is the
// certificate's serial as the SAT writes it (its bytes are ASCII digits); Certificado is the
// .cer in base64.
//
// node:crypto (OpenSSL) does the work. @nodecfdi/credentials was tried: it opens and signs
// correctly, but through a pure-JavaScript RSA (a fork of node-forge) about 190 times slower per
// signature than OpenSSL, and it brings that fork along; these checks need nothing it adds.
//
// The key is only ever held in memory here; where it is kept is the caller's business.
import { createPrivateKey, type KeyObject, sign, verify, X509Certificate } from 'node:crypto';
import { cadenaOriginalOf } from './cadena-original.ts';
import type { Comprobante } from './cfdi-model.ts';
import { FiscalMxError } from './errors.ts';

export type SealErrorCode =
  | 'CSD_CERTIFICATE_UNREADABLE'
  | 'CSD_KEY_UNREADABLE'
  | 'CSD_PASSWORD'
  | 'CSD_KEY_MISMATCH'
  | 'CSD_IS_FIEL'
  | 'CSD_SERIAL'
  | 'CSD_NOT_YET_VALID'
  | 'CSD_EXPIRED'
  | 'CSD_RFC_MISMATCH';

export class SealError extends FiscalMxError<SealErrorCode> {
  override name = 'SealError';
}

/** An opened CSD: what a CFDI needs from it, and the key to sign with. */
export type Csd = {
  /** The holder's RFC (x500UniqueIdentifier; a company's CSD also names its legal representative, dropped here). */
  rfc: string;
  /** The holder's name (CN). */
  name: string;
  /** The branch (OU): only a CSD has one; an e.firma (FIEL) has none. */
  branch: string;
  /** NoCertificado: 20 digits. */
  noCertificado: string;
  /** Certificado: the .cer in base64. */
  certificado: string;
  validFrom: Date;
  validTo: Date;
  key: KeyObject;
};

export type CsdFiles = { cer: Uint8Array; key: Uint8Array; password: string };

const fecha = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

/** The serial as the SAT writes it: the certificate's serial number bytes are the ASCII digits. */
export function noCertificadoOf(certificate: X509Certificate): string {
  const hex = certificate.serialNumber.length % 2 === 0 ? certificate.serialNumber : `0${certificate.serialNumber}`;
  const text = Buffer.from(hex, 'hex').toString('latin1');
  if (!/^[0-9]{20}$/.test(text)) {
    throw new SealError('CSD_SERIAL', 'El número de serie del certificado no es de los que emite el SAT (20 dígitos).', {
      serial: certificate.serialNumber,
    });
  }
  return text;
}

function subjectField(certificate: X509Certificate, field: string): string {
  const value = (certificate.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>)[field];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function readKey(der: Uint8Array, password: string): KeyObject {
  const key = Buffer.from(der);
  try {
    // A CSD's key is always encrypted; one that opens without a password is taken as it is.
    return createPrivateKey({ key, format: 'der', type: 'pkcs8' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MISSING_PASSPHRASE') {
      throw new SealError('CSD_KEY_UNREADABLE', 'El archivo .key no es una llave privada (PKCS#8 en DER) como las del SAT.', {
        cause: (error as Error).message,
      });
    }
  }
  try {
    return createPrivateKey({ key, format: 'der', type: 'pkcs8', passphrase: password });
  } catch {
    // The key is a well-formed encrypted PKCS#8 (it asked for a password): failing now is the password.
    throw new SealError('CSD_PASSWORD', 'La contraseña de la llave privada (.key) no es correcta.');
  }
}

/**
 * Opens the CSD: the certificate, the key with its password, that they belong together, and that
 * the certificate is a CSD and not the holder's e.firma (FIEL), which must not seal invoices.
 */
export function openCsd(files: CsdFiles): Csd {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(files.cer));
  } catch (error) {
    throw new SealError('CSD_CERTIFICATE_UNREADABLE', 'El archivo .cer no es un certificado del SAT (X.509 en DER).', {
      cause: (error as Error).message,
    });
  }
  const key = readKey(files.key, files.password);
  if (!certificate.checkPrivateKey(key)) {
    throw new SealError(
      'CSD_KEY_MISMATCH',
      'La llave privada (.key) no corresponde a este certificado (.cer): usa la pareja que entregó el SAT.',
    );
  }
  // The SAT's CSDs carry the branch in OU; the e.firma has none (and is for other uses, such as
  // extended key usages for e-mail and client authentication).
  const branch = subjectField(certificate, 'OU');
  if (branch === '' || certificate.keyUsage !== undefined) {
    throw new SealError(
      'CSD_IS_FIEL',
      'Este certificado es de e.firma (FIEL), no un Certificado de Sello Digital (CSD). Las facturas se sellan con el CSD, que se tramita en el portal del SAT con la e.firma.',
    );
  }
  const rfcField = subjectField(certificate, 'x500UniqueIdentifier');
  const rfc = /[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}/u.exec(rfcField)?.[0] ?? '';
  return {
    rfc,
    name: subjectField(certificate, 'CN'),
    branch,
    noCertificado: noCertificadoOf(certificate),
    certificado: certificate.raw.toString('base64'),
    validFrom: new Date(certificate.validFrom),
    validTo: new Date(certificate.validTo),
    key,
  };
}

/** Refuses a CSD that cannot seal this comprobante: not valid at its issue instant, or another RFC's. */
export function checkCsdFor(csd: Csd, issuerRfc: string, issuedAt: Date): void {
  if (issuedAt < csd.validFrom) {
    throw new SealError(
      'CSD_NOT_YET_VALID',
      `El certificado aún no es vigente en la fecha del comprobante: lo es desde ${fecha(csd.validFrom)} UTC.`,
      {
        validFrom: csd.validFrom.toISOString(),
        issuedAt: issuedAt.toISOString(),
      },
    );
  }
  if (issuedAt > csd.validTo) {
    throw new SealError(
      'CSD_EXPIRED',
      `El certificado venció el ${fecha(csd.validTo)} UTC, antes de la fecha del comprobante. Tramita un CSD nuevo en el portal del SAT.`,
      {
        validTo: csd.validTo.toISOString(),
        issuedAt: issuedAt.toISOString(),
      },
    );
  }
  if (csd.rfc !== issuerRfc) {
    throw new SealError(
      'CSD_RFC_MISMATCH',
      `El certificado es del RFC ${csd.rfc || '(sin RFC)'}, pero el emisor del comprobante es ${issuerRfc}.`,
      {
        certificateRfc: csd.rfc,
        issuerRfc,
      },
    );
  }
}

/** Base64 SHA256withRSA of the cadena's UTF-8 bytes. */
export const selloOf = (cadena: string, key: KeyObject): string => sign('sha256', Buffer.from(cadena, 'utf8'), key).toString('base64');

/** Whether `sello` is the signature of `cadena` by the certificate `certificado` (base64 DER), as a PAC checks it. */
export function verifySello(cadena: string, sello: string, certificado: string): boolean {
  try {
    const certificate = new X509Certificate(Buffer.from(certificado, 'base64'));
    return verify('sha256', Buffer.from(cadena, 'utf8'), certificate.publicKey, Buffer.from(sello, 'base64'));
  } catch {
    return false;
  }
}

export type Sealed = { comprobante: Comprobante; cadenaOriginal: string };

/**
 * The comprobante with NoCertificado, Certificado and Sello filled in. `issuedAt` is the instant its
 * Fecha was written from (cfdi-build's BuiltCfdi.issuedAt): the CSD must be valid then.
 */
export function sealComprobante(comprobante: Comprobante, csd: Csd, issuedAt: Date): Sealed {
  checkCsdFor(csd, comprobante.Emisor.Rfc, issuedAt);
  const withCertificate: Comprobante = { ...comprobante, NoCertificado: csd.noCertificado, Certificado: csd.certificado, Sello: '' };
  const cadenaOriginal = cadenaOriginalOf(withCertificate);
  return { comprobante: { ...withCertificate, Sello: selloOf(cadenaOriginal, csd.key) }, cadenaOriginal };
}
