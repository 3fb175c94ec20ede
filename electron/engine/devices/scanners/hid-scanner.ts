// A USB scanner in HID POS mode (usage page 0x8C), read with node-hid. Unlike keyboard mode it
// types nothing into whatever window has focus, and it says which symbology it read. The
// address is hid:VVVV:PPPP (vendor and product id in hex) or hid:/dev/hidrawN.
//
// node-hid is loaded only when a scanner is claimed or listed: a machine without the native
// library (or libusb) still starts the engine, and only the HID scanner reports why it cannot work.
import { accessSync, constants } from 'node:fs';
import { DeviceError, deviceErrorFrom } from '../device-error.ts';
import { PosDevice } from '../device.ts';
import type { ScanEvent } from '#contract/scan-event.ts';
import { HidPosAssembler, type HidPosAssemblerOptions, type HidScanOutcome } from './hid-pos-report.ts';
import { log } from '#engine/log/logger.ts';
import type { HidPosDevice } from '#engine/ports.ts';

export const BAR_CODE_SCANNER_USAGE_PAGE = 0x8c;

export type HidAddress = { kind: 'ids'; vendorId: number; productId: number } | { kind: 'path'; path: string };

export function parseHidAddress(address: string): HidAddress {
  const ids = /^hid:([0-9A-Fa-f]{4}):([0-9A-Fa-f]{4})$/.exec(address);
  if (ids) return { kind: 'ids', vendorId: Number.parseInt(ids[1]!, 16), productId: Number.parseInt(ids[2]!, 16) };
  const path = /^hid:(\/dev\/hidraw\d{1,3})$/.exec(address);
  if (path) return { kind: 'path', path: path[1]! };
  throw new DeviceError('BAD_ADDRESS', `${address} is not a HID address: use hid:0c2e:0b87 (vendor:product in hex) or hid:/dev/hidraw0`);
}

/** What node-hid says of a device, as far as we use it. */
export type HidDeviceInfo = {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  serialNumber?: string | undefined;
  usagePage?: number | undefined;
};

/** An open device: input reports come as 'data', a failure (unplugged) as 'error'. */
export type HidLink = {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(): unknown;
  close(): Promise<void>;
};

/** How devices are found and opened: node-hid, or a stand-in in tests. */
export type HidBackend = {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidLink>;
};

let nodeHid: Promise<HidBackend> | null = null;

/** node-hid behind the backend interface, loaded on first use. Rejects with a DeviceError when it cannot load. */
export function nodeHidBackend(): Promise<HidBackend> {
  nodeHid ??= import('node-hid').then(
    (hid) => ({
      devices: () => hid.devicesAsync(),
      open: (path: string) => hid.HIDAsync.open(path) as Promise<HidLink>,
    }),
    (err: unknown) => {
      nodeHid = null;
      throw new DeviceError(
        'FAILED',
        `HID scanners cannot be used on this machine: node-hid did not load (${(err as Error)?.message ?? String(err)})`,
      );
    },
  );
  return nodeHid;
}

export type { HidPosDevice } from '#engine/ports.ts';

