// This register's devices as the screens see them: the printer and its queue (followed from its
// 'printer.queue' events, read again whenever the screen reconnects), the receipts whose printing
// is unknown and the cashier's word on them, the scale and its reading, a serial or HID scanner's
// codes, and the devices screen's settings, discovery and test page.
import type { UncertainPrint } from '#contract/printer-state.ts';
import type { ClientError, ContractClient } from '../../api/client.ts';
import { testPageFailure } from '../../components/printer-words.ts';
import type { DevicesConfig, DevicesView, Discovered, Printer, RegisterKit, RegisterSlice, SetRegister, Weighing } from '../register.ts';

export type DevicesSlice = {
  devices: DevicesView | null;
  discovered: Discovered | null;
  /** The printer this register's receipts go to (its queue events are followed); null: none set. */
  printerUri: string | null;
  printer: Printer | null;
  /** Receipts sent whose printing is unknown, waiting for the cashier's word (the store chose to ask). */
  uncertainPrints: UncertainPrint[];
  /** The dialog that asks about them is open. */
  printCheckOpen: boolean;
  /** The printer is being tried again: said on the badge until its next news. */
  printerRetrying: boolean;
  hasScale: boolean;
  weighing: Weighing | null;
  lastScan: { code: string; symbology: string } | null;
  loadDevices(): Promise<void>;
  saveDevices(config: DevicesConfig): Promise<void>;
  testPrint(printerUri: string): Promise<void>;
  /** Tries this register's printer now instead of at its next backoff. */
  retryPrinter(): Promise<void>;
  openPrintCheck(): Promise<void>;
  closePrintCheck(): void;
  /** The cashier's word on one receipt: it came out, or print a copy marked as a reprint. */
  settlePrint(receiptId: string, outcome: 'PRINTED' | 'REPRINT'): Promise<void>;
  discover(): Promise<void>;
  weigh(): Promise<void>;
};

/** After a sign-in or a reconnection: this register's printer, the receipts to ask about, and whether it has a scale. */
export async function readDeviceStatus(client: ContractClient, set: SetRegister) {
  const devices = await client.send('devices.status', {});
  if (!devices.ok) return;
  const printerUri = devices.value.printerUri;
  set({
    printerUri,
    printer: devices.value.printers.find((p) => p.printerUri === printerUri) ?? null,
    uncertainPrints: devices.value.uncertainPrints,
    hasScale: Boolean(devices.value.config.scale),
  });
}

/** How long "retrying" stays on the badge when the printer has no news (nothing changed). */
const RETRY_SHOWN_MS = 3_000;

export const createDevicesSlice =
  ({ client, i18n, run }: RegisterKit): RegisterSlice<DevicesSlice> =>
  (set, get) => {
    // A serial or HID scanner's code goes where a wedge scan would: the sale, or the return.
    // (renderer/scan/use-scan-guard.ts routes it from lastScan.)
    client.on('scan', (scan) => set({ lastScan: { code: scan.code, symbology: scan.symbology } }));
    client.on('device.status', () => {
      if (get().panel === 'devices') void get().loadDevices();
    });
    /** The receipts to ask about, read again; the dialog closes once none are left. */
    async function readUncertain() {
      const status = await client.send('devices.status', {});
      if (!status.ok) return;
      const uncertainPrints = status.value.uncertainPrints;
      set({ uncertainPrints, ...(uncertainPrints.length === 0 ? { printCheckOpen: false } : {}) });
    }

    let retryShown: ReturnType<typeof setTimeout> | undefined;
    client.on('printer.queue', (printer) => {
      if (printer.printerUri !== get().printerUri) return;
      const before = get().printer;
      clearTimeout(retryShown);
      set({ printer, printerRetrying: false });
      if (before?.uncertain !== printer.uncertain) void readUncertain();
    });
    // Events sent while the screen was cut off from its engine are lost: read the state again.
    client.onConnection((up) => {
      if (up && get().token) void readDeviceStatus(client, set);
    });

    return {
      devices: null,
      discovered: null,
      printerUri: null,
      printer: null,
      uncertainPrints: [],
      printCheckOpen: false,
      printerRetrying: false,
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
        set({ notice: null });
        const last: { refused: ClientError | null } = { refused: null };
        const printed = await run(async (o) => {
          const answer = await client.send('devices.printTest', { printerUri: uri }, { override: o });
          last.refused = answer.ok ? null : answer.error;
          return answer;
        });
        if (printed) return set({ notice: i18n.t('devices.tested') });
        const refused = last.refused;
        if (!refused) return;
        // What stopped it (paper, cover) was learnt when it refused: the status now says it.
        const status = await client.send('devices.status', {});
        if (status.ok) set({ devices: status.value });
        const conditions = status.ok ? (status.value.printers.find((p) => p.printerUri === uri)?.conditions ?? []) : [];
        const why = testPageFailure(i18n, refused, conditions);
        if (why) set({ message: why });
      },

      async retryPrinter() {
        const printerUri = get().printerUri;
        if (!printerUri || get().printerRetrying) return;
        set({ printerRetrying: true });
        clearTimeout(retryShown);
        retryShown = setTimeout(() => set({ printerRetrying: false }), RETRY_SHOWN_MS);
        const tried = await run((o) => client.send('devices.retryPrinter', { printerUri }, { override: o }));
        if (!tried) {
          clearTimeout(retryShown);
          set({ printerRetrying: false });
        }
      },

      async openPrintCheck() {
        set({ printCheckOpen: true });
        await readUncertain();
      },

      closePrintCheck() {
        set({ printCheckOpen: false });
      },

      async settlePrint(receiptId, outcome) {
        await run((o) => client.send('devices.settlePrint', { receiptId, outcome }, { override: o }));
        // Settled now, or already by someone else (the error says so): either way the list is read again.
        await readUncertain();
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
