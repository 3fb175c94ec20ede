// One connection to a receipt printer, whatever the transport: bytes go out, status bytes come
// back. TCP sockets and serial ports are both duplex streams, so one class serves both; the USB
// printer class device (/dev/usb/lp*) is written as a file and reports no status.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { DeviceError, deviceErrorFrom } from '../device-error.ts';
import type { PrinterAddress } from '#contract/printer-uri.ts';
import { isStatusByte } from './printer-status.ts';
import { closeSerialLink, openSerialLink } from '../serial-link.ts';

export interface PrinterLink {
  readonly describe: string;
  /** Resolves once the transport has taken every byte. */
  write(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  /** Sends a real-time status request; the status byte it answers, or null if none came in time. */
  query(request: Uint8Array, timeoutMs: number): Promise<number | null>;
  close(): Promise<void>;
}

const describe = (a: PrinterAddress) => (a.transport === 'tcp' ? `the printer at ${a.host}:${a.port}` : `the printer on ${a.path}`);

export async function openPrinterLink(address: PrinterAddress, timeoutMs: number): Promise<PrinterLink> {
  switch (address.transport) {
    case 'tcp': {
      const socket = connect({ host: address.host, port: address.port });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new DeviceError('TIMEOUT', `${describe(address)} did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.once('error', (err) => {
          clearTimeout(timer);
          reject(
            new DeviceError('NOT_FOUND', `${describe(address)} cannot be reached (${(err as NodeJS.ErrnoException).code ?? err.message})`),
          );
        });
      });
      return new StreamLink(describe(address), socket, async () => {
        await new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.end(() => resolve());
          setTimeout(resolve, 500).unref();
        });
        socket.destroy();
      });
    }
    case 'serial': {
      let lostError: DeviceError | null = null;
      const port = await openSerialLink(
        { path: address.path, baudRate: address.baudRate, dataBits: address.dataBits, parity: address.parity, stopBits: address.stopBits },
        (err) => {
          lostError = err;
        },
      );
      const link = new StreamLink(describe(address), port, () => closeSerialLink(port));
      link.failure = () => lostError;
      return link;
    }
    case 'usb': {
      // Only a device (or a FIFO standing in for one): a printer address must never let
      // anyone append to an ordinary file.
      const kind = await stat(address.path).catch((err: unknown) => {
        throw deviceErrorFrom(err, address.path);
      });
      if (!kind.isCharacterDevice() && !kind.isFIFO()) throw new DeviceError('BAD_ADDRESS', `${address.path} is not a printer device`);
      // O_WRONLY without O_CREAT: a printer that is unplugged must fail, not become a file.
      // O_NONBLOCK: usblp blocks a write while the printer is out of paper, which would hold a
      // worker thread and this printer's lane for good; EAGAIN is waited out, up to the timeout.
      const handle = await open(address.path, constants.O_WRONLY | constants.O_NONBLOCK).catch((err: unknown) => {
        throw deviceErrorFrom(err, address.path);
      });
      return new FileLink(describe(address), handle);
    }
  }
}

class StreamLink implements PrinterLink {
  #received: number[] = [];
  #waiting: (() => void) | null = null;
  #error: Error | null = null;
  failure: () => DeviceError | null = () => null;

  constructor(
    readonly describe: string,
    private readonly stream: Duplex,
    private readonly closeStream: () => Promise<void>,
  ) {
    stream.on('data', (chunk: Buffer) => {
      for (const b of chunk) this.#received.push(b);
      this.#waiting?.();
    });
    stream.on('error', (err) => {
      this.#error = err;
      this.#waiting?.();
    });
    stream.on('close', () => {
      this.#error ??= new DeviceError('NOT_FOUND', `${describe} closed the connection`);
      this.#waiting?.();
    });
  }

  #check(): void {
    const lost = this.failure() ?? this.#error;
    if (lost) throw deviceErrorFrom(lost, this.describe);
  }

  write(bytes: Uint8Array, timeoutMs: number): Promise<void> {
    this.#check();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('TIMEOUT', `${this.describe} stopped taking data`)), timeoutMs);
      this.stream.write(bytes, (err) => {
        clearTimeout(timer);
        if (err) reject(deviceErrorFrom(err, this.describe));
        else resolve();
      });
    });
  }

  async query(request: Uint8Array, timeoutMs: number): Promise<number | null> {
    this.#check();
    // Anything left over from before (an answer that came too late) is not this answer.
    this.#received = [];
    await this.write(request, timeoutMs);
    const until = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#received.findIndex(isStatusByte);
      if (at >= 0) {
        const b = this.#received[at]!;
        this.#received = this.#received.slice(at + 1);
        return b;
      }
      this.#check();
      const left = until - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiting = null;
    }
  }

  close(): Promise<void> {
    return this.closeStream().catch(() => undefined);
  }
}

class FileLink implements PrinterLink {
  constructor(
    readonly describe: string,
    private readonly handle: FileHandle,
  ) {}

  async write(bytes: Uint8Array, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (let at = 0; at < bytes.length; ) {
      try {
        at += (await this.handle.write(bytes, at, bytes.length - at)).bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw deviceErrorFrom(err, this.describe);
        if (Date.now() > until) throw new DeviceError('TIMEOUT', `${this.describe} stopped taking data`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** The usblp driver can read back on some printers, but not reliably enough to wait for. */
  async query(): Promise<number | null> {
    return null;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}
