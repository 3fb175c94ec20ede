// The pole display and the scale on virtual serial cables (socat pty pairs): the test plays the
// hardware on the device end, byte for byte.
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import { DeviceError } from '#engine/devices/device-error.ts';
import { renderScreen } from '#engine/devices/display/line-display-commands.ts';
import { changeScreen, closingScreen, itemScreen, totalScreen } from '#engine/devices/display/line-display-screens.ts';
import { LineDisplay } from '#engine/devices/display/line-display.ts';
import { Scale, type ScaleReading } from '#engine/devices/scale/scale.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { lastScreenText, readPoleDisplay } from '../support/pole-display-reader.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

/** Our serial addresses name ports under /dev; socat's links live in a temp dir and point at /dev/pts/N. */
const address = (path: string, query = '') => `serial:${realpathSync(path)}${query}`;

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: realpathSync(path), baudRate: 9600, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

async function until(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function rejection(p: Promise<unknown>): Promise<DeviceError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeviceError);
  return err as DeviceError;
}

describe('a customer display on a serial port', () => {
  let pair: SerialPair;
  let hardware: SerialPort;
  let received: number[] = [];

  beforeAll(async () => {
    pair = await openSerialPair();
    hardware = await openPort(pair.deviceEnd);
    hardware.on('data', (chunk: Buffer) => received.push(...chunk));
  });

  afterAll(async () => {
    await closePort(hardware);
    await pair.close();
  });

  afterEach(() => {
    received = [];
  });

  it('writes item, total, change and goodbye screens as the display expects them', async () => {
    const display = new LineDisplay('display-1', address(pair.engineEnd), { commandSet: 'epson' });
    await display.open();
    await display.claim();
    await display.enable();
    await display.showItem('Jalapeños en escabeche 220 g', '$35.00', '$118.00');
    await display.showTotal('TOTAL', '$118.00');
    await display.showChange('$200.00', '$82.00');
    await display.showClosing();
    const expected = [
      renderScreen('epson', itemScreen('Jalapeños en escabeche 220 g', '$35.00', '$118.00')),
      renderScreen('epson', totalScreen('TOTAL', '$118.00')),
      renderScreen('epson', changeScreen('$200.00', '$82.00')),
      renderScreen('epson', closingScreen('¡Gracias por su compra!')),
    ].flatMap((b) => Array.from(b));
    await until(() => received.length >= expected.length, 'four screens');
    expect(received).toEqual(expected);
    expect(readPoleDisplay(received).map((s) => s.lines)).toEqual([
      ['Jalapeños en  $35.00', 'TOTAL        $118.00'],
      ['TOTAL'.padEnd(20), '$118.00'.padStart(20)],
      ['PAGO         $200.00', 'CAMBIO        $82.00'],
      ['  ¡Gracias por su   ', '      compra!       '],
    ]);
    expect(display.status()).toMatchObject({ state: 'enabled', health: 'online', error: null });
    await display.close();
  });

  it('speaks CD5220 when told to, with Spanish letters through PC437', async () => {
    const display = new LineDisplay('display-2', address(pair.engineEnd), { commandSet: 'cd5220' });
    await display.open();
    await display.claim();
    await display.enable();
    await display.show(['Piña', '¡Ánimo!']);
    const expected = Array.from(renderScreen('cd5220', ['Piña', '¡Ánimo!']));
    await until(() => received.length >= expected.length, 'one screen');
    expect(received).toEqual(expected);
    expect(readPoleDisplay(received)).toEqual([{ lines: ['Piña'.padEnd(20), '¡Animo!'.padEnd(20)], codePage: 'cp437' }]);
    await display.close();
  });

  it('spells Spanish in plain ASCII on a display set to ASCII only', async () => {
    const display = new LineDisplay('display-ascii', address(pair.engineEnd), { commandSet: 'cd5220', codepage: 'ascii' });
    await display.open();
    await display.claim();
    await display.enable();
    await display.show(['Piña', '¡Ánimo!']);
    await until(() => readPoleDisplay(received).length === 1 && received.length >= 8 + 2 * 24, 'one screen');
    expect(received.some((b) => b >= 0x80)).toBe(false);
    expect(lastScreenText(received)).toEqual(['Pina', '!Animo!']);
    await display.close();
  });

  it('refuses to show anything before it is claimed and enabled', async () => {
    const display = new LineDisplay('display-3', address(pair.engineEnd), { commandSet: 'epson' });
    await display.open();
    expect((await rejection(display.show(['a', 'b']))).code).toBe('ILLEGAL_STATE');
    await display.claim();
    expect((await rejection(display.showIdle('La Esperanza'))).code).toBe('ILLEGAL_STATE');
    await display.close();
    expect(received).toEqual([]);
  });
});

