// A PDF read back the way a person or a phone would: its text as poppler's pdftotext lays it out,
// its page sizes as pdfinfo reports them, and a page rasterised by pdftoppm, with any QR on it
// decoded by jsqr. poppler-utils is Debian's (.ci/run installs it); everything runs on temp files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS whose module.exports is the function; NodeNext types the default import as its .default.
const jsQR = jsQRModule.default;

function withPdf<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each page's text as pdftotext gives it (pages split at its form feeds): laid out as on the page,
 * or raw, in the order it was drawn, which keeps a word written diagonally across a page whole.
 */
export const pdfPages = (pdf: Buffer, mode: 'layout' | 'raw' = 'layout'): string[] =>
  withPdf(pdf, (file) => execFileSync('pdftotext', [`-${mode}`, file, '-'], { encoding: 'utf8' }))
    .split('\f')
    .slice(0, -1);

/** What pdfinfo says of the document: Pages, "Page size" and the rest, by their names. */
export const pdfInfo = (pdf: Buffer): Record<string, string> =>
  Object.fromEntries(
    withPdf(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }))
      .split('\n')
      .map((line) => line.match(/^([^:]+):\s*(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );

/** Page `page` (from 1) rasterised as a PNG at `dpi`, as `pdftoppm -png -r DPI` makes it. */
export const pdfPagePng = (pdf: Buffer, page: number, dpi: number): Buffer =>
  withPdf(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, join(dir, 'page')]);
    return readFileSync(join(dir, 'page.png'));
  });

/** The text of the QR code a PNG shows, or null if jsqr finds none. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}
