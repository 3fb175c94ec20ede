// Golden tests of the cadena original: the TypeScript one must be, byte for byte, what xsltproc
// makes with the SAT's stylesheets (resources/sat-mx), and it must be what the SAT itself signed.
import { X509Certificate, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cadenaOriginal, cadenaOriginalOf, cadenaOriginalTfd, normalizeSpace, timbreOf } from '#engine/fiscal/mx/cadena-original.ts';
import { buildEgreso, buildGlobal, buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiToXml, parseXml, readComprobante, serializeXml, timbreElement } from '#engine/fiscal/mx/cfdi-xml.ts';
import { verifySello } from '#engine/fiscal/mx/seal.ts';
import { CUSTOMER_COMPANY, ISSUER, randomIngreso, randomLine } from '../support/cfdi-samples.ts';
import { SAT_MX_FIXTURES, xsltproc } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('cadena');
const satXsltOf = (dir: string, xml: string) => xsltproc(dir, 'cadenaoriginal_4_0.xslt', xml).toString('utf8');

describe('the cadena original', () => {
  it('is what the SAT stylesheet makes, byte for byte, for 60 generated ingresos with every tax, discount and awkward character', () => {
    const dir = newDir();
    const r = seededRandom(19_4_0);
    for (let i = 0; i < 60; i++) {
      const built = buildIngreso(randomIngreso(r, i % 2 === 0 ? undefined : CUSTOMER_COMPANY));
      // A sealed document carries NoCertificado; the tests fill it as seal.ts would.
      const comprobante = { ...built.comprobante, NoCertificado: '30001000000500000001', Certificado: 'MIIB', Sello: 'abc=' };
      const xml = cfdiToXml(comprobante);
      const ours = cadenaOriginalOf(comprobante);
      expect(Buffer.from(ours, 'utf8').equals(xsltproc(dir, 'cadenaoriginal_4_0.xslt', xml)), `case ${i}`).toBe(true);
      expect(cadenaOriginal(parseXml(xml))).toBe(ours);
    }
  });

  it('is what the SAT stylesheet makes for an egreso with its related UUID and for a factura global with InformacionGlobal', () => {
    const dir = newDir();
    const r = seededRandom(7);
    const egreso = buildEgreso({
      issuer: ISSUER,
      receiver: { ...CUSTOMER_COMPANY, usoCfdi: 'G02' },
      relatedUuid: '04bf2854-fe7d-4377-9196-71248f060abb',
      lines: [
        {
          descripcion: 'Jabón & Suavizante',
          claveProdServ: '53131608',
          claveUnidad: 'H87',
          quantity: '2',
          subtotal: '86.21',
          taxAmount: '13.79',
          taxCode: 'IVA16',
        },
      ],
      tenders: [{ formaPago: '01', amount: '100.00' }],
      issuedAt: '2026-05-02T17:00:00Z',
    });
    const global = buildGlobal({
      issuer: ISSUER,
      periodicidad: '01',
      meses: '05',
      año: 2026,
      sales: Array.from({ length: 12 }, (_, i) => ({
        receiptCode: `COY-01-CAJA-1-${String(i + 1).padStart(6, '0')}`,
        lines: Array.from({ length: 1 + r.int(5) }, (_, j) => randomLine(r, j)),
        pricesIncludeTax: true,
        tenders: [{ formaPago: i % 3 === 0 ? '04' : '01', amount: '50.00' }],
      })),
      issuedAt: '2026-05-03T06:00:00Z',
    });
    for (const built of [egreso, global]) {
      const comprobante = { ...built.comprobante, NoCertificado: '30001000000500000001' };
      const xml = cfdiToXml(comprobante);
      expect(cadenaOriginalOf(comprobante)).toBe(satXsltOf(dir, xml));
    }
  });

  it('follows the stylesheet on nodes this shop never writes: terceros, aduana, predial, partes, retenciones and complements', () => {
    const dir = newDir();
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" xmlns:x="urn:x" Version="4.0" Fecha="2026-01-02T03:04:05" NoCertificado="30001000000500000001" Sello="" Certificado="" SubTotal="10" Moneda="MXN" Total="10" TipoDeComprobante="I" Exportacion="01" LugarExpedicion="04310" Confirmacion="">
  <cfdi:Emisor Rfc="EKU9003173C9" Nombre="  Emisor   con  espacios " RegimenFiscal="601" FacAtrAdquirente="0123456789"/>
  <cfdi:Receptor Rfc="XEXX010101000" Nombre="Foreign &amp; Co" DomicilioFiscalReceptor="04310" ResidenciaFiscal="USA" NumRegIdTrib="123" RegimenFiscalReceptor="616" UsoCFDI="S01"/>
  <cfdi:Conceptos>
    <cfdi:Concepto ClaveProdServ="01010101" Cantidad="1" ClaveUnidad="H87" Descripcion="a&#9;b&#10;c&#13;d" ValorUnitario="10" Importe="10" ObjetoImp="02">
      <cfdi:Impuestos>
        <cfdi:Retenciones><cfdi:Retencion Base="10" Impuesto="001" TipoFactor="Tasa" TasaOCuota="0.100000" Importe="1"/></cfdi:Retenciones>
        <cfdi:Traslados><cfdi:Traslado Base="10" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="1.60"/></cfdi:Traslados>
      </cfdi:Impuestos>
      <cfdi:ACuentaTerceros RfcACuentaTerceros="EKU9003173C9" NombreACuentaTerceros="Tercero" RegimenFiscalACuentaTerceros="601" DomicilioFiscalACuentaTerceros="04310"/>
      <cfdi:InformacionAduanera NumeroPedimento="15  48  4567  6001234"/>
      <cfdi:CuentaPredial Numero="51888"/>
      <cfdi:ComplementoConcepto><x:Algo>texto <x:Mas>dentro</x:Mas> </x:Algo></cfdi:ComplementoConcepto>
      <cfdi:Parte ClaveProdServ="25201513" Cantidad="1.0" Descripcion="PARTE" ValorUnitario="1.00">
        <cfdi:InformacionAduanera NumeroPedimento="15  48  4567  6001235"/>
      </cfdi:Parte>
    </cfdi:Concepto>
  </cfdi:Conceptos>
  <cfdi:Impuestos TotalImpuestosRetenidos="1" TotalImpuestosTrasladados="1.60">
    <cfdi:Retenciones><cfdi:Retencion Impuesto="001" Importe="1"/></cfdi:Retenciones>
    <cfdi:Traslados><cfdi:Traslado Base="10" Impuesto="002" TipoFactor="Tasa" TasaOCuota="0.160000" Importe="1.60"/></cfdi:Traslados>
  </cfdi:Impuestos>
  <cfdi:Complemento><x:Otro a="1">  uno  <x:b>dos</x:b></x:Otro></cfdi:Complemento>
</cfdi:Comprobante>
`;
    expect(cadenaOriginal(parseXml(xml))).toBe(satXsltOf(dir, xml));
  });

  it('collapses only XML whitespace, as XPath normalize-space does', () => {
    expect(normalizeSpace(' \t a \r\n  b\u00a0 c  ')).toBe('a b\u00a0 c');
  });
});

describe('the CFDI stamped by the SAT (tests/fixtures/sat-mx)', () => {
  const xml = readFileSync(join(SAT_MX_FIXTURES, 'cfdi40-stamped-by-sat.xml'), 'utf8');
  const root = parseXml(xml);
  const comprobante = readComprobante(root);

  it('gives the cadena the SAT stylesheet gives, and its Sello verifies against its own Certificado with SHA256withRSA', () => {
    const ours = cadenaOriginal(root);
    expect(ours).toBe(satXsltOf(newDir(), xml));
    expect(ours.startsWith('||4.0|2022-01-12T12:39:08|01|00001000000414077598|396.00|MXN|459.36|I|01|PUE|54680|CSM190311AH6|')).toBe(true);
    expect(verifySello(ours, comprobante.Sello, comprobante.Certificado)).toBe(true);
    // The model read back gives the same cadena, so the model loses nothing the seal covers.
    expect(cadenaOriginalOf(comprobante)).toBe(ours);
  });

  it('gives the TimbreFiscalDigital cadena the SAT stylesheet gives, and its SelloSAT verifies against the SAT certificate', () => {
    const tfd = timbreOf(root)!;
    const ours = cadenaOriginalTfd(tfd);
    const alone = serializeXml(timbreElement(comprobante.TimbreFiscalDigital!));
    expect(ours).toBe(xsltproc(newDir(), 'cadenaoriginal_TFD_1_1.xslt', alone).toString('utf8'));
    expect(ours.startsWith('||1.1|04BF2854-FE7D-4377-9196-71248F060ABB|2022-01-12T12:39:34|SAT970701NN3|nLUPhyCr+')).toBe(true);
    const sat = new X509Certificate(readFileSync(join(SAT_MX_FIXTURES, 'sat-00001000000504465028.pem')));
    expect(
      verify('sha256', Buffer.from(ours, 'utf8'), sat.publicKey, Buffer.from(comprobante.TimbreFiscalDigital!.SelloSAT, 'base64')),
    ).toBe(true);
    // The stamp seals the issuer's seal.
    expect(comprobante.TimbreFiscalDigital!.SelloCFD).toBe(comprobante.Sello);
  });

  it('survives being written out again: the rewritten XML has the same cadena and the Sello still verifies', () => {
    const again = cfdiToXml(comprobante);
    const cadena = cadenaOriginal(parseXml(again));
    expect(cadena).toBe(cadenaOriginal(root));
    expect(verifySello(cadena, comprobante.Sello, comprobante.Certificado)).toBe(true);
    expect(cadenaOriginalTfd(timbreOf(parseXml(again))!)).toBe(cadenaOriginalTfd(timbreOf(root)!));
  });
});
