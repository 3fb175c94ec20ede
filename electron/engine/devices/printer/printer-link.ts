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
  /** False for a transport that can carry no answer back (the USB printer device, written as a file). */
  readonly carriesStatus: boolean;
  /** Resolves once the transport has taken every byte. */
  write(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  /** Sends a real-time status request; the status byte it answers, or null if none came in time. */
  query(request: Uint8Array, timeoutMs: number): Promise<number | null>;
  /**
   * Ends what is sent and answers whether the printer has provably read every byte: on TCP its
   * own close after ours (a printer that reads on to the end of the stream and hangs up; one that
   * stopped reading never sees the end), on a serial line the port's drain, on the USB device the
   * write itself. After this the link only closes.
   */
  finish(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The character devices a USB or parallel printer is (usblp's major 180, the parallel port's 6). */
const PRINTER_DEVICE_MAJORS = new Set([180, 6]);
const majorOf = (rdev: number) => Math.floor(rdev / 256) & 0xfff;

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
      const link = new StreamLink(describe(address), socket, async () => {
        await new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.end(() => resolve());
          setTimeout(resolve, 500).unref();
        });
        socket.destroy();
      });
      link.ended = (timeoutMs) =>
        new Promise<boolean>((resolve) => {
          // Only the printer's own FIN proves it read to the end; a reset or silence does not.
          const timer = setTimeout(() => done(false), timeoutMs);
          const done = (read: boolean) => {
            clearTimeout(timer);
            socket.off('end', onEnd);
            socket.off('close', onClose);
            resolve(read);
          };
          const onEnd = () => done(true);
          const onClose = () => done(false);
          socket.once('end', onEnd);
          socket.once('close', onClose);
          if (socket.readableEnded) return done(true);
          socket.end();
        });
      return link;
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
      // A serial line has no end to hang up on: the port's drain (the bytes left the UART, held
      // back by RTS/CTS where the printer uses it) is all it can say.
      link.ended = (timeoutMs) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          port.drain((err) => {
            clearTimeout(timer);
            resolve(!err && lostError === null);
          });
        });
      return link;
    }
    case 'usb': {
      // Only a device (or a FIFO standing in for one): a printer address must never let
      // anyone append to an ordinary file.
      const kind = await stat(address.path).catch((err: unknown) => {
        throw deviceErrorFrom(err, address.path);
      });
      // A FIFO stands in for the device where no printer is plugged in (tests, a print server's pipe).
      const printerDevice = kind.isCharacterDevice() && PRINTER_DEVICE_MAJORS.has(majorOf(kind.rdev));
      if (!printerDevice && !kind.isFIFO()) throw new DeviceError('BAD_ADDRESS', `${address.path} is not a printer device`);
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
  readonly carriesStatus = true;
  #received: number[] = [];
  #finished = false;
  #waiting: (() => void) | null = null;
  #error: Error | null = null;
  failure: () => DeviceError | null = () => null;
  /** How this transport proves the printer read to the end (set by the opener). */
  ended: (timeoutMs: number) => Promise<boolean> = async () => false;

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
      if (!this.#finished) this.#error ??= new DeviceError('NOT_FOUND', `${describe} closed the connection`);
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

  finish(timeoutMs: number): Promise<boolean> {
    this.#finished = true;
    if (this.failure() ?? this.#error) return Promise.resolve(false);
    return this.ended(timeoutMs);
  }

  close(): Promise<void> {
    return this.closeStream().catch(() => undefined);
  }
}

class FileLink implements PrinterLink {
  readonly carriesStatus = false;

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

  /** usblp takes a write only as the printer takes the data (EAGAIN while it is out of paper): a finished write is the proof. */
  async finish(): Promise<boolean> {
    return true;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}
