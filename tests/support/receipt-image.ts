// A printed receipt as its paper shows it, for a person to look at and a phone's decoder to read:
// the printer's bytes decoded (escpos-decoder.ts) and laid out in Chromium at the printer's own
// scale, one CSS pixel a dot: Font A's 12 × 24 dots a character (double for double size), 576
// dots across 80 mm paper and 384 across 58 mm. Each QR code is drawn module by module at the dots
// and error correction its bytes asked for, from the `qrcode` package's matrix (the one the
// printer's firmware would draw for that text and level); a barcode is its bars' place and text.
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { decodeEscPos, type PaperItem } from './escpos-decoder.ts';

const DOTS = { 58: 384, 80: 576 } as const;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function itemHtml(item: PaperItem): string {
  switch (item.type) {
    case 'line': {
      const style = [item.bold ? 'font-weight:700' : '', item.large ? 'font-size:40px;line-height:48px' : ''].join(';');
      return `<div class="line" style="${style}">${escapeHtml(item.text) || '&nbsp;'}</div>`;
    }
    case 'qr': {
      const { modules } = QRCode.create(item.data, { errorCorrectionLevel: item.level });
      const cells: string[] = [];
      for (let y = 0; y < modules.size; y++) {
        for (let x = 0; x < modules.size; x++) {
          if (modules.get(y, x)) cells.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
        }
      }
      const side = modules.size * item.moduleDots;
      return `<svg class="qr" width="${side}" height="${side}" viewBox="0 0 ${modules.size} ${modules.size}" shape-rendering="crispEdges">${cells.join('')}</svg>`;
    }
    case 'barcode':
      return `<div class="barcode"></div><div class="line" style="text-align:center">${escapeHtml(item.data)}</div>`;
    case 'cut':
      return '<div class="cut"></div>';
    case 'image':
      return `<div class="image" style="width:${item.width}px;height:${item.height}px"></div>`;
    case 'pulse':
      return '';
  }
}

/** The receipt the printer was sent, as a PNG of its paper. */
export async function receiptPng(page: Page, bytes: Uint8Array, paperWidth: 58 | 80): Promise<Buffer> {
  const { paper } = decodeEscPos(bytes);
  const width = DOTS[paperWidth];
  await page.setContent(`<!doctype html><meta charset="utf-8">
<style>
  body { margin: 0; background: #d0d4d8; }
  #paper { width: ${width}px; margin: 16px; padding: 24px 0; background: #fff; color: #111; }
  /* DejaVu Sans Mono's advance is 0.602 em: 19.93 px makes Font A's 12-dot character. */
  .line { font-family: 'DejaVu Sans Mono', monospace; font-size: 19.93px; line-height: 24px; white-space: pre; height: auto; }
  .qr { display: block; margin: 0 auto; fill: #000; }
  .barcode { width: 70%; height: 60px; margin: 0 auto; background: repeating-linear-gradient(90deg, #000 0 2px, #fff 2px 5px, #000 5px 9px, #fff 9px 11px); }
  .image { margin: 0 auto; background: #bbb; }
  .cut { border-top: 2px dashed #888; margin-top: 12px; }
</style>
<div id="paper">${paper.map(itemHtml).join('')}</div>`);
  return page.locator('#paper').screenshot();
}
