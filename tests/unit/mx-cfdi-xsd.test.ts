// The XML the fiscal core writes, validated by xmllint against the SAT's cfdv40.xsd and the
// TimbreFiscalDigital's schema (resources/sat-mx; no network). The catalogs behind cfdv40.xsd are
// resources/sat-mx/catCFDI.xsd, a stand-in with the SAT's catalog values except postal codes and
// product keys, which it checks by pattern only (resources/sat-mx/SOURCES.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEgreso, buildGlobal, buildIngreso, type BuiltCfdi } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiToXml, readComprobante, serializeXml, timbreElement } from '#engine/fiscal/mx/cfdi-xml.ts';
import { openCsd, sealComprobante } from '#engine/fiscal/mx/seal.ts';
import { CUSTOMER_COMPANY, ISSUER, randomIngreso, randomLine } from '../support/cfdi-samples.ts';
import { SAT_MX_FIXTURES, stampedCfdiSchema, xmllintSchema } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { makeTestCsd } from '../support/test-csd.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const newDir = tempDirs('xsd');

describe('the XML of a sealed CFDI', () => {
  it('is valid against the SAT’s cfdv40.xsd for an ingreso, an egreso and a factura global', () => {
    const dir = newDir();
    const csd = openCsd(makeTestCsd(dir, { rfc: ISSUER.rfc }));
    const issuedAt = new Date();
    const r = seededRandom(40);
    const documents: [string, BuiltCfdi][] = [
      ['ingreso', buildIngreso({ ...randomIngreso(r, CUSTOMER_COMPANY), issuedAt })],
      [
        'egreso',
        buildEgreso({
          issuer: ISSUER,
          receiver: { ...CUSTOMER_COMPANY, usoCfdi: 'G02' },
          relatedUuid: '04BF2854-FE7D-4377-9196-71248F060ABB',
          lines: [
            {
              descripcion: 'Devolución de jabón & suavizante',
              claveProdServ: '53131608',
              claveUnidad: 'H87',
              quantity: '1',
              subtotal: '43.10',
              taxAmount: '6.90',
              taxCode: 'IVA16',
            },
          ],
          tenders: [{ formaPago: '01', amount: '50.00' }],
          issuedAt,
        }),
      ],
      [
        'global',
        buildGlobal({
          issuer: ISSUER,
          periodicidad: '04',
          meses: '06',
          año: 2026,
          sales: Array.from({ length: 8 }, (_, i) => ({
            receiptCode: `COY-01-${i + 1}`,
            lines: Array.from({ length: 1 + r.int(4) }, (_, j) => randomLine(r, j)),
            pricesIncludeTax: true,
            tenders: [{ formaPago: '01', amount: '10.00' }],
          })),
          issuedAt,
        }),
      ],
    ];
    for (const [name, built] of documents) {
      const sealed = sealComprobante(built.comprobante, csd, built.issuedAt);
      const result = xmllintSchema(dir, 'cfdv40.xsd', cfdiToXml(sealed.comprobante), `${name}.xml`);
      expect(result.output, name).toContain('validates');
      expect(result.valid, name).toBe(true);
    }
  });

  it('is refused by the schema when it breaks it, so the check is real', () => {
    const dir = newDir();
    const built = buildIngreso({ ...randomIngreso(seededRandom(3)), issuedAt: new Date() });
    const broken = { ...built.comprobante, NoCertificado: '123', Exportacion: '09', LugarExpedicion: '4310' };
    const result = xmllintSchema(dir, 'cfdv40.xsd', cfdiToXml(broken));
    expect(result.valid).toBe(false);
    expect(result.output).toContain("attribute 'NoCertificado'");
    expect(result.output).toContain("attribute 'Exportacion'");
    expect(result.output).toContain("attribute 'LugarExpedicion'");
  });

  it('of the CFDI the SAT stamped is valid against cfdv40.xsd with TimbreFiscalDigitalv11.xsd for its Complemento', () => {
    const dir = newDir();
    const xml = readFileSync(join(SAT_MX_FIXTURES, 'cfdi40-stamped-by-sat.xml'), 'utf8');
    const result = xmllintSchema(dir, stampedCfdiSchema(dir), xml);
    expect(result.output).toContain('validates');
    // The stamp alone, as a PAC returns it.
    const timbre = serializeXml(timbreElement(readComprobante(xml).TimbreFiscalDigital!));
    expect(xmllintSchema(dir, 'TimbreFiscalDigitalv11.xsd', timbre, 'tfd.xml').valid).toBe(true);
  });
});
