// A serial device's address: serial:/dev/ttyUSB0?baud=9600&bits=7&parity=even&stop=1 (COM3 on
// Windows). Printers, scanners, displays and scales all name their port this way, and all are
// read by this one function with one set of rules: an address names a serial port and nothing
// else, so a typed path can never point the engine at another file (/dev/../etc/passwd), and its
// settings are the same few values for every device (tests/unit/device-addresses.test.ts).
import { DeviceError } from './device-error.ts';

export type SerialSettings = {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
};

/**
 * What each setting may be, written exactly so: "09600", "9.6e3" or " 9600" would each be read as
 * 9600 by Number() yet are not what a person meant to store, and a setting given twice says two things.
 */
const SETTINGS: Record<string, { values: readonly string[]; apply(settings: SerialSettings, value: string): void }> = {
  baud: {
    values: ['1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'],
    apply: (s, v) => void (s.baudRate = Number(v)),
  },
  bits: { values: ['7', '8'], apply: (s, v) => void (s.dataBits = Number(v) as SerialSettings['dataBits']) },
  parity: { values: ['none', 'even', 'odd'], apply: (s, v) => void (s.parity = v as SerialSettings['parity']) },
  stop: { values: ['1', '2'], apply: (s, v) => void (s.stopBits = Number(v) as SerialSettings['stopBits']) },
};

/**
 * The device files a serial port has: ttyS0, ttyUSB0, ttyACM0, ttyAMA0 and the like on Linux;
 * udev's stable names under /dev/serial/by-id and by-path; Bluetooth serial (rfcomm); a
 * pseudo-terminal (a serial-over-network bridge such as socat or ser2net); tty.* and cu.* on macOS.
 */
const SERIAL_PORT_PATHS = [
  /^\/dev\/tty[A-Za-z]*\d+$/,
  /^\/dev\/serial\/by-(?:id|path)\/[A-Za-z0-9_.:+-]+$/,
  /^\/dev\/rfcomm\d+$/,
  /^\/dev\/pts\/\d+$/,
  /^\/dev\/(?:tty|cu)\.[A-Za-z0-9_-]+$/,
];

const WINDOWS_PORT = /^COM([1-9]\d{0,2})$/;

/**
 * An absolute path with nothing to resolve (no "." or ".." segment, no "//", no trailing slash):
 * what it names is what it says. Written out because the screens use it too, with no node:path.
 */
export const isPlainPath = (path: string) =>
  path.startsWith('/') &&
  path
    .slice(1)
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..');

/** A plain path under /dev that matches one of `patterns`. */
export function isDevicePath(path: string, patterns: readonly RegExp[]): boolean {
  return path.startsWith('/dev/') && isPlainPath(path) && patterns.some((p) => p.test(path));
}

export const isSerialPortPath = (path: string) => {
  const com = WINDOWS_PORT.exec(path);
  if (com) return Number(com[1]) <= 256;
  return isDevicePath(path, SERIAL_PORT_PATHS);
};

export function parseSerialAddress(address: string, defaults: Partial<Omit<SerialSettings, 'path'>> = {}): SerialSettings {
  const m = /^serial:([^?]*)(?:\?(.*))?$/.exec(address);
  if (!m) throw new DeviceError('BAD_ADDRESS', `${address} is not a serial address: use serial:/dev/ttyUSB0?baud=9600`);
  if (!isSerialPortPath(m[1]!)) {
    throw new DeviceError(
      'BAD_ADDRESS',
      `${m[1]} is not a serial port: use /dev/ttyUSB0, /dev/ttyACM0, /dev/ttyS0, /dev/serial/by-id/… or COM3`,
    );
  }
  const settings: SerialSettings = { path: m[1]!, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, ...defaults };
  const given = new Set<string>();
  for (const pair of (m[2] ?? '').split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? '' : pair.slice(at + 1);
    const rule = Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined;
    if (!rule) throw new DeviceError('BAD_ADDRESS', `${address}: unknown setting "${key}" (baud, bits, parity, stop)`);
    if (given.has(key)) throw new DeviceError('BAD_ADDRESS', `${address}: ${key} is given twice`);
    given.add(key);
    if (!rule.values.includes(value)) {
      throw new DeviceError('BAD_ADDRESS', `${address}: ${key}=${value} is not allowed (${rule.values.join(', ')})`);
    }
    rule.apply(settings, value);
  }
  return settings;
}