type Answer = string | Uint8Array | null;

describe('a Mettler Toledo 8217 scale on a serial port', () => {
  let pair: SerialPair;
  let hardware: SerialPort;
  let scale: Scale;
  let statuses: DeviceStatus[] = [];
  let data: ScaleReading[] = [];
  /** What the scale says to each W, in turn; null says nothing. */
  let answers: Answer[] = [];
  let asked = 0;

  beforeAll(async () => {
    pair = await openSerialPair();
    hardware = await openPort(pair.deviceEnd);
    hardware.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte !== 0x57) continue;
        asked++;
        const answer = answers.shift();
        if (answer == null) continue;
        // A real scale takes a moment to answer; the engine must not take the first byte for the whole reply.
        const bytes = typeof answer === 'string' ? Buffer.from(answer, 'latin1') : Buffer.from(answer);
        hardware.write(bytes.subarray(0, 2));
        setTimeout(() => hardware.write(bytes.subarray(2)), 5);
      }
    });
    scale = new Scale('scale-1', address(pair.engineEnd));
    scale.on('status', (s) => statuses.push(s));
    scale.on('data', (r) => data.push(r));
    await scale.open();
    await scale.claim();
    await scale.enable();
  });

  afterAll(async () => {
    await scale.close();
    await closePort(hardware);
    await pair.close();
  });

  afterEach(() => {
    statuses = [];
    data = [];
    answers = [];
    asked = 0;
  });

  it('reads a stable weight in kg and hands it to data listeners too', async () => {
    answers = ['\x0201.234\r'];
    const reading = await scale.readWeight();
    expect(reading).toEqual({ deviceId: 'scale-1', weightKg: '1.234', status: 'stable' });
    expect(data).toEqual([reading]);
    expect(scale.status()).toMatchObject({ health: 'online', conditions: [] });
  });

  it('says the weight is moving, then over capacity, and shows it in the device status', async () => {
    answers = ['\x02?A\r', '\x02?B\r'];
    expect(await scale.readWeight()).toMatchObject({ weightKg: null, status: 'motion' });
    expect(scale.status()).toMatchObject({ health: 'online', conditions: ['MOTION'] });
    expect(await scale.readWeight()).toMatchObject({ weightKg: null, status: 'overload' });
    expect(scale.status()).toMatchObject({ health: 'online', conditions: ['OVER_CAPACITY'] });
  });

  it('times out on a silent scale, goes offline, and comes back online with the next answer', async () => {
    answers = [null, '\x0200.500\r'];
    const started = Date.now();
    const error = await rejection(scale.readWeight(200));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(scale.status()).toMatchObject({ state: 'enabled', health: 'offline', error: { code: 'TIMEOUT' } });
    expect(statuses.at(-1)?.health).toBe('offline');
    expect(await scale.readWeight()).toMatchObject({ weightKg: '0.500', status: 'stable' });
    expect(scale.status()).toMatchObject({ health: 'online', error: null });
    expect(statuses.at(-1)?.health).toBe('online');
  });

  it('leaves nothing behind after timeouts: many in a row, then a normal read', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      answers = Array.from({ length: 12 }, () => null);
      for (let i = 0; i < 12; i++) expect((await rejection(scale.readWeight(20))).code).toBe('TIMEOUT');
      answers = ['\x0202.000\r'];
      expect(await scale.readWeight()).toMatchObject({ weightKg: '2.000' });
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('answers two reads asked at once in order, one question on the wire at a time', async () => {
    answers = ['\x0200.250\r', '\x0200.750\r'];
    const [first, second] = await Promise.all([scale.readWeight(), scale.readWeight()]);
    expect(first.weightKg).toBe('0.250');
    expect(second.weightKg).toBe('0.750');
    expect(asked).toBe(2);
  });

  it('turns garbage from the scale into an error reading without falling over', async () => {
    const errors: DeviceError[] = [];
    scale.on('error', (e) => errors.push(e));
    answers = ['hello\r', '\x0201.000\r'];
    const reading = await scale.readWeight();
    expect(reading).toMatchObject({ deviceId: 'scale-1', weightKg: null, status: 'error' });
    expect(reading).toMatchObject({ reason: 'PROTOCOL', message: expect.stringContaining('hello') });
    expect(scale.status()).toMatchObject({ health: 'error', error: { code: 'PROTOCOL' } });
    expect(errors.map((e) => e.code)).toEqual(['PROTOCOL']);
    expect(await scale.readWeight()).toMatchObject({ weightKg: '1.000', status: 'stable' });
    expect(scale.status()).toMatchObject({ health: 'online', error: null });
    scale.removeAllListeners('error');
  });

  it('keeps working when a listener throws', async () => {
    const boom = () => {
      throw new Error('a careless listener');
    };
    scale.on('status', boom);
    scale.on('data', boom);
    try {
      answers = [null, '\x0201.500\r'];
      expect((await rejection(scale.readWeight(50))).code).toBe('TIMEOUT');
      expect(await scale.readWeight()).toMatchObject({ weightKg: '1.500', status: 'stable' });
    } finally {
      scale.off('status', boom);
      scale.off('data', boom);
    }
  });

  it('reads a scale set up in pounds as kilograms', async () => {
    const lbPair = await openSerialPair();
    const lbHardware = await openPort(lbPair.deviceEnd);
    lbHardware.on('data', () => lbHardware.write('\x02002.50\r'));
    const lbScale = new Scale('scale-lb', address(lbPair.engineEnd, '?baud=9600&bits=7&parity=even'), { unit: 'lb' });
    try {
      await lbScale.open();
      await lbScale.claim();
      await lbScale.enable();
      expect(await lbScale.readWeight()).toEqual({ deviceId: 'scale-lb', weightKg: '1.134', status: 'stable' });
    } finally {
      await lbScale.close();
      await closePort(lbHardware);
      await lbPair.close();
    }
  });

  it('refuses to weigh while disabled', async () => {
    await scale.disable();
    try {
      expect((await rejection(scale.readWeight())).code).toBe('ILLEGAL_STATE');
      expect(asked).toBe(0);
    } finally {
      await scale.enable();
    }
  });

  it('says NOT_FOUND for a port that does not exist', async () => {
    const missing = new Scale('scale-missing', 'serial:/dev/ttyNOSUCHPORT9');
    await missing.open();
    expect((await rejection(missing.claim())).code).toBe('NOT_FOUND');
    expect(missing.status()).toMatchObject({ state: 'opened', health: 'offline', error: { code: 'NOT_FOUND' } });
  });

  it('says IN_USE for a port another device holds', async () => {
    const second = new Scale('scale-2', address(pair.engineEnd));
    await second.open();
    expect((await rejection(second.claim())).code).toBe('IN_USE');
    expect(second.state).toBe('opened');
    expect(scale.state).toBe('enabled');
  });
});

