// A scanner on a serial port (RS-232, or USB set to emulate a COM port). It sends each code as
// text followed by a suffix (CR unless set otherwise), optionally with an AIM identifier in
// front. The line can carry noise (a wrong baud rate, a cable plugged in live), a code can stop
// halfway (a scanner unplugged mid-send): none of that may reach the cart as a code, and none
// of it may stop the scanner from reading the next one.
import type { SerialPort } from 'serialport';
import { DeviceError, deviceErrorFrom } from '../device-error.ts';
import { PosDevice } from '../device.ts';
import type { ScanEvent } from '#contract/scan-event.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import { closeSerialLink, openSerialLink } from '../serial-link.ts';
import { splitAimIdentifier } from './aim-identifier.ts';

/** What ends each code: the usual names, or the literal characters a scanner was set to send (ETX is '\x03'). */
export type ScanSuffix = 'CR' | 'LF' | 'CRLF' | 'TAB' | (string & {});

export type ScanFramerOptions = {
  /** Default CR. CR, LF and CRLF all accept each other: a scanner set to another line ending still reads. */
  suffix?: ScanSuffix;
  /** Bytes a code may hold before we decide the suffix is not coming; default 200. */
  maxLength?: number;
  /** A silence this long in the middle of a code gives it up; default 1000 ms. */
  pauseMs?: number;
};

export type FramedRead = { kind: 'code'; text: string } | { kind: 'unreadable' | 'too-long' | 'incomplete'; message: string };

const GS = 0x1d;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

function terminatorsFor(suffix: ScanSuffix): Uint8Array[] {
  const line = [Uint8Array.of(CR), Uint8Array.of(LF)];
  switch (suffix) {
    case 'CR':
    case 'LF':
    case 'CRLF':
    case '\r':
    case '\n':
    case '\r\n':
      // The LF of a CRLF then ends an empty read, which is ignored.
      return line;
    case 'TAB':
    case '\t':
      return [Uint8Array.of(TAB)];
    default: {
      if (suffix.length === 0 || suffix.length > 4)
        throw new DeviceError('BAD_ADDRESS', `a scanner suffix must be 1 to 4 characters, not ${JSON.stringify(suffix)}`);
      return [new TextEncoder().encode(suffix)];
    }
  }
}

/**
 * Cuts a serial byte stream into codes. Pure: the caller passes the time each chunk arrived.
 * A read that holds noise (control bytes other than GS, which is FNC1 in GS1-128, and the
 * suffix) is reported once and then dropped up to its suffix or the next pause, so its tail
 * can never pass for a code of its own.
 */
export class ScanFramer {
  readonly #terminators: Uint8Array[];
  readonly #allowed: Set<number>;
  readonly #longestTerminator: number;
  readonly #maxLength: number;
  readonly #pauseMs: number;
  #buffer: number[] = [];
  #spoiled = false;
  #tail: number[] = [];
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: ScanFramerOptions = {}) {
    this.#terminators = terminatorsFor(options.suffix ?? 'CR');
    this.#allowed = new Set([GS, ...this.#terminators.flatMap((t) => [...t])]);
    this.#longestTerminator = Math.max(...this.#terminators.map((t) => t.length));
    this.#maxLength = options.maxLength ?? 200;
    this.#pauseMs = options.pauseMs ?? 1_000;
  }

  /** Part of a read is waiting for the rest. */
  get pending(): boolean {
    return this.#buffer.length > 0 || this.#spoiled;
  }

  /** When the read in progress is given up if nothing more comes; null when none is. */
  get deadline(): number | null {
    return this.pending ? this.#lastAt + this.#pauseMs : null;
  }

  reset(): void {
    this.#buffer = [];
    this.#tail = [];
    this.#spoiled = false;
  }

  push(chunk: Uint8Array, at: number): FramedRead[] {
    const reads = this.expire(at);
    this.#lastAt = at;
    for (const byte of chunk) {
      const read = this.#take(byte);
      if (read) reads.push(read);
    }
    return reads;
  }

  /** Gives up a read that has been silent for longer than the pause. */
  expire(at: number): FramedRead[] {
    if (!this.pending || at - this.#lastAt <= this.#pauseMs) return [];
    const silent = this.#spoiled;
    this.reset();
    // A spoiled read was reported when it went bad.
    return silent ? [] : [{ kind: 'incomplete', message: 'the scanner stopped in the middle of a code; scan it again' }];
  }

  #take(byte: number): FramedRead | null {
    this.#tail.push(byte);
    if (this.#tail.length > this.#longestTerminator) this.#tail.shift();
    const terminator = this.#terminators.find((t) => endsWith(this.#tail, t));
    if (terminator) {
      const spoiled = this.#spoiled;
      const code = this.#buffer.slice(0, this.#buffer.length - (terminator.length - 1));
      this.reset();
      if (spoiled || code.length === 0) return null;
      const text = readableText(Uint8Array.from(code));
      return text === null ? unreadable() : { kind: 'code', text };
    }
    if (this.#spoiled) return null;
    if ((byte < 0x20 || byte === 0x7f) && !this.#allowed.has(byte)) {
      this.#spoil();
      return unreadable();
    }
    this.#buffer.push(byte);
    if (this.#buffer.length > this.#maxLength) {
      this.#spoil();
      return {
        kind: 'too-long',
        message: `the scanner sent more than ${this.#maxLength} bytes without its suffix; check the scanner's suffix setting`,
      };
    }
    return null;
  }

  #spoil(): void {
    this.#buffer = [];
    this.#spoiled = true;
  }
}

