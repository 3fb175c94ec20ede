import { describe, expect, it } from 'vitest';
import { scaleReading, stableReading } from '#contract/scale-reading.ts';
import { parseScaleResponse, requestWeight } from '#engine/devices/scale/mettler-8217.ts';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** STX ? status CR, the status byte with bit 6 set as the scale sends it. */
const status = (bits: number) => Uint8Array.of(0x02, 0x3f, 0x40 | bits, 0x0d);

describe('the Mettler Toledo 8217 protocol', () => {
  it('asks for the weight with a single W', () => {
    expect(Array.from(requestWeight())).toEqual([0x57]);
  });

  it('reads a stable weight in kg as a decimal string at the scale’s resolution', () => {
    expect(parseScaleResponse(bytes('\x0201.234\r'))).toEqual({ weightKg: '1.234', status: 'stable', conditions: [] });
    expect(parseScaleResponse(bytes('\x0200.000\r'))).toEqual({ weightKg: '0.000', status: 'stable', conditions: [] });
    expect(parseScaleResponse(bytes('\x0212.500\r')).weightKg).toBe('12.500');
  });

  it('reads a net weight (an N after the digits) and tolerates spaces after STX', () => {
    expect(parseScaleResponse(bytes('\x0200.750N\r')).weightKg).toBe('0.750');
    expect(parseScaleResponse(bytes('\x02  1.234\r')).weightKg).toBe('1.234');
  });

  it('turns pounds into kilograms to the gram, without floating point', () => {
    expect(parseScaleResponse(bytes('\x02002.50\r'), 'lb').weightKg).toBe('1.134');
    expect(parseScaleResponse(bytes('\x0200.10\r'), 'lb').weightKg).toBe('0.045');
    expect(parseScaleResponse(bytes('\x0230.00\r'), 'lb').weightKg).toBe('13.608');
  });

  it('ignores the parity bit, which a 7-bit port may hand over', () => {
    expect(parseScaleResponse(Uint8Array.of(0x82, 0x30, 0xb1, 0x2e, 0x32, 0x33, 0xb4, 0x8d)).weightKg).toBe('1.234');
  });

  it('says the weight is moving when bit 0 is set', () => {
    expect(parseScaleResponse(status(0x01))).toMatchObject({ weightKg: null, status: 'motion', reason: 'MOTION', conditions: ['MOTION'] });
  });

  it('says the scale is over capacity when bit 1 is set, even while it also moves', () => {
    expect(parseScaleResponse(status(0x02))).toMatchObject({
      weightKg: null,
      status: 'overload',
      reason: 'OVERLOAD',
      conditions: ['OVER_CAPACITY'],
    });
    expect(parseScaleResponse(status(0x03))).toMatchObject({
      status: 'overload',
      reason: 'OVERLOAD',
      conditions: ['OVER_CAPACITY', 'MOTION'],
    });
  });

  it('says the scale is under zero when bit 2 is set', () => {
    const r = parseScaleResponse(status(0x04));
    expect(r).toMatchObject({ weightKg: null, status: 'underload', reason: 'UNDER_ZERO', conditions: ['UNDER_ZERO'] });
    expect(r).toMatchObject({ message: expect.stringMatching(/zero/) });
  });

  it('reports an error when the scale is outside its zero capture range (bit 3)', () => {
    expect(parseScaleResponse(status(0x08))).toMatchObject({
      weightKg: null,
      status: 'error',
      reason: 'OUTSIDE_ZERO_RANGE',
      conditions: ['OUTSIDE_ZERO_RANGE'],
    });
  });

  it('does not mistake the net and centre-of-zero bits for a problem of their own', () => {
    expect(parseScaleResponse(status(0x20 | 0x01))).toMatchObject({ status: 'motion', conditions: ['MOTION'] });
    expect(parseScaleResponse(status(0x30))).toMatchObject({ status: 'error', reason: 'PROTOCOL', conditions: [] });
  });

  it.each([
    ['an empty answer', ''],
    ['words', 'hello\r'],
    ['no STX', '01.234\r'],
    ['no CR', '\x0201.234'],
    ['no decimal point', '\x0201234\r'],
    ['a negative weight', '\x02-1.234\r'],
    ['units after the weight', '\x0201.234kg\r'],
    ['a lone question mark', '\x02?\r'],
    ['bytes after the CR', '\x0201.234\rxx'],
  ])('calls %s an error reading, with what came in the message', (_, answer) => {
    const r = parseScaleResponse(bytes(answer));
    expect(r).toMatchObject({ weightKg: null, status: 'error', reason: 'PROTOCOL', conditions: [] });
    expect(r).toMatchObject({ message: expect.stringMatching(/not 8217/) });
  });

  it('skips line noise before the last STX', () => {
    expect(parseScaleResponse(bytes('\xff\x00\x0201.000\r')).weightKg).toBe('1.000');
  });
});

describe('a scale reading as the contract has it', () => {
  const answers = [
    bytes('\x0201.234\r'),
    bytes('\x0200.000\r'),
    ...Array.from({ length: 64 }, (_, bits) => status(bits)),
    bytes('hello\r'),
    bytes('\x02?\r'),
  ];

  it('accepts every answer the scale can give, as the scale.reading event', () => {
    for (const answer of answers) {
      const { conditions: _, ...response } = parseScaleResponse(answer);
      const reading = { deviceId: 'scale', ...response };
      expect(scaleReading.safeParse(reading).error, JSON.stringify(reading)).toBeUndefined();
    }
  });

  it('has a weight exactly when the weight is stable', () => {
    const base = { deviceId: 'scale', message: 'x' };
    expect(scaleReading.safeParse({ deviceId: 'scale', weightKg: null, status: 'stable' }).success).toBe(false);
    expect(scaleReading.safeParse({ ...base, weightKg: '1.000', status: 'motion', reason: 'MOTION' }).success).toBe(false);
    expect(scaleReading.safeParse({ ...base, weightKg: null, status: 'motion', reason: 'MOTION' }).success).toBe(true);
  });

  it('never gives a reason that contradicts the status', () => {
    const base = { deviceId: 'scale', weightKg: null, message: 'x' };
    expect(scaleReading.safeParse({ ...base, status: 'motion', reason: 'OVERLOAD' }).success).toBe(false);
    expect(scaleReading.safeParse({ ...base, status: 'error', reason: 'MOTION' }).success).toBe(false);
    expect(scaleReading.safeParse({ ...base, status: 'underload' }).success).toBe(false);
  });

  it('answers scale.read with a stable weight only: a reading without one is not a weight', () => {
    expect(stableReading.safeParse({ deviceId: 'scale', weightKg: '0.750', status: 'stable' }).success).toBe(true);
    expect(stableReading.safeParse({ deviceId: 'scale', weightKg: null, status: 'stable' }).success).toBe(false);
    expect(stableReading.safeParse({ deviceId: 'scale', weightKg: null, status: 'motion', reason: 'MOTION', message: 'x' }).success).toBe(
      false,
    );
  });
});
