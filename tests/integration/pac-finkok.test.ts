// The Finkok adapter over real HTTP against a loopback Finkok on 127.0.0.1 that checks each CFDI as
// a PAC does and stamps it with a test PAC certificate; the issuer's CSD is made by openssl per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cadenaOriginal, cadenaOriginalOf, cadenaOriginalTfd, timbreOf } from '#engine/fiscal/mx/cadena-original.ts';
import { buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import { attribute, cfdiToXml, parseXml } from '#engine/fiscal/mx/cfdi-xml.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { type PacClient, PacError } from '#engine/fiscal/mx/pac/pac-client.ts';
import { type Csd, openCsd, sealComprobante, selloOf, verifySello } from '#engine/fiscal/mx/seal.ts';
import { randomIngreso } from '../support/cfdi-samples.ts';
import { FINKOK_RFC, type LoopbackPac, startLoopbackPac } from '../support/loopback-pac.ts';
import { stampedCfdiSchema, xmllintSchema } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { makeTestCsd } from '../support/test-csd.ts';

const USER = 'cajas@abarrotes-esperanza.mx';
const PASSWORD = 'Finkok-secreto-9!';
const dir = mkdtempSync(join(tmpdir(), 'pos-pac-'));
let pac: LoopbackPac;
let csd: Csd;
let client: PacClient;
let seed = 100;

/** A sale invoiced now, sealed with the issuer's CSD, as the XML a PAC receives. */
function sealedCfdi(): { xml: string; sello: string; total: string; rfcReceptor: string } {
  const built = buildIngreso({ ...randomIngreso(seededRandom(seed++)), issuedAt: new Date() });
  const { comprobante } = sealComprobante(built.comprobante, csd, built.issuedAt);
  return { xml: cfdiToXml(comprobante), sello: comprobante.Sello, total: comprobante.Total, rfcReceptor: comprobante.Receptor.Rfc };
}

const pacError = async (promise: Promise<unknown>): Promise<PacError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PacError) return error;
    throw error;
  }
  throw new Error('expected a PacError');
};

const finkok = (overrides: Partial<Parameters<typeof finkokClient>[0]> = {}) =>
  finkokClient({ username: USER, password: PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000, ...overrides });

beforeAll(async () => {
  pac = await startLoopbackPac({ username: USER, password: PASSWORD, dir });
  csd = openCsd(makeTestCsd(dir, { rfc: 'EKU9003173C9' }));
});
afterAll(async () => {
  await pac.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  pac.refuseCredentials(false);
  client = finkok();
});

