// The register as the screens see it: who is signed in, the shift, the sale in progress, the
// last sale's receipt, and what the engine says about the printer and the connection. Every
// change goes through the contract client; an error is kept as the cashier's words, shown in
// place, and nothing changes twice: each action carries its own idempotency key.
import { create } from 'zustand';
import type { CallOutput } from '../../electron/engine/dispatch.ts';
import type { PrinterState } from '../../electron/engine/devices/print-spool.ts';
import type { ContractClient, Result } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';

export type Cart = CallOutput<'sales.current'>;
export type Sale = NonNullable<Cart>;
export type StaffMember = CallOutput<'auth.staffForSignIn'>[number];
export type Receipt = CallOutput<'sales.complete'>;
export type StoredReceipt = CallOutput<'sales.receipts'>[number];
export type Method = CallOutput<'sales.paymentMethods'>[number];
export type Shift = NonNullable<CallOutput<'shifts.current'>>;

export type RegisterState = {
  staff: StaffMember[];
  token: string | null;
  employee: { id: string; displayName: string } | null;
  permissions: string[];
  shift: Shift | null;
  sale: Sale | null;
  methods: Method[];
  paying: boolean;
  receipt: Receipt | null;
  printed: StoredReceipt[];
  /** The last error, in the cashier's words, shown where it happened. */
  message: string | null;
  busy: boolean;
  online: boolean;
  printer: PrinterState | null;
};

export type RegisterActions = {
  loadStaff(): Promise<void>;
  signIn(employeeId: string, pin: string): Promise<boolean>;
  signOut(): Promise<void>;
  openShift(openingFloat: string): Promise<void>;
  scan(code: string): Promise<void>;
  setQuantity(lineId: string, quantity: string): Promise<void>;
  removeLine(lineId: string): Promise<void>;
  startPaying(): void;
  stopPaying(): void;
  payCash(tendered: string): Promise<void>;
  nextSale(): void;
  reprint(variant: 'copy' | 'gift'): Promise<void>;
  dismiss(): void;
};

export type Register = RegisterState & RegisterActions;

const key = (what: string) => `${what}:${crypto.randomUUID()}`;

export function createRegister(client: ContractClient, i18n: I18n) {
  return create<Register>()((set, get) => {
    /** Runs a call; an error becomes the message on screen and the answer is null. */
    async function run<T>(call: Promise<Result<T>>): Promise<T | null> {
      set({ busy: true });
      const result = await call;
      set({ busy: false });
      if (result.ok) {
        set({ message: null });
        return result.value;
      }
      if (['NOT_SIGNED_IN', 'SESSION_EXPIRED', 'SESSION_REVOKED'].includes(result.error.code)) signedOut();
      set({ message: i18n.error(result.error) });
      return null;
    }

    function signedOut() {
      client.setToken(null);
      set({ token: null, employee: null, permissions: [], shift: null, sale: null, receipt: null, paying: false });
    }

    async function afterSignIn() {
      const [shift, sale, methods] = await Promise.all([
        run(client.send('shifts.current', {})), run(client.send('sales.current', {})), run(client.send('sales.paymentMethods', {})),
      ]);
      set({ shift, sale, methods: methods ?? [] });
      const devices = await client.send('devices.status', {});
      if (devices.ok) {
        printerUri = devices.value.printerUri;
        set({ printer: devices.value.printers.find((p) => p.printerUri === printerUri) ?? null });
      }
    }

    let printerUri: string | null = null;
    client.onConnection((online) => set({ online }));
    client.on('printer.queue', (printer) => {
      if (printer.printerUri !== printerUri) return;
      set({ printer });
      // The receipt on screen says whether it has printed yet.
      const receipt = get().receipt;
      if (receipt) {
        void client.send('sales.receipts', { saleId: receipt.saleId }).then((printed) => {
          if (printed.ok && get().receipt?.saleId === receipt.saleId) set({ printed: printed.value });
        });
      }
    });

    return {
      staff: [], token: null, employee: null, permissions: [], shift: null, sale: null, methods: [], paying: false,
      receipt: null, printed: [], message: null, busy: false, online: false, printer: null,

      async loadStaff() {
        const staff = await run(client.send('auth.staffForSignIn', {}));
        if (staff) set({ staff });
      },

      async signIn(employeeId, pin) {
        const session = await run(client.send('auth.signInWithPin', { employeeId, pin }));
        if (!session) return false;
        client.setToken(session.token);
        set({ token: session.token, employee: session.employee, permissions: session.permissions });
        await afterSignIn();
        return true;
      },

      async signOut() {
        await client.send('auth.signOut', {});
        signedOut();
      },

      async openShift(openingFloat) {
        const opened = await run(client.send('shifts.open', { idempotencyKey: key('shift'), openingFloat }));
        if (!opened) return;
        set({ shift: await run(client.send('shifts.current', {})) });
      },

      async scan(code) {
        const trimmed = code.trim();
        if (!trimmed || get().busy) return;
        let sale = get().sale;
        if (!sale) {
          sale = await run(client.send('sales.open', { idempotencyKey: key('sale') }));
          if (!sale) return;
          set({ sale });
        }
        const next = await run(client.send('sales.addItem', { saleId: sale.id, code: trimmed }));
        if (next) set({ sale: next });
      },

      async setQuantity(lineId, quantity) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run(client.send('sales.setQuantity', { saleId: sale.id, lineId, quantity }));
        if (next) set({ sale: next });
      },

      async removeLine(lineId) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run(client.send('sales.removeLine', { saleId: sale.id, lineId }));
        if (next) set({ sale: next });
      },

      startPaying() {
        if (get().sale?.lines.length) set({ paying: true, message: null });
      },
      stopPaying() {
        set({ paying: false, message: null });
      },

      async payCash(tendered) {
        const { sale, methods, busy } = get();
        const cash = methods.find((m) => m.kind === 'CASH');
        // A second click while the first is on its way does nothing; the engine would also answer
        // the same sale again rather than sell it twice.
        if (!sale || !cash || busy) return;
        const receipt = await run(client.send('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash.id, tendered }] }));
        if (!receipt) return;
        set({ receipt, sale: null, paying: false, printed: [] });
        const printed = await client.send('sales.receipts', { saleId: receipt.saleId });
        if (printed.ok) set({ printed: printed.value });
      },

      nextSale() {
        set({ receipt: null, printed: [], message: null });
      },

      async reprint(variant) {
        const receipt = get().receipt;
        if (!receipt) return;
        const done = await run(client.send('sales.reprint', { saleId: receipt.saleId, variant }));
        if (!done) return;
        const printed = await client.send('sales.receipts', { saleId: receipt.saleId });
        if (printed.ok) set({ printed: printed.value });
      },

      dismiss() {
        set({ message: null });
      },
    };
  });
}

export type RegisterStore = ReturnType<typeof createRegister>;
