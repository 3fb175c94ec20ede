// This register's devices as the screens see them: the printer and its queue, the scale and its
// reading, a serial or HID scanner's codes, and the devices screen's settings, discovery and test
// page.
import type { ContractClient } from '../../api/client.ts';
import type { DevicesConfig, DevicesView, Discovered, Printer, RegisterKit, RegisterSlice, SetRegister, Weighing } from '../register.ts';

export type DevicesSlice = {
  devices: DevicesView | null;
  discovered: Discovered | null;
  /** The printer this register's receipts go to (its queue events are followed); null: none set. */
  printerUri: string | null;
  printer: Printer | null;
  hasScale: boolean;
  weighing: Weighing | null;
  lastScan: { code: string; symbology: string } | null;
  loadDevices(): Promise<void>;
  saveDevices(config: DevicesConfig): Promise<void>;
  testPrint(printerUri: string): Promise<void>;
  discover(): Promise<void>;
  weigh(): Promise<void>;
};

/** After a sign-in: this register's printer and whether it has a scale. */
export async function readDeviceStatus(client: ContractClient, set: SetRegister) {
  const devices = await client.send('devices.status', {});
  if (!devices.ok) return;
  const printerUri = devices.value.printerUri;
  set({
    printerUri,
    printer: devices.value.printers.find((p) => p.printerUri === printerUri) ?? null,
    hasScale: Boolean(devices.value.config.scale),
  });
}

export const createDevicesSlice =
  ({ client, i18n, run }: RegisterKit): RegisterSlice<DevicesSlice> =>
  (set, get) => {
    // A serial or HID scanner's code goes where a wedge scan would: the sale, or the return.
    // (renderer/scan/use-scan-guard.ts routes it from lastScan.)
    client.on('scan', (scan) => set({ lastScan: { code: scan.code, symbology: scan.symbology } }));
    client.on('device.status', () => {
      if (get().panel === 'devices') void get().loadDevices();
    });
    client.on('printer.queue', (printer) => {
      if (printer.printerUri === get().printerUri) set({ printer });
    });

    return {
      devices: null,
      discovered: null,
      printerUri: null,
      printer: null,
      hasScale: false,
      weighing: null,
      lastScan: null,

      async loadDevices() {
        const devices = await run((o) => client.send('devices.status', {}, { override: o }));
        if (devices) set({ devices });
      },

      async saveDevices(config) {
        const code = get().devices?.registerCode;
        if (!code) return;
        const saved = await run((o) => client.send('devices.configure', { registerCode: code, devices: config }, { override: o }));
        if (!saved) return;
        set({ notice: i18n.t('devices.saved') });
        await get().loadDevices();
        set({ printerUri: config.printer?.uri ?? null });
      },

      async testPrint(uri) {
        const sent = await run((o) => client.send('devices.printTest', { printerUri: uri }, { override: o }));
        if (sent) set({ notice: i18n.t('devices.tested') });
      },

      async discover() {
        const discovered = await run((o) => client.send('devices.discover', {}, { override: o }));
        if (discovered) set({ discovered });
      },

      async weigh() {
        set({ weighing: await run((o) => client.send('scale.read', {}, { override: o })) });
      },
    };
  };
