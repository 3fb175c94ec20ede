// The scale as the cashier's screen meets it: scale.read answers a weight, or refuses and says
// why there is none, in words the screen puts in Spanish; and the scale's device status says what
// its last answer said, not an earlier one. A real engine, and a scale played on a socat cable.
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scaleReading } from '#contract/scale-reading.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import { DeviceError } from '#engine/devices/device-error.ts';
import { Scale } from '#engine/devices/scale/scale.ts';
import { createI18n } from '../../renderer/i18n/index.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

const es = createI18n('es-MX', 'MXN', 'America/Mexico_City');

/** STX ? status CR: the 8217 status byte, bit 6 always set. */
const status = (bits: number) => `\x02?${String.fromCharCode(0x40 | bits)}\r`;
const MOTION = 0x01;
const OVER_CAPACITY = 0x02;
const UNDER_ZERO = 0x04;
const OUTSIDE_ZERO_RANGE = 0x08;

/** What the scale says to each W, in turn; null says nothing. */
type Answer = string | null;

/** The test's end of the cable, answering each W with the next answer. */
async function playScale(pair: SerialPair, answers: Answer[]): Promise<SerialPort> {
  const port = new SerialPort({ path: realpathSync(pair.deviceEnd), baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('data', (chunk: Buffer) => {
    for (const byte of chunk) {
      if (byte !== 0x57) continue;
      const answer = answers.shift();
      if (answer != null) port.write(Buffer.from(answer, 'latin1'));
    }
  });
  return port;
}

const closePort = (port: SerialPort | undefined) =>
  new Promise<void>((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('scale.read on a register with a scale', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let pair: SerialPair;
  let hardware: SerialPort;
  let owner: string;
  let cashier: string;
  const answers: Answer[] = [];
  const readings: unknown[] = [];

  const read = () => demo.engine.call('scale.read', {}, { token: cashier });
  const scaleStatus = async () => {
    const devices = ok(await demo.engine.call('devices.status', {}, { token: cashier })).devices;
    return devices.find((d) => d.kind === 'scale');
  };

  beforeAll(async () => {
    pair = await openSerialPair();
    hardware = await playScale(pair, answers);
    demo = await openDemoEngine('scale-readings');
    demo.engine.events.on('scale.reading', (r) => readings.push(r));
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    const scale = { address: `serial:${realpathSync(pair.engineEnd)}?baud=9600&bits=8&parity=none`, unit: 'kg' as const };
    ok(await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { scale } }, { token: owner }));
    await until(async () => (await scaleStatus())?.state === 'enabled', 'the scale to be enabled');
  }, 120_000);

  afterAll(async () => {
    await demo?.dispose();
    await closePort(hardware);
    await pair?.close();
  });

  afterEach(() => {
    answers.length = 0;
  });

  it('answers a stable weight as the weight in kilograms', async () => {
    answers.push('\x0201.234\r');
    expect(ok(await read())).toEqual({ deviceId: 'scale', weightKg: '1.234', status: 'stable' });
  });

  it.each([
    ['the load is moving', MOTION, 'MOTION', 'La báscula se está moviendo; espere a que se detenga.'],
    ['the scale is over capacity', OVER_CAPACITY | MOTION, 'OVERLOAD', 'La báscula tiene demasiado peso: quite carga del plato.'],
    ['the scale is under zero', UNDER_ZERO, 'UNDER_ZERO', 'La báscula marca menos de cero: vacíe el plato y póngala en cero.'],
    [
      'the scale is outside its zero range',
      OUTSIDE_ZERO_RANGE,
      'OUTSIDE_ZERO_RANGE',
      'La báscula está fuera de su rango de cero: vacíe el plato y póngala en cero.',
    ],
  ])('refuses with a device error, never a weightless answer, when %s', async (_, bits, reason, words) => {
    answers.push(status(bits));
    const refused = await read();
    expect(refused).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason } } });
    if (refused.ok) return;
    expect(es.error(refused.error)).toBe(words);
  });

  it('refuses an answer it cannot read as a protocol error', async () => {
    answers.push('hello\r');
    expect(await read()).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason: 'PROTOCOL' } } });
  });

  it('keeps no condition of an earlier answer once a read times out, and shows the timeout', async () => {
    answers.push(status(UNDER_ZERO), null);
    expect(await read()).toMatchObject({ ok: false, error: { params: { reason: 'UNDER_ZERO' } } });
    expect(await scaleStatus()).toMatchObject({ health: 'online', conditions: ['UNDER_ZERO'], error: null });
    expect(await read()).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason: 'TIMEOUT' } } });
    expect(await scaleStatus()).toMatchObject({ health: 'offline', conditions: [], error: { code: 'TIMEOUT' } });
    answers.push('\x0200.500\r');
    expect(ok(await read())).toMatchObject({ weightKg: '0.500' });
    expect(await scaleStatus()).toMatchObject({ health: 'online', conditions: [], error: null });
  });

  it('raises every reading as an event the contract accepts, a weight only with a stable status', async () => {
    expect(readings.length).toBeGreaterThan(5);
    for (const reading of readings) expect(scaleReading.safeParse(reading).error, JSON.stringify(reading)).toBeUndefined();
    expect(
      readings.filter((r) => (r as { weightKg: unknown }).weightKg === null).map((r) => (r as { status: string }).status),
    ).not.toContain('stable');
  });

  it('says NOT_FOUND, naming the port, for a scale on a port that does not exist', async () => {
    const scale = { address: 'serial:/dev/ttyNOSUCHPORT9', unit: 'kg' as const };
    ok(await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { scale } }, { token: owner }));
    await until(async () => (await scaleStatus())?.error?.code === 'NOT_FOUND', 'the scale to fail its claim');
    const refused = await read();
    expect(refused).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason: 'NOT_FOUND' } } });
    if (refused.ok) return;
    expect(refused.error.message).toContain('/dev/ttyNOSUCHPORT9');
  });
});

describe('a scale whose cable is pulled after an unhappy answer', () => {
  it('keeps no condition of that answer once it is gone', async () => {
    const pair = await openSerialPair();
    const answers: Answer[] = [status(UNDER_ZERO)];
    const hardware = await playScale(pair, answers);
    const scale = new Scale('scale-pulled', `serial:${realpathSync(pair.engineEnd)}`);
    const statuses: DeviceStatus[] = [];
    scale.on('status', (s) => statuses.push(s));
    try {
      await scale.open();
      await scale.claim();
      await scale.enable();
      expect(await scale.readWeight()).toMatchObject({ status: 'underload', weightKg: null });
      expect(scale.status()).toMatchObject({ conditions: ['UNDER_ZERO'] });
      await new Promise((r) => setTimeout(r, 100));
      await closePort(hardware);
      await pair.close();
      await until(() => scale.state === 'opened', 'the scale to notice');
      expect(scale.status()).toMatchObject({ health: 'offline', conditions: [], error: { code: 'NOT_FOUND' } });
      const error = await scale.readWeight().then(
        () => null,
        (e: unknown) => e,
      );
      // The read says why the scale cannot weigh: its port went away, not that it is in the wrong state.
      expect(error).toBeInstanceOf(DeviceError);
      expect((error as DeviceError).code).toBe('NOT_FOUND');
    } finally {
      await scale.close();
      await closePort(hardware);
      await pair.close();
    }
  });
});
