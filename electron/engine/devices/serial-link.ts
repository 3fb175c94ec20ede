// Opens a serial port and says clearly why not: no such port, in use by another program
// (serialport locks the port on POSIX), or permission denied. A port that disappears later
// (cable pulled) calls onLost once.
import { SerialPort } from 'serialport';
import { deviceErrorFrom, DeviceError } from './device-error.ts';
import type { SerialSettings } from '#contract/serial-address.ts';
import { log } from '../log/logger.ts';

const closedByUs = new WeakSet<SerialPort>();

export function openSerialLink(settings: SerialSettings, onLost: (err: DeviceError) => void): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({
      path: settings.path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      autoOpen: false,
      lock: true,
    });
    port.open((err) => {
      if (err) {
        reject(deviceErrorFrom(err, settings.path));
        return;
      }
      port.on('error', (e) => onLost(deviceErrorFrom(e, settings.path)));
      // serialport closes a port itself when a read finds it gone, passing {disconnected: true};
      // any close we did not ask for through closeSerialLink is the port going away.
      port.on('close', (err?: { disconnected?: boolean } | null) => {
        if (err?.disconnected || !closedByUs.has(port)) onLost(new DeviceError('NOT_FOUND', `${settings.path} went away`));
      });
      resolve(port);
    });
  });
}

/** Closes a port if it is open; never throws (release must always succeed). */
export function closeSerialLink(port: SerialPort | null): Promise<void> {
  return new Promise((resolve) => {
    if (!port?.isOpen) return resolve();
    closedByUs.add(port);
    port.close(() => resolve());
  });
}

/** Serial ports the system knows; an empty list (not a crash) when udevadm is missing. */
export async function listSerialPorts(): Promise<
  { path: string; manufacturer: string | null; vendorId: string | null; productId: string | null }[]
> {
  try {
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }));
  } catch (err) {
    log.warn({ err }, 'devices: serial ports cannot be listed here');
    return [];
  }
}
