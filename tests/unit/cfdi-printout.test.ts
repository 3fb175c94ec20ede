// The printed representation of a stamped CFDI, read back from the ESC/POS bytes a printer would
// get: a CFDI the SAT itself stamped, a factura global and random invoices sealed with a test CSD
// and stamped by the loopback PAC. Each must say what Anexo 20 asks, as the XML says it, and fit
// the paper's columns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { paperColumns } from '#contract/receipt-document.ts';
import { encodeDocument } from '#engine/devices/printer/escpos.ts';
import { cadenaOriginalTfd, timbreOf } from '#engine/fiscal/mx/cadena-original.ts';
import { buildGlobal, buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import type { Comprobante } from '#engine/fiscal/mx/cfdi-model.ts';
import { cfdiPrintout } from '#engine/fiscal/mx/cfdi-printout.ts';
import { cutToColumns, PRINTED_REPRESENTATION_LEGEND } from '#engine/fiscal/mx/cfdi-representation.ts';
import { parseXml, readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { VerificationError, verificationUrlOf } from '#engine/fiscal/mx/verification-qr.ts';
import { CUSTOMER_COMPANY, ISSUER, randomIngreso, twoSaleGlobal } from '../support/cfdi-samples.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { loopbackStamper } from '../support/loopback-stamper.ts';
import { SAT_MX_FIXTURES } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';

const SAT_XML = readFileSync(join(SAT_MX_FIXTURES, 'cfdi40-stamped-by-sat.xml'), 'utf8');
const bySat = readComprobante(SAT_XML);

/** What the printer would print, line by line (trailing blanks dropped), and its QR codes and cuts. */
const printed = (c: Comprobante, paperWidth: 58 | 80) => {
  const decoded = decodeEscPos(encodeDocument(cfdiPrintout(c, { paperWidth })));
  return { ...decoded, lines: decoded.lines.map((l) => l.trimEnd()) };
};

/** The lines that follow a title, up to the next blank line or rule: a section, a seal or a cadena as printed. */
function sectionAfter(lines: string[], title: string): string[] {
  const at = lines.indexOf(title);
  expect(at, `"${title}" is printed`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > at && (l === '' || l.startsWith('─')));
  return lines.slice(at + 1, end);
}

describe('the printed representation of a CFDI the SAT stamped', () => {
  const { lines, events, qrModuleDots } = printed(bySat, 80);

  it('says it is the printed representation of a CFDI, and whose: the issuer’s name, RFC and régimen', () => {
    expect(lines.filter((l) => l.trim() === PRINTED_REPRESENTATION_LEGEND)).toHaveLength(0); // 48 columns wrap it…
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(PRINTED_REPRESENTATION_LEGEND); // …but it is there, whole
    expect(lines[0]!.trim()).toBe('CREATIVITY AND SOMETHING MORE SAS DE CV');
    expect(lines[1]!.trim()).toBe('RFC CSM190311AH6');
    expect(lines.slice(2, 4).join(' ')).toBe('Régimen fiscal: 626 Régimen Simplificado de Confianza');
    expect(lines.map((l) => l.trim())).toContain('FACTURA');
  });

  it('gives the place, date, type, forma and método de pago and currency as the Comprobante writes them', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'Lugar de expedición: 54680',
        'Fecha de emisión: 2022-01-12T12:39:08',
        'Tipo de comprobante: I Ingreso',
        'Forma de pago: 01 Efectivo',
        'Método de pago: PUE Pago en una sola exhibición',
        'Moneda: MXN',
      ]),
    );
  });

  it('names the receiver with RFC, name, fiscal postal code, régimen and uso del CFDI', () => {
    const receptor = sectionAfter(lines, 'RECEPTOR').join('\n');
    expect(receptor).toContain('RFC: MCI7306249Y1');
    expect(receptor).toContain('Nombre: MUNICIPIO DE CUAUTITLAN IZCALLI');
    expect(receptor).toContain('Domicilio fiscal (CP): 54700');
    expect(receptor.replace(/\n/g, ' ')).toContain('Régimen fiscal: 603 Personas Morales con Fines no Lucrativos');
    expect(receptor).toContain('Uso CFDI: G03 Gastos en general');
  });

  it('lists the concepto with its SAT keys, quantity, unit value, amount, objeto de impuesto and its tax', () => {
    const at = lines.indexOf('CONCEPTOS');
    expect(lines.slice(at + 1, at + 9)).toEqual([
      'BOLETOS USO DE VIAS Y AREAS PUBLICAS CON FOLIO Y',
      'PLECA DE CORTE',
      '  Clave prod./serv.: 95121514',
      '  Clave unidad: H87 Pieza',
      `  1200.00 x $0.33${' '.repeat(24)}$396.00`,
      '  Objeto de impuesto: 02 Sí objeto de impuesto',
      `  IVA 16% base $396.00${' '.repeat(20)}$63.36`,
      '─'.repeat(48),
    ]);
  });

  it('totals with the taxes by rate, each amount as the XML writes it', () => {
    const at = lines.indexOf(`Subtotal${' '.repeat(33)}$396.00`);
    expect(lines.slice(at, at + 4)).toEqual([
      `Subtotal${' '.repeat(33)}$396.00`,
      `IVA 16% base $396.00${' '.repeat(22)}$63.36`,
      `Impuestos trasladados${' '.repeat(21)}$63.36`,
      `TOTAL${' '.repeat(36)}$459.36`,
    ]);
  });

  it('carries the stamp: folio fiscal, both certificates, the stamping date and the PAC', () => {
    const stamp = sectionAfter(lines, 'TIMBRE FISCAL DIGITAL');
    expect(stamp).toEqual([
      'Folio fiscal (UUID):',
      '04BF2854-FE7D-4377-9196-71248F060ABB',
      'No. de certificado del emisor:',
      '00001000000414077598',
      'No. de certificado del SAT: 00001000000504465028',
      'Fecha de timbrado: 2022-01-12T12:39:34',
      'RFC del PAC: SAT970701NN3',
    ]);
  });

  it('prints both seals and the TFD’s cadena original whole: their lines joined are the XML’s own text', () => {
    const root = parseXml(SAT_XML);
    const tfd = timbreOf(root)!;
    expect(sectionAfter(lines, 'Sello digital del CFDI:').join('')).toBe(bySat.Sello);
    expect(sectionAfter(lines, 'Sello del SAT:').join('')).toBe(bySat.TimbreFiscalDigital!.SelloSAT);
    const cadena = lines.indexOf('digital del SAT:');
    expect(lines[cadena - 1]).toBe('Cadena original del complemento de certificación');
    expect(lines.slice(cadena + 1, lines.indexOf('', cadena)).join('')).toBe(cadenaOriginalTfd(tfd));
    expect(cadenaOriginalTfd(tfd)).toMatch(/^\|\|1\.1\|04BF2854-FE7D-4377-9196-71248F060ABB\|2022-01-12T12:39:34\|SAT970701NN3\|nLUP/);
  });

  it('ends with the SAT’s verification QR, at least 2.75 cm a side and within 58 mm paper, and one cut', () => {
    const url =
      'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=04BF2854-FE7D-4377-9196-71248F060ABB&re=CSM190311AH6&rr=MCI7306249Y1&tt=459.36&fe=5tSZhA==';
    expect(events).toEqual([{ type: 'qr', data: url }, { type: 'cut' }]);
    // A 203 dpi printer has 8 dots a millimetre; 58 mm paper prints 48 mm of them.
    const side = (QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.size * qrModuleDots[0]!) / 8;
    expect(side).toBeGreaterThanOrEqual(27.5);
    expect(side).toBeLessThanOrEqual(48);
  });

  it('fits 48 columns on 80 mm paper and 32 on 58 mm, the seals still whole on the narrow paper', () => {
    expect(Math.max(...lines.map((l) => l.length))).toBe(48);
    const narrow = printed(bySat, 58).lines;
    expect(Math.max(...narrow.map((l) => l.length))).toBe(32);
    expect(sectionAfter(narrow, 'Sello del SAT:').join('')).toBe(bySat.TimbreFiscalDigital!.SelloSAT);
    expect(narrow).toEqual(expect.arrayContaining(['Folio fiscal (UUID):', '04BF2854-FE7D-4377-9196-71248F06', '0ABB']));
  });

  it('keeps every decimal a CFDI amount has: a unit value of 0.333333 is not printed as $0.33', () => {
    const precise = { ...bySat, Conceptos: [{ ...bySat.Conceptos[0]!, Cantidad: '1188.000000', ValorUnitario: '0.333333' }] };
    expect(printed(precise, 80).lines).toContain(`  1188.000000 x $0.333333${' '.repeat(16)}$396.00`);
  });

  it('is refused for a CFDI that has no stamp yet', () => {
    expect(() => cfdiPrintout({ ...bySat, TimbreFiscalDigital: undefined }, { paperWidth: 80 })).toThrow(VerificationError);
  });
});

