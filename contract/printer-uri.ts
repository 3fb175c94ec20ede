// Where a printer is: tcp://HOST:PORT (raw port 9100), serial:/dev/ttyUSB0?baud=19200,
// usb:/dev/usb/lp0 (the USB printer class device). Parsed once so every part of the engine
// refuses a bad URI the same way; the screens use it too, so it imports nothing from Node.
//
// Two levels. parsePrinterUri is the form, what the print spool needs to reach a printer it was
// already given. acceptPrinterUri is what a person may configure or test (devices.configure,
// devices.printTest, `pos print test`): a USB printer device and nothing else under /dev, and a
// TCP port a store uses for printers, so a printer address cannot make the till write to a
// database, a mail server or any other service it can reach.
import { DeviceError } from './device-error.ts';
import { isDevicePath, isPlainPath, parseSerialAddress, type SerialSettings } from './serial-address.ts';

export type PrinterAddress =
  | { transport: 'tcp'; host: string; port: number }
  | ({ transport: 'serial' } & SerialSettings)
  | { transport: 'usb'; path: string };

export class PrinterUriError extends Error {
  override name = 'PrinterUriError';
}

/** Raw printing's ports (JetDirect 9100, and 9101–9109 on print servers with several printers). */
export const DEFAULT_PRINTER_PORTS: readonly number[] = Array.from({ length: 10 }, (_, i) => 9100 + i);

const USB_PRINTER_PATHS = [/^\/dev\/usb\/lp\d+$/, /^\/dev\/lp\d+$/];

const FORMS = 'use tcp://HOST:9100, serial:/dev/ttyUSB0?baud=19200 or usb:/dev/usb/lp0';

export function parsePrinterUri(uri: string): PrinterAddress {
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?\/?$/.exec(uri);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) throw new PrinterUriError(`${uri}: the port must be from 1 to 65535`);
    return { transport: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (uri.startsWith('serial:')) {
    try {
      return { transport: 'serial', ...parseSerialAddress(uri) };
    } catch (err) {
      if (err instanceof DeviceError) throw new PrinterUriError(err.message);
      throw err;
    }
  }
  // Any plain absolute path here, so a FIFO can stand in for a printer in the spool's tests;
  // acceptPrinterUri holds what a person configures to USB printer devices.
  const usb = /^usb:(\/[A-Za-z0-9/_.-]+)$/.exec(uri);
  if (usb && isPlainPath(usb[1]!)) return { transport: 'usb', path: usb[1]! };
  throw new PrinterUriError(`${uri} is not a printer address: ${FORMS}`);
}

/**
 * A printer address a person may configure or test: parsed, a USB path that is a USB printer
 * device, and a TCP port in `ports` (9100–9109 unless the store allows more).
 */
export function acceptPrinterUri(uri: string, ports: readonly number[] | 'any' = DEFAULT_PRINTER_PORTS): PrinterAddress {
  const address = parsePrinterUri(uri);
  if (address.transport === 'usb' && !isDevicePath(address.path, USB_PRINTER_PATHS)) {
    throw new PrinterUriError(`${address.path} is not a USB printer device: use /dev/usb/lp0 (or /dev/lp0)`);
  }
  if (address.transport === 'tcp' && ports !== 'any' && !ports.includes(address.port)) {
    throw new PrinterUriError(
      `${uri}: port ${address.port} is not a printer port this store allows ` +
        `(${describePorts(ports)}; more go in the setting devices.printerPorts)`,
    );
  }
  return address;
}

const describePorts = (ports: readonly number[]) => {
  const extra = ports.filter((p) => !DEFAULT_PRINTER_PORTS.includes(p));
  const base = DEFAULT_PRINTER_PORTS.every((p) => ports.includes(p)) ? ['9100–9109'] : [];
  return [...base, ...extra.map(String)].join(', ') || 'none';
};
