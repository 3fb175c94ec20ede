// What this machine has plugged in, for choosing a register's devices: serial ports, HID POS
// scanners and USB printer devices. Never throws: a listing that cannot be made is empty.
import { readdir } from 'node:fs/promises';
import type { PluggedIn } from '../ports.ts';
import { listHidPosDevices } from './scanners/hid-scanner.ts';
import { listSerialPorts } from './serial-link.ts';

export async function listUsbPrinters(): Promise<string[]> {
  const names = await readdir('/dev/usb').catch(() => [] as string[]);
  return names
    .filter((n) => /^lp\d+$/.test(n))
    .sort()
    .map((n) => `usb:/dev/usb/${n}`);
}

export async function discoverDevices(): Promise<PluggedIn> {
  const [serialPorts, hidScanners, usbPrinters] = await Promise.all([listSerialPorts(), listHidPosDevices(), listUsbPrinters()]);
  return { serialPorts, hidScanners, usbPrinters };
}
