// The devices of this register, kept in step with its settings: each configured scanner,
// display and scale is opened, claimed and enabled; one that cannot be claimed (unplugged, port
// in use) is retried in the background and its status says why, and nothing here ever stops the
// engine or a sale. Printers are not held open: the spool connects per job, which is what
// network printers expect, and reports their status itself.
import type { ServerEventBus } from '../server-events.ts';
import type { PluggedIn, RegisterHardware } from '../ports.ts';
import type { PosDevice, DeviceStatus } from './device.ts';
import type { RegisterDevices } from '#contract/device-settings.ts';
import { HID_ADDRESS } from '#contract/device-settings.ts';
import { discoverDevices } from './discover.ts';
import { LineDisplay } from './display/line-display.ts';
import { Scale } from './scale/scale.ts';
import { HidScanner } from './scanners/hid-scanner.ts';
import { SerialScanner } from './scanners/serial-scanner.ts';

const RETRY_MS = 5_000;

type Slot = { key: string; device: PosDevice<unknown>; retry: NodeJS.Timeout | null; starting: boolean; wasClaimed: boolean };

export class RegisterDeviceManager implements RegisterHardware {
  readonly #events: ServerEventBus;
  readonly #retryMs: number;
  readonly #watchPrinter: (uri: string) => () => void;
  #slots = new Map<string, Slot>();
  #printer: { uri: string; unwatch: () => void } | null = null;
  #closed = false;
  /** Settings changes apply one after another, so an older one never lands on a newer one. */
  #applying: Promise<void> = Promise.resolve();

  /** watchPrinter: starts polling a printer's status between jobs (the spool's watch). */
  constructor(events: ServerEventBus, opts: { retryMs?: number; watchPrinter?: (uri: string) => () => void } = {}) {
    this.#events = events;
    this.#retryMs = opts.retryMs ?? RETRY_MS;
    this.#watchPrinter = opts.watchPrinter ?? (() => () => undefined);
  }

  /** Brings the open devices in line with the settings: unchanged ones are left alone. */
  apply(config: RegisterDevices): Promise<void> {
    const run = this.#applying.then(() => this.#apply(config));
    this.#applying = run.catch(() => undefined);
    return run;
  }

  async #apply(config: RegisterDevices): Promise<void> {
    if (this.#closed) return;
    if (this.#printer?.uri !== config.printer?.uri) {
      this.#printer?.unwatch();
      this.#printer = config.printer && !this.#closed ? { uri: config.printer.uri, unwatch: this.#watchPrinter(config.printer.uri) } : null;
    }
    const wanted = new Map<string, { key: string; make: () => PosDevice<unknown> }>();
    config.scanners.forEach((s, i) => {
      const id = `scanner-${i + 1}`;
      wanted.set(id, {
        key: JSON.stringify(s),
        make: () =>
          HID_ADDRESS.test(s.address)
            ? new HidScanner(id, s.address)
            : new SerialScanner(id, s.address, s.suffix ? { suffix: s.suffix } : {}),
      });
    });
    if (config.display) {
      const d = config.display;
      wanted.set('display', {
        key: JSON.stringify(d),
        make: () => new LineDisplay('display', d.address, { commandSet: d.commandSet, codepage: d.codepage }),
      });
    }
    if (config.scale) {
      const s = config.scale;
      wanted.set('scale', { key: JSON.stringify(s), make: () => new Scale('scale', s.address, { unit: s.unit }) });
    }
    for (const [id, slot] of [...this.#slots]) {
      if (wanted.get(id)?.key === slot.key) continue;
      this.#slots.delete(id);
      await this.#shut(slot);
    }
    for (const [id, want] of wanted) {
      if (this.#slots.has(id)) continue;
      const device = want.make();
      const slot: Slot = { key: want.key, device, retry: null, starting: false, wasClaimed: false };
      this.#slots.set(id, slot);
      this.#wire(device);
      await device.open();
      await this.#start(slot);
    }
  }

  status(): DeviceStatus[] {
    return [...this.#slots.values()].map((s) => s.device.status());
  }

  /** The customer display, when there is one and it is working. */
  display(): LineDisplay | null {
    const d = this.#slots.get('display')?.device;
    return d instanceof LineDisplay && d.state === 'enabled' ? d : null;
  }

  scale(): Scale | null {
    const d = this.#slots.get('scale')?.device;
    return d instanceof Scale ? d : null;
  }

  /** What this machine has plugged in, to choose the register's devices from. */
  discover(): Promise<PluggedIn> {
    return discoverDevices();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#printer?.unwatch();
    this.#printer = null;
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    await Promise.all(slots.map((s) => this.#shut(s)));
  }

  #wire(device: PosDevice<unknown>): void {
    device.on('status', (status) => {
      this.#events.emit('device.status', status);
      // Lost (cable pulled) after working: it went back to opened; claim it again in a while.
      const slot = this.#slots.get(device.id);
      if (slot && slot.device === device && status.state === 'opened' && slot.wasClaimed && !slot.starting) this.#later(slot);
    });
    device.on('error', () => undefined); // every error also arrives as a status
    device.on('data', (data) => {
      if (device.kind === 'scanner') this.#events.emit('scan', data as never);
      if (device.kind === 'scale') this.#events.emit('scale.reading', data as never);
    });
  }

  async #start(slot: Slot): Promise<void> {
    slot.retry = null;
    if (this.#closed || this.#slots.get(slot.device.id) !== slot) return;
    slot.starting = true;
    try {
      await slot.device.claim();
      await slot.device.enable();
      slot.wasClaimed = true;
    } catch (err) {
      // A bad address will not fix itself; anything else (unplugged, in use) may.
      if ((err as { code?: string }).code !== 'BAD_ADDRESS') this.#later(slot);
    } finally {
      slot.starting = false;
    }
  }

  /** One retry pending per device, never more. */
  #later(slot: Slot): void {
    if (this.#closed || slot.retry || this.#slots.get(slot.device.id) !== slot) return;
    slot.retry = setTimeout(() => void this.#start(slot), this.#retryMs);
    slot.retry.unref();
  }

  async #shut(slot: Slot): Promise<void> {
    if (slot.retry) clearTimeout(slot.retry);
    slot.retry = null;
    await slot.device.close().catch(() => undefined);
    slot.device.removeAllListeners();
  }
}
