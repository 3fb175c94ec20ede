// What the customer reads on the pole display at each step of a sale, as two lines of exactly
// the display's width. Amounts arrive already formatted ("$1,234.50", "$ 12.345"): they are
// never cut, the words around them are. Spanish labels, because the customer is the reader.
import { cleanText, DISPLAY_COLUMNS, fitLine, type ScreenLines } from './line-display-commands.ts';

/** The words that fit in `width` columns (a word longer than the line is cut), and what is left. */
function takeWords(text: string, width: number): [string, string] {
  const words = text.split(' ').filter(Boolean);
  let line = '';
  let used = 0;
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length > width) break;
    line = next;
    used++;
  }
  if (used === 0 && words.length > 0) {
    const word = words[0]!;
    return [word.slice(0, width), [word.slice(width), ...words.slice(1)].filter(Boolean).join(' ')];
  }
  return [line, words.slice(used).join(' ')];
}

/** Label on the left, amount on the right; the label gives way, the amount never does. */
function labelAndAmount(label: string, amount: string, columns: number): string {
  const value = cleanText(amount).trim().slice(0, columns);
  const room = columns - value.length - 1;
  const left = room > 0 ? cleanText(label).trim().slice(0, room) : '';
  return left.padEnd(columns - value.length, ' ') + value;
}

function centre(text: string, columns: number): string {
  const clean = cleanText(text).trim().slice(0, columns);
  const left = Math.floor((columns - clean.length) / 2);
  return fitLine(' '.repeat(left) + clean, columns);
}

/** Text spread over both lines, word by word, each line centred. */
function centredOverTwoLines(text: string, columns: number): ScreenLines {
  const clean = cleanText(text).trim();
  if (clean.length <= columns) return [centre(clean, columns), ' '.repeat(columns)];
  const [first, rest] = takeWords(clean, columns);
  return [centre(first, columns), centre(takeWords(rest, columns)[0], columns)];
}

/**
 * The line just rung up or changed, and the sale so far: the item with its price on top (the
 * name gives way to the price), "TOTAL" and the sale's total below it.
 */
export function itemScreen(item: string, price: string, total: string, columns = DISPLAY_COLUMNS): ScreenLines {
  return [labelAndAmount(item, price, columns), labelAndAmount('TOTAL', total, columns)];
}

/** "TOTAL" (or whatever label the caller gives) above the amount, right-aligned. */
export function totalScreen(label: string, total: string, columns = DISPLAY_COLUMNS): ScreenLines {
  return [fitLine(cleanText(label).trim(), columns), labelAndAmount('', total, columns)];
}

/** What the customer paid and the change to expect. */
export function changeScreen(paid: string, change: string, columns = DISPLAY_COLUMNS): ScreenLines {
  return [labelAndAmount('PAGO', paid, columns), labelAndAmount('CAMBIO', change, columns)];
}

/** A goodbye such as "¡Gracias por su compra!", centred and wrapped over both lines. */
export function closingScreen(message = '¡Gracias por su compra!', columns = DISPLAY_COLUMNS): ScreenLines {
  return centredOverTwoLines(message, columns);
}

/** Between sales: the store's name, and a welcome when the name leaves the second line free. */
export function idleScreen(storeName: string, greeting = '¡Bienvenidos!', columns = DISPLAY_COLUMNS): ScreenLines {
  const name = cleanText(storeName).trim();
  if (name.length <= columns) return [centre(name, columns), centre(greeting, columns)];
  return centredOverTwoLines(name, columns);
}
