import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '#engine/devices/device-error.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import type { ScanEvent } from '#contract/scan-event.ts';
import { splitAimIdentifier, symbologyFromAim } from '#engine/devices/scanners/aim-identifier.ts';
import { HidPosAssembler, readScannedDataReport } from '#engine/devices/scanners/hid-pos-report.ts';
import {
  HidScanner,
  listHidPosDevices,
  parseHidAddress,
  type HidBackend,
  type HidDeviceInfo,
  type HidLink,
} from '#engine/devices/scanners/hid-scanner.ts';
import { ScanFramer } from '#engine/devices/scanners/serial-scanner.ts';
import { log } from '#engine/log/logger.ts';
import { fromHex, HID_POS_REPORTS as R } from '../fixtures/hid-pos-reports.ts';

const QR_TEXT =
  'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=5803EB8D-81CD-4557-8719-26632D2FA434&re=AEL0512148T1&rr=XAXX010101000&tt=0000000187.500000';
const qr = R.qrInThree.map(fromHex);
const ean13Scan = { kind: 'scan', code: '7501000111206', symbology: 'EAN-13', aim: ']E0' };

describe('AIM symbology identifiers', () => {
  it.each([
    [']E07501000111206', 'EAN-13', '7501000111206'],
    [']E496385074', 'EAN-8', '96385074'],
    [']C0RCAJA-1-000123', 'Code 128', 'RCAJA-1-000123'],
    [']C10107501000111206\x1d10L2405A', 'GS1-128', '0107501000111206\x1d10L2405A'],
    [']A0SKU-4471', 'Code 39', 'SKU-4471'],
    [']Q1https://pos.example/r/123', 'QR Code', 'https://pos.example/r/123'],
    [']d1ABC123', 'Data Matrix', 'ABC123'],
    [']d2010750100011120617261231', 'Data Matrix', '010750100011120617261231'],
    [']e00107501000111206', 'GS1 DataBar', '0107501000111206'],
    [']I012345678901234', 'Interleaved 2 of 5', '12345678901234'],
    [']L0PDF-DATA', 'PDF417', 'PDF-DATA'],
    [']G0CODE93', 'Code 93', 'CODE93'],
    [']F0A123456B', 'Codabar', 'A123456B'],
  ] as const)('reads %j as %s and strips the prefix', (raw, symbology, code) => {
    expect(splitAimIdentifier(raw)).toEqual({ symbology, code, aim: raw.slice(0, 3) });
  });

  it('leaves a UPC-A sent as 13 digits under ]E0 exactly as received', () => {
    expect(splitAimIdentifier(']E00036000291452')).toEqual({ symbology: 'EAN-13', code: '0036000291452', aim: ']E0' });
  });

  it('names a UPC-A that the scanner sends as 12 digits', () => {
    expect(splitAimIdentifier(']E0036000291452')).toEqual({ symbology: 'UPC-A', code: '036000291452', aim: ']E0' });
  });

  it('does not check the check digit: that is the catalog parser’s job', () => {
    expect(splitAimIdentifier(']E07501000111203').code).toBe('7501000111203');
  });

  it('answers unknown and leaves a code without a prefix untouched', () => {
    expect(splitAimIdentifier('7501000111206')).toEqual({ symbology: 'unknown', code: '7501000111206', aim: null });
    expect(splitAimIdentifier('E07501000111206')).toEqual({ symbology: 'unknown', code: 'E07501000111206', aim: null });
  });

  it('leaves a code untouched when its prefix is not an AIM identifier', () => {
    expect(splitAimIdentifier(']!0ABC')).toEqual({ symbology: 'unknown', code: ']!0ABC', aim: null });
    expect(splitAimIdentifier(']E')).toEqual({ symbology: 'unknown', code: ']E', aim: null });
    expect(splitAimIdentifier('')).toEqual({ symbology: 'unknown', code: '', aim: null });
  });

  it('strips a real AIM identifier for a symbology it does not name, and says unknown', () => {
    expect(splitAimIdentifier(']z0AZTEC')).toEqual({ symbology: 'unknown', code: 'AZTEC', aim: ']z0' });
  });

  it('gives no symbology for something that is not an identifier', () => {
    expect(symbologyFromAim('\0\0\0', '123')).toBeNull();
  });
});