describe('cutting a long text to the paper', () => {
  it('makes lines of exactly the columns, the last one shorter, and loses nothing', () => {
    expect(cutToColumns('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(cutToColumns('ñandú', 2)).toEqual(['ña', 'nd', 'ú']);
    expect(cutToColumns('', 32)).toEqual(['']);
  });
});

describe('invoices sealed with a test CSD and stamped by the loopback PAC', () => {
  const stamp = loopbackStamper('printout');
  /** The stamped XML read back, as the invoice keeps it. */
  const stamped = async (built: { comprobante: Comprobante; issuedAt: Date }) => readComprobante(await stamp(built));

  it('prints a factura global with its InformacionGlobal, the público en general and each sale by its receipt', async () => {
    const global = await stamped(buildGlobal(twoSaleGlobal(new Date())));
    expect(global.InformacionGlobal).toEqual({ Periodicidad: '01', Meses: '12', Año: '2026' });
    for (const paperWidth of [80, 58] as const) {
      const { lines, events } = printed(global, paperWidth);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(paperColumns(paperWidth));
      expect(lines.map((l) => l.trim())).toContain('FACTURA GLOBAL');
      expect(sectionAfter(lines, 'INFORMACIÓN GLOBAL')).toEqual(['Periodicidad: 01 Diario', 'Meses: 12 Diciembre', 'Año: 2026']);
      const receptor = sectionAfter(lines, 'RECEPTOR').join(' ');
      expect(receptor).toContain('RFC: XAXX010101000');
      expect(receptor).toContain('Nombre: PUBLICO EN GENERAL');
      expect(receptor).toContain(`Domicilio fiscal (CP): ${ISSUER.codigoPostal}`);
      expect(receptor).toContain('Uso CFDI: S01 Sin efectos fiscales');
      // On 58 mm a receipt's code goes whole under its label, not broken at a hyphen.
      const receipt = (code: string) =>
        (paperWidth === 80 ? [`  No. identificación: ${code}`] : ['  No. identificación:', `  ${code}`]).join('\n');
      expect(lines.join('\n')).toContain(`Venta\n${receipt('RCAJA-1-000041')}\n`);
      expect(lines.join('\n')).toContain(`Venta\n${receipt('RCAJA-1-000042')}\n`);
      // The second sale's rates apart: IVA at 0 % and exento, and its discount.
      expect(lines.some((l) => /^IVA 0% base \$31\.50 +\$0\.00$/.test(l))).toBe(true);
      expect(lines.some((l) => /^IVA exento base \$20\.00 +—$/.test(l))).toBe(true);
      expect(lines.some((l) => /^Descuento +-\$2\.00$/.test(l))).toBe(true);
      expect(lines.some((l) => new RegExp(`^TOTAL +\\$${global.Total.replace('.', '\\.')}$`).test(l))).toBe(true);
      expect(sectionAfter(lines, 'Sello digital del CFDI:').join('')).toBe(global.Sello);
      expect(events).toEqual([{ type: 'qr', data: verificationUrlOf(global) }, { type: 'cut' }]);
      expect(verificationUrlOf(global)).toContain('rr=XAXX010101000');
    }
  });

  it('fits every random invoice, awkward names and all, in 32 and 48 columns with its seals whole', async () => {
    const r = seededRandom(20261204);
    for (let n = 0; n < 12; n++) {
      const input = randomIngreso(r, CUSTOMER_COMPANY);
      const c = await stamped(buildIngreso({ ...input, issuedAt: new Date() }));
      for (const paperWidth of [58, 80] as const) {
        const { lines, events } = printed(c, paperWidth);
        const long = lines.filter((l) => l.length > paperColumns(paperWidth));
        expect(long, `invoice ${n} on ${paperWidth} mm`).toEqual([]);
        expect(sectionAfter(lines, 'Sello del SAT:').join('')).toBe(c.TimbreFiscalDigital!.SelloSAT);
        expect(events.filter((e) => e.type === 'qr')).toHaveLength(1);
        expect(lines.filter((l) => l.trim() === 'CONCEPTOS')).toHaveLength(1);
        expect(lines.filter((l) => l.startsWith('  Clave prod./serv.: '))).toHaveLength(c.Conceptos.length);
      }
    }
  });
});
