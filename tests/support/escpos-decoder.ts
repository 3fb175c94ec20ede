// Reads ESC/POS bytes the way an Epson-compatible printer would, independently of the encoder
// under test: text in the selected code page (iconv-lite's tables), line by line, and every
// command that matters on paper (cut, drawer pulse, barcode, QR code). A byte sequence it does
// not know fails the test instead of being skipped.
import iconv from 'iconv-lite';

// ESC t n on Epson TM printers (ESC/POS application programming guide, code page table).
const EPSON_CODE_PAGES: Record<number, string> = {
  0: 'cp437',
  2: 'cp850',
  3: 'cp860',
  4: 'cp863',
  5: 'cp865',
  13: 'cp857',
  16: 'windows-1252',
  17: 'cp866',
  19: 'cp858',
};

export type PrinterEvent =
  | { type: 'cut' }
  /** ESC p, or DLE DC4 1 (realtime: carried out even while the printer is stopped). */
  | { type: 'pulse'; pin: number; realtime?: true }
  | { type: 'barcode'; symbology: number; data: string }
  | { type: 'qr'; data: string }
  /** A bit image (ESC *), its stripes joined: width in dots and height in dots. */
  | { type: 'image'; width: number; height: number };

/**
 * What comes out of the printer, top to bottom: each line of text with the style it was printed
 * in (bold, double size), and each code and cut where it falls among them; a QR code with the dots
 * of its modules and its error correction level (GS ( k fn 67 and 69), as the printer draws it.
 */
export type PaperItem =
  | { type: 'line'; text: string; bold: boolean; large: boolean }
  | Exclude<PrinterEvent, { type: 'qr' }>
  | { type: 'qr'; data: string; moduleDots: number; level: 'L' | 'M' | 'Q' | 'H' };

/** qrModuleDots: for each QR code printed, in order, the dots a side of one of its modules (GS ( k fn 67). */
export type Decoded = {
  lines: string[];
  events: PrinterEvent[];
  codePages: string[];
  text: string;
  qrModuleDots: number[];
  paper: PaperItem[];
};

