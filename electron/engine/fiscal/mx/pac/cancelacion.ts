// The SAT's cancellation request (CancelaCFD, namespace http://cancelacfd.sat.gob.mx), signed by the
// issuer with its CSD: an enveloped XML-DSig signature, inclusive C14N, RSA-SHA1 over a SHA-1
// digest, the certificate in KeyInfo/X509Data, as the SAT's cancellation service takes it and as
// PACs relay it (Finkok's cancel_signature). Signing here means the CSD's private key never goes
// to the PAC; Finkok's other method, `cancel`, would need the key and its password.
//
// xml-crypto does the canonicalisation and signing: C14N by hand would have to match the SAT's
// canonical bytes exactly, and it is the part such code most often gets wrong.
import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { fechaLocal } from '../cfdi-build.ts';
import type { Csd } from '../seal.ts';
import type { MotivoCancelacion } from './pac-client.ts';
import { escapeXmlText } from './soap.ts';

export const CANCELACION_NAMESPACE = 'http://cancelacfd.sat.gob.mx';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

export type FolioCancelacion = { uuid: string; motivo: MotivoCancelacion; folioSustitucion?: string };

/** X509IssuerName as RFC 4514 writes a DN: the most specific RDN first, comma separated. */
const issuerName = (certificate: X509Certificate): string =>
  certificate.issuer
    .split('\n')
    .filter(Boolean)
    .reverse()
    .map((rdn) => rdn.replace(/([,+"\\<>;])/g, '\\$1'))
    .join(',');

/** The signed Cancelacion document for these folios of `rfcEmisor`, dated `at` in Mexico's wall-clock time. */
export function signedCancelacion(csd: Csd, rfcEmisor: string, folios: readonly FolioCancelacion[], at = new Date()): string {
  const folioXml = folios
    .map(
      (f) =>
        `<Folio UUID="${escapeXmlText(f.uuid)}" Motivo="${f.motivo}"` +
        `${f.folioSustitucion ? ` FolioSustitucion="${escapeXmlText(f.folioSustitucion)}"` : ''}/>`,
    )
    .join('');
  const unsigned =
    `<Cancelacion xmlns="${CANCELACION_NAMESPACE}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
    ` Fecha="${fechaLocal(at, 'America/Mexico_City')}" RfcEmisor="${escapeXmlText(rfcEmisor)}"><Folios>${folioXml}</Folios></Cancelacion>`;

  const certificate = new X509Certificate(Buffer.from(csd.certificado, 'base64'));
  const signer = new SignedXml({
    privateKey: csd.key,
    signatureAlgorithm: `${DSIG}rsa-sha1`,
    canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    getKeyInfoContent: () =>
      '<X509Data><X509IssuerSerial>' +
      `<X509IssuerName>${escapeXmlText(issuerName(certificate))}</X509IssuerName>` +
      `<X509SerialNumber>${BigInt(`0x${certificate.serialNumber}`).toString()}</X509SerialNumber>` +
      `</X509IssuerSerial><X509Certificate>${csd.certificado}</X509Certificate></X509Data>`,
  });
  signer.addReference({
    xpath: '/*',
    transforms: [`${DSIG}enveloped-signature`],
    digestAlgorithm: `${DSIG}sha1`,
    isEmptyUri: true,
  });
  signer.computeSignature(unsigned, { location: { reference: '/*', action: 'append' } });
  return `<?xml version="1.0" encoding="UTF-8"?>${signer.getSignedXml()}`;
}
