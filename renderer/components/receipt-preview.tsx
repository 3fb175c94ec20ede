// What the printer was sent, drawn as the paper shows it: the stored layout's blocks in the
// printer's columns. The codes are marked where they print; the bytes are the printer's.
import { type Block, paperColumns, type ReceiptDocument } from '#contract/receipt-document.ts';

function lineOf(block: Block, columns: number): string[] {
  const center = (text: string) => text.padStart(Math.floor((columns + text.length) / 2)).padEnd(columns);
  switch (block.type) {
    case 'text': {
      // Leading spaces indent the first line, as the printer keeps them (a concepto's keys under it).
      const indent = /^ */.exec(block.text)![0];
      const lines: string[] = [];
      let line = indent;
      for (const word of block.text.slice(indent.length).split(' ')) {
        const next = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
        if (next.length > columns && line.trim() !== '') {
          lines.push(line);
          line = word;
        } else line = next;
      }
      lines.push(line);
      return lines.map((l) => (block.align === 'center' ? center(l) : block.align === 'right' ? l.padStart(columns) : l));
    }
    case 'row': {
      const room = Math.max(1, columns - block.right.length - 1);
      return [`${block.left.slice(0, room).padEnd(room)} ${block.right}`];
    }
    case 'rule':
      return ['─'.repeat(columns)];
    case 'feed':
      return [''];
    case 'barcode':
      return [center(`▌▌▐▌▐▐▌ ${block.data} ▌▐▌▌▐`)];
    case 'qr':
      return [center('▣ QR')];
    case 'cut':
      return [`✂${'┄'.repeat(columns - 1)}`];
    case 'logo':
      return [];
  }
}

export function ReceiptPreview({ document, label }: { document: ReceiptDocument; label: string }) {
  const columns = paperColumns(document.paperWidth);
  const lines = document.blocks.flatMap((b) => lineOf(b, columns));
  return (
    <pre className="receipt-paper" role="document" aria-label={label}>
      {lines.join('\n')}
    </pre>
  );
}
