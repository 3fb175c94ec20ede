// Device addresses a person types: a serial port, a USB printer device, a printer's TCP port.
// Each names a device of that kind and nothing else, by the same rules wherever it is used.
import { describe, expect, it } from 'vitest';
import { registerDevicesSchema } from '#contract/device-settings.ts';
import { acceptPrinterUri, DEFAULT_PRINTER_PORTS, parsePrinterUri } from '#contract/printer-uri.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import { configOf, formOf } from '../../renderer/screens/devices-form.ts';

const scannerRefuses = (address: string) => !registerDevicesSchema.safeParse({ scanners: [{ address }] }).success;
const printerRefuses = (uri: string) => !registerDevicesSchema.safeParse({ printer: { uri } }).success;

describe('a serial address', () => {
  it.each([
    '/dev/ttyS0',
    '/dev/ttyUSB0',
    '/dev/ttyACM12',
    '/dev/ttyAMA0',
    '/dev/rfcomm0',
    '/dev/pts/7',
    '/dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0',
    '/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0',
    '/dev/tty.usbserial-1410',
    '/dev/cu.usbmodem14101',
    'COM1',
    'COM3',
    'COM256',
  ])('names the serial port %s', (path) => {
    expect(parseSerialAddress(`serial:${path}`).path).toBe(path);
  });

  it.each([
    '/dev/../etc/passwd',
    '/dev/ttyUSB0/../../etc/passwd',
    '/dev/serial/by-id/..',
    '/dev/./ttyUSB0',
    '/dev//ttyUSB0',
    '/dev/ttyUSB0/',
    '/etc/passwd',
    '/tmp/ttyUSB0',
    '/dev/sda',
    '/dev/mem',
    '/dev/null',
    '/dev/usb/lp0',
    '/dev/hidraw0',
    '/dev/tty',
    'COM0',
    'COM257',
    'com3',
    '',
  ])('refuses %j, which is not a serial port', (path) => {
    expect(() => parseSerialAddress(`serial:${path}`)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
    expect(() => parsePrinterUri(`serial:${path}`)).toThrow(/not a serial port|not a serial address/);
    expect(scannerRefuses(`serial:${path}`)).toBe(true);
  });

  it('reads the same way for a printer as for a scanner, a display or a scale', () => {
    const address = 'serial:/dev/ttyUSB0?baud=19200&bits=7&parity=even&stop=2';
    const settings = { path: '/dev/ttyUSB0', baudRate: 19200, dataBits: 7, parity: 'even', stopBits: 2 };
    expect(parseSerialAddress(address)).toEqual(settings);
    expect(parsePrinterUri(address)).toEqual({ transport: 'serial', ...settings });
    expect(scannerRefuses(address)).toBe(false);
    expect(printerRefuses(address)).toBe(false);
  });

  it.each(['baud=123', 'baud=9601', 'bits=9', 'parity=mark', 'stop=3', 'speed=9600'])(
    'refuses %s for a printer exactly as for a scanner',
    (setting) => {
      const address = `serial:/dev/ttyUSB0?${setting}`;
      expect(scannerRefuses(address)).toBe(true);
      expect(printerRefuses(address)).toBe(true);
      expect(() => parsePrinterUri(address)).toThrow(/is not allowed|unknown setting/);
    },
  );
});

describe('one rule for a serial address, whatever the device on it', () => {
  const takes = (check: () => unknown) => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };
  /** Whether each kind of device takes the address, as configured (the settings schema) and where it is used. */
  const verdicts = (address: string) => ({
    printer:
      registerDevicesSchema.safeParse({ printer: { uri: address } }).success &&
      takes(() => acceptPrinterUri(address)) &&
      takes(() => parsePrinterUri(address)),
    scanner: registerDevicesSchema.safeParse({ scanners: [{ address }] }).success,
    display: registerDevicesSchema.safeParse({ display: { address, commandSet: 'cd5220' } }).success,
    scale: registerDevicesSchema.safeParse({ scale: { address, unit: 'kg' } }).success,
    form:
      configOf({
        ...formOf({ scanners: [] }),
        printerUri: address,
        scanners: [{ address, suffix: 'CR' }],
        displayAddress: address,
        scaleAddress: address,
      }).problems.length === 0,
  });
  const alike = (taken: boolean) => ({ printer: taken, scanner: taken, display: taken, scale: taken, form: taken });

  const baud = ['1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'];
  it.each(
    baud.flatMap((b) =>
      ['7', '8'].flatMap((bits) =>
        ['none', 'even', 'odd'].flatMap((parity) => ['1', '2'].map((stop) => `baud=${b}&bits=${bits}&parity=${parity}&stop=${stop}`)),
      ),
    ),
  )('takes %s for every device', (query) => {
    expect(verdicts(`serial:/dev/ttyUSB0?${query}`)).toEqual(alike(true));
  });

  it.each([
    'baud=300',
    'baud=600',
    'baud=14400',
    'baud=28800',
    'baud=230400',
    'baud=921600',
    'baud=0',
    'baud=-9600',
    'baud=',
    'baud',
    'bits=5',
    'bits=6',
    'bits=9',
    'parity=mark',
    'parity=space',
    'parity=EVEN',
    'stop=0',
    'stop=1.5',
    'BAUD=9600',
    'flow=rtscts',
  ])('refuses %s for every device', (query) => {
    expect(verdicts(`serial:/dev/ttyUSB0?${query}`)).toEqual(alike(false));
  });

  it.each([
    'baud=09600',
    'baud=9600.0',
    'baud=0x2580',
    'baud=9.6e3',
    'baud=%209600',
    'baud= 9600',
    'baud=9600=1',
    'bits=08',
    'stop=01',
    'baud=9600&baud=19200',
  ])('refuses %s, a setting not written as one plain value, for every device', (query) => {
    expect(verdicts(`serial:/dev/ttyUSB0?${query}`)).toEqual(alike(false));
    expect(() => parseSerialAddress(`serial:/dev/ttyUSB0?${query}`)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS' }));
  });

  it('opens the port with the same settings for a printer as for the other devices', () => {
    const address = 'serial:/dev/ttyACM0?baud=38400&bits=7&parity=odd&stop=2';
    const settings = parseSerialAddress(address);
    expect(parsePrinterUri(address)).toEqual({ transport: 'serial', ...settings });
    // The scale's factory defaults (9600 7E1) fill in only what the address leaves out.
    expect(parseSerialAddress(address, { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 })).toEqual(settings);
  });
});

describe('a USB printer address', () => {
  it.each(['usb:/dev/usb/lp0', 'usb:/dev/usb/lp12', 'usb:/dev/lp1'])('accepts the printer device %s', (uri) => {
    expect(acceptPrinterUri(uri)).toEqual({ transport: 'usb', path: uri.slice(4) });
    expect(printerRefuses(uri)).toBe(false);
  });

  it.each(['usb:/dev/../etc/passwd', 'usb:/dev/usb/../../etc/passwd', 'usb:/dev/usb//lp0', 'usb:dev/usb/lp0'])(
    'refuses %s, a path that does not say what it names',
    (uri) => {
      expect(() => parsePrinterUri(uri)).toThrow(/is not a printer address/);
      expect(() => acceptPrinterUri(uri)).toThrow(/is not a printer address/);
    },
  );

  it.each(['usb:/etc/passwd', 'usb:/tmp/lp0', 'usb:/dev/sda', 'usb:/dev/tty1', 'usb:/dev/ttyUSB0', 'usb:/dev/usb/hiddev0'])(
    'refuses to configure %s, which is not a USB printer device',
    (uri) => {
      expect(() => acceptPrinterUri(uri)).toThrow(/is not a USB printer device/);
      expect(printerRefuses(uri)).toBe(true);
    },
  );
});

describe('a network printer address', () => {
  it('takes the raw printing ports 9100 to 9109, 9100 when none is given', () => {
    expect(DEFAULT_PRINTER_PORTS).toEqual([9100, 9101, 9102, 9103, 9104, 9105, 9106, 9107, 9108, 9109]);
    expect(acceptPrinterUri('tcp://192.168.1.50')).toEqual({ transport: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(acceptPrinterUri('tcp://impresora.local:9109')).toMatchObject({ port: 9109 });
  });

  it.each([22, 25, 80, 5432, 6379, 9099, 9110, 65535])('refuses port %i unless the store allows it', (port) => {
    const uri = `tcp://127.0.0.1:${port}`;
    expect(() => acceptPrinterUri(uri)).toThrow(
      new RegExp(`port ${port} is not a printer port this store allows \\(9100–9109; more go in the setting devices.printerPorts\\)`),
    );
    expect(acceptPrinterUri(uri, [...DEFAULT_PRINTER_PORTS, port])).toMatchObject({ port });
    // The stored setting is read back without the store's list; the calls that write it check the port.
    expect(printerRefuses(uri)).toBe(false);
  });

  it('names the ports a store allows when it refuses one', () => {
    expect(() => acceptPrinterUri('tcp://10.0.0.5:6379', [...DEFAULT_PRINTER_PORTS, 515, 4000])).toThrow(
      /\(9100–9109, 515, 4000; more go in the setting devices.printerPorts\)/,
    );
  });
});
