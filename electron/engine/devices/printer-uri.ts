// Where a printer is: tcp://HOST:PORT (raw port 9100), serial:/dev/ttyUSB0?baud=19200,
// usb:/dev/usb/lp0 (the USB printer class device). Parsed once so every part of the engine refuses a bad URI the same way.
export type PrinterAddress =
  | { transport: 'tcp'; host: string; port: number }
  | { transport: 'serial'; path: string; baudRate: number }
  | { transport: 'usb'; path: string };

export class PrinterUriError extends Error {
  override name = 'PrinterUriError';
}

export function parsePrinterUri(uri: string): PrinterAddress {
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?\/?$/.exec(uri);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) throw new PrinterUriError(`${uri}: the port must be from 1 to 65535`);
    return { transport: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port };
  }
  const serial = /^serial:(\/dev\/[A-Za-z0-9/_.-]+|COM\d{1,3})(?:\?baud=(\d{3,7}))?$/.exec(uri);
  if (serial) return { transport: 'serial', path: serial[1]!, baudRate: serial[2] === undefined ? 9600 : Number(serial[2]) };
  // Usually /dev/usb/lpN; any absolute path is taken, so a FIFO can stand in for a printer in tests.
  const usb = /^usb:(\/[A-Za-z0-9/_.-]+)$/.exec(uri);
  if (usb) return { transport: 'usb', path: usb[1]! };
  throw new PrinterUriError(`${uri} is not a printer address: use tcp://HOST:9100, serial:/dev/ttyUSB0?baud=19200 or usb:/dev/usb/lp0`);
}
