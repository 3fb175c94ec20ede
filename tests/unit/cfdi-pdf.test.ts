// The printed representation of a stamped CFDI as a PDF on letter and A4 paper, read back as a
// person would: its text as poppler's pdftotext lays it out, and its pages rasterised at 80 dpi
// with the QR decoded off the image as a phone would. A CFDI the SAT itself stamped, and invoices
// sealed with a test CSD and stamped by the loopback PAC: one of 60 conceptos that flows onto
// further pages, and a factura global. Their pages are written to test-results/ to look at.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenaOriginalTfd } from '#engine/fiscal/mx/cadena-original.ts';
import { buildGlobal, buildIngreso } from '#engine/fiscal/mx/cfdi-build.ts';
import { cfdiPdf } from '#engine/fiscal/mx/cfdi-pdf.ts';
import { PRINTED_REPRESENTATION_LEGEND } from '#engine/fiscal/mx/cfdi-representation.ts';
import { cfdiToXml, readComprobante, timbreElement } from '#engine/fiscal/mx/cfdi-xml.ts';
import { VerificationError, verificationUrlOf } from '#engine/fiscal/mx/verification-qr.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { CUSTOMER_COMPANY, ISSUER, randomLine, randomTenders, twoSaleGlobal } from '../support/cfdi-samples.ts';
import { loopbackStamper } from '../support/loopback-stamper.ts';
import { decodeQr, pdfInfo, pdfPagePng, pdfPages } from '../support/pdf-reader.ts';
import { SAT_MX_FIXTURES } from '../support/sat-mx-tools.ts';
import { seededRandom } from '../support/seeded-random.ts';

const SAT_XML = readFileSync(join(SAT_MX_FIXTURES, 'cfdi40-stamped-by-sat.xml'), 'utf8');
const bySat = readComprobante(SAT_XML);
const SAT_URL =
  'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=04BF2854-FE7D-4377-9196-71248F060ABB&re=CSM190311AH6&rr=MCI7306249Y1&tt=459.36&fe=5tSZhA==';