function unreadable(): FramedRead {
  return { kind: 'unreadable', message: 'unreadable data from the scanner' };
}

function endsWith(bytes: number[], end: Uint8Array): boolean {
  if (bytes.length < end.length) return false;
  const from = bytes.length - end.length;
  return end.every((b, i) => bytes[from + i] === b);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

// Strict UTF-8 on a serial line: a wrong baud rate turns a code into bytes above 0x7F, which
// must read as noise rather than as an accented product code.
function readableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return null;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== GS) || (c >= 0x7f && c <= 0x9f)) return null;
  }
  return text;
}

export type SerialScannerOptions = ScanFramerOptions & {
  /** Reads an AIM identifier ("]E0") off the front of each code to name its symbology; default true. */
  aimPrefix?: boolean;
};

export class SerialScanner extends PosDevice<ScanEvent> {
  readonly #options: SerialScannerOptions;
  #framer: ScanFramer | null = null;
  #port: SerialPort | null = null;
  #timer: NodeJS.Timeout | null = null;

  /** address: serial:/dev/ttyUSB0?baud=9600 (bits, parity, stop too). A bad one rejects claim() with BAD_ADDRESS. */
  constructor(id: string, address: string, options: SerialScannerOptions = {}) {
    super(id, 'scanner', address);
    this.#options = options;
  }

  protected async acquire(): Promise<void> {
    const settings = parseSerialAddress(this.address);
    const framer = new ScanFramer(this.#options);
    let port: SerialPort | null = null;
    port = await openSerialLink(settings, (err) => {
      if (port) this.#onLost(port, err);
    });
    const opened = port;
    this.#framer = framer;
    this.#port = opened;
    opened.on('data', (chunk: Buffer) => this.#onData(opened, chunk));
  }

  protected async relinquish(): Promise<void> {
    const port = this.#port;
    this.#forget();
    await closeSerialLink(port);
  }

  #forget(): void {
    this.#port = null;
    this.#framer = null;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // Runs inside the port's 'data' event: nothing may escape it, or the engine goes down.
  #onData(port: SerialPort, chunk: Buffer): void {
    if (port !== this.#port || !this.#framer) return;
    try {
      this.#handle(this.#framer.push(chunk, Date.now()));
      this.#watchForSilence();
    } catch (err) {
      this.quietly(() => this.reportError(deviceErrorFrom(err, this.address)));
    }
  }

  // The next chunk would end a stalled read too, but the cashier should hear about a code that
  // stopped halfway now, not at the next scan.
  #watchForSilence(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = this.#framer?.deadline;
    if (deadline == null) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        try {
          if (this.#framer) this.#handle(this.#framer.expire(Date.now()));
        } catch (err) {
          this.quietly(() => this.reportError(deviceErrorFrom(err, this.address)));
        }
      },
      Math.max(0, deadline - Date.now()) + 5,
    );
    this.#timer.unref();
  }

  // Each read on its own: a listener that throws on one code must not cost the next one.
  #handle(reads: FramedRead[]): void {
    for (const read of reads) {
      try {
        if (read.kind !== 'code') {
          this.reportError(new DeviceError('PROTOCOL', `${this.id}: ${read.message}`));
          continue;
        }
        const { code, symbology } =
          this.#options.aimPrefix === false ? { code: read.text, symbology: 'unknown' as const } : splitAimIdentifier(read.text);
        if (code.length === 0) continue;
        this.reportHealth('online');
        this.deliver({ deviceId: this.id, code, symbology, source: 'serial' });
      } catch (err) {
        this.quietly(() => this.reportError(deviceErrorFrom(err, this.address)));
      }
    }
  }

  #onLost(port: SerialPort, err: DeviceError): void {
    if (port !== this.#port) return;
    this.#forget();
    // Closing frees the port's lock, so a later claim can take it again.
    void closeSerialLink(port);
    this.quietly(() => this.lost(err));
  }
}
