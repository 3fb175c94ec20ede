import { realpathSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceError } from '#engine/devices/device-error.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import type { ScanEvent } from '#contract/scan-event.ts';
import { SerialScanner, type SerialScannerOptions } from '#engine/devices/scanners/serial-scanner.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

// socat's pty pair stands in for the cable: the engine opens one end as the scanner's port,
// the test types on the other end what the scanner would send.
let pair: SerialPair;
let device: SerialPort;
let address: string;
const scanners: SerialScanner[] = [];

beforeEach(async () => {
  pair = await openSerialPair();
  // The link socat makes lives under /tmp; the address names the pty it points at, as /dev/pts/N.
  address = `serial:${realpathSync(pair.engineEnd)}?baud=9600`;
  device = new SerialPort({ path: pair.deviceEnd, baudRate: 9600, autoOpen: false, lock: false });
  await new Promise<void>((resolve, reject) => device.open((err) => (err ? reject(err) : resolve())));
});

afterEach(async () => {
  for (const scanner of scanners.splice(0)) await scanner.close();
  if (device.isOpen) await new Promise<void>((resolve) => device.close(() => resolve()));
  await pair.close();
});

function scannerOn(where: string, options: SerialScannerOptions = {}, id = 'scanner-1'): SerialScanner {
  const scanner = new SerialScanner(id, where, options);
  scanners.push(scanner);
  return scanner;
}

async function ready(scanner: SerialScanner): Promise<ScanEvent[]> {
  const scans: ScanEvent[] = [];
  scanner.on('data', (scan) => scans.push(scan));
  await scanner.open();
  await scanner.claim();
  await scanner.enable();
  return scans;
}

async function send(...pieces: (string | Uint8Array)[]): Promise<void> {
  for (const piece of pieces) {
    await new Promise<void>((resolve, reject) => {
      device.write(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece, (err) =>
        err ? reject(err) : device.drain(() => resolve()),
      );
    });
  }
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await sleep(10);
  }
}