export function decodeEscPos(input: Uint8Array): Decoded {
  const b = Buffer.from(input);
  const lines: string[] = [];
  const events: PrinterEvent[] = [];
  const codePages = new Set<string>();
  let codePage = 'cp437';
  let line = '';
  let qrData = '';
  let qrModule = 3; // the printers' default module size
  let qrLevel: 'L' | 'M' | 'Q' | 'H' = 'L';
  const qrModuleDots: number[] = [];
  const paper: PaperItem[] = [];
  let bold = false;
  let large = false;
  let lineBold = false;
  let lineLarge = false;
  const endLine = () => {
    lines.push(line);
    paper.push({ type: 'line', text: line, bold: lineBold, large: lineLarge });
    line = '';
    lineBold = false;
    lineLarge = false;
  };
  const event = (e: PrinterEvent) => {
    events.push(e);
    if (e.type !== 'qr') paper.push(e);
  };
  let afterStripe = false;
  let imageOpen = false;
  let i = 0;
  const fail = (what: string) => {
    throw new Error(`unknown ESC/POS ${what} at byte ${i}: ${b.subarray(i, i + 8).toString('hex')}`);
  };
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x0a) {
      // The line feed that ends an image stripe moves the paper, it ends no line of text.
      if (afterStripe) afterStripe = false;
      else endLine();
      i++;
      continue;
    }
    if (c === 0x0d) {
      i++;
      continue;
    }
    if (c === 0x1b) {
      const cmd = b[i + 1];
      if (cmd === 0x40) {
        i += 2;
        continue;
      } // ESC @ initialise
      if (cmd === 0x74) {
        codePage = EPSON_CODE_PAGES[b[i + 2]!] ?? fail('code page');
        codePages.add(codePage);
        i += 3;
        continue;
      }
      if (cmd === 0x45) bold = b[i + 2]! % 2 === 1; // ESC E n: emphasis on or off
      if (cmd === 0x45 || cmd === 0x61 || cmd === 0x4d || cmd === 0x2d || cmd === 0x47 || cmd === 0x33 || cmd === 0x64 || cmd === 0x21) {
        i += 3;
        continue;
      }
      if (cmd === 0x32) {
        i += 2;
        continue;
      } // ESC 2 default line spacing
      if (cmd === 0x2a) {
        // ESC * m nL nH d1..dk: one stripe of a bit image, 8 or 24 dots high
        const m = b[i + 2]!;
        const width = b[i + 3]! + b[i + 4]! * 256;
        const bytesPerColumn = m >= 32 ? 3 : 1;
        const last = events.at(-1);
        if (last?.type === 'image' && last.width === width && imageOpen) last.height += bytesPerColumn * 8;
        else event({ type: 'image', width, height: bytesPerColumn * 8 });
        imageOpen = true;
        afterStripe = true;
        i += 5 + width * bytesPerColumn;
        continue;
      }
      if (cmd === 0x70) {
        event({ type: 'pulse', pin: b[i + 2]! });
        i += 5;
        continue;
      }
      fail('ESC command');
    }
    if (c === 0x1d) {
      const cmd = b[i + 1];
      if (cmd === 0x21) large = b[i + 2]! !== 0; // GS ! n: character size
      if (cmd === 0x21 || cmd === 0x68 || cmd === 0x77 || cmd === 0x48 || cmd === 0x66 || cmd === 0x42) {
        i += 3;
        continue;
      }
      if (cmd === 0x50) {
        i += 4;
        continue;
      } // GS P x y motion units
      if (cmd === 0x56) {
        event({ type: 'cut' });
        i += b[i + 2]! >= 65 ? 4 : 3;
        continue;
      }
      if (cmd === 0x6b) {
        const m = b[i + 2]!;
        if (m < 65) fail('barcode form');
        const n = b[i + 3]!;
        let data = b.subarray(i + 4, i + 4 + n).toString('latin1');
        if (m === 73) data = data.replace(/^\{[ABC]/, '');
        event({ type: 'barcode', symbology: m, data });
        i += 4 + n;
        continue;
      }
      if (cmd === 0x28 && b[i + 2] === 0x6b) {
        const len = b[i + 3]! + b[i + 4]! * 256;
        const cn = b[i + 5];
        const fn = b[i + 6];
        if (cn === 0x31 && fn === 0x43) qrModule = b[i + 7]!;
        if (cn === 0x31 && fn === 0x45) qrLevel = (['L', 'M', 'Q', 'H'] as const)[b[i + 7]! - 48] ?? fail('QR error correction level');
        if (cn === 0x31 && fn === 0x50) qrData = b.subarray(i + 8, i + 5 + len).toString('latin1');
        if (cn === 0x31 && fn === 0x51) {
          events.push({ type: 'qr', data: qrData });
          qrModuleDots.push(qrModule);
          paper.push({ type: 'qr', data: qrData, moduleDots: qrModule, level: qrLevel });
        }
        i += 5 + len;
        continue;
      }
      fail('GS command');
    }
    if (c === 0x10 && b[i + 1] === 0x14 && b[i + 2] === 0x01) {
      event({ type: 'pulse', pin: b[i + 3]!, realtime: true });
      i += 5;
      continue;
    }
    if (c === 0x1c) {
      if (b[i + 1] === 0x2e) {
        i += 2;
        continue;
      } // FS . cancel Kanji mode
      fail('FS command');
    }
    if (c < 0x20) fail('control byte');
    let j = i;
    while (j < b.length && b[j]! >= 0x20) j++;
    line += iconv.decode(b.subarray(i, j), codePage);
    lineBold ||= bold;
    lineLarge ||= large;
    imageOpen = false;
    i = j;
  }
  if (line !== '') endLine();
  return { lines, events, codePages: [...codePages], text: lines.join('\n'), qrModuleDots, paper };
}

/** A job that only opens the drawer (ESC p or DLE DC4), as the engine sends at a cash payment. */
export function isDrawerKick(job: Uint8Array): boolean {
  const { lines, events } = decodeEscPos(job);
  return lines.every((l) => l.trim() === '') && events.length > 0 && events.every((e) => e.type === 'pulse');
}