describe('stamping through Finkok', () => {
  it('returns the CFDI with a TimbreFiscalDigital whose SelloSAT verifies against the PAC certificate and whose SelloCFD is the Sello', async () => {
    const cfdi = sealedCfdi();
    const stamp = await client.stamp({ xml: cfdi.xml, key: 'sale-1' });

    const root = parseXml(stamp.xml);
    const tfd = timbreOf(root)!;
    expect(attribute(tfd, 'Version')).toBe('1.1');
    expect(attribute(tfd, 'UUID')).toBe(stamp.uuid);
    expect(stamp.uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(attribute(tfd, 'SelloCFD')).toBe(cfdi.sello);
    expect(stamp).toMatchObject({ rfcProvCertif: FINKOK_RFC, noCertificadoSat: pac.noCertificadoSat, previous: false });
    expect(verifySello(cadenaOriginalTfd(tfd), stamp.selloSat, pac.certificate)).toBe(true);
    expect(verifySello(cadenaOriginalTfd(tfd), stamp.selloSat, csd.certificado)).toBe(false);
    // The stamped document is still the one sealed: its cadena original verifies against its Sello.
    expect(verifySello(cadenaOriginal(root), attribute(root, 'Sello')!, csd.certificado)).toBe(true);
    const schema = xmllintSchema(dir, stampedCfdiSchema(dir), stamp.xml, 'stamped.xml');
    expect(schema.output).not.toMatch(/fails to validate|error/);
    expect(schema.valid).toBe(true);
  });

  it('passes on the PAC’s 401 for a CFDI dated more than 72 hours ago', async () => {
    const built = buildIngreso({ ...randomIngreso(seededRandom(seed++)), issuedAt: new Date(Date.now() - 4 * 24 * 3600 * 1000) });
    // Sealed by hand: sealComprobante would rightly refuse a date before this test CSD was made.
    const withCertificate = { ...built.comprobante, NoCertificado: csd.noCertificado, Certificado: csd.certificado, Sello: '' };
    const xml = cfdiToXml({ ...withCertificate, Sello: selloOf(cadenaOriginalOf(withCertificate), csd.key) });
    expect(await pacError(client.stamp({ xml, key: 'sale-old' }))).toMatchObject({ code: 'REJECTED', retry: false, pacCode: '401' });
  });

  it('refuses a CFDI whose seal does not verify with the PAC’s code and message, and says not to retry', async () => {
    const cfdi = sealedCfdi();
    const tampered = cfdi.xml.replace(/Total="([0-9.]+)"/, 'Total="999999.00"');
    const error = await pacError(client.stamp({ xml: tampered, key: 'sale-2' }));
    expect(error).toMatchObject({ code: 'REJECTED', retry: false, pacCode: '302', pacMessage: 'Sello mal formado o inválido' });
    expect(error.message).toContain('302');
  });

  it('passes on a rejection the PAC scripted, with its code', async () => {
    pac.script({ reject: { code: '402', message: 'RFC del emisor no se encuentra en el régimen de contribuyentes' } });
    const error = await pacError(client.stamp({ xml: sealedCfdi().xml, key: 'sale-3' }));
    expect(error).toMatchObject({ code: 'REJECTED', retry: false, pacCode: '402' });
  });

  it('calls a 5xx and a request left hanging past the timeout UNAVAILABLE, to be retried', async () => {
    const cfdi = sealedCfdi();
    pac.script({ httpStatus: 503 });
    expect(await pacError(client.stamp({ xml: cfdi.xml, key: 'sale-4' }))).toMatchObject({ code: 'UNAVAILABLE', retry: true });
    pac.script('hang');
    const hung = await pacError(finkok({ timeoutMs: 300 }).stamp({ xml: cfdi.xml, key: 'sale-4' }));
    expect(hung).toMatchObject({ code: 'UNAVAILABLE', retry: true });
    expect(hung.message).toContain('300 ms');
    expect(pac.stamped.some((r) => r.sello === cfdi.sello)).toBe(false);
  });

  it('recovers a stamp whose answer was lost with `stamped`, and a second stamp of the same XML gives the same UUID', async () => {
    const cfdi = sealedCfdi();
    const request = { xml: cfdi.xml, key: 'sale-5' };
    expect(await client.stamped(request)).toBeNull();

    pac.script('stamp-then-drop');
    expect(await pacError(client.stamp(request))).toMatchObject({ code: 'UNAVAILABLE', retry: true });
    const made = pac.stamped.filter((r) => r.sello === cfdi.sello);
    expect(made).toHaveLength(1);

    const found = await client.stamped(request);
    expect(found).toMatchObject({ uuid: made[0]!.uuid, previous: true });
    const again = await client.stamp(request);
    expect(again).toMatchObject({ uuid: made[0]!.uuid, previous: true });
    expect(again.xml).toBe(found!.xml);
    expect(pac.stamped.filter((r) => r.sello === cfdi.sello)).toHaveLength(1);
  });

  it('calls refused credentials AUTH, and no error message carries the user or the password', async () => {
    const cfdi = sealedCfdi();
    const wrong = finkok({ password: 'otra-contraseña' });
    const stampError = await pacError(wrong.stamp({ xml: cfdi.xml, key: 'sale-6' }));
    expect(stampError).toMatchObject({ code: 'AUTH', retry: false, pacCode: '300' });

    pac.refuseCredentials(true);
    const statusError = await pacError(
      client.status({ uuid: '6B1F0B3E-4E7C-4B5A-9E7D-1C2A3B4C5D6E', rfcEmisor: csd.rfc, rfcReceptor: cfdi.rfcReceptor, total: cfdi.total }),
    );
    expect(statusError).toMatchObject({ code: 'AUTH', retry: false });
    for (const error of [stampError, statusError]) {
      const everything = `${error.message} ${JSON.stringify(error.params)} ${error.stack}`;
      expect(everything).not.toContain(USER);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain('otra-contraseña');
    }
  });
});

describe('status and cancellation through Finkok', () => {
  it('cancels with motivo 02, after which the SAT status says Cancelado', async () => {
    const cfdi = sealedCfdi();
    const stamp = await client.stamp({ xml: cfdi.xml, key: 'sale-7' });
    const which = { uuid: stamp.uuid, rfcEmisor: csd.rfc, rfcReceptor: cfdi.rfcReceptor, total: cfdi.total };
    expect(await client.status(which)).toMatchObject({ estado: 'Vigente', esCancelable: 'Cancelable sin aceptación' });

    const cancelled = await client.cancel({ ...which, motivo: '02', csd });
    expect(cancelled).toMatchObject({ state: 'accepted', code: '201' });
    expect(await client.status(which)).toMatchObject({ estado: 'Cancelado', estatusCancelacion: 'Cancelado sin aceptación' });
    expect(await client.cancel({ ...which, motivo: '02', csd })).toMatchObject({ state: 'accepted', code: '202' });
  });

  it('passes on the SAT’s refusal of a UUID it does not know, and says No encontrado for its status', async () => {
    const which = { uuid: '6B1F0B3E-4E7C-4B5A-9E7D-1C2A3B4C5D6E', rfcEmisor: csd.rfc, rfcReceptor: 'COSC8001137NA', total: '116.00' };
    expect(await client.cancel({ ...which, motivo: '02', csd })).toMatchObject({ state: 'rejected', code: '205' });
    expect(await client.status(which)).toMatchObject({ estado: 'No encontrado' });
  });

  it('refuses motivo 01 without a folio de sustitución before any request', async () => {
    const before = pac.requests;
    const error = await pacError(
      client.cancel({
        uuid: '6B1F0B3E-4E7C-4B5A-9E7D-1C2A3B4C5D6E',
        rfcEmisor: csd.rfc,
        rfcReceptor: 'COSC8001137NA',
        total: '116.00',
        motivo: '01',
        csd,
      }),
    );
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retry: false });
    expect(error.message).toContain('motivo 01');
    expect(pac.requests).toBe(before);
  });
});
