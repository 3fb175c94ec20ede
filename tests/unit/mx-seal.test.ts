// Sealing with a CSD made for each test by the openssl CLI (tests/support/test-csd.ts), shaped as
// the SAT issues them; the seal is checked the way a PAC checks it.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cadenaOriginalOf } from '#engine/fiscal/mx/cadena-original.ts';
import { buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiToXml, readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { noCertificadoOf, openCsd, SealError, sealComprobante, verifySello } from '#engine/fiscal/mx/seal.ts';
import { randomIngreso } from '../support/cfdi-samples.ts';
import { xsltproc } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('seal');
const ISSUER_RFC = 'EKU9003173C9';
const built = buildIngreso(randomIngreso(seededRandom(11)));
/** The sale, invoiced now: after the test CSD was made, so within its validity. */
const invoicedNow = () => buildIngreso({ ...randomIngreso(seededRandom(11)), issuedAt: new Date() });

const sealError = (fn: () => unknown): SealError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SealError) return error;
    throw error;
  }
  throw new Error('expected a SealError');
};

describe('a CSD', () => {
  it('opens with its password and gives the RFC, the branch, the NoCertificado as the SAT writes it and the .cer in base64', () => {
    const files = makeTestCsd(newDir(), { rfc: ISSUER_RFC, serial: '30001000000500003416' });
    const csd = openCsd(files);
    expect(csd).toMatchObject({
      rfc: ISSUER_RFC,
      name: 'ABARROTES LA ESPERANZA SA DE CV',
      branch: 'Sucursal Coyoacán',
      noCertificado: '30001000000500003416',
    });
    expect(csd.certificado).toBe(files.cer.toString('base64'));
    expect(noCertificadoOf(new X509Certificate(files.cer))).toBe('30001000000500003416');
  });

  it('refuses a wrong password, a key of another certificate, a .cer that is not one, and an e.firma, each with its own code and a Spanish message', () => {
    const dir = newDir();
    const files = makeTestCsd(dir, { rfc: ISSUER_RFC });
    const other = makeTestCsd(dir, { rfc: ISSUER_RFC, serial: '30001000000500000002' });
    const fiel = makeTestCsd(dir, { rfc: ISSUER_RFC, serial: '00001000000500000003', kind: 'FIEL' });

    const wrongPassword = sealError(() => openCsd({ ...files, password: 'otra' }));
    expect(wrongPassword.code).toBe('CSD_PASSWORD');
    expect(wrongPassword.message).toBe('La contraseña de la llave privada (.key) no es correcta.');
    expect(sealError(() => openCsd({ ...files, key: other.key })).code).toBe('CSD_KEY_MISMATCH');
    expect(sealError(() => openCsd({ ...files, cer: Buffer.from('no soy un certificado') })).code).toBe('CSD_CERTIFICATE_UNREADABLE');
    expect(sealError(() => openCsd({ ...files, key: Buffer.from('ni una llave') })).code).toBe('CSD_KEY_UNREADABLE');
    const isFiel = sealError(() => openCsd(fiel));
    expect(isFiel.code).toBe('CSD_IS_FIEL');
    expect(isFiel.message).toContain('e.firma (FIEL)');
  });
});

describe('sealing a comprobante', () => {
  it('fills NoCertificado, Certificado and a Sello that verifies over the cadena the SAT stylesheet makes of the sealed XML', () => {
    const dir = newDir();
    const csd = openCsd(makeTestCsd(dir, { rfc: ISSUER_RFC, serial: '30001000000500003416' }));
    const invoice = invoicedNow();
    const { comprobante, cadenaOriginal } = sealComprobante(invoice.comprobante, csd, invoice.issuedAt);
    expect(comprobante.NoCertificado).toBe('30001000000500003416');
    expect(comprobante.Certificado).toBe(csd.certificado);
    expect(cadenaOriginal).toContain('|30001000000500003416|');
    const xml = cfdiToXml(comprobante);
    expect(xsltproc(dir, 'cadenaoriginal_4_0.xslt', xml).toString('utf8')).toBe(cadenaOriginal);
    const readBack = readComprobante(xml);
    expect(verifySello(cadenaOriginalOf(readBack), readBack.Sello, readBack.Certificado)).toBe(true);
    // Any change to what the seal covers breaks it.
    expect(verifySello(cadenaOriginalOf({ ...readBack, Total: '0.01' }), readBack.Sello, readBack.Certificado)).toBe(false);
  });

  it('refuses a certificate that is not yet valid or has expired at the comprobante’s instant, and one of another RFC', () => {
    const dir = newDir();
    const csd = openCsd(makeTestCsd(dir, { rfc: ISSUER_RFC, days: 30 }));
    const before = new Date(csd.validFrom.getTime() - 60_000);
    const after = new Date(csd.validTo.getTime() + 60_000);
    const notYet = sealError(() => sealComprobante(built.comprobante, csd, before));
    expect(notYet.code).toBe('CSD_NOT_YET_VALID');
    expect(notYet.message).toContain('aún no es vigente');
    const expired = sealError(() => sealComprobante(built.comprobante, csd, after));
    expect(expired.code).toBe('CSD_EXPIRED');
    expect(expired.message).toContain('venció');
    const otherRfc = openCsd(makeTestCsd(dir, { rfc: 'CSM190311AH6', serial: '30001000000500000009' }));
    const mismatch = sealError(() => sealComprobante(built.comprobante, otherRfc, otherRfc.validFrom));
    expect(mismatch.code).toBe('CSD_RFC_MISMATCH');
    expect(mismatch.message).toBe('El certificado es del RFC CSM190311AH6, pero el emisor del comprobante es EKU9003173C9.');
  });
});