describe('HID POS scanned-data reports', () => {
  it('reads the AIM identifier, the data without padding, the vendor code and the continuation flag', () => {
    const reading = readScannedDataReport(fromHex(R.upcA13));
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.report.aim).toBe(']E0');
    expect(Buffer.from(reading.report.data).toString('latin1')).toBe('0036000291452');
    expect(reading.report.vendorSymbology).toBe('c');
    expect(reading.report.more).toBe(false);
  });

  it('says a report is cut short, and reads no flag from it', () => {
    expect(readScannedDataReport(fromHex(R.truncated))).toMatchObject({ ok: false, problem: 'BAD_SIZE', more: null });
  });

  it('assembles a single-report EAN-13', () => {
    expect(new HidPosAssembler().feed(fromHex(R.ean13), 0)).toEqual([ean13Scan]);
  });

  it('keeps the GS separators of a GS1-128', () => {
    expect(new HidPosAssembler().feed(fromHex(R.gs1128), 0)).toEqual([
      { kind: 'scan', code: '0107501000111206\x1d10L2405A\x1d17261231', symbology: 'GS1-128', aim: ']C1' },
    ]);
  });

  it('puts a QR code split over three reports back together', () => {
    const assembler = new HidPosAssembler();
    expect(assembler.feed(qr[0]!, 0)).toEqual([]);
    expect(assembler.pending).toBe(true);
    expect(assembler.feed(qr[1]!, 2)).toEqual([]);
    expect(assembler.feed(qr[2]!, 4)).toEqual([{ kind: 'scan', code: QR_TEXT, symbology: 'QR Code', aim: ']Q1' }]);
    expect(assembler.pending).toBe(false);
  });

  it('ignores zero padding that the scanner counted as data', () => {
    expect(new HidPosAssembler().feed(fromHex(R.ean8Padded), 0)).toEqual([
      { kind: 'scan', code: '96385074', symbology: 'EAN-8', aim: ']E4' },
    ]);
  });

  it('drops the CR suffix a scanner was set to add', () => {
    expect(new HidPosAssembler().feed(fromHex(R.withCr), 0)).toEqual([
      { kind: 'scan', code: '7501055363056', symbology: 'EAN-13', aim: ']E0' },
    ]);
  });

  it('answers an error for a truncated report and reads the next code', () => {
    const assembler = new HidPosAssembler();
    expect(assembler.feed(fromHex(R.truncated), 0)).toEqual([
      { kind: 'error', problem: 'BAD_SIZE', message: expect.stringContaining('20 bytes') },
    ]);
    expect(assembler.feed(fromHex(R.ean13), 1_500)).toEqual([ean13Scan]);
  });

  it('never passes off the tail of a code whose middle report was cut short as a code', () => {
    const assembler = new HidPosAssembler();
    expect(assembler.feed(qr[0]!, 0)).toEqual([]);
    expect(assembler.feed(fromHex(R.truncated), 2)).toMatchObject([{ kind: 'error', problem: 'BAD_SIZE' }]);
    expect(assembler.feed(qr[2]!, 4)).toEqual([]);
    expect(assembler.feed(fromHex(R.ean13), 900)).toEqual([ean13Scan]);
  });

  it('answers an error for line noise and reads the very next code', () => {
    const assembler = new HidPosAssembler();
    expect(assembler.feed(fromHex(R.garbage), 0)).toMatchObject([{ kind: 'error', problem: 'BAD_LENGTH' }]);
    expect(assembler.feed(fromHex(R.ean13), 50)).toEqual([ean13Scan]);
  });

  it('answers unreadable for control bytes in the data', () => {
    const assembler = new HidPosAssembler();
    expect(assembler.feed(fromHex(R.controlBytes), 0)).toEqual([
      { kind: 'error', problem: 'UNREADABLE', message: 'unreadable data from the scanner' },
    ]);
    expect(assembler.feed(fromHex(R.ean13), 600)).toEqual([ean13Scan]);
  });

  it('says a code whose continuation never came was incomplete, and reads the next scan', () => {
    const assembler = new HidPosAssembler();
    assembler.feed(qr[0]!, 0);
    expect(assembler.feed(fromHex(R.ean13), 3_000)).toEqual([
      { kind: 'error', problem: 'INCOMPLETE', message: expect.any(String) },
      ean13Scan,
    ]);
  });

  it('ignores reports that are not scanned data, even in the middle of a code', () => {
    const assembler = new HidPosAssembler();
    assembler.feed(qr[0]!, 0);
    expect(assembler.feed(fromHex(R.otherReport), 1)).toEqual([]);
    assembler.feed(qr[1]!, 2);
    expect(assembler.feed(qr[2]!, 3)).toMatchObject([{ kind: 'scan', code: QR_TEXT }]);
  });

  it('drops a code longer than the limit, with the rest of its reports, and reads the next one', () => {
    const assembler = new HidPosAssembler({ maxCodeLength: 100 });
    expect(assembler.feed(qr[0]!, 0)).toEqual([]);
    expect(assembler.feed(qr[1]!, 1)).toMatchObject([{ kind: 'error', problem: 'TOO_LONG' }]);
    expect(assembler.feed(qr[2]!, 2)).toEqual([]);
    expect(assembler.feed(fromHex(R.ean13), 600)).toEqual([ean13Scan]);
  });

  it('survives a long run of random reports without throwing or inventing a code', () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const assembler = new HidPosAssembler();
    for (let i = 0; i < 2_000; i++) {
      const report = Uint8Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256));
      if (report.length > 0 && random() < 0.7) report[0] = 0x02;
      const outcomes = assembler.feed(report, i);
      expect(outcomes.every((o) => o.kind === 'error')).toBe(true);
    }
    expect(assembler.feed(fromHex(R.ean13), 10_000)).toEqual([ean13Scan]);
  });
});

