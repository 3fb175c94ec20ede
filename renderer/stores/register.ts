// The register as the screens see it: who is signed in, the shift, the sale in progress, the
// last sale's receipt, and what the engine says about the printer and the connection. Every
// change goes through the contract client; an error is kept as the cashier's words, shown in
// place, and nothing changes twice: each action carries its own idempotency key.
import { create } from 'zustand';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs, CallOutput } from '#engine/dispatch.ts';
import type { PrinterState } from '#engine/devices/printer/print-spool.ts';
import type { ContractClient, Override, Result } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';
import { approvalAsk, type ApprovalAsk } from '../components/approval-ask.ts';
import { AMOUNT_FIELD, fieldProblem } from '../i18n/number-fields.ts';
import { splitState, takeTender, tenderProblem, tendersForEngine, type PendingTender, type SplitProblem } from '../screens/pay-split.ts';
import { changedLine, neighbourOf } from '../screens/sell-lines.ts';
import { refusalTone } from '../scan/beep.ts';
import type { RefusedWhy } from '../scan/scan-route.ts';

export type Cart = CallOutput<'sales.current'>;
export type Sale = NonNullable<Cart>;
export type StaffMember = CallOutput<'auth.staffForSignIn'>[number];
export type Receipt = CallOutput<'sales.complete'>;
export type StoredReceipt = CallOutput<'sales.receipts'>[number];
export type Method = CallOutput<'sales.paymentMethods'>[number];
export type Shift = NonNullable<CallOutput<'shifts.current'>>;

export type Hit = CallOutput<'sales.search'>[number];
export type DevicesView = CallOutput<'devices.status'>;
export type DevicesConfig = DevicesView['config'];
export type Weighing = CallOutput<'scale.read'>;
export type Parked = CallOutput<'sales.parked'>[number];
export type Returnable = CallOutput<'returns.lookup'>;
export type ReturnDone = CallOutput<'returns.create'>;
export type ShiftClosed = CallOutput<'shifts.close'>;
export type Category = CallOutput<'sales.categories'>[number];
export type BrowsePage = CallOutput<'sales.browse'>;
export type BrowseTile = BrowsePage['items'][number];
export type Discovered = CallOutput<'devices.discover'>;
/** What the register needs of the terminal's own settings, read once when the screens start (main.tsx). */
export type TerminalSettings = Pick<CallOutput<'terminal.info'>, 'cashConfirmMultiple'>;
/** The side task on top of selling ('browse': the category grid beside the totals). */
export type Panel = 'sell' | 'returns' | 'cash' | 'close' | 'search' | 'parked' | 'devices' | 'browse' | 'backOffice' | 'history';
/** A dialog on a line: its quantity or weight, or its price; or the weight of a weighed item being added. */
export type LineEdit =
  | { kind: 'quantity'; lineId: string }
  | { kind: 'price'; lineId: string }
  | { kind: 'weigh'; item: BrowseTile };

export type Discount = { kind: 'rate' | 'amount'; value: string };
export type DiscountTarget = { kind: 'line'; lineId: string; name: string } | { kind: 'sale' };

export type RegisterState = {
  panel: Panel;
  /** The cart line the keyboard's line actions (quantity, price, discount, remove) apply to. */
  selectedLine: string | null;
  editing: LineEdit | null;
  /** Tenders taken for the sale on screen and not yet sent: a split payment in progress. */
  tenders: PendingTender[];
  /** Why the tender just offered was not taken, in the cashier's words. */
  tenderMessage: string | null;
  categories: Category[];
  browsing: BrowsePage | null;
  discovered: Discovered | null;
  /** Another employee is taking over the register (the quick switch); the current session lives until they sign in. */
  switching: boolean;
  hasScale: boolean;
  /** The line (or the whole sale) whose discount is being set. */
  discounting: DiscountTarget | null;
  devices: DevicesView | null;
  lastScan: { code: string; symbology: string } | null;
  /** The last scan that could not go where the cashier was, and why (shown above every screen). */
  scanRefused: { code: string; why: RefusedWhy } | null;
  weighing: Weighing | null;
  /** A short confirmation on the panel in use (saved, sent). */
  notice: string | null;
  hits: Hit[];
  parked: Parked[];
  returnable: Returnable | null;
  returned: ReturnDone | null;
  closed: ShiftClosed | null;
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
  /**
   * A call waiting for someone else's PIN: what is approved, who may approve it, why the last
   * PIN was refused and whose it was, and where the PIN goes (null: cancelled).
   */
  approval: (ApprovalAsk & { problem: string | null; tried: string | null; resolve(override: Override | null): void }) | null;
  /** Some call is on its way (counted: parallel calls do not clear each other's). */
  busy: boolean;
  /**
   * Signed in and the shift and open sale read: until then the screen cannot know whether to ask
   * for a float or to sell, and showing either would take keys meant for the other.
   */
  ready: boolean;
  online: boolean;
  printer: PrinterState | null;
  /** Cash over this many times what is due is confirmed before it is taken (the store's setting). */
  cashConfirmMultiple: string;
};

