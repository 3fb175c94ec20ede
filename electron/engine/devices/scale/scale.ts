// A checkout scale on a serial port, asked for its weight with the 8217 protocol. One question
// at a time: the protocol has no request ids, so a second read waits for the first answer
// (or its timeout) before it asks. A scale that does not answer is offline, not broken: the
// port stays claimed, and the next answer brings it back online.
import type { SerialPort } from 'serialport';
import { PosDevice } from '../device.ts';
import { DeviceError, deviceErrorFrom } from '../device-error.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import type { ScaleReading } from '#contract/scale-reading.ts';
import { closeSerialLink, openSerialLink } from '../serial-link.ts';
import { CR, parseScaleResponse, requestWeight, type ScaleResponse, type ScaleUnit } from './mettler-8217.ts';
import { log } from '#engine/log/logger.ts';

/** A reading as the renderer gets it, in the 'scale.reading' event and from scale.read. */
export type { ScaleReading } from '#contract/scale-reading.ts';

export type ScaleOptions = {
  /** The unit the scale is set up to weigh in; readings are always handed on in kg. */
  unit?: ScaleUnit;
};

/** An answer is a handful of bytes; this many without a CR is not an 8217 scale talking. */
const MAX_ANSWER = 64;

type Pending = {
  chunks: Buffer[];
  length: number;
  finish(answer: Uint8Array | DeviceError): void;
};

export class Scale extends PosDevice<ScaleReading> {
  readonly unit: ScaleUnit;
  #port: SerialPort | null = null;
  #pending: Pending | null = null;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(id: string, address: string, options: ScaleOptions = {}) {
    super(id, 'scale', address);
    this.unit = options.unit ?? 'kg';
  }

  protected async acquire(): Promise<void> {
    // 8217 scales leave the factory at 9600 7E1; the address overrides any of it.
    const settings = parseSerialAddress(this.address, { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 });
    const port = await openSerialLink(settings, (error) => this.#gone(port, error));
    // One listener for the life of the port; bytes that arrive with no question asked are dropped.
    port.on('data', (chunk: Buffer) => this.#received(chunk));
    // serialport closes a port itself when a read finds it gone, through the close() that
    // openSerialLink counts as ours, so onLost never hears of it. Any close we did not ask for
    // (ours clear #port first) is the port going away.
    port.on('close', () => this.#gone(port, new DeviceError('NOT_FOUND', `${settings.path} went away`)));
    this.#port = port;
  }

  protected async relinquish(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    this.#pending?.finish(new DeviceError('ILLEGAL_STATE', `${this.id} was released while it was weighing`));
    await closeSerialLink(port);
  }

  /**
   * Asks for the weight and resolves with what the scale said (a stable weight, or motion,
   * under zero, over capacity, error); rejects with TIMEOUT when it says nothing in time, and
   * with why the port is not ours (NOT_FOUND, IN_USE…) when its claim failed or it went away.
   */
  readWeight(timeoutMs = 1000): Promise<ScaleReading> {
    const read = this.#turn.then(() => this.#ask(timeoutMs));
    this.#turn = read.catch(() => undefined);
    return read;
  }

  #ask(timeoutMs: number): Promise<ScaleReading> {
    const port = this.#port;
    if (this.state !== 'enabled' || !port) {
      // A scale on a port that is missing or taken cannot weigh for that reason, not for its state.
      const why = this.whyUnclaimed ?? new DeviceError('ILLEGAL_STATE', `${this.id} must be claimed and enabled before it weighs`);
      return Promise.reject(why);
    }
    return new Promise<ScaleReading>((resolve, reject) => {
      const pending: Pending = {
        chunks: [],
        length: 0,
        finish: (answer) => {
          if (this.#pending !== pending) return;
          this.#pending = null;
          clearTimeout(timer);
          if (answer instanceof DeviceError) reject(answer);
          else resolve(this.#reading(parseScaleResponse(answer, this.unit)));
        },
      };
      const timer = setTimeout(() => {
        const error = new DeviceError('TIMEOUT', `the scale at ${this.address} did not answer within ${timeoutMs} ms`);
        pending.finish(error);
        this.#safely(() => this.reportError(error, 'offline'));
      }, timeoutMs);
      this.#pending = pending;
      port.write(requestWeight(), (err) => {
        if (!err) return;
        const error = deviceErrorFrom(err, this.address);
        pending.finish(error);
        this.#gone(port, error);
      });
    });
  }

  #received(chunk: Buffer): void {
    // Called by the port's stream: nothing may escape from here.
    try {
      const pending = this.#pending;
      if (!pending) return;
      pending.chunks.push(chunk);
      pending.length += chunk.length;
      const bytes = Buffer.concat(pending.chunks, pending.length);
      const end = bytes.indexOf(CR);
      if (end >= 0) pending.finish(bytes.subarray(0, end + 1));
      else if (bytes.length > MAX_ANSWER) pending.finish(bytes);
    } catch (err) {
      log.warn({ err, deviceId: this.id }, `devices: ${this.id} could not read the scale's answer`);
    }
  }

  /** The answer as a reading, with the device's health and conditions to match, handed to data listeners too. */
  #reading({ conditions, ...response }: ScaleResponse): ScaleReading {
    const reading = { deviceId: this.id, ...response } as ScaleReading;
    this.#safely(() => {
      // A status byte, even an unhappy one, is the scale answering; only words we cannot read are an error of ours.
      if (reading.status === 'error' && reading.reason === 'PROTOCOL')
        this.reportError(new DeviceError('PROTOCOL', reading.message), 'error');
      else this.reportHealth(reading.status === 'error' ? 'error' : 'online', conditions);
      this.deliver(reading);
    });
    return reading;
  }

  /** Events go out from timers and port callbacks: a listener that throws must not take the engine down. */
  #safely(tell: () => void): void {
    try {
      tell();
    } catch (err) {
      log.warn({ err, deviceId: this.id }, `devices: a listener of ${this.id} failed`);
    }
  }

  /** The port failed under us: the read in flight ends now rather than at its timeout. */
  #gone(port: SerialPort, error: DeviceError): void {
    if (this.#port !== port) return;
    this.#port = null;
    this.#pending?.finish(error);
    void closeSerialLink(port);
    this.#safely(() => this.lost(error));
  }
}
