// USB HID POS scanners (HID Usage Tables, Bar Code Scanner page 0x8C) send each code in
// "Scanned Data" input reports. The layout below is the one Honeywell scanners use in HID POS
// mode and that Access-IS documents byte by byte for its readers (LSR116/ATR110 product manuals,
// appendix "HID reports"); Zebra and Datalogic scanners in HID POS mode are read the same way by
// open-source WebHID drivers (NielsLeenheer/WebHidBarcodeScanner):
//
//   byte 0       report ID 0x02
//   byte 1       how many data bytes this report carries (1..56 in a 64-byte report)
//   bytes 2..4   AIM symbology identifier: "]", code character, modifier ("]E0", "]Q1")
//   bytes 5..60  the decoded data, padded with 0x00 after the count of byte 1
//   byte 61      the vendor's own symbology id (Honeywell Code ID: 'd' EAN-13, 's' QR…)
//   byte 62      reserved
//   byte 63      bit 0 set: the code continues in the next report
//
// hidapi hands us the report with its ID in front, so the offsets above are the buffer's. A
// code longer than one report comes in several back to back, each with the flag set but the
// last. Nothing here throws: a report we cannot read is an error outcome, never an exception,
// because it is read inside a device event handler.
import type { Symbology } from '#contract/scan-event.ts';
import { isAimIdentifier, symbologyFromAim } from './aim-identifier.ts';

export const SCANNED_DATA_REPORT_ID = 0x02;
export const HID_POS_REPORT_SIZE = 64;
const DATA_OFFSET = 5;
/** Bytes after the data area: vendor symbology id, reserved, continuation flags. */
const TRAILER = 3;
const GS = 0x1d;

export type HidReportProblem =
  /** Shorter (or longer) than a scanned-data report: a report cut off, or a scanner in another mode. */
  | 'BAD_SIZE'
  /** The byte count is zero or more than the report can hold. */
  | 'BAD_LENGTH'
  /** No AIM identifier where it belongs: not a scanned-data report we can read. */
  | 'BAD_AIM'
  /** The data holds control bytes a code cannot contain, or is empty. */
  | 'UNREADABLE'
  /** A code grew past the longest we accept (a stuck continuation flag, say). */
  | 'TOO_LONG'
  /** A code's continuation never came; the next scan started instead. */
  | 'INCOMPLETE';

export type ScannedDataReport = {
  aim: string;
  data: Uint8Array;
  /** The vendor's symbology byte (byte 61) as a character, or null when it is 0. */
  vendorSymbology: string | null;
  more: boolean;
};

export type ReportReading =
  | { ok: true; report: ScannedDataReport }
  /** `more` is what the report says of continuation when that byte could be read, else null. */
  | { ok: false; problem: HidReportProblem; message: string; more: boolean | null };

/**
 * Reads one scanned-data report. `continuation` says a previous report announced more data: a
 * continuation's AIM bytes are not checked, since the first report already named the symbology.
 */
export function readScannedDataReport(report: Uint8Array, options: { size?: number; continuation?: boolean } = {}): ReportReading {
  const size = options.size ?? HID_POS_REPORT_SIZE;
  const capacity = size - DATA_OFFSET - TRAILER;
  if (report.length !== size) {
    return { ok: false, problem: 'BAD_SIZE', message: `a scanner report of ${report.length} bytes (expected ${size})`, more: null };
  }
  const more = (report[size - 1]! & 0x01) === 1;
  const count = report[1]!;
  if (count === 0 || count > capacity) {
    return { ok: false, problem: 'BAD_LENGTH', message: `a scanner report claims ${count} data bytes (1 to ${capacity} fit)`, more };
  }
  const aim = String.fromCharCode(report[2]!, report[3]!, report[4]!);
  if (!options.continuation && !isAimIdentifier(aim)) {
    return {
      ok: false,
      problem: 'BAD_AIM',
      message: 'a scanner report without a symbology identifier (is the scanner in HID POS mode?)',
      more,
    };
  }
  // Some firmware counts the padding in byte 1; a code never ends in NUL, so trailing zeros go.
  let end = DATA_OFFSET + count;
  while (end > DATA_OFFSET && report[end - 1] === 0) end--;
  const vendor = report[size - TRAILER]!;
  return {
    ok: true,
    report: { aim, data: report.slice(DATA_OFFSET, end), vendorSymbology: vendor === 0 ? null : String.fromCharCode(vendor), more },
  };
}

export type HidScanOutcome =
  | { kind: 'scan'; code: string; symbology: Symbology; aim: string }
  | { kind: 'error'; problem: HidReportProblem; message: string };