describe('when the cable is pulled', () => {
  // Pulled from a port that is already waiting for input, as a real one is. A pty hung up before
  // serialport's first poll reads 0 bytes forever instead of failing (a serialport quirk with
  // ptys; a USB adapter that goes away fails its read with ENXIO or EIO).
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it('a display whose write fails drops back to opened and shows offline', async () => {
    const pair = await openSerialPair();
    const display = new LineDisplay('display-pulled', address(pair.engineEnd), { commandSet: 'epson' });
    await display.open();
    await display.claim();
    await display.enable();
    await pair.close();
    expect(await rejection(display.showIdle('La Esperanza'))).toBeInstanceOf(DeviceError);
    expect(display.status()).toMatchObject({ state: 'opened', health: 'offline' });
    expect((await rejection(display.show(['a', 'b']))).code).toBe('ILLEGAL_STATE');
    await display.close();
  });

  it('a scale read in flight ends at once when the cable is pulled, not at its timeout', async () => {
    const pair = await openSerialPair();
    const scale = new Scale('scale-pulled', address(pair.engineEnd));
    await scale.open();
    await scale.claim();
    await scale.enable();
    await settle();
    const started = Date.now();
    const read = rejection(scale.readWeight(5_000));
    await settle();
    await pair.close();
    const error = await read;
    expect(error.code).toBe('NOT_FOUND');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(scale.status()).toMatchObject({ state: 'opened', health: 'offline' });
    await scale.close();
  });

  it('a scale pulled while idle shows offline on its own, since it is always listening', async () => {
    const pair = await openSerialPair();
    const scale = new Scale('scale-idle-pulled', address(pair.engineEnd));
    await scale.open();
    await scale.claim();
    await scale.enable();
    await settle();
    await pair.close();
    await until(() => scale.state === 'opened', 'the scale to notice');
    expect(scale.status()).toMatchObject({ health: 'offline', error: { code: 'NOT_FOUND' } });
    // A read says why the scale cannot weigh: its port went away.
    expect((await rejection(scale.readWeight())).code).toBe('NOT_FOUND');
    await scale.close();
  });
});