describe('Serial scanner framing', () => {
  const bytes = (text: string) => Buffer.from(text, 'latin1');

  it('cuts codes at CR, and takes the LF of a CRLF as nothing', () => {
    const framer = new ScanFramer();
    expect(framer.push(bytes(']E07501000111206\r\n7501055363056\r'), 0)).toEqual([
      { kind: 'code', text: ']E07501000111206' },
      { kind: 'code', text: '7501055363056' },
    ]);
  });

  it('waits for the rest of a code that comes in pieces', () => {
    const framer = new ScanFramer();
    expect(framer.push(bytes(']E0750100'), 0)).toEqual([]);
    expect(framer.push(bytes('0111'), 15)).toEqual([]);
    expect(framer.push(bytes('206\r'), 30)).toEqual([{ kind: 'code', text: ']E07501000111206' }]);
  });

  it('ends codes at a tab or at a custom suffix such as ETX', () => {
    expect(new ScanFramer({ suffix: 'TAB' }).push(bytes('7501000111206\t'), 0)).toEqual([{ kind: 'code', text: '7501000111206' }]);
    expect(new ScanFramer({ suffix: '\x03' }).push(bytes('7501000111206\x03'), 0)).toEqual([{ kind: 'code', text: '7501000111206' }]);
  });

  it('keeps GS, the FNC1 separator of GS1-128', () => {
    expect(new ScanFramer().push(bytes(']C10107501000111206\x1d10L2405A\r'), 0)).toEqual([
      { kind: 'code', text: ']C10107501000111206\x1d10L2405A' },
    ]);
  });

  it('reports noise once and drops the read up to its suffix, then reads the next code', () => {
    const framer = new ScanFramer();
    expect(framer.push(Uint8Array.of(0x37, 0x35, 0x00, 0x13, 0x30, 0x31), 0)).toEqual([
      { kind: 'unreadable', message: 'unreadable data from the scanner' },
    ]);
    expect(framer.push(bytes('1206\r7501055363056\r'), 5)).toEqual([{ kind: 'code', text: '7501055363056' }]);
  });

  it('takes bytes that are not UTF-8 (a wrong baud rate) as noise', () => {
    expect(new ScanFramer().push(Uint8Array.of(0xe6, 0x98, 0xfe, 0x66, 0x0d), 0)).toEqual([
      { kind: 'unreadable', message: 'unreadable data from the scanner' },
    ]);
  });

  it('gives up a code that stops for longer than the pause, and says so', () => {
    const framer = new ScanFramer({ pauseMs: 1_000 });
    framer.push(bytes('750100011'), 0);
    expect(framer.deadline).toBe(1_000);
    expect(framer.expire(900)).toEqual([]);
    expect(framer.expire(1_001)).toEqual([{ kind: 'incomplete', message: 'the scanner stopped in the middle of a code; scan it again' }]);
    expect(framer.pending).toBe(false);
    expect(framer.push(bytes('7501055363056\r'), 4_000)).toEqual([{ kind: 'code', text: '7501055363056' }]);
  });

  it('gives up a stalled code when the next scan arrives, even before its timer ran', () => {
    const framer = new ScanFramer({ pauseMs: 1_000 });
    framer.push(bytes('750100011'), 0);
    expect(framer.push(bytes('7501055363056\r'), 2_500)).toEqual([
      { kind: 'incomplete', message: expect.any(String) },
      { kind: 'code', text: '7501055363056' },
    ]);
  });

  it('drops a code that runs past the longest allowed without its suffix, and the rest of it', () => {
    const framer = new ScanFramer({ maxLength: 200 });
    expect(framer.push(bytes('9'.repeat(250)), 0)).toMatchObject([{ kind: 'too-long' }]);
    expect(framer.push(bytes('999\r7501000111206\r'), 5)).toEqual([{ kind: 'code', text: '7501000111206' }]);
  });

  it('refuses an empty or overlong custom suffix', () => {
    expect(() => new ScanFramer({ suffix: '' })).toThrow(DeviceError);
    expect(() => new ScanFramer({ suffix: '#####' })).toThrow(/1 to 4 characters/);
  });
});