export type HidPosAssemblerOptions = {
  /** Bytes per input report, report ID included; 64 for every scanner we know. */
  reportSize?: number;
  /** Longest code accepted, in bytes (a QR code can hold a few thousand). */
  maxCodeLength?: number;
  /**
   * A report this long after the previous one belongs to a new scan. The reports of one code
   * come back to back (milliseconds apart), a person scans again no sooner than a few hundred ms,
   * and a generous margin covers an engine busy for a moment.
   */
  newScanAfterMs?: number;
};

/**
 * Puts codes back together from scanned-data reports. Feed every input report as it comes;
 * each call answers what that report completed: nothing (more to come, or a report that is not
 * scanned data), a scan, or errors. After a report it cannot read, reports that may be the rest
 * of that damaged code are dropped (a code's tail must never pass for a whole code) until one
 * ends the code or a pause shows a new scan began.
 */
export class HidPosAssembler {
  readonly #reportSize: number;
  readonly #maxCodeLength: number;
  readonly #newScanAfterMs: number;
  #parts: Uint8Array[] = [];
  #length = 0;
  #aim = '';
  #skipping = false;
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: HidPosAssemblerOptions = {}) {
    this.#reportSize = options.reportSize ?? HID_POS_REPORT_SIZE;
    this.#maxCodeLength = options.maxCodeLength ?? 4096;
    this.#newScanAfterMs = options.newScanAfterMs ?? 1_000;
  }

  /** Whether part of a code is waiting for its continuation. */
  get pending(): boolean {
    return this.#parts.length > 0;
  }

  reset(): void {
    this.#parts = [];
    this.#length = 0;
    this.#aim = '';
    this.#skipping = false;
  }

  feed(input: Uint8Array | readonly number[], at: number = Date.now()): HidScanOutcome[] {
    const report = input instanceof Uint8Array ? input : Uint8Array.from(input);
    // Other reports (a status, an answer to a command) are not ours to read, and not errors.
    if (report.length === 0 || report[0] !== SCANNED_DATA_REPORT_ID) return [];
    const outcomes: HidScanOutcome[] = [];
    const pause = at - this.#lastAt;
    this.#lastAt = at;
    if (pause > this.#newScanAfterMs) {
      if (this.pending) outcomes.push(error('INCOMPLETE', 'the scanner did not finish sending a code; scan it again'));
      this.reset();
    }

    const reading = readScannedDataReport(report, { size: this.#reportSize, continuation: this.pending || this.#skipping });
    if (!reading.ok) {
      // What follows may be the rest of this code unless the report itself said it was the last.
      const ended = reading.more === false;
      this.reset();
      this.#skipping = !ended;
      outcomes.push(error(reading.problem, reading.message));
      return outcomes;
    }

    const { report: part } = reading;
    if (this.#skipping) {
      if (!part.more) this.#skipping = false;
      return outcomes;
    }
    if (!this.pending) this.#aim = part.aim;
    this.#length += part.data.length;
    if (this.#length > this.#maxCodeLength) {
      this.reset();
      this.#skipping = part.more;
      outcomes.push(error('TOO_LONG', `a code longer than ${this.#maxCodeLength} bytes from the scanner was dropped`));
      return outcomes;
    }
    this.#parts.push(part.data);
    if (part.more) return outcomes;

    const aim = this.#aim;
    const bytes = Buffer.concat(this.#parts, this.#length);
    this.reset();
    const text = codeText(bytes);
    if (text === null) {
      outcomes.push(error('UNREADABLE', 'unreadable data from the scanner'));
      return outcomes;
    }
    outcomes.push({ kind: 'scan', code: text, symbology: symbologyFromAim(aim, text) ?? 'unknown', aim });
    return outcomes;
  }
}

function error(problem: HidReportProblem, message: string): HidScanOutcome {
  return { kind: 'error', problem, message };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/**
 * The code as text, or null when it is not something a label holds. A suffix the scanner was
 * set to add (CR, LF, Tab) is dropped; GS stays, it separates GS1 element strings (FNC1).
 * Bytes that are not UTF-8 are read as Latin-1 (Code 128's extended characters; the WHATWG
 * decoder reads it as windows-1252).
 */
export function codeText(bytes: Uint8Array): string | null {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a || bytes[end - 1] === 0x09)) end--;
  if (end === 0) return null;
  let text: string;
  try {
    text = UTF8.decode(bytes.subarray(0, end));
  } catch {
    text = LATIN1.decode(bytes.subarray(0, end));
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    if (control && c !== GS) return null;
  }
  return text;
}
