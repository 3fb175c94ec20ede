// The SAT's cancellation request, signed with the issuer's CSD: the shape the SAT's CancelaCFD
// takes, and an enveloped XML-DSig that verifies against the certificate it carries and breaks
// when any signed byte changes.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { attribute, parseXml, type XmlElement } from '#engine/fiscal/mx/cfdi-xml.ts';
import { CANCELACION_NAMESPACE, signedCancelacion } from '#engine/fiscal/mx/pac/cancelacion.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('cancelacion');
const UUID = 'E3BA5811-FD07-4B9C-84B4-B146D7560575';
const SUSTITUTO = '20D816A0-BA64-4DF4-BE87-AA55E62F992F';

const elements = (el: XmlElement, local: string): XmlElement[] =>
  el.children.flatMap((c) => (typeof c === 'string' ? [] : c.local === local ? [c, ...elements(c, local)] : elements(c, local)));

function verifies(xml: string): boolean {
  const signature = /<Signature[\s>][\s\S]*<\/Signature>/.exec(xml)![0];
  const cert = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)![1]!;
  const verifier = new SignedXml({ publicCert: new X509Certificate(Buffer.from(cert, 'base64')).toString() });
  verifier.loadSignature(signature);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('a signed cancellation request', () => {
  const csd = () => openCsd(makeTestCsd(newDir(), { rfc: 'EKU9003173C9' }));

  it('names the issuer, the date in Mexico’s wall clock and each folio with its motivo and substitute', () => {
    const xml = signedCancelacion(
      csd(),
      'EKU9003173C9',
      [{ uuid: UUID, motivo: '01', folioSustitucion: SUSTITUTO }],
      new Date('2026-01-29T21:45:12Z'),
    );
    const root = parseXml(xml);
    expect(root).toMatchObject({ ns: CANCELACION_NAMESPACE, local: 'Cancelacion' });
    expect(attribute(root, 'RfcEmisor')).toBe('EKU9003173C9');
    expect(attribute(root, 'Fecha')).toBe('2026-01-29T15:45:12');
    const [folio] = elements(root, 'Folio');
    expect({
      uuid: attribute(folio!, 'UUID'),
      motivo: attribute(folio!, 'Motivo'),
      sustitucion: attribute(folio!, 'FolioSustitucion'),
    }).toEqual({
      uuid: UUID,
      motivo: '01',
      sustitucion: SUSTITUTO,
    });
    const algorithms = ['SignatureMethod', 'DigestMethod', 'Transform', 'CanonicalizationMethod'].map((n) =>
      attribute(elements(root, n)[0]!, 'Algorithm'),
    );
    expect(algorithms).toEqual([
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      'http://www.w3.org/2000/09/xmldsig#sha1',
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    ]);
    expect(attribute(elements(root, 'Reference')[0]!, 'URI')).toBe('');
  });

  it('verifies against the certificate it carries, and not once a signed value is changed', () => {
    const xml = signedCancelacion(csd(), 'EKU9003173C9', [{ uuid: UUID, motivo: '02' }]);
    expect(verifies(xml)).toBe(true);
    expect(verifies(xml.replace('Motivo="02"', 'Motivo="03"'))).toBe(false);
    expect(verifies(xml.replace(UUID, SUSTITUTO))).toBe(false);
  });
});