describe('HID addresses and listing', () => {
  it('reads vendor:product in hex and hidraw paths', () => {
    expect(parseHidAddress('hid:0c2e:0b87')).toEqual({ kind: 'ids', vendorId: 0x0c2e, productId: 0x0b87 });
    expect(parseHidAddress('hid:05E0:1200')).toEqual({ kind: 'ids', vendorId: 0x05e0, productId: 0x1200 });
    expect(parseHidAddress('hid:/dev/hidraw3')).toEqual({ kind: 'path', path: '/dev/hidraw3' });
  });

  it.each(['hid:c2e:b87', 'hid:0c2e', 'hid:/dev/ttyUSB0', 'usb:0c2e:0b87', 'hid:/dev/hidraw0;rm'])(
    'refuses %j with BAD_ADDRESS',
    (address) => {
      expect(() => parseHidAddress(address)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    },
  );

  it('lists the HID POS scanners of this machine without throwing (none here)', async () => {
    const devices = await listHidPosDevices();
    expect(Array.isArray(devices)).toBe(true);
  });

  it('lists only devices on the bar code scanner page, each with an address to configure', async () => {
    const { backend } = fakeBackend([
      { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw1', usagePage: 0x01, product: 'Voyager 1450g' },
      {
        vendorId: 0x0c2e,
        productId: 0x0b87,
        path: '/dev/hidraw2',
        usagePage: 0x8c,
        product: 'Voyager 1450g',
        manufacturer: 'Honeywell',
        serialNumber: '',
      },
    ]);
    expect(await listHidPosDevices(backend)).toEqual([
      {
        address: 'hid:/dev/hidraw2',
        path: '/dev/hidraw2',
        vendorId: 0x0c2e,
        productId: 0x0b87,
        manufacturer: 'Honeywell',
        product: 'Voyager 1450g',
        serialNumber: null,
      },
    ]);
  });

  it('answers an empty list, not a crash, when HID devices cannot be enumerated', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {});
    const backend: HidBackend = { devices: () => Promise.reject(new Error('libusb missing')), open: () => Promise.reject(new Error('no')) };
    expect(await listHidPosDevices(backend)).toEqual([]);
    expect(warn).toHaveBeenCalled();
  });
});