export type RegisterActions = {
  loadStaff(): Promise<void>;
  signIn(employeeId: string, pin: string): Promise<boolean>;
  startSwitch(on: boolean): void;
  signOut(): Promise<void>;
  openShift(openingFloat: string): Promise<void>;
  /** A code typed or scanned into the scan field; "3*" in front sells three. */
  scan(code: string): Promise<void>;
  /** A scan routed to the cart: from the sell screen, the pay dialog (which closes), or the change screen (the next sale). */
  ringUpScan(code: string, from: 'sale' | 'pay' | 'receipt'): Promise<void>;
  /** A scan that cannot be taken here: said in words and with a tone; null clears it. */
  refuseScan(code: string | null, why?: RefusedWhy): void;
  setQuantity(lineId: string, quantity: string): Promise<void>;
  removeLine(lineId: string): Promise<void>;
  startPaying(): void;
  stopPaying(): void;
  nextSale(): void;
  dismiss(): void;
  show(panel: Panel): void;
  startDiscount(target: DiscountTarget | null): void;
  applyDiscount(discount: Discount | null): Promise<void>;
  loadDevices(): Promise<void>;
  saveDevices(config: DevicesConfig): Promise<void>;
  testPrint(printerUri: string): Promise<void>;
  weigh(): Promise<void>;
  search(text: string): Promise<void>;
  addVariant(variantId: string): Promise<void>;
  park(): Promise<void>;
  recall(saleId: string): Promise<void>;
  /** Cancels a sale on hold (a manager authorises the void); true when it is cancelled. */
  cancelParked(saleId: string, reason: string): Promise<boolean>;
  /** Takes one tender; once the tenders cover the total the sale is paid. `formKey` is one per filled form, so a double click takes it once. */
  addTender(tender: PendingTender, formKey: string): Promise<void>;
  removeTender(index: number): void;
  /** Sends the tenders taken once they cover the total (again, if the first answer never came). */
  finishPayment(): Promise<void>;
  selectLine(lineId: string | null): void;
  editLine(edit: LineEdit | null): void;
  overridePrice(lineId: string, unitPrice: string, reason: string): Promise<void>;
  addWeighed(variantId: string, quantity: string): Promise<void>;
  loadCategories(): Promise<void>;
  browse(categoryId: string, page: number, pageSize?: number): Promise<void>;
  closeCategory(): void;
  discover(): Promise<void>;
  lookUpReturn(code: string): Promise<void>;
  createReturn(lines: { saleItemId: string; quantity: string }[], refundMethodId: string, reason: string, reference?: string): Promise<void>;
  moveCash(kind: 'PAY_IN' | 'PAY_OUT', amount: string, reason: string): Promise<boolean>;
  /** Prints the X report where there is a printer, and answers it to show on screen either way. */
  printXReport(): Promise<CallOutput<'shifts.printXReport'> | null>;
  closeShift(count: Record<string, number>): Promise<void>;
  finishDay(): Promise<void>;
  /** Any call through the register's error and approval handling, for features with screens of their own. */
  send<K extends CallName>(call: K, input: CallArgs<K>): Promise<CallOutput<K> | null>;
};

export type Register = RegisterState & RegisterActions;

const key = (what: string) => `${what}:${crypto.randomUUID()}`;

/** "3*7501234567890": three of what the code names; the count alone ("3*") waits for the code. */
const QUANTITY_PREFIX = /^([1-9]\d{0,3})\*(.*)$/;

/** Tiles on a page of the category grid when the screen's size is not known. */
export const BROWSE_PAGE = 16;

/** The engine's own default for the cash check, for a terminal whose settings could not be read. */
const CASH_CONFIRM_MULTIPLE = '20';