/** Words of a page's text with the layout's runs of spaces and line breaks folded into one space. */
const words = (text: string) => text.replace(/\s+/g, ' ');
/** The text with no white space at all: a seal cut into lines reads whole again. */
const solid = (text: string) => text.replace(/\s+/g, '');
/** An XML amount as a person reads it in pesos, worked out apart from the code under test: $1,234.50. */
const pesos = (amount: string) => {
  const [whole, cents = ''] = amount.split('.');
  return `$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents.padEnd(2, '0')}`;
};
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the PDF of a CFDI the SAT stamped', () => {
  let letter: Buffer;
  let a4: Buffer;
  let text: string;
  beforeAll(async () => {
    letter = await cfdiPdf(SAT_XML, { paper: 'LETTER' });
    a4 = await cfdiPdf(SAT_XML, { paper: 'A4' });
    text = pdfPages(letter).join('\f');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'cfdi-pdf-letter-page1.png'), pdfPagePng(letter, 1, 80));
    writeFileSync(join(SCREENSHOT_DIR, 'cfdi-pdf-a4-page1.png'), pdfPagePng(a4, 1, 80));
  });

  it('is one page of US letter, or of A4, as asked', () => {
    expect(letter.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfInfo(letter)).toMatchObject({ Pages: '1', 'Page size': '612 x 792 pts (letter)' });
    expect(pdfInfo(a4)).toMatchObject({ Pages: '1', 'Page size': '595.28 x 841.89 pts (A4)' });
    expect(pdfPages(a4)[0]).toContain('Página 1 de 1');
  });

  it('says it represents a CFDI, and whose, with every accent as Spanish writes it', () => {
    expect(words(text)).toContain(PRINTED_REPRESENTATION_LEGEND);
    expect(words(text)).toContain('CREATIVITY AND SOMETHING MORE SAS DE CV');
    expect(words(text)).toContain('RFC CSM190311AH6');
    expect(words(text)).toContain('Régimen fiscal: 626 Régimen Simplificado de Confianza');
    expect(text.split('\n')[0]).toMatch(/^CREATIVITY AND SOMETHING MORE SAS DE CV {2,}FACTURA$/);
  });

  it('gives the place, date, type, forma and método de pago and currency as the Comprobante writes them', () => {
    for (const [label, value] of [
      ['Lugar de expedición', '54680'],
      ['Fecha de emisión', '2022-01-12T12:39:08'],
      ['Tipo de comprobante', 'I Ingreso'],
      ['Forma de pago', '01 Efectivo'],
      ['Método de pago', 'PUE Pago en una sola exhibición'],
      ['Moneda', 'MXN'],
    ] as const) {
      expect(text).toMatch(new RegExp(`${escaped(label)}: +${escaped(value)}`));
    }
  });

  it('names the receiver with RFC, name, fiscal postal code, régimen and uso del CFDI', () => {
    expect(text).toMatch(/RFC: +MCI7306249Y1/);
    expect(text).toMatch(/Nombre: +MUNICIPIO DE CUAUTITLAN IZCALLI/);
    expect(text).toMatch(/Domicilio fiscal \(CP\): +54700/);
    expect(text).toMatch(/Régimen fiscal: +603 Personas Morales con Fines no Lucrativos/);
    expect(text).toMatch(/Uso CFDI: +G03 Gastos en general/);
  });

  it('lists the concepto in a row: SAT keys, quantity, unit value, amount, objeto de impuesto, then its tax', () => {
    expect(text).toMatch(/^ *95121514 +1200\.00 +H87 +BOLETOS USO DE VIAS Y AREAS PUBLICAS CON +\$0\.33 +\$396\.00 +02$/m);
    expect(words(text)).toContain('Pieza FOLIO Y PLECA DE CORTE IVA 16% base $396.00: $63.36');
    expect(words(text)).toContain('Objeto de impuesto: 02 Sí objeto de impuesto.');
  });

  it('totals with the taxes by rate, each amount as the XML writes it', () => {
    expect(text).toMatch(/Subtotal +\$396\.00\n +IVA 16% base \$396\.00 +\$63\.36\n +Impuestos trasladados +\$63\.36\n +TOTAL +\$459\.36/);
  });

  it('carries the stamp, both seals and the TFD’s cadena original whole', () => {
    const tfd = bySat.TimbreFiscalDigital!;
    expect(text).toMatch(/Folio fiscal \(UUID\): +04BF2854-FE7D-4377-9196-71248F060ABB/);
    expect(text).toMatch(/No\. de certificado del emisor: +00001000000414077598/);
    expect(text).toMatch(/No\. de certificado del SAT: +00001000000504465028/);
    expect(text).toMatch(/Fecha de timbrado: +2022-01-12T12:39:34/);
    expect(text).toMatch(/RFC del PAC: +SAT970701NN3/);
    expect(solid(text)).toContain(solid(`Sello digital del CFDI: ${bySat.Sello}`));
    expect(solid(text)).toContain(solid(`Sello del SAT: ${tfd.SelloSAT}`));
    expect(solid(text)).toContain(solid(`certificación digital del SAT: ${cadenaOriginalTfd(timbreElement(tfd))}`));
  });

  it('keeps every seal line inside the margin: no line of the page is wider than the rest', () => {
    const lines = pdfPages(letter)[0]!.split('\n');
    const sealLines = lines.filter((l) => /^[A-Za-z0-9+/=|.:T-]{60,}$/.test(l.trim()));
    expect(sealLines.length).toBeGreaterThanOrEqual(6);
    // Every full line of a seal is as long as every other: cut to the margin, not by the font's whims.
    const full = sealLines.map((l) => l.trim().length).filter((n, _, all) => n === Math.max(...all));
    expect(full.length).toBeGreaterThanOrEqual(4);
  });

  it('shows the SAT’s verification QR, which a camera reads off the page at 80 dpi as the verification address', () => {
    expect(verificationUrlOf(bySat)).toBe(SAT_URL);
    expect(decodeQr(pdfPagePng(letter, 1, 80))).toBe(SAT_URL);
    expect(decodeQr(pdfPagePng(a4, 1, 80))).toBe(SAT_URL);
  });

  it('names its CFDI relacionados and their relation, when it has any', async () => {
    const related = {
      ...bySat,
      CfdiRelacionados: [{ TipoRelacion: '04', UUIDs: ['7945A043-7A3A-4EAE-9A10-4A1A6DDE0E14', 'D8E9BCCA-44F9-4A2F-A4B5-5E35A5E1C8A4'] }],
    };
    const page = pdfPages(await cfdiPdf(cfdiToXml(related), { paper: 'LETTER' }))[0]!;
    expect(page).toContain('CFDI relacionados');
    expect(page).toMatch(/Tipo de relación: +04 Sustitución de los CFDI previos/);
    expect(page).toMatch(/UUID: +7945A043-7A3A-4EAE-9A10-4A1A6DDE0E14/);
    expect(page).toMatch(/UUID: +D8E9BCCA-44F9-4A2F-A4B5-5E35A5E1C8A4/);
  });

  it('says CANCELADO when the SAT cancelled it, and only then', async () => {
    expect(text).not.toContain('CANCELADO');
    const cancelled = pdfPages(await cfdiPdf(SAT_XML, { paper: 'LETTER', cancelled: true }), 'raw')[0]!;
    // The mark beside the title, and the one written across the page.
    expect(cancelled.match(/CANCELADO/g)).toHaveLength(2);
  });

  it('is refused for a CFDI that has no stamp yet', async () => {
    await expect(cfdiPdf(cfdiToXml({ ...bySat, TimbreFiscalDigital: undefined }), { paper: 'A4' })).rejects.toThrow(VerificationError);
  });
});