describe('HidScanner with a stand-in device', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('delivers each code as a scan event from the hid source', async () => {
    const { backend, links } = fakeBackend(HONEYWELL);
    const scanner = new HidScanner('scanner-1', 'hid:0c2e:0b87', { backend });
    const scans = collect(scanner);
    await ready(scanner);
    expect(links.get('/dev/hidraw2')).toBeDefined();
    const link = links.get('/dev/hidraw2')!;
    link.emit('data', Buffer.from(fromHex(R.ean13)));
    for (const report of qr) link.emit('data', Buffer.from(report));
    expect(scans).toEqual([
      { deviceId: 'scanner-1', code: '7501000111206', symbology: 'EAN-13', source: 'hid' },
      { deviceId: 'scanner-1', code: QR_TEXT, symbology: 'QR Code', source: 'hid' },
    ]);
    await scanner.close();
  });

  it('reports unreadable reports as a PROTOCOL error and goes on reading', async () => {
    const { backend, links } = fakeBackend(HONEYWELL);
    const scanner = new HidScanner('scanner-1', 'hid:/dev/hidraw2', { backend });
    const scans = collect(scanner);
    const errors: DeviceError[] = [];
    scanner.on('error', (e) => errors.push(e));
    await ready(scanner);
    const link = links.get('/dev/hidraw2')!;
    link.emit('data', Buffer.from(fromHex(R.garbage)));
    expect(errors.map((e) => e.code)).toEqual(['PROTOCOL']);
    expect(scanner.status().health).toBe('error');
    link.emit('data', Buffer.from(fromHex(R.ean13)));
    expect(scans).toHaveLength(1);
    expect(scanner.status()).toMatchObject({ health: 'online', error: null });
    await scanner.close();
  });

  it('delivers nothing while disabled', async () => {
    const { backend, links } = fakeBackend(HONEYWELL);
    const scanner = new HidScanner('scanner-1', 'hid:0c2e:0b87', { backend });
    const scans = collect(scanner);
    await ready(scanner);
    await scanner.disable();
    links.get('/dev/hidraw2')!.emit('data', Buffer.from(fromHex(R.ean13)));
    expect(scans).toEqual([]);
    await scanner.close();
  });

  it('goes back to opened and offline when the device fails (unplugged)', async () => {
    const { backend, links } = fakeBackend(HONEYWELL);
    const scanner = new HidScanner('scanner-1', 'hid:0c2e:0b87', { backend });
    const statuses: DeviceStatus[] = [];
    scanner.on('status', (s) => statuses.push(s));
    await ready(scanner);
    const link = links.get('/dev/hidraw2')!;
    link.emit('error', new Error('could not read from HID device'));
    expect(scanner.state).toBe('opened');
    expect(statuses.at(-1)).toMatchObject({ health: 'offline', error: { code: 'NOT_FOUND' } });
    expect(link.closed).toBe(true);
    // The path is free again: claiming retries.
    await scanner.claim();
    expect(scanner.state).toBe('claimed');
    await scanner.close();
  });

  it('never lets a listener that throws escape the device event', async () => {
    const { backend, links } = fakeBackend(HONEYWELL);
    const scanner = new HidScanner('scanner-1', 'hid:0c2e:0b87', { backend });
    scanner.on('data', () => {
      throw new Error('a screen bug');
    });
    await ready(scanner);
    expect(() => links.get('/dev/hidraw2')!.emit('data', Buffer.from(fromHex(R.ean13)))).not.toThrow();
    expect(scanner.status().error?.code).toBe('FAILED');
    await scanner.close();
  });

  it('rejects a claim with NOT_FOUND when the scanner is not plugged in, or not in HID POS mode', async () => {
    await expect(ready(new HidScanner('s', 'hid:05e0:1200', { backend: fakeBackend(HONEYWELL).backend }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const keyboardOnly = fakeBackend([{ vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw1', usagePage: 0x01 }]);
    await expect(ready(new HidScanner('s', 'hid:0c2e:0b87', { backend: keyboardOnly.backend }))).rejects.toThrow(/not in HID POS mode/);
    await expect(ready(new HidScanner('s', 'hid:/dev/hidraw9', { backend: keyboardOnly.backend }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('rejects a claim with IN_USE while another scanner holds the device, and allows it once released', async () => {
    const { backend } = fakeBackend(HONEYWELL);
    const first = new HidScanner('scanner-1', 'hid:0c2e:0b87', { backend });
    const second = new HidScanner('scanner-2', 'hid:/dev/hidraw2', { backend });
    await ready(first);
    await expect(ready(second)).rejects.toMatchObject({ code: 'IN_USE' });
    await first.release();
    await second.claim();
    expect(second.state).toBe('claimed');
    await first.close();
    await second.close();
  });

  it('rejects a claim with BAD_ADDRESS for an address it cannot read', async () => {
    await expect(ready(new HidScanner('s', 'hid:honeywell', { backend: fakeBackend(HONEYWELL).backend }))).rejects.toMatchObject({
      code: 'BAD_ADDRESS',
    });
  });
});

// A Honeywell scanner in HID POS mode: a keyboard interface beside the scanner one.
const HONEYWELL: HidDeviceInfo[] = [
  { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw1', usagePage: 0x01, product: 'Voyager 1450g' },
  { vendorId: 0x0c2e, productId: 0x0b87, path: '/dev/hidraw2', usagePage: 0x8c, product: 'Voyager 1450g' },
];

class FakeLink extends EventEmitter implements HidLink {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

function fakeBackend(devices: HidDeviceInfo[]): { backend: HidBackend; links: Map<string, FakeLink> } {
  const links = new Map<string, FakeLink>();
  const backend: HidBackend = {
    devices: async () => devices,
    open: async (path) => {
      const link = new FakeLink();
      links.set(path, link);
      return link;
    },
  };
  return { backend, links };
}

function collect(scanner: HidScanner): ScanEvent[] {
  const scans: ScanEvent[] = [];
  scanner.on('data', (scan) => scans.push(scan));
  return scans;
}

async function ready(scanner: HidScanner): Promise<void> {
  await scanner.open();
  await scanner.claim();
  await scanner.enable();
}
