// A serial device's address: serial:/dev/ttyUSB0?baud=9600&bits=7&parity=even&stop=1 (COM3 on
// Windows). Printers, scanners, displays and scales all name their port this way.
import { DeviceError } from './device-error.ts';

export type SerialSettings = {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
};

const BAUD_RATES = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]);

export function parseSerialAddress(address: string, defaults: Partial<Omit<SerialSettings, 'path'>> = {}): SerialSettings {
  const m = /^serial:(\/dev\/[A-Za-z0-9/_.-]+|COM\d{1,3})(?:\?(.*))?$/.exec(address);
  if (!m) throw new DeviceError('BAD_ADDRESS', `${address} is not a serial address: use serial:/dev/ttyUSB0?baud=9600`);
  const settings: SerialSettings = { path: m[1]!, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, ...defaults };
  for (const pair of (m[2] ?? '').split('&').filter(Boolean)) {
    const [key, value = ''] = pair.split('=');
    const bad = () => new DeviceError('BAD_ADDRESS', `${address}: ${key}=${value} is not allowed`);
    if (key === 'baud') {
      if (!BAUD_RATES.has(Number(value))) throw bad();
      settings.baudRate = Number(value);
    } else if (key === 'bits') {
      if (value !== '7' && value !== '8') throw bad();
      settings.dataBits = Number(value) as 7 | 8;
    } else if (key === 'parity') {
      if (value !== 'none' && value !== 'even' && value !== 'odd') throw bad();
      settings.parity = value;
    } else if (key === 'stop') {
      if (value !== '1' && value !== '2') throw bad();
      settings.stopBits = Number(value) as 1 | 2;
    } else {
      throw new DeviceError('BAD_ADDRESS', `${address}: unknown setting "${key}" (baud, bits, parity, stop)`);
    }
  }
  return settings;
}