/** HID POS scanners plugged in now; an empty list (and a warning), never a crash, when node-hid cannot run here. */
export async function listHidPosDevices(backend?: HidBackend): Promise<HidPosDevice[]> {
  try {
    const devices = await (backend ?? (await nodeHidBackend())).devices();
    return devices
      .filter((d) => d.usagePage === BAR_CODE_SCANNER_USAGE_PAGE)
      .map((d) => ({
        address: d.path?.startsWith('/dev/hidraw') ? `hid:${d.path}` : `hid:${hex4(d.vendorId)}:${hex4(d.productId)}`,
        path: d.path ?? null,
        vendorId: d.vendorId,
        productId: d.productId,
        manufacturer: d.manufacturer ?? null,
        product: d.product ?? null,
        serialNumber: d.serialNumber || null,
      }));
  } catch (err) {
    log.warn({ err }, 'devices: HID scanners cannot be listed here');
    return [];
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

// hidraw lets any number of programs open a device, so hidapi cannot tell us that another of
// our scanners holds it; two readers would each get every code and sell it twice.
const claimedPaths = new Set<string>();

export type HidScannerOptions = Pick<HidPosAssemblerOptions, 'reportSize' | 'maxCodeLength'> & {
  /** node-hid unless given; tests pass a stand-in device. */
  backend?: HidBackend;
};

export class HidScanner extends PosDevice<ScanEvent> {
  readonly #options: HidScannerOptions;
  readonly #assembler: HidPosAssembler;
  #link: HidLink | null = null;
  #path: string | null = null;

  /** A wrong address is reported when the scanner is claimed (BAD_ADDRESS), like any other reason it cannot work. */
  constructor(id: string, address: string, options: HidScannerOptions = {}) {
    super(id, 'scanner', address);
    this.#options = options;
    this.#assembler = new HidPosAssembler({ reportSize: options.reportSize, maxCodeLength: options.maxCodeLength });
  }

  protected async acquire(): Promise<void> {
    const target = parseHidAddress(this.address);
    const backend = this.#options.backend ?? (await nodeHidBackend());
    const path = await this.#findPath(backend, target);
    if (claimedPaths.has(path)) throw new DeviceError('IN_USE', `${this.address} is already claimed by another scanner`);
    claimedPaths.add(path);
    let link: HidLink;
    try {
      link = await backend.open(path);
    } catch (err) {
      claimedPaths.delete(path);
      throw openError(err, path, this.address);
    }
    this.#link = link;
    this.#path = path;
    this.#assembler.reset();
    link.on('data', (report) => this.#onReport(link, report));
    link.on('error', (err) => this.#onFailure(link, err));
  }

  protected async relinquish(): Promise<void> {
    const link = this.#link;
    this.#link = null;
    if (link) await closeQuietly(link);
    if (this.#path) claimedPaths.delete(this.#path);
    this.#path = null;
    this.#assembler.reset();
  }

  // A scanner in HID POS mode often shows other interfaces too (a keyboard, a vendor channel);
  // only the one on the bar code scanner page carries scanned-data reports.
  async #findPath(backend: HidBackend, target: HidAddress): Promise<string> {
    const devices = await backend.devices();
    if (target.kind === 'path') {
      const path = target.path;
      if (!devices.some((d) => d.path === path)) throw new DeviceError('NOT_FOUND', `${this.address}: no HID device at ${path}`);
      return path;
    }
    const { vendorId, productId } = target;
    const same = devices.filter((d) => d.vendorId === vendorId && d.productId === productId && d.path);
    if (same.length === 0) throw new DeviceError('NOT_FOUND', `${this.address}: no such USB device is plugged in`);
    const pos = same.find((d) => d.usagePage === BAR_CODE_SCANNER_USAGE_PAGE);
    if (pos) return pos.path!;
    // Without usage pages (older hidapi backends) we cannot tell the interfaces apart.
    if (same.every((d) => d.usagePage === undefined)) return same[0]!.path!;
    throw new DeviceError('NOT_FOUND', `${this.address} is plugged in but not in HID POS mode (it may be set up as a keyboard)`);
  }

  // Runs inside node-hid's event: nothing may escape it, or the engine goes down. Each outcome
  // on its own, so a listener that throws on one code does not cost the next.
  #onReport(link: HidLink, report: Buffer): void {
    if (link !== this.#link) return;
    let outcomes: HidScanOutcome[];
    try {
      outcomes = this.#assembler.feed(report);
    } catch (err) {
      this.quietly(() => this.reportError(deviceErrorFrom(err, this.address)));
      return;
    }
    for (const outcome of outcomes) {
      try {
        if (outcome.kind === 'scan') {
          this.reportHealth('online');
          this.deliver({ deviceId: this.id, code: outcome.code, symbology: outcome.symbology, source: 'hid' });
        } else {
          this.reportError(new DeviceError('PROTOCOL', `${this.id}: ${outcome.message}`));
        }
      } catch (err) {
        this.quietly(() => this.reportError(deviceErrorFrom(err, this.address)));
      }
    }
  }

  #onFailure(link: HidLink, err: unknown): void {
    if (link !== this.#link) return;
    this.#link = null;
    if (this.#path) claimedPaths.delete(this.#path);
    this.#path = null;
    this.#assembler.reset();
    void closeQuietly(link);
    this.quietly(() => this.lost(new DeviceError('NOT_FOUND', `${this.address} went away (${(err as Error)?.message ?? String(err)})`)));
  }
}

async function closeQuietly(link: HidLink): Promise<void> {
  try {
    link.removeAllListeners();
    // An error after close (a read cut short) must not reach an emitter with no listener.
    link.on('error', () => {});
    await link.close();
  } catch {
    // The device may already be gone; there is nothing left to give back.
  }
}

function openError(err: unknown, path: string, address: string): DeviceError {
  const error = deviceErrorFrom(err, address);
  if (error.code !== 'FAILED' || !path.startsWith('/dev/')) return error;
  // hidapi says only "cannot open device"; the usual reason is a hidraw node readable by root alone.
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (e) {
    return deviceErrorFrom(e, address);
  }
  return error;
}
