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
//   Its own character commands are ESC f n (a national variant that swaps a few ASCII symbols)
//   and ESC c n (ASCII, JIS, Slavonic or Russian); it has no code table command.
// - Epson DM-D110 Specification (ESC/POS display commands) and the "EPSON Command Mode" table
//   of DM-D emulating displays: ESC @ initialise, ESC t n code table (n = 0 PC437, n = 2 PC850,
//   the same numbering as ESC/POS printers), ESC R n international set (0 = USA, so '$' '#' '@'
//   stay themselves), US MD1 (1F 01) overwrite mode, US C n cursor display, CLR, US $ x y cursor.
// - Manuals of multi-mode VFD pole displays (CD5220 clones that also emulate Epson, with a
//   setup tool listing code pages): ESC t n as above. Whether a clone honours it in CD5220 mode
//   varies from factory to factory and no manual says; hence 'ascii' per display (settings).
import type { DisplayCodepage } from '#contract/device-settings.ts';

export type LineDisplayCommandSet = 'cd5220' | 'epson';
export type { DisplayCodepage } from '#contract/device-settings.ts';
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

/**
 * The code page a display gets when its settings name none (see the sources above).
 * Epson DM-D: PC850, which has every Spanish letter, capitals with accents too.
 * CD5220: PC437, ESC/POS's table 0, where a clone that speaks ESC/POS starts anyway. A genuine
 * CD5220 has no ESC t: the selection goes before the clear, so whatever it shows is wiped. And
 * the Spanish letters PC437 has sit at the same bytes in PC850, so a clone left on either shows
 * them right. A clone whose upper half is neither is set to 'ascii' in its settings.
 */
export const DEFAULT_CODEPAGE: Record<LineDisplayCommandSet, DisplayCodepage> = { epson: 'cp850', cd5220: 'cp437' };

/** n of ESC t n, as ESC/POS numbers its code tables. */
const CODE_TABLE: Record<Exclude<DisplayCodepage, 'ascii'>, number> = { cp437: 0, cp850: 2 };

// The Spanish letters and marks, checked against iconv-lite's cp437 and cp850 tables: the same
// bytes in both, except the capitals with an accent other than É, which only PC850 has.
const IN_BOTH: Record<string, number> = {
  á: 0xa0,
  é: 0x82,
  í: 0xa1,
  ó: 0xa2,
  ú: 0xa3,
  ñ: 0xa4,
  Ñ: 0xa5,
  ü: 0x81,
  Ü: 0x9a,
  É: 0x90,
  '¿': 0xa8,
  '¡': 0xad,
  '°': 0xf8,
  ª: 0xa6,
  º: 0xa7,
  '«': 0xae,
  '»': 0xaf,
  '£': 0x9c,
};
const LETTERS: Record<Exclude<DisplayCodepage, 'ascii'>, Record<string, number>> = {
  cp437: IN_BOTH,
  cp850: { ...IN_BOTH, Á: 0xb5, Í: 0xd6, Ó: 0xe0, Ú: 0xe9 },
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
 * One byte per character: a letter of the code page as that page has it, anything else as its
 * nearest ASCII (Á → A on PC437; ñ → n, ¿ → ? when the display is set to ASCII).
 */
export function encodeText(codepage: DisplayCodepage, text: string): Uint8Array {
  const clean = cleanText(text);
  const letters = codepage === 'ascii' ? undefined : LETTERS[codepage];
  const out = new Uint8Array(clean.length);
  let i = 0;
  for (const ch of clean) out[i++] = letters?.[ch] ?? toAscii(ch).charCodeAt(0);
  return out;
}

/** ESC t n, or nothing for a display that is only sent ASCII. */
function selectCodepage(codepage: DisplayCodepage): number[] {
  return codepage === 'ascii' ? [] : [ESC, 0x74, CODE_TABLE[codepage]];
}

function setup(commandSet: LineDisplayCommandSet, codepage: DisplayCodepage): number[] {
  return commandSet === 'epson'
    ? [ESC, 0x40, ...selectCodepage(codepage), ESC, 0x52, 0, US, 0x01, US, 0x43, 0, CLR]
    : [ESC, 0x40, ESC, 0x11, ESC, 0x5f, 0, ...selectCodepage(codepage), CLR];
}

function moveTo(commandSet: LineDisplayCommandSet, column: number, line: number): number[] {
  return commandSet === 'epson' ? [US, 0x24, column, line] : [ESC, 0x6c, column, line];
}

/**
 * A whole screen: initialise, overwrite mode (so the 40th character does not scroll the
 * screen), cursor hidden, the code page, clear, then each line from its first column, padded
 * or cut to the display's width.
 */
export function renderScreen(
  commandSet: LineDisplayCommandSet,
  lines: ScreenLines,
  { columns = DISPLAY_COLUMNS, codepage = DEFAULT_CODEPAGE[commandSet] }: { columns?: number; codepage?: DisplayCodepage } = {},
): Uint8Array {
  const bytes: number[] = setup(commandSet, codepage);
  lines.forEach((line, i) => {
    bytes.push(...moveTo(commandSet, 1, i + 1), ...encodeText(codepage, fitLine(line, columns)));
  });
  return Uint8Array.from(bytes);
}
