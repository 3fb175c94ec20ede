// Printer bytes from a receipt document, through ReceiptPrinterEncoder: it knows each printer
// model's code pages and picks one that holds every character of the text (á é í ó ú ñ ¿ ¡),
// which is the part hand-written ESC/POS usually gets wrong.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { type Block, paperColumns, type ReceiptDocument } from '#contract/receipt-document.ts';
import type { LogoImage } from './receipt-logo.ts';
import type { Codepage } from '#contract/device-settings.ts';

export { CODEPAGES, isKnownModel, type Codepage } from '#contract/device-settings.ts';

export type PrinterProfile = {
  /** A model ReceiptPrinterEncoder knows (its code page table); Epson TM-T20III when unset. */
  model?: string;
  /**
   * 'auto' (the default) lets the encoder pick, per character, a code page the model has; a
   * clone that mislabels its tables can be pinned to the one it really prints right.
   */
  codepage?: Codepage;
  /** Printed where a document has a logo block; documents store only the place, not the picture. */
  logo?: LogoImage;
};

/** Characters per line of Font A: 48 on 80 mm paper, 32 on 58 mm. */
export const columnsFor = paperColumns;

/** The model a printer is encoded for when its settings name none. */
export { DEFAULT_PRINTER_MODEL as DEFAULT_MODEL } from '#contract/printer-models.ts';
import { DEFAULT_PRINTER_MODEL as DEFAULT_MODEL } from '#contract/printer-models.ts';

export function encodeDocument(doc: ReceiptDocument, profile: PrinterProfile = {}): Uint8Array {
  const columns = columnsFor(doc.paperWidth);
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    printerModel: (profile.model ?? DEFAULT_MODEL) as never,
    columns,
    feedBeforeCut: 4,
  })
    .initialize()
    .codepage((profile.codepage ?? 'auto') as never);
  for (const block of doc.blocks) encodeBlock(encoder, block, columns, profile);
  return encoder.encode();
}

function encodeBlock(e: ReceiptPrinterEncoder, block: Block, columns: number, profile: PrinterProfile): void {
  switch (block.type) {
    case 'logo':
      // Scaled down to the printable width by the encoder when wider; thresholded, as logos are line art.
      if (profile.logo)
        e.align('center')
          .image(profile.logo, { algorithm: 'threshold', threshold: 128 } as never)
          .align('left');
      return;
    case 'text':
      e.align(block.align ?? 'left');
      if (block.bold) e.bold(true);
      if (block.large) e.size(2, 2);
      e.line(block.text);
      if (block.large) e.size(1, 1);
      if (block.bold) e.bold(false);
      e.align('left');
      return;
    case 'row': {
      if (block.bold) e.bold(true);
      // The right column (an amount) keeps its width; a very long one still leaves the left 8 columns.
      const right = Math.max(1, Math.min(block.right.length, columns - 9));
      e.table(
        [
          { width: columns - right - 1, marginRight: 1 },
          { width: right, align: 'right' },
        ],
        [[block.left, block.right]],
      );
      if (block.bold) e.bold(false);
      return;
    }
    case 'rule':
      e.rule({ style: 'single' });
      return;
    case 'feed':
      e.newline();
      return;
    case 'barcode':
      e.align('center').barcode(block.data, 'code128', { height: 60, text: 'below' }).align('left');
      return;
    case 'qr':
      e.align('center').qrcode(block.data, { model: 2, size: 6, errorlevel: 'm' }).align('left');
      return;
    case 'cut':
      e.cut('partial');
      return;
  }
}
