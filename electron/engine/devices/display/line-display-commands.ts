// Bytes for a 2 × 20 customer pole display. Two command sets cover almost every display sold
// for countertops here: CD5220 (Partner Tech and its many clones) and Epson's DM-D ESC/POS set,
// which most other displays also emulate. Every screen is sent whole (initialise, select the
// mode and characters, clear, both lines): a display powered separately from the terminal may
// have restarted with its defaults since the last screen, and a whole screen puts it right.
//
// Sources (cited, not copied):
// - CD5220 User's Manual, "CD5220 Standard Mode Command List": ESC @ initialise, ESC DC1
//   overwrite mode, ESC _ n cursor on/off, CLR (0x0C) clear, ESC l x y cursor to column x
//   (1–20) of line y (1–2).
// - Epson DM-D110 Specification (ESC/POS display commands) and the "EPSON Command Mode" table
//   of DM-D emulating displays: ESC @ initialise, ESC t n code table (n = 2 is PC850, the same
//   numbering as ESC/POS printers), ESC R n international set (0 = USA, so '$' '#' '@' stay
//   themselves), US MD1 (1F 01) overwrite mode, US C n cursor display, CLR, US $ x y cursor.

export type LineDisplayCommandSet = 'cd5220' | 'epson';
export type ScreenLines = [string, string];

export const DISPLAY_COLUMNS = 20;

const ESC = 0x1b;
const US = 0x1f;
const CLR = 0x0c;

/**
 * Text as the display can take it, one UTF-16 unit per column: composed (an "n" followed by a
 * combining tilde becomes one "ñ"), control characters as spaces (a product name must never
 * carry a command to the display), and characters outside the BMP (emoji) as '?'.
 */
export function cleanText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (code > 0xffff) out += '?';
    else out += ch;
  }
  return out;
}

/** A line of exactly `columns` characters: cut on the right, or padded with spaces. */
export function fitLine(text: string, columns = DISPLAY_COLUMNS): string {
  const clean = cleanText(text);
  return clean.length >= columns ? clean.slice(0, columns) : clean.padEnd(columns, ' ');
}

// The Spanish letters and marks in PC850 (checked against iconv-lite's cp850 table).
const PC850: Record<string, number> = {
  á: 0xa0,
  é: 0x82,
  í: 0xa1,
  ó: 0xa2,
  ú: 0xa3,
  ñ: 0xa4,
  Ñ: 0xa5,
  ü: 0x81,
  Ü: 0x9a,
  Á: 0xb5,
  É: 0x90,
  Í: 0xd6,
  Ó: 0xe0,
  Ú: 0xe9,
  '¿': 0xa8,
  '¡': 0xad,
  '°': 0xf8,
};

const ASCII_MARKS: Record<string, string> = {
  '¿': '?',
  '¡': '!',
  '°': 'o',
  º: 'o',
  ª: 'a',
  '«': '"',
  '»': '"',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '–': '-',
  '—': '-',
  '…': '.',
  '€': 'E',
  '£': 'L',
  '×': 'x',
  '\u00a0': ' ',
};

/** The nearest plain ASCII letter: accents dropped (ñ → n, á → a, ü → u), or '?' when there is none. */
function toAscii(ch: string): string {
  if (ch.charCodeAt(0) < 0x80) return ch;
  const mark = ASCII_MARKS[ch];
  if (mark) return mark;
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return base.length === 1 && base.charCodeAt(0) < 0x80 ? base : '?';
}

/**
 * One byte per character. Epson DM-D: PC850 is selected, so the Spanish letters show as they
 * are. CD5220: the command set has no code table selection, only ESC f n national variants
 * that swap a few ASCII symbols, and what the clones put above 0x7F differs from one factory to
 * the next; plain ASCII (ñ → n, ¿ → ?) is the only thing every CD5220 display shows the same.
 */
export function encodeText(commandSet: LineDisplayCommandSet, text: string): Uint8Array {
  const clean = cleanText(text);
  const out = new Uint8Array(clean.length);
  let i = 0;
  for (const ch of clean) {
    const pc850 = commandSet === 'epson' ? PC850[ch] : undefined;
    out[i++] = pc850 ?? toAscii(ch).charCodeAt(0);
  }
  return out;
}

function setup(commandSet: LineDisplayCommandSet): number[] {
  return commandSet === 'epson'
    ? [ESC, 0x40, ESC, 0x74, 2, ESC, 0x52, 0, US, 0x01, US, 0x43, 0, CLR]
    : [ESC, 0x40, ESC, 0x11, ESC, 0x5f, 0, CLR];
}

function moveTo(commandSet: LineDisplayCommandSet, column: number, line: number): number[] {
  return commandSet === 'epson' ? [US, 0x24, column, line] : [ESC, 0x6c, column, line];
}

/**
 * A whole screen: initialise, overwrite mode (so the 40th character does not scroll the
 * screen), our characters, cursor hidden, clear, then each line from its first column, padded
 * or cut to the display's width.
 */
export function renderScreen(commandSet: LineDisplayCommandSet, lines: ScreenLines, columns = DISPLAY_COLUMNS): Uint8Array {
  const bytes: number[] = setup(commandSet);
  lines.forEach((line, i) => {
    bytes.push(...moveTo(commandSet, 1, i + 1), ...encodeText(commandSet, fitLine(line, columns)));
  });
  return Uint8Array.from(bytes);
}
