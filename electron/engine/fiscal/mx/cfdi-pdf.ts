// The printed representation of a stamped CFDI 4.0 on a page (A4 or US letter), to be sent to the
// customer or printed on an office printer: the same words as the 80 mm printout
// (cfdi-representation.ts), laid out as a page. The conceptos are a table whose header row is
// repeated on every page it flows onto, every page says "Página N de M" and whose CFDI it is, and
// the seals and the cadena are cut into lines of a monospaced font that fill the margin exactly,
// so no character is lost at a break and their lines joined give the XML's text back. A CFDI the
// SAT cancelled carries CANCELADO across every page.
//
// Drawn with pdfkit in its built-in Helvetica and Courier: their WinAnsi encoding has every
// Spanish letter and sign (á é í ó ú ü ñ ¿ ¡, the peso and euro signs), so no font file ships.
// A character WinAnsi lacks (an emoji in a product's name) is printed as "?", as the receipt
// printer's code page prints it: pdfkit would otherwise write bytes that garble the line.
import { readComprobante } from './cfdi-xml.ts';
import {
  type AmountRow,
  type ConceptoView,
  cutToColumns,
  type Field,
  PRINTED_REPRESENTATION_LEGEND,
  type Representation,
  representationOf,
} from './cfdi-representation.ts';
import { verificationQrPng } from './verification-qr.ts';

export type PdfPaper = 'A4' | 'LETTER';
export type CfdiPdfOptions = { paper: PdfPaper; cancelled?: boolean };

type Doc = PDFKit.PDFDocument;

