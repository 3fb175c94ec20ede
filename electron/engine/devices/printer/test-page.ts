// The printer's own test page: what the person setting up a printer needs to see (it prints,
// the paper fits, Spanish reads right), laid out and sent at once. It reads nothing of the store.
import { DEFAULT_MODEL, columnsFor, encodeDocument } from './escpos.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { JobOutcome, PrinterSetup } from '#engine/ports.ts';

export function testPageDocument(p: {
  printerUri: string;
  model: string;
  codepage: string;
  paperWidth: 58 | 80;
  columns: number;
  printedAt: string;
}): ReceiptDocument {
  const ruler = '1234567890'.repeat(Math.ceil(p.columns / 10)).slice(0, p.columns);
  return {
    kind: 'TEST',
    paperWidth: p.paperWidth,
    blocks: [
      { type: 'text', text: 'PÁGINA DE PRUEBA', align: 'center', bold: true, large: true },
      { type: 'rule' },
      {
        type: 'row',
        left: 'Impresora',
        right: p.printerUri.length > p.columns - 11 ? p.printerUri.slice(-(p.columns - 11)) : p.printerUri,
      },
      { type: 'row', left: 'Perfil', right: p.model },
      { type: 'row', left: 'Papel', right: `${p.paperWidth} mm, ${p.columns} columnas` },
      // With 'auto' the encoder picks a code page per character; the sample below is what proves it.
      { type: 'row', left: 'Página de códigos', right: p.codepage === 'auto' ? 'automática' : p.codepage },
      { type: 'row', left: 'Fecha', right: p.printedAt },
      { type: 'rule' },
      { type: 'text', text: ruler },
      { type: 'text', text: 'Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $' },
      { type: 'text', text: '¿Año nuevo? ¡Señal de éxito!' },
      { type: 'barcode', data: 'PRUEBA-123' },
      { type: 'qr', data: 'https://example.com/prueba' },
      { type: 'cut' },
    ],
  };
}

/** The test page, sent at once; throws the printer's own error so the person setting it up sees it. */
export async function sendTestPage(
  send: (uri: string, bytes: Uint8Array) => Promise<JobOutcome>,
  printer: Pick<PrinterSetup, 'uri' | 'model' | 'codepage' | 'paperWidth'>,
  now: Date,
): Promise<JobOutcome & { document: ReceiptDocument }> {
  const model = printer.model ?? DEFAULT_MODEL;
  const document = testPageDocument({
    printerUri: printer.uri,
    model,
    codepage: printer.codepage ?? 'auto',
    paperWidth: printer.paperWidth,
    columns: columnsFor(printer.paperWidth),
    printedAt: `${now.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
  });
  const outcome = await send(printer.uri, encodeDocument(document, { model, ...(printer.codepage ? { codepage: printer.codepage } : {}) }));
  return { ...outcome, document };
}
