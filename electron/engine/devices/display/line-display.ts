// The customer's pole display on a serial port. It only listens: a screen is written whole
// and nothing comes back, so a display that is switched off looks healthy until the port
// itself fails. A failed write means the adapter or cable went away: the device drops back
// to opened, and the next claim opens the port again.
import type { SerialPort } from 'serialport';
import { PosDevice } from '../device.ts';
import { DeviceError, deviceErrorFrom } from '../device-error.ts';
import { parseSerialAddress } from '#contract/serial-address.ts';
import { closeSerialLink, openSerialLink } from '../serial-link.ts';
import {
  DEFAULT_CODEPAGE,
  DISPLAY_COLUMNS,
  renderScreen,
  type DisplayCodepage,
  type LineDisplayCommandSet,
  type ScreenLines,
} from './line-display-commands.ts';
import { changeScreen, closingScreen, idleScreen, itemScreen, totalScreen } from './line-display-screens.ts';
import { log } from '#engine/log/logger.ts';

export type LineDisplayOptions = {
  commandSet: LineDisplayCommandSet;
  /** Characters per line; 20 on every 2 × 20 pole display we know. */
  columns?: number;
  /** What it shows above ASCII; the command set's usual code page when not given. */
  codepage?: DisplayCodepage;
};

export class LineDisplay extends PosDevice<never> {
  readonly commandSet: LineDisplayCommandSet;
  readonly columns: number;
  readonly codepage: DisplayCodepage;
  #port: SerialPort | null = null;

  constructor(id: string, address: string, options: LineDisplayOptions) {
    super(id, 'display', address);
    this.commandSet = options.commandSet;
    this.columns = options.columns ?? DISPLAY_COLUMNS;
    this.codepage = options.codepage ?? DEFAULT_CODEPAGE[options.commandSet];
  }

  protected async acquire(): Promise<void> {
    // Both command sets ship at 9600 8N1; the address says otherwise for a display set up differently.
    const settings = parseSerialAddress(this.address);
    const port = await openSerialLink(settings, (error) => this.#gone(port, error));
    // serialport closes a port itself when a read finds it gone, through the close() that
    // openSerialLink counts as ours, so onLost never hears of it. Any close we did not ask for
    // (ours clear #port first) is the port going away.
    port.on('close', () => this.#gone(port, new DeviceError('NOT_FOUND', `${settings.path} went away`)));
    this.#port = port;
  }

  protected async relinquish(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    await closeSerialLink(port);
  }

  /** Writes a whole screen; resolves once the bytes have left for the port. */
  async show(lines: ScreenLines): Promise<void> {
    const port = this.#port;
    if (this.state !== 'enabled' || !port)
      throw new DeviceError('ILLEGAL_STATE', `${this.id} must be claimed and enabled before it shows anything`);
    const bytes = renderScreen(this.commandSet, lines, { columns: this.columns, codepage: this.codepage });
    await new Promise<void>((resolve, reject) => {
      port.write(bytes, (err) => {
        if (err) return reject(err);
        port.drain((drainErr) => (drainErr ? reject(drainErr) : resolve()));
      });
    }).catch((err: unknown) => {
      const error = deviceErrorFrom(err, this.address);
      this.#gone(port, error);
      throw error;
    });
  }

  showItem(name: string, price: string, total: string): Promise<void> {
    return this.show(itemScreen(name, price, total, this.columns));
  }

  showTotal(label: string, total: string): Promise<void> {
    return this.show(totalScreen(label, total, this.columns));
  }

  showChange(paid: string, change: string): Promise<void> {
    return this.show(changeScreen(paid, change, this.columns));
  }

  showClosing(message?: string): Promise<void> {
    return this.show(closingScreen(message, this.columns));
  }

  showIdle(storeName: string): Promise<void> {
    return this.show(idleScreen(storeName, undefined, this.columns));
  }

  /** The port failed under us (once, however many ways it reports it). */
  #gone(port: SerialPort, error: DeviceError): void {
    if (this.#port !== port) return;
    this.#port = null;
    void closeSerialLink(port);
    // Called from port events: a status listener that throws must not escape into serialport.
    try {
      this.lost(error);
    } catch (err) {
      log.warn({ err, deviceId: this.id }, `devices: a listener of ${this.id} failed`);
    }
  }
}