describe('PDFs of invoices sealed with a test CSD and stamped by the loopback PAC', () => {
  const stamped = loopbackStamper('pdf');

  it('flows 60 conceptos onto further pages, the table’s head on each, every row and page numbered of all', async () => {
    const r = seededRandom(20261205);
    const xml = await stamped(
      buildIngreso({
        issuer: ISSUER,
        receiver: CUSTOMER_COMPANY,
        // One name with a character the page's fonts lack.
        lines: Array.from({ length: 60 }, (_, i) => (i === 7 ? { ...randomLine(r, i), descripcion: 'Té 🍵 verde' } : randomLine(r, i))),
        pricesIncludeTax: true,
        tenders: randomTenders(r),
        issuedAt: new Date(),
      }),
    );
    const c = readComprobante(xml);
    const pdf = await cfdiPdf(xml, { paper: 'LETTER' });
    const pages = pdfPages(pdf);
    const count = pages.length;
    expect(count).toBeGreaterThan(1);
    expect(pdfInfo(pdf).Pages).toBe(String(count));
    pages.forEach((page, i) => expect(page, `page ${i + 1}`).toMatch(new RegExp(`Página ${i + 1} de ${count}\\s*$`)));
    expect(pages[1]).toContain(`Página 2 de ${count}`);
    // The table's head opens page 2 again, and its first row follows it.
    const page2 = pages[1]!.split('\n').filter((l) => l.trim() !== '');
    expect(page2[0]).toMatch(/^Clave prod\.\/ +Cantidad +Clave +Descripción +Valor unitario +Importe +Objeto$/);
    expect(page2[2]).toMatch(/^50221200 /);

    // Every concepto on a row of its own: quantity, unit key, unit value, amount and objeto de impuesto as the XML has them.
    const text = pages.join('\n');
    const rows = text.split('\n').filter((l) => /^50221200 /.test(l));
    expect(rows).toHaveLength(60);
    c.Conceptos.forEach((item, i) => {
      const row = new RegExp(
        `^50221200 +${escaped(item.Cantidad)} +${item.ClaveUnidad} .* ${escaped(pesos(item.ValorUnitario))} +${escaped(pesos(item.Importe))} +${item.ObjetoImp}$`,
      );
      expect(rows[i], `concepto ${i + 1}`).toMatch(row);
      if (item.Descuento && !/^0(\.0+)?$/.test(item.Descuento)) expect(words(text)).toContain(`Descuento: -${pesos(item.Descuento)}`);
    });
    expect(text).toMatch(new RegExp(`Subtotal +${escaped(pesos(c.SubTotal))}`));
    expect(text).toMatch(new RegExp(`TOTAL +${escaped(pesos(c.Total))}`));
    if (c.Descuento) expect(text).toMatch(new RegExp(`Descuento +-${escaped(pesos(c.Descuento))}`));

    // The stamp, the RFCs and the seals whole, and the QR read off the page that holds it.
    const tfd = c.TimbreFiscalDigital!;
    expect(text).toMatch(new RegExp(`Folio fiscal \\(UUID\\): +${tfd.UUID}`));
    expect(words(text)).toContain(`RFC ${ISSUER.rfc}`);
    expect(text).toMatch(new RegExp(`RFC: +${CUSTOMER_COMPANY.rfc}`));
    expect(solid(text)).toContain(solid(c.Sello));
    expect(solid(text)).toContain(solid(tfd.SelloSAT));
    expect(solid(text)).toContain(solid(cadenaOriginalTfd(timbreElement(tfd))));
    const qrPage = pages.findIndex((p) => p.includes('Timbre fiscal digital')) + 1;
    expect(decodeQr(pdfPagePng(pdf, qrPage, 80))).toBe(verificationUrlOf(c));

    // A name with a character the page's fonts lack (an emoji) prints "?" in its place, the rest of the line intact.
    expect(rows[7]).toMatch(/ Té \? verde /);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (let page = 1; page <= count; page++) {
      writeFileSync(join(SCREENSHOT_DIR, `cfdi-pdf-60-conceptos-page${page}.png`), pdfPagePng(pdf, page, 80));
    }
  });

  it('shows a factura global’s InformacionGlobal and the público en general', async () => {
    const xml = await stamped(buildGlobal(twoSaleGlobal(new Date())));
    const pdf = await cfdiPdf(xml, { paper: 'A4' });
    const [page] = pdfPages(pdf);
    expect(page!.split('\n')[0]).toMatch(/^ESCUELA KEMPER URGATE {2,}FACTURA GLOBAL$/);
    expect(page).toContain('Información global');
    expect(page).toMatch(/Periodicidad: +01 Diario/);
    expect(page).toMatch(/Meses: +12 Diciembre/);
    expect(page).toMatch(/Año: +2026/);
    expect(page).toMatch(/RFC: +XAXX010101000/);
    expect(page).toMatch(/Nombre: +PUBLICO EN GENERAL/);
    expect(words(page!)).toContain('No. identificación: RCAJA-1-000041');
    expect(words(page!)).toContain('No. identificación: RCAJA-1-000042');
    expect(page).toMatch(/IVA exento base \$20\.00 +—/);
    expect(page).toMatch(/Descuento +-\$2\.00/);
    expect(decodeQr(pdfPagePng(pdf, 1, 80))).toBe(verificationUrlOf(readComprobante(xml)));
  });
});