describe('a pole display following a sale rung up on the engine', () => {
  const ARROZ = '7505599000026';
  const LIMON_PLU = '00101';
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let pair: SerialPair;
  let hardware: SerialPort;
  const received: number[] = [];
  let cashier: string;
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  /** Waits for the glass to read these two lines (trimmed), as the customer would read them. */
  const reads = async (lines: [string | RegExp, string | RegExp], what: string) => {
    const matches = () => {
      const screen = lastScreenText(received);
      return !!screen && screen.every((l, i) => (typeof lines[i] === 'string' ? l === lines[i] : lines[i]!.test(l)));
    };
    await until(matches, what, 10_000).catch((err: Error) => {
      throw new Error(`${err.message}; the display reads ${JSON.stringify(lastScreenText(received))}`);
    });
  };

  beforeAll(async () => {
    pair = await openSerialPair();
    hardware = await openPort(pair.deviceEnd);
    hardware.on('data', (chunk: Buffer) => received.push(...chunk));
    demo = await openDemoEngine('display-follows-sale');
    const owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    // A CD5220 with nothing said of its characters: PC437, the usual for that command set.
    const devices = { display: { address: address(pair.engineEnd), commandSet: 'cd5220' as const } };
    expect((await call(demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices }, { token: owner }))).applied).toBe(true);
    await call(demo.engine.call('shifts.open', { idempotencyKey: 'display-shift-1', openingFloat: '500' }, { token: cashier }));
  }, 60_000);

  afterAll(async () => {
    await demo?.dispose();
    await closePort(hardware);
    await pair.close();
  });

  it('shows each item with its price over the running total, and the change when paid', async () => {
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: 'display-sale-1' }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    await reads(['Arroz súper e $31.50', /^TOTAL\s+\$31\.50$/], 'the rice and the total');
    expect(readPoleDisplay(received).at(-1)!.codePage).toBe('cp437');

    const cart = await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: LIMON_PLU, quantity: '1.234' }, { token: cashier }));
    await reads([/^1\.234 kg Lim.*\$41\.96$/, /^TOTAL\s+\$73\.46$/], 'the lemons and the new total');

    const rice = cart.lines.find((l) => l.lineNo === 1)!;
    await call(demo.engine.call('sales.setQuantity', { saleId: sale.id, lineId: rice.id, quantity: '2' }, { token: cashier }));
    await reads([/^2 x Arroz.*\$63\.00$/, /^TOTAL\s+\$104\.96$/], 'two bags of rice and the new total');

    const cash = (await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }))).find((m) => m.code === 'CASH')!.id;
    await call(demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '200' }] }, { token: cashier }));
    await reads([/^PAGO\s+\$200\.00$/, /^CAMBIO\s+\$95\.04$/], 'what was paid and the change');
  });
});
