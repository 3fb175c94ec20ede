// The Mettler Toledo 8217 ("weight only") protocol, which most checkout scales sold in Mexico
// and Colombia speak or emulate. The host sends 'W'; the scale answers with the weight when it
// is stable, or with a status byte saying why not. 7 data bits, even parity, 9600 baud.
//
// Sources (cited, not copied):
// - METTLER TOLEDO DIVA Service Manual 72191202 (05/2012), §6.1.4.2 "Command Descriptions":
//   W → STX 0WW.WW CR (lb), STX WW.WWW CR (kg), an ASCII 'N' after the weight when it is net,
//   or STX ? status-byte CR "if scale is in motion, or net/gross weight is negative or over
//   capacity"; and §6.1.4.3 "Scale Status Byte Bit Definitions": bit 0 motion, bit 1 over
//   capacity, bit 2 under zero, bit 3 outside zero capture range, bit 4 centre of zero,
//   bit 5 net weight, bit 6 always 1, bit 7 even parity.
// - Odoo's IoT box driver for the same protocol (addons/hw_drivers … SerialScaleDriver.py and
//   the older hw_scale _toledo8217StatusParse), which reads the status byte the same way and
//   allows spaces between STX and the weight.
// The status byte carries no ROM/RAM errors: those come only from the confidence test (A, then
// B), which a checkout never runs; a scale that cannot weigh says so with bit 3 or garbage.
import { Decimal } from 'decimal.js';
import type { ScaleReading } from '#contract/scale-reading.ts';

export const STX = 0x02;
export const CR = 0x0d;

export type ScaleUnit = 'kg' | 'lb';

/**
 * What one answer says, before we know which scale sent it: the 'scale.reading' event without
 * its deviceId, plus every condition the status byte raised (for the device's status), empty
 * for a weight or for an answer we cannot read.
 */
export type ScaleResponse = (ScaleReading extends infer R ? (R extends unknown ? Omit<R, 'deviceId'> : never) : never) & {
  conditions: string[];
};

const MOTION = 0x01;
const OVER_CAPACITY = 0x02;
const UNDER_ZERO = 0x04;
const OUTSIDE_ZERO_RANGE = 0x08;

const KG_PER_LB = new Decimal('0.45359237');

/** The weight request: a single ASCII 'W', no terminator. */
export function requestWeight(): Uint8Array {
  return Uint8Array.of(0x57);
}

function describe(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `<${b.toString(16).padStart(2, '0')}>`)).join('');
}

function garbage(bytes: Uint8Array): ScaleResponse {
  const shown = describe(bytes.subarray(0, 40));
  const message = `the scale answered something that is not 8217: "${shown}"`;
  return { weightKg: null, status: 'error', reason: 'PROTOCOL', message, conditions: [] };
}

/** Kilograms as a decimal string: kg keep the scale's own resolution, lb become kg to the gram. */
function toKg(weight: string, unit: ScaleUnit): string {
  const value = new Decimal(weight);
  if (unit === 'lb') return value.times(KG_PER_LB).toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toFixed(3);
  const places = weight.split('.')[1]?.length ?? 0;
  return value.toFixed(places);
}

const STATUS_BITS: [number, string][] = [
  [OVER_CAPACITY, 'OVER_CAPACITY'],
  [UNDER_ZERO, 'UNDER_ZERO'],
  [OUTSIDE_ZERO_RANGE, 'OUTSIDE_ZERO_RANGE'],
  [MOTION, 'MOTION'],
];

function fromStatus(status: number): ScaleResponse {
  const conditions = STATUS_BITS.filter(([bit]) => status & bit).map(([, name]) => name);
  const weightKg = null;
  // Worst first: a platter over capacity may also be moving, and the cashier must see the former.
  if (status & OVER_CAPACITY)
    return { weightKg, status: 'overload', reason: 'OVERLOAD', message: 'over capacity: take weight off the scale', conditions };
  if (status & UNDER_ZERO)
    return { weightKg, status: 'underload', reason: 'UNDER_ZERO', message: 'under zero: empty the platter and zero the scale', conditions };
  if (status & OUTSIDE_ZERO_RANGE) {
    const message = 'the scale is outside its zero range: empty the platter and zero it';
    return { weightKg, status: 'error', reason: 'OUTSIDE_ZERO_RANGE', message, conditions };
  }
  if (status & MOTION) return { weightKg, status: 'motion', reason: 'MOTION', message: 'the weight is not stable yet', conditions };
  const message = `the scale gave no weight and no reason (status 0x${status.toString(16).padStart(2, '0')})`;
  return { weightKg, status: 'error', reason: 'PROTOCOL', message, conditions };
}

/**
 * One answer, from STX to CR. Bytes before the last STX are line noise (a scale switched on
 * mid-read) and are skipped; bit 7 is parity, which a 7-bit port may or may not hand over.
 */
export function parseScaleResponse(bytes: Uint8Array, unit: ScaleUnit = 'kg'): ScaleResponse {
  const seven = bytes.map((b) => b & 0x7f);
  const end = seven.lastIndexOf(CR);
  const start = end > 0 ? seven.lastIndexOf(STX, end - 1) : -1;
  if (start < 0 || end !== seven.length - 1) return garbage(bytes);
  const body = seven.subarray(start + 1, end);
  if (body.length === 2 && body[0] === 0x3f) return fromStatus(body[1]!);
  const text = String.fromCharCode(...body);
  const m = /^ *(\d{1,4}\.\d{1,4})N?$/.exec(text);
  if (!m) return garbage(bytes);
  return { weightKg: toKg(m[1]!, unit), status: 'stable', conditions: [] };
}