describe('SerialScanner on a virtual serial cable', () => {
  it('delivers a code ended by CR as one scan, its symbology taken from the AIM prefix', async () => {
    const scans = await ready(scannerOn(address));
    await send(']E07501000111206\r');
    await until(() => scans.length === 1);
    await sleep(100);
    expect(scans).toEqual([{ deviceId: 'scanner-1', code: '7501000111206', symbology: 'EAN-13', source: 'serial' }]);
  });

  it('puts together a code that arrives in several writes a few ms apart', async () => {
    const scans = await ready(scannerOn(address));
    for (const piece of [']C1010750', '1000111206', '\x1d10L24', '05A\r']) {
      await send(piece);
      await sleep(25);
    }
    await until(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ code: '0107501000111206\x1d10L2405A', symbology: 'GS1-128' });
  });

  it('reads codes ended by CRLF, whether CR or CRLF is configured', async () => {
    const scans = await ready(scannerOn(address, { suffix: 'CRLF' }));
    await send('7501000111206\r\n', '7501055363056\r\n');
    await until(() => scans.length === 2);
    await sleep(100);
    expect(scans.map((s) => [s.code, s.symbology])).toEqual([
      ['7501000111206', 'unknown'],
      ['7501055363056', 'unknown'],
    ]);
    await scanners[0]!.close();

    const again = await ready(scannerOn(address, { suffix: 'CR' }, 'scanner-2'));
    await send(']E496385074\r\n');
    await until(() => again.length === 1);
    await sleep(100);
    expect(again).toEqual([{ deviceId: 'scanner-2', code: '96385074', symbology: 'EAN-8', source: 'serial' }]);
  });

  it('leaves the AIM prefix in the code when prefix reading is off', async () => {
    const scans = await ready(scannerOn(address, { aimPrefix: false }));
    await send(']E07501000111206\r');
    await until(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ code: ']E07501000111206', symbology: 'unknown' });
  });

  it('says the scanner sent unreadable data, drops that read, and still delivers the next good code', async () => {
    const scanner = scannerOn(address);
    const errors: DeviceError[] = [];
    const statuses: DeviceStatus[] = [];
    scanner.on('error', (e) => errors.push(e));
    scanner.on('status', (s) => statuses.push(s));
    const scans = await ready(scanner);
    await send(Uint8Array.of(0x37, 0x35, 0x00, 0x13, 0xfe, 0x88, 0x30, 0x0d));
    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('unreadable data from the scanner') });
    expect(statuses.at(-1)).toMatchObject({ health: 'error', state: 'enabled', error: { code: 'PROTOCOL' } });
    await send(']E07501055363056\r');
    await until(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ code: '7501055363056', symbology: 'EAN-13' });
    expect(scanner.status()).toMatchObject({ health: 'online', error: null });
  });

  it('reports a status (not a crash) for noise even with no error listener', async () => {
    const scanner = scannerOn(address);
    const statuses: DeviceStatus[] = [];
    scanner.on('status', (s) => statuses.push(s));
    const scans = await ready(scanner);
    await send(Uint8Array.of(0x07, 0x1b, 0x0d));
    await until(() => statuses.some((s) => s.error?.message.includes('unreadable data from the scanner') === true));
    await send('7501000111206\r');
    await until(() => scans.length === 1);
  });

  it('drops a code that runs past the longest allowed without a suffix, and keeps running', async () => {
    const scanner = scannerOn(address, { maxLength: 200 });
    const errors: DeviceError[] = [];
    scanner.on('error', (e) => errors.push(e));
    const scans = await ready(scanner);
    await send('9'.repeat(260));
    await until(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('more than 200 bytes') });
    await send('\r', ']E07501000111206\r');
    await until(() => scans.length === 1);
    await sleep(100);
    expect(scans.map((s) => s.code)).toEqual(['7501000111206']);
  });

  it('gives up a code that stops halfway, says so, and reads the next one', async () => {
    const scanner = scannerOn(address, { pauseMs: 300 });
    const errors: DeviceError[] = [];
    scanner.on('error', (e) => errors.push(e));
    const scans = await ready(scanner);
    await send('750100011');
    await until(() => errors.length === 1, 2_000);
    expect(errors[0]!.message).toContain('stopped in the middle of a code');
    await send('7501055363056\r');
    await until(() => scans.length === 1);
    expect(scans.map((s) => s.code)).toEqual(['7501055363056']);
  });

  it('delivers nothing while disabled, and again once enabled', async () => {
    const scanner = scannerOn(address);
    const scans = await ready(scanner);
    await scanner.disable();
    await send('7501000111206\r');
    await sleep(200);
    expect(scans).toEqual([]);
    await scanner.enable();
    await send('7501055363056\r');
    await until(() => scans.length === 1);
    expect(scans[0]!.code).toBe('7501055363056');
  });

  it('rejects a claim with NOT_FOUND for a port that does not exist', async () => {
    const scanner = scannerOn('serial:/dev/ttyUSB97?baud=9600');
    await scanner.open();
    await expect(scanner.claim()).rejects.toMatchObject({ name: 'DeviceError', code: 'NOT_FOUND' });
    expect(scanner.status()).toMatchObject({ state: 'opened', health: 'offline' });
  });

  it('rejects a claim with BAD_ADDRESS for an address it cannot read', async () => {
    const scanner = scannerOn('serial:ttyUSB0');
    await scanner.open();
    await expect(scanner.claim()).rejects.toMatchObject({ code: 'BAD_ADDRESS' });
  });

  it('rejects a claim with IN_USE while another scanner holds the port, and allows it once released', async () => {
    const first = scannerOn(address, {}, 'scanner-1');
    const second = scannerOn(address, {}, 'scanner-2');
    await ready(first);
    await second.open();
    await expect(second.claim()).rejects.toMatchObject({ code: 'IN_USE' });

    await first.release();
    expect(first.state).toBe('opened');
    const scans = await ready(second);
    await send('7501000111206\r');
    await until(() => scans.length === 1);
    expect(scans[0]!.deviceId).toBe('scanner-2');

    await second.close();
    expect(second.state).toBe('closed');
    await first.claim();
    expect(first.state).toBe('claimed');
  });

  it('never lets a listener that throws take the engine down', async () => {
    const scanner = scannerOn(address);
    const scans = await ready(scanner);
    scanner.on('data', () => {
      throw new Error('a screen bug');
    });
    await send('7501000111206\r', '7501055363056\r');
    await until(() => scans.length === 2);
    expect(scanner.status().error?.message).toContain('a screen bug');
  });
});
