// Reads the bytes a 2 × 20 pole display gets the way the display would, independently of the
// encoder under test: the CD5220 and Epson DM-D commands the engine sends move the cursor and
// clear the glass, and every other byte lands where the cursor is, read through the code table
// ESC t n chose (iconv-lite's tables; ESC @ goes back to table 0, PC437, as ESC/POS displays
// do). What comes out is what a customer standing at the counter reads. A byte sequence it
// does not know fails the test instead of being skipped.
import iconv from 'iconv-lite';

const CODE_TABLES: Record<number, string> = { 0: 'cp437', 2: 'cp850' };
const COLUMNS = 20;
const ESC = 0x1b;
const US = 0x1f;
const CLR = 0x0c;

export type ReadScreen = {
  /** Both lines, 20 characters each, as they stand on the glass. */
  lines: [string, string];
  /** The code page the upper half of the bytes was read in when this screen was written. */
  codePage: string;
};

/** Every screen the bytes show, one per initialise (ESC @), each as it stood when the next began. */
export function readPoleDisplay(input: Uint8Array | Buffer | number[]): ReadScreen[] {
  const b = Buffer.from(input instanceof Uint8Array ? input : Uint8Array.from(input));
  const screens: ReadScreen[] = [];
  let glass: string[][] = blank();
  let codePage = 'cp437';
  let row = 0;
  let col = 0;
  let started = false;
  const home = () => {
    row = 0;
    col = 0;
  };
  const cursor = (x: number | undefined, y: number | undefined) => {
    if (x === undefined || y === undefined || x < 1 || x > COLUMNS || y < 1 || y > 2)
      throw new Error(`cursor to ${x},${y} is off the glass`);
    col = x - 1;
    row = y - 1;
  };
  for (let i = 0; i < b.length; i++) {
    const byte = b[i]!;
    // A command cut off at the end is still on its way down the cable.
    if ((byte === ESC || byte === US) && i + commandLength(b[i + 1]) > b.length) break;
    if (byte === ESC) {
      const cmd = b[i + 1];
      if (cmd === 0x40) {
        if (started) screens.push({ lines: text(glass), codePage });
        started = true;
        glass = blank();
        codePage = 'cp437';
        home();
        i += 1;
      } else if (cmd === 0x74) {
        const n = b[i + 2]!;
        const table = CODE_TABLES[n];
        if (!table) throw new Error(`ESC t ${n}: a code table this reader does not know`);
        codePage = table;
        i += 2;
      } else if (cmd === 0x52 || cmd === 0x5f) {
        i += 2; // ESC R n international set, ESC _ n cursor on/off: nothing to read
      } else if (cmd === 0x11) {
        i += 1; // ESC DC1 overwrite mode, the only mode the engine uses
      } else if (cmd === 0x6c) {
        cursor(b[i + 2], b[i + 3]);
        i += 3;
      } else {
        throw new Error(`ESC ${cmd?.toString(16)} at byte ${i}: a command this reader does not know`);
      }
      continue;
    }
    if (byte === US) {
      const cmd = b[i + 1];
      if (cmd === 0x01)
        i += 1; // US MD1 overwrite mode
      else if (cmd === 0x43)
        i += 2; // US C n cursor display
      else if (cmd === 0x24) {
        cursor(b[i + 2], b[i + 3]);
        i += 3;
      } else throw new Error(`US ${cmd?.toString(16)} at byte ${i}: a command this reader does not know`);
      continue;
    }
    if (byte === CLR) {
      glass = blank();
      home();
      continue;
    }
    if (byte < 0x20 || byte === 0x7f) throw new Error(`control byte ${byte.toString(16)} at byte ${i} would reach the glass`);
    // Overwrite mode: past the last column of a line, the next character starts the other line.
    glass[row]![col] = iconv.decode(Buffer.from([byte]), codePage);
    col++;
    if (col === COLUMNS) {
      col = 0;
      row = (row + 1) % 2;
    }
  }
  if (started) screens.push({ lines: text(glass), codePage });
  return screens;
}

/** The last screen's lines, trimmed, as a person would say them. */
export function lastScreenText(input: Uint8Array | Buffer | number[]): [string, string] | null {
  const last = readPoleDisplay(input).at(-1);
  return last ? [last.lines[0].trim(), last.lines[1].trim()] : null;
}

/** Bytes in an ESC or US command starting with that second byte (both sets share the lengths). */
function commandLength(second: number | undefined): number {
  if (second === undefined) return 2;
  if (second === 0x6c || second === 0x24) return 4;
  if (second === 0x74 || second === 0x52 || second === 0x5f || second === 0x43) return 3;
  return 2;
}

function blank(): string[][] {
  return [Array<string>(COLUMNS).fill(' '), Array<string>(COLUMNS).fill(' ')];
}

function text(glass: string[][]): [string, string] {
  return [glass[0]!.join(''), glass[1]!.join('')];
}