/** What WinAnsi holds besides ASCII and Latin-1: the characters it places at 0x80 to 0x9F. */
const NOT_WIN_ANSI = /[^\n\u0020-\u007e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/gu;

/** The representation with every text in characters the built-in fonts can draw. */
const inWinAnsi = (r: Representation): Representation =>
  JSON.parse(JSON.stringify(r), (_key, value: unknown) => (typeof value === 'string' ? value.replace(NOT_WIN_ANSI, '?') : value));

const MARGIN = 36;
/** Room under the content for the footer line. */
const BOTTOM = 54;
const GAP = 10;
const PAD = 5;
const BAND_HEIGHT = 14;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
/** Courier's every glyph is 600/1000 of an em wide: how many characters fill a width is arithmetic. */
const MONO_ADVANCE = 0.6;

/** Font sizes in points: text, the small print under it, and the seals. */
const TEXT = 8;
const SMALL = TEXT - 1;
const SEAL = SMALL - 0.5;

/** Greys that print as well as they show, and the red of a cancelled CFDI's mark. */
const COLOR = {
  ink: '#1a1a1a',
  muted: '#555555',
  border: '#9a9a9a',
  hairline: '#d0d0d0',
  band: '#e6e6e6',
  tableHead: '#d2d2d2',
  cancelled: '#c62828',
} as const;

/** The SAT asks for at least 2.75 cm a side; a bit more reads surely off a phone and a fax alike. */
const QR_SIDE = 112;
/** White around the QR: its standard's quiet zone of 4 modules (a module is about 2.3 pt here). */
const QUIET = 12;

/** Where the content may go on every page, and where the next thing starts. */
class Cursor {
  y: number;
  readonly left: number;
  readonly width: number;
  constructor(private readonly doc: Doc) {
    this.left = MARGIN;
    this.width = doc.page.width - 2 * MARGIN;
    this.y = MARGIN;
  }
  get right(): number {
    return this.left + this.width;
  }
  get bottom(): number {
    return this.doc.page.height - BOTTOM;
  }
  /** Starts a new page unless `height` still fits on this one; true when it did. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.doc.addPage();
    this.y = MARGIN;
    return true;
  }
}

const font = (doc: Doc, name: string, size: number, color: string = COLOR.ink) => doc.font(name).fontSize(size).fillColor(color);

/** A filled band with a bold title: the head of a box or of a section. */
function band(doc: Doc, title: string, x: number, y: number, width: number): number {
  doc.rect(x, y, width, BAND_HEIGHT).fill(COLOR.band);
  font(doc, BOLD, TEXT).text(title, x + PAD, y + 3.5, { width: width - 2 * PAD, lineBreak: false });
  return BAND_HEIGHT;
}

/**
 * Labelled values in two columns: the labels' column as wide as its widest label. A code too
 * wide for the values' column goes whole on a line of its own under its label, never broken at
 * a hyphen; words wrap at spaces. Measures only, unless `draw`. Answers the height.
 */
function fieldGrid(doc: Doc, fields: readonly Field[], x: number, y: number, width: number, draw: boolean): number {
  font(doc, BOLD, TEXT);
  const labelWidth = Math.min(width * 0.45, Math.max(0, ...fields.map((f) => doc.widthOfString(`${f.label}:`))) + 6);
  const valueWidth = width - labelWidth;
  let at = y;
  for (const f of fields) {
    font(doc, REGULAR, TEXT);
    const ownLine = f.kind === 'code' && doc.widthOfString(f.value) > valueWidth;
    if (ownLine) {
      if (draw) {
        font(doc, BOLD, TEXT).text(`${f.label}:`, x, at, { width, lineBreak: false });
        font(doc, REGULAR, TEXT).text(f.value, x, at + doc.currentLineHeight(true) + 1, { width, lineBreak: false });
      }
      at += 2 * (doc.currentLineHeight(true) + 1) + 1;
      continue;
    }
    const height = doc.heightOfString(f.value, { width: valueWidth });
    if (draw) {
      font(doc, BOLD, TEXT).text(`${f.label}:`, x, at, { width: labelWidth, lineBreak: false });
      font(doc, REGULAR, TEXT).text(f.value, x + labelWidth, at, { width: valueWidth });
    }
    at += height + 2;
  }
  return at - y;
}

/** How tall a box of `fields` `width` wide is: its band, its fields and their padding. */
const boxHeight = (doc: Doc, fields: readonly Field[], width: number) =>
  BAND_HEIGHT + PAD + fieldGrid(doc, fields, 0, 0, width - 2 * PAD, false) + PAD - 2;

/** A box with a titled band and its fields, at least `minHeight` tall; answers its height. */
function fieldBox(doc: Doc, title: string, fields: readonly Field[], x: number, y: number, width: number, minHeight = 0): number {
  const height = Math.max(minHeight, boxHeight(doc, fields, width));
  band(doc, title, x, y, width);
  fieldGrid(doc, fields, x + PAD, y + BAND_HEIGHT + PAD, width - 2 * PAD, true);
  doc.rect(x, y, width, height).lineWidth(0.6).stroke(COLOR.border);
  return height;
}

function header(doc: Doc, at: Cursor, r: Representation, cancelled: boolean): void {
  const docWidth = 230;
  const issuerWidth = at.width - docWidth - GAP;
  const top = at.y;

  // The issuer, left: its name on one line if a slightly smaller size lets it.
  let size = 13;
  while (size > 10 && font(doc, BOLD, size).widthOfString(r.issuer.nombre) > issuerWidth) size -= 0.5;
  font(doc, BOLD, size).text(r.issuer.nombre, at.left, top, { width: issuerWidth });
  let y = doc.y + 2;
  font(doc, BOLD, 9).text(`RFC ${r.issuer.rfc}`, at.left, y, { width: issuerWidth });
  y = doc.y + 1;
  font(doc, REGULAR, TEXT, COLOR.muted).text(`Régimen fiscal: ${r.issuer.regimen}`, at.left, y, { width: issuerWidth });
  y = doc.y + 6;
  font(doc, REGULAR, SMALL, COLOR.muted).text(PRINTED_REPRESENTATION_LEGEND, at.left, y, { width: issuerWidth, oblique: true });
  const issuerBottom = doc.y;

  // The document, right: its kind, then what names it.
  const x = at.right - docWidth;
  const fields: Field[] = [...r.identity, { label: 'Folio fiscal (UUID)', value: r.uuid, kind: 'code' }];
  const titleHeight = 22;
  const height = titleHeight + PAD + fieldGrid(doc, fields, x + PAD, 0, docWidth - 2 * PAD, false) + PAD - 2;
  doc.rect(x, top, docWidth, titleHeight).fill(COLOR.band);
  font(doc, BOLD, 12).text(r.title, x + PAD, top + 6, { width: docWidth - 2 * PAD, align: 'center', lineBreak: false });
  if (cancelled) {
    font(doc, BOLD, 9, COLOR.cancelled).text('CANCELADO', x + PAD, top + 7.5, {
      width: docWidth - 2 * PAD,
      align: 'right',
      lineBreak: false,
    });
  }
  fieldGrid(doc, fields, x + PAD, top + titleHeight + PAD, docWidth - 2 * PAD, true);
  doc.rect(x, top, docWidth, height).lineWidth(0.6).stroke(COLOR.border);

  at.y = Math.max(issuerBottom, top + height) + GAP;
}

function parties(doc: Doc, at: Cursor, r: Representation): void {
  const half = (at.width - GAP) / 2;
  const height = Math.max(boxHeight(doc, r.receiver, half), boxHeight(doc, r.terms, half));
  at.ensure(height);
  fieldBox(doc, 'Receptor', r.receiver, at.left, at.y, half, height);
  fieldBox(doc, 'Datos del comprobante', r.terms, at.left + half + GAP, at.y, half, height);
  at.y += height + GAP;

  if (r.global) {
    at.ensure(boxHeight(doc, r.global, at.width));
    at.y += fieldBox(doc, 'Información global', r.global, at.left, at.y, at.width) + GAP;
  }
  for (const related of r.related) {
    const fields: Field[] = [
      { label: 'Tipo de relación', value: related.tipoRelacion, kind: 'words' },
      ...related.uuids.map((uuid): Field => ({ label: 'UUID', value: uuid, kind: 'code' })),
    ];
    at.ensure(boxHeight(doc, fields, at.width));
    at.y += fieldBox(doc, 'CFDI relacionados', fields, at.left, at.y, at.width) + GAP;
  }
}

type Column = { title: string; width: number; align: 'left' | 'right' | 'center'; cell: (item: ConceptoView) => string };

/** The conceptos' columns; the description takes what the others leave. */
function columns(width: number): Column[] {
  const fixed: Column[] = [
    { title: 'Clave prod./serv.', width: 54, align: 'left', cell: (i) => i.claveProdServ },
    { title: 'Cantidad', width: 56, align: 'right', cell: (i) => i.cantidad },
    { title: 'Clave unidad', width: 48, align: 'left', cell: (i) => (i.unidad ? `${i.claveUnidad}\n${i.unidad}` : i.claveUnidad) },
    { title: 'Descripción', width: 0, align: 'left', cell: (i) => i.descripcion },
    { title: 'Valor unitario', width: 72, align: 'right', cell: (i) => i.valorUnitario },
    { title: 'Importe', width: 72, align: 'right', cell: (i) => i.importe },
    { title: 'Objeto imp.', width: 38, align: 'center', cell: (i) => i.objetoImp.clave },
  ];
  const description = fixed.find((c) => c.title === 'Descripción')!;
  description.width = width - fixed.reduce((sum, c) => sum + c.width, 0);
  return fixed;
}

/** What a concepto says under its description, smaller: its own number, discount and taxes. */
function detailLines(item: ConceptoView): string[] {
  return [
    ...(item.noIdentificacion ? [`No. identificación: ${item.noIdentificacion}`] : []),
    ...(item.descuento ? [`Descuento: ${item.descuento}`] : []),
    ...item.taxes.map((t) => `${t.label}: ${t.amount}`),
  ];
}

const CELL_PAD = 3;

function rowHeight(doc: Doc, cols: readonly Column[], item: ConceptoView): number {
  let height = 0;
  for (const col of cols) {
    font(doc, REGULAR, TEXT);
    let h = doc.heightOfString(col.cell(item), { width: col.width - 2 * CELL_PAD });
    if (col.title === 'Descripción') {
      const details = detailLines(item);
      if (details.length > 0) {
        font(doc, REGULAR, SMALL);
        h += 1 + doc.heightOfString(details.join('\n'), { width: col.width - 2 * CELL_PAD });
      }
    }
    height = Math.max(height, h);
  }
  return height + 2 * CELL_PAD;
}

function headerRow(doc: Doc, at: Cursor, cols: readonly Column[]): void {
  font(doc, BOLD, SMALL);
  const height = Math.max(...cols.map((c) => doc.heightOfString(c.title, { width: c.width - 2 * CELL_PAD }))) + 2 * CELL_PAD;
  doc.rect(at.left, at.y, at.width, height).fill(COLOR.tableHead);
  let x = at.left;
  for (const col of cols) {
    font(doc, BOLD, SMALL).text(col.title, x + CELL_PAD, at.y + CELL_PAD, { width: col.width - 2 * CELL_PAD, align: col.align });
    x += col.width;
  }
  at.y += height;
}

function conceptos(doc: Doc, at: Cursor, r: Representation): void {
  const cols = columns(at.width);
  const first = r.conceptos[0];
  // The table's head never stands alone at a page's foot: it starts where its first row fits too.
  at.ensure(24 + (first ? rowHeight(doc, cols, first) : 0));
  at.y += band(doc, 'Conceptos', at.left, at.y, at.width);
  headerRow(doc, at, cols);
  r.conceptos.forEach((item) => {
    const height = rowHeight(doc, cols, item);
    if (at.ensure(height)) headerRow(doc, at, cols);
    let x = at.left;
    for (const col of cols) {
      font(doc, REGULAR, TEXT).text(col.cell(item), x + CELL_PAD, at.y + CELL_PAD, { width: col.width - 2 * CELL_PAD, align: col.align });
      if (col.title === 'Descripción') {
        const details = detailLines(item);
        if (details.length > 0) {
          font(doc, REGULAR, SMALL, COLOR.muted).text(details.join('\n'), x + CELL_PAD, doc.y + 1, { width: col.width - 2 * CELL_PAD });
        }
      }
      x += col.width;
    }
    at.y += height;
    doc.moveTo(at.left, at.y).lineTo(at.right, at.y).lineWidth(0.4).stroke(COLOR.hairline);
  });

  // What the objeto de impuesto keys in the table mean, once each.
  const objetos = [...new Map(r.conceptos.map((i) => [i.objetoImp.clave, i.objetoImp.descripcion])).entries()];
  const legend = `Objeto de impuesto: ${objetos.map(([clave, words]) => `${clave} ${words}`.trim()).join('; ')}.`;
  font(doc, REGULAR, SMALL, COLOR.muted);
  const h = doc.heightOfString(legend, { width: at.width });
  at.ensure(h + 4);
  doc.text(legend, at.left, at.y + 4, { width: at.width });
  at.y = doc.y + GAP;
}

function totals(doc: Doc, at: Cursor, rows: readonly AmountRow[]): void {
  const width = 260;
  const x = at.right - width;
  const line = (r: AmountRow) => (r.bold ? 16 : 12);
  // The TOTAL's band closes the box: no padding under it.
  const height = rows.reduce((sum, r) => sum + line(r), 0) + PAD + 1;
  at.ensure(height);
  let y = at.y + PAD;
  for (const row of rows) {
    if (row.bold) {
      doc.rect(x, y, width, at.y + height - y).fill(COLOR.band);
      font(doc, BOLD, 10);
      doc.text(row.label, x + PAD, y + 4, { width: width / 2, lineBreak: false });
      doc.text(row.amount, x + width / 2, y + 4, { width: width / 2 - PAD, align: 'right', lineBreak: false });
    } else {
      font(doc, REGULAR, TEXT).text(row.label, x + PAD, y + 2, { width: width - 90, lineBreak: false });
      doc.text(row.amount, x + width - 90, y + 2, { width: 90 - PAD, align: 'right', lineBreak: false });
    }
    y += line(row);
  }
  doc.rect(x, at.y, width, height).lineWidth(0.6).stroke(COLOR.border);
  at.y += height + GAP;
}

function stamp(doc: Doc, at: Cursor, r: Representation, qr: Buffer): void {
  const fieldsX = at.left + QR_SIDE + QUIET;
  const fieldsWidth = at.right - fieldsX;
  const verify = 'Verifique este CFDI en el portal del SAT leyendo el código QR.';
  const gridHeight = fieldGrid(doc, r.stamp, fieldsX, 0, fieldsWidth, false);
  const height = QUIET + Math.max(QR_SIDE, gridHeight + 20) + QUIET;
  at.ensure(BAND_HEIGHT + height);
  at.y += band(doc, 'Timbre fiscal digital', at.left, at.y, at.width);
  // The page's margin is the QR's quiet zone on the left; QUIET keeps it clear on the other sides.
  doc.image(qr, at.left, at.y + QUIET, { width: QR_SIDE, height: QR_SIDE });
  fieldGrid(doc, r.stamp, fieldsX, at.y + QUIET, fieldsWidth, true);
  font(doc, REGULAR, SMALL, COLOR.muted).text(verify, fieldsX, at.y + QUIET + gridHeight + 6, { width: fieldsWidth });
  at.y += height;

  // Seals whole: lines of exactly as many monospaced characters as the margin holds.
  const perLine = Math.floor(at.width / (SEAL * MONO_ADVANCE));
  for (const seal of r.seals) {
    const lines = cutToColumns(seal.text, perLine);
    font(doc, BOLD, SMALL);
    const titleHeight = doc.currentLineHeight(true) + 1;
    font(doc, MONO, SEAL);
    const lineHeight = doc.currentLineHeight(true);
    at.ensure(titleHeight + lines.length * lineHeight + 4);
    font(doc, BOLD, SMALL).text(seal.title, at.left, at.y, { width: at.width, lineBreak: false });
    at.y += titleHeight;
    font(doc, MONO, SEAL);
    for (const text of lines) {
      doc.text(text, at.left, at.y, { lineBreak: false });
      at.y += lineHeight;
    }
    at.y += 4;
  }
}

/** On every page: whose CFDI it is, the page's number of all, and CANCELADO across a cancelled one. */
function stampEveryPage(doc: Doc, r: Representation, cancelled: boolean): void {
  const { start, count } = doc.bufferedPageRange();
  const whose = [r.title, r.serieFolio, `Folio fiscal ${r.uuid}`].filter(Boolean).join(' · ');
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    // Written under the content's bottom margin, which would otherwise start a page of its own.
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    const width = page.width - 2 * MARGIN;
    const y = page.height - BOTTOM + 18;
    doc
      .moveTo(MARGIN, y - 5)
      .lineTo(page.width - MARGIN, y - 5)
      .lineWidth(0.4)
      .stroke(COLOR.hairline);
    font(doc, REGULAR, SMALL, COLOR.muted).text(whose, MARGIN, y, { width: width - 90, lineBreak: false });
    doc.text(`Página ${i - start + 1} de ${count}`, page.width - MARGIN - 90, y, { width: 90, align: 'right', lineBreak: false });
    if (cancelled) {
      doc.save();
      doc.rotate(-35, { origin: [page.width / 2, page.height / 2] });
      font(doc, BOLD, 84, COLOR.cancelled).fillOpacity(0.18);
      doc.text('CANCELADO', 0, page.height / 2 - 42, { width: page.width, align: 'center', lineBreak: false });
      doc.restore();
    }
    page.margins.bottom = bottom;
  }
}

/**
 * The printed representation of the stamped CFDI `xml` as a PDF on A4 or letter paper. A CFDI
 * without its stamp has none (VerificationError); `cancelled` marks it CANCELADO.
 */
export async function cfdiPdf(xml: string, opts: CfdiPdfOptions): Promise<Buffer> {
  const said = representationOf(readComprobante(xml));
  // The QR carries the address itself; only what is drawn as text goes through WinAnsi.
  // Every module is 8 of the image's pixels, so a rasterised page keeps them square.
  const qr = await verificationQrPng(said.verificationUrl, { margin: 0, scale: 8 });
  const r = inWinAnsi(said);
  const cancelled = opts.cancelled === true;
  // Loaded with the first PDF, not with every engine and command that might make one.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: opts.paper,
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: BOTTOM },
    bufferPages: true,
    info: {
      Title: [r.title, r.serieFolio].filter(Boolean).join(' '),
      Author: r.issuer.nombre,
      Subject: `CFDI ${r.uuid}`,
      Keywords: [r.uuid, r.issuer.rfc].join(' '),
      Creator: 'countertop-pos',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const at = new Cursor(doc);
  header(doc, at, r, cancelled);
  parties(doc, at, r);
  conceptos(doc, at, r);
  totals(doc, at, r.totals);
  stamp(doc, at, r, qr);
  stampEveryPage(doc, r, cancelled);
  doc.end();
  return done;
}