export function createRegister(client: ContractClient, i18n: I18n, terminal: TerminalSettings | null) {
  /** Each tender form filled is taken once, however many times its button is pressed. */
  const takenForms = new Set<string>();
  const tenderWords = (problem: SplitProblem, remaining: string) =>
    problem === 'AMOUNT' ? fieldProblem(i18n, AMOUNT_FIELD) : i18n.t(`pay.problem.${problem}`, { amount: i18n.money(remaining) });
  return create<Register>()((set, get) => {
    let inFlight = 0;
    async function sendCounted<T>(send: () => Promise<Result<T>>): Promise<Result<T>> {
      inFlight++;
      set({ busy: true });
      try {
        return await send();
      } finally {
        inFlight--;
        set({ busy: inFlight > 0 });
      }
    }

    /**
     * Runs a call; an error becomes the message on screen and the answer is null. A call that
     * needs a manager asks for one (the approval dialog) and is sent again with the override;
     * cancelling leaves everything as it was.
     */
    async function run<T>(send: (override?: Override) => Promise<Result<T>>): Promise<T | null> {
      let override: Override | undefined;
      let asked: ApprovalAsk | undefined;
      for (;;) {
        const result = await sendCounted(() => send(override));
        if (result.ok) {
          set({ message: null, approval: null });
          return result.value;
        }
        const code = result.error.code;
        if (code === 'OVERRIDE_REQUIRED' || (override && (code === 'OVERRIDE_REFUSED' || code === 'BAD_CREDENTIALS' || code === 'LOCKED'))) {
          // What is approved and who may approve it come with the first refusal; a wrong PIN asks again for the same.
          asked = code === 'OVERRIDE_REQUIRED' || !asked ? approvalAsk(i18n, result.error) : asked;
          const problem = code === 'OVERRIDE_REQUIRED' ? null : i18n.error(result.error);
          const ask = { ...asked, problem, tried: override?.employeeId ?? null };
          const given = await new Promise<Override | null>((resolve) => set({ approval: { ...ask, resolve } }));
          set({ approval: null });
          if (given) {
            override = given;
            continue;
          }
          set({ message: i18n.error(result.error) });
          return null;
        }
        if (code === 'NOT_SIGNED_IN' || code === 'SESSION_EXPIRED' || code === 'SESSION_REVOKED') signedOut();
        set({ message: i18n.error(result.error) });
        return null;
      }
    }

    function signedOut() {
      client.setToken(null);
      set({ token: null, ready: false, employee: null, permissions: [], shift: null, sale: null, receipt: null, paying: false, switching: false, tenders: [], editing: null, selectedLine: null });
    }

    /** The cart after a change, with the line it touched selected (or a neighbour of a removed one). */
    function cartChanged(next: Sale, removed?: string) {
      const before = get().sale?.lines ?? [];
      const touched = removed ? neighbourOf(before, removed) : changedLine(before, next.lines);
      const selected = touched ?? (next.lines.some((l) => l.id === get().selectedLine) ? get().selectedLine : next.lines.at(-1)?.id ?? null);
      set({ sale: next, selectedLine: selected, notice: null });
    }

    async function afterSignIn() {
      const before = { shift: get().shift, sale: get().sale };
      const [shift, sale, methods] = await Promise.all([
        run((o) => client.send('shifts.current', {}, { override: o })), run((o) => client.send('sales.current', {}, { override: o })), run((o) => client.send('sales.paymentMethods', {}, { override: o })),
      ]);
      // The cashier may have opened the shift or started a sale while these answers were on their
      // way (a slow register): what they did since wins over what was read before it.
      const now = get();
      const keptShift = now.shift !== before.shift ? now.shift : shift;
      const keptSale = now.sale !== before.sale ? now.sale : sale;
      set({ shift: keptShift, sale: keptSale, methods: methods ?? [], selectedLine: keptSale?.lines.at(-1)?.id ?? null, ready: true });
      const devices = await client.send('devices.status', {});
      if (devices.ok) {
        printerUri = devices.value.printerUri;
        set({ printer: devices.value.printers.find((p) => p.printerUri === printerUri) ?? null, hasScale: Boolean(devices.value.config.scale) });
      }
    }

    /** A sale paid: its receipt on screen, and what was printed for it. */
    async function paid(receipt: Receipt | null) {
      if (!receipt) return;
      set({ receipt, sale: null, paying: false, printed: [], tenders: [], tenderMessage: null, selectedLine: null });
      const printed = await client.send('sales.receipts', { saleId: receipt.saleId });
      if (printed.ok) set({ printed: printed.value });
    }

    let scans: Promise<void> = Promise.resolve();
    async function ringUp(code: string, quantity: string | undefined) {
      let sale = get().sale;
      if (!sale) {
        sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
        if (!sale) return;
        set({ sale });
      }
      const input = quantity ? { saleId: sale.id, code, quantity } : { saleId: sale.id, code };
      const next = await run((o) => client.send('sales.addItem', input, { override: o }));
      if (next) cartChanged(next);
      // A code that rang nothing up is heard as well as named on screen.
      else refusalTone();
    }

    let printerUri: string | null = null;
    client.onConnection((online) => set({ online }));
    // A serial or HID scanner's code goes where a wedge scan would: the sale, or the return.
    // (renderer/scan/use-scan-guard.ts routes it from lastScan.)
    client.on('scan', (scan) => set({ lastScan: { code: scan.code, symbology: scan.symbology } }));
    client.on('device.status', () => {
      if (get().panel === 'devices') void get().loadDevices();
    });
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
      receipt: null, printed: [], message: null, approval: null, busy: false, ready: false, online: false, printer: null,
      panel: 'sell', returnable: null, returned: null, closed: null, hits: [], parked: [],
      devices: null, lastScan: null, scanRefused: null, weighing: null, notice: null, discounting: null,
      selectedLine: null, editing: null, tenders: [], tenderMessage: null, categories: [], browsing: null, discovered: null,
      switching: false, hasScale: false, cashConfirmMultiple: terminal?.cashConfirmMultiple ?? CASH_CONFIRM_MULTIPLE,

      async loadStaff() {
        const staff = await run((o) => client.send('auth.staffForSignIn', {}, { override: o }));
        if (staff) set({ staff });
      },

      async signIn(employeeId, pin) {
        // The quick switch ends the session on screen only once the next employee's PIN is right.
        const switchFrom = get().switching ? get().token ?? undefined : undefined;
        const session = await run((o) => client.send('auth.signInWithPin', switchFrom ? { employeeId, pin, switchFrom } : { employeeId, pin }, { override: o }));
        if (!session) return false;
        client.setToken(session.token);
        set({ token: session.token, employee: session.employee, permissions: session.permissions, switching: false, panel: 'sell', editing: null, ready: get().ready && Boolean(switchFrom) });
        await afterSignIn();
        return true;
      },

      startSwitch(on) {
        set({ switching: on, message: null, editing: null });
      },

      async signOut() {
        await client.send('auth.signOut', {});
        signedOut();
      },

      async openShift(openingFloat) {
        const opened = await run((o) => client.send('shifts.open', { idempotencyKey: key('shift'), openingFloat }, { override: o }));
        if (!opened) return;
        set({ shift: await run((o) => client.send('shifts.current', {}, { override: o })) });
      },

      scan(code) {
        const trimmed = code.trim();
        if (!trimmed) return Promise.resolve();
        const prefixed = QUANTITY_PREFIX.exec(trimmed);
        if (prefixed && !prefixed[2]) return Promise.resolve(set({ message: i18n.t('sell.prefixAlone', { count: prefixed[1]! }) }));
        set({ scanRefused: null });
        // A scanner is faster than the answers: each scan waits for the one before it, none is
        // dropped, and only the first of a new sale opens it.
        scans = scans.then(() => (prefixed ? ringUp(prefixed[2]!.trim(), prefixed[1]) : ringUp(trimmed, undefined)));
        return scans;
      },

      async ringUpScan(code, from) {
        if (from === 'receipt') get().nextSale();
        if (from === 'pay') get().stopPaying();
        if (from === 'sale' && get().panel === 'search') get().show('sell');
        await get().scan(code);
      },

      refuseScan(code, why) {
        if (code === null || !why) return set({ scanRefused: null });
        set({ scanRefused: { code, why } });
        refusalTone();
      },

      async setQuantity(lineId, quantity) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run((o) => client.send('sales.setQuantity', { saleId: sale.id, lineId, quantity }, { override: o }));
        if (next) {
          cartChanged(next);
          set({ editing: null });
        }
      },

      async removeLine(lineId) {
        const sale = get().sale;
        if (!sale) return;
        const next = await run((o) => client.send('sales.removeLine', { saleId: sale.id, lineId }, { override: o }));
        if (next) cartChanged(next, lineId);
      },

      startPaying() {
        if (get().sale?.lines.length) set({ paying: true, message: null, tenderMessage: null, editing: null });
      },
      stopPaying() {
        // Tenders already taken stay with the sale: a card already charged is not forgotten.
        set({ paying: false, message: null, tenderMessage: null });
      },

      async addTender(tender, formKey) {
        const { sale, busy, tenders } = get();
        // A second click while the first is on its way, or on a form already taken, does nothing;
        // the engine would also answer the same sale again rather than sell it twice.
        if (!sale || busy || takenForms.has(formKey)) return;
        const problem = tenderProblem(sale.totals.total, tenders, tender);
        if (problem) return set({ tenderMessage: tenderWords(problem, splitState(sale.totals.total, tenders).remaining) });
        takenForms.add(formKey);
        set({ tenders: takeTender(tenders, tender), tenderMessage: null, message: null });
        await get().finishPayment();
      },

      async finishPayment() {
        const { sale, tenders, busy } = get();
        if (!sale || busy || !splitState(sale.totals.total, tenders).covered) return;
        await paid(await run((o) => client.send('sales.complete', { saleId: sale.id, tenders: tendersForEngine(tenders) }, { override: o })));
      },

      removeTender(index) {
        if (get().busy) return;
        set({ tenders: get().tenders.filter((_, i) => i !== index), tenderMessage: null });
      },

      selectLine(lineId) {
        set({ selectedLine: lineId });
      },

      editLine(edit) {
        set({ editing: edit, message: null, weighing: null });
      },

      async overridePrice(lineId, unitPrice, reason) {
        const sale = get().sale;
        if (!sale || get().busy) return;
        const next = await run((o) => client.send('sales.overridePrice', { saleId: sale.id, lineId, unitPrice, reason }, { override: o }));
        if (next) set({ sale: next, selectedLine: lineId, editing: null });
      },

      async addWeighed(variantId, quantity) {
        if (get().busy) return;
        let sale = get().sale;
        if (!sale) {
          sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
          if (!sale) return;
          set({ sale });
        }
        const next = await run((o) => client.send('sales.addItem', { saleId: sale.id, variantId, quantity }, { override: o }));
        if (next) {
          cartChanged(next);
          set({ editing: null });
        }
      },

      async loadCategories() {
        const categories = await run((o) => client.send('sales.categories', {}, { override: o }));
        if (categories) set({ categories });
      },

      async browse(categoryId, page, pageSize) {
        const size = pageSize ?? get().browsing?.pageSize ?? BROWSE_PAGE;
        const browsing = await run((o) => client.send('sales.browse', { categoryId, page, pageSize: size }, { override: o }));
        if (browsing) set({ browsing });
      },

      closeCategory() {
        set({ browsing: null });
      },

      async discover() {
        const discovered = await run((o) => client.send('devices.discover', {}, { override: o }));
        if (discovered) set({ discovered });
      },

      nextSale() {
        set({ receipt: null, printed: [], message: null, panel: 'sell' });
      },

      dismiss() {
        set({ message: null });
      },

      show(panel) {
        if (get().sale?.lines.length && panel === 'close') return;
        set({ panel, message: null, notice: null, returnable: null, returned: null, hits: [], weighing: null, browsing: null, editing: null });
        if (panel === 'devices') void get().loadDevices();
        if (panel === 'browse') void get().loadCategories();
        // The close warns about sales still on hold, so it reads them too.
        if (panel === 'parked' || panel === 'close') {
          void run((o) => client.send('sales.parked', {}, { override: o })).then((parked) => set({ parked: parked ?? [] }));
        }
      },

      startDiscount(target) {
        set({ discounting: target, message: null });
      },

      async applyDiscount(discount) {
        const { sale, discounting } = get();
        if (!sale || !discounting) return;
        const next = discounting.kind === 'line'
          ? await run((o) => client.send('sales.setLineDiscount', { saleId: sale.id, lineId: discounting.lineId, discount }, { override: o }))
          : await run((o) => client.send('sales.setSaleDiscount', { saleId: sale.id, discount }, { override: o }));
        if (next) set({ sale: next, discounting: null });
      },

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
        printerUri = config.printer?.uri ?? null;
      },

      async testPrint(uri) {
        const sent = await run((o) => client.send('devices.printTest', { printerUri: uri }, { override: o }));
        if (sent) set({ notice: i18n.t('devices.tested') });
      },

      async weigh() {
        set({ weighing: await run((o) => client.send('scale.read', {}, { override: o })) });
      },

      async search(text) {
        if (text.trim() === '') return set({ hits: [] });
        const hits = await run((o) => client.send('sales.search', { text, limit: 20 }, { override: o }));
        set({ hits: hits ?? [] });
      },

      async addVariant(variantId) {
        // A weighed product chosen from the search asks for its weight, as from the grid.
        const hit = get().hits.find((h) => h.variantId === variantId);
        if (hit?.soldBy === 'WEIGHT') return set({ panel: 'sell', hits: [], editing: { kind: 'weigh', item: { ...hit, brand: null } }, message: null });
        let sale = get().sale;
        if (!sale) {
          sale = await run((o) => client.send('sales.open', { idempotencyKey: key('sale') }, { override: o }));
          if (!sale) return;
        }
        const next = await run((o) => client.send('sales.addItem', { saleId: sale.id, variantId }, { override: o }));
        if (next) {
          cartChanged(next);
          // From the grid the cashier stays on the category for the next item; from a search, back to the cart.
          set(get().panel === 'browse' ? {} : { panel: 'sell', hits: [] });
        }
      },

      async park() {
        const sale = get().sale;
        if (!sale?.lines.length || get().busy) return;
        // A sale partly paid (a card already charged) is finished, not set aside.
        if (get().tenders.length > 0) return set({ message: i18n.t('pay.problem.PARKED_PAID') });
        const parked = await run((o) => client.send('sales.park', { saleId: sale.id }, { override: o }));
        if (parked) set({ sale: null, notice: i18n.t('parked.done', { amount: i18n.money(parked.totals.total) }) });
      },

      async recall(saleId) {
        if (get().sale?.lines.length) {
          await get().park();
          if (get().sale) return;
        }
        const sale = await run((o) => client.send('sales.recall', { saleId }, { override: o }));
        if (sale) set({ sale, panel: 'sell', notice: null });
      },

      async cancelParked(saleId, reason) {
        if (get().busy) return false;
        if (get().sale?.lines.length) {
          await get().park();
          if (get().sale) return false;
        }
        // Taken up first, so the cancellation counts in the Z of the shift where it is done, not
        // in the closed shift that parked it.
        const sale = await run((o) => client.send('sales.recall', { saleId }, { override: o }));
        if (!sale) return false;
        const voided = await run((o) => client.send('sales.void', { saleId, reason }, { override: o }));
        // Not cancelled (no manager): the sale stays taken up, on screen, with the reason why.
        if (!voided) {
          set({ sale, panel: 'sell' });
          return false;
        }
        set({ notice: i18n.t('parked.cancelled', { amount: i18n.money(sale.totals.total) }) });
        const parked = await run((o) => client.send('sales.parked', {}, { override: o }));
        set({ parked: parked ?? [] });
        return true;
      },

      async lookUpReturn(code) {
        const returnable = await run((o) => client.send('returns.lookup', { code: code.trim() }, { override: o }));
        set({ returnable, returned: null });
      },

      async createReturn(lines, refundMethodId, reason, reference) {
        const returnable = get().returnable;
        if (!returnable || get().busy) return;
        const idempotencyKey = key('return');
        const input = { saleId: returnable.saleId, lines, refundMethodId, reason, idempotencyKey, ...(reference ? { reference } : {}) };
        const returned = await run((o) => client.send('returns.create', input, { override: o }));
        if (returned) set({ returned, returnable: null });
      },

      async moveCash(kind, amount, reason) {
        const idempotencyKey = key('cash');
        return (await run((o) => client.send('shifts.cashMovement', { kind, amount, reason, idempotencyKey }, { override: o }))) !== null;
      },

      async printXReport() {
        return run((o) => client.send('shifts.printXReport', {}, { override: o }));
      },

      async closeShift(count) {
        if (get().busy) return;
        const idempotencyKey = key('close');
        const closed = await run((o) => client.send('shifts.close', { idempotencyKey, count }, { override: o }));
        if (closed) set({ closed });
      },

      async finishDay() {
        set({ closed: null, panel: 'sell' });
        await get().signOut();
      },

      send(call, input) {
        return run((o) => client.send(call, input, { override: o }));
      },
    };
  });
}

export type RegisterStore = ReturnType<typeof createRegister>;
