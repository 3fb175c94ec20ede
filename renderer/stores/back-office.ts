// The back office as the screens see it: the catalog a page at a time, the product being edited,
// stock levels with receipts and counts, employees and roles, what central could not send, and
// the register's invoices with the factura global, their cancellation and their substitution
// (motive 01), the settings the business's receipts follow, the register's card terminal (its
// provider's token installed here, the account's terminals listed, one paired), and the catalog
// conflicts central recorded (an edit refused because another register's got there first), one
// side kept.
// Every change goes through the contract client with the version the manager was looking at; an
// error is kept in the manager's words and shown in place; stock changes carry an idempotency key
// kept until they succeed, so a double click or a retry after a timeout moves the stock once. A
// change the engine refuses for want of a step-up (STEP_UP_REQUIRED: the password and
// authenticator code, asked again after a while) opens the step-up dialog and is sent again once
// the person has confirmed.
import { create } from 'zustand';
import type { CallName } from '#contract/calls.ts';
import type { CallArgs, CallOutput } from '#contract/calls.ts';
import type { ClientError, ContractClient, Result } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { calendarDay, yesterdayIn } from '../i18n/calendar-days.ts';
import { base64Bytes, saveFile } from '../components/save-file.ts';
import { parseSelfInvoicingBase } from '#contract/self-invoicing.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import {
  baseUrlOf,
  type TokenField,
  type TokenForm,
  tokenFormProblems,
  withCardTerminal,
} from '../screens/back-office/card-terminal-form.ts';
import {
  type CustomerForm,
  type FiscalOptions,
  formOfReceiver,
  type Refusals,
  receiverOfForm,
  refusalsOf,
} from '../screens/invoice-form.ts';

export type ProductRow = CallOutput<'catalog.products'>['items'][number];
export type Product = CallOutput<'catalog.product'>;
export type Variant = Product['variants'][number];
export type Category = CallOutput<'catalog.categories'>[number];
export type Level = CallOutput<'inventory.levels'>['items'][number];
export type Movement = CallOutput<'inventory.movements'>[number];
/** A row of staff.list (the engine answers it straight from SQL, so its shape is written here). */
export type Employee = {
  id: string;
  code: string;
  displayName: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
  roleId: string;
  role: string;
  email: string | null;
  phone: string | null;
  kycLevel: number;
  branchIds: string[];
  pinLocked: boolean;
  hasPin: boolean;
};
export type Role = CallOutput<'roles.list'>[number];
export type Branch = CallOutput<'inventory.branches'>[number];
export type Outgoing = CallOutput<'notifications.outgoing'>[number];
export type InvoiceRow = CallOutput<'invoices.list'>['items'][number];
export type GlobalInvoice = CallOutput<'invoices.issueGlobal'>;
export type CancelMotive = CallArgs<'invoices.cancel'>['motive'];
export type InvoiceCancellation = CallOutput<'invoices.cancel'>;

/**
 * The motives the SAT takes for this invoice: 02 and 03 for any, 04 (a sale of it invoiced on its
 * own) only for a factura global.
 */
export const cancelMotivesFor = (kind: InvoiceRow['kind']): CancelMotive[] => (kind === 'GLOBAL' ? ['02', '03', '04'] : ['02', '03']);

/** A stamped invoice with no request waiting for the authority (a refused one may be asked again). */
export const mayCancel = (row: InvoiceRow) =>
  row.status === 'ISSUED' && (row.cancellation === null || row.cancellation.state === 'REJECTED');
/**
 * One that may also be replaced by a corrected one (motive 01): an invoice to a customer, not a
 * factura global (whose sales are invoiced on their own and the global cancelled with 04) nor a
 * credit note. What the list cannot tell (credit notes relating to it, another register's) the
 * engine refuses, in words.
 */
export const maySubstitute = (row: InvoiceRow) => row.kind === 'INVOICE' && mayCancel(row);
/** A credit note the SAT refused on its own, its return accounted for by nothing while its sale stays invoiced. */
export const mayCreditAgain = (row: InvoiceRow) => row.kind === 'CREDIT_NOTE' && row.creditNote?.creditable === true;
/** A stamped invoice has a PDF to give, a cancelled one's marked CANCELADO on every page. */
export const hasPdf = (row: InvoiceRow) => row.status === 'ISSUED' || row.status === 'CANCELLED';
/** Its stamped XML only while it stands: the XML of a cancelled CFDI cannot say so. */
export const hasXml = (row: InvoiceRow) => row.status === 'ISSUED';
export type InvoicePaper = NonNullable<CallArgs<'invoices.pdf'>['paper']>;
export type ReceiptSettings = CallOutput<'settings.receipts'>;
export type CardTerminalStatus = CallOutput<'payments.providerStatus'>;
export type ProviderTerminal = CallOutput<'payments.providerTerminals'>['terminals'][number];
export type ConflictsAnswer = CallOutput<'sync.conflicts'>;
export type Conflict = Extract<ConflictsAnswer, { central: 'answered' }>['conflicts'][number];
export type KeepSide = CallArgs<'sync.resolveConflict'>['keep'];

/** The list narrowed to one state, or '' for all of them. */
export type InvoiceFilter = NonNullable<CallArgs<'invoices.list'>['status']> | '';

export type Tab = 'products' | 'stock' | 'staff' | 'roles' | 'outgoing' | 'invoices' | 'settings' | 'cardTerminal' | 'conflicts';

/** Which tabs an employee sees: each needs the permission its changes need. */
export const TABS: {
  tab: Tab;
  key: string;
  label:
    | 'bo.tab.products'
    | 'bo.tab.stock'
    | 'bo.tab.staff'
    | 'bo.tab.roles'
    | 'bo.tab.outgoing'
    | 'bo.tab.invoices'
    | 'bo.tab.settings'
    | 'bo.tab.cardTerminal'
    | 'bo.tab.conflicts';
  permissions: string[];
}[] = [
  { tab: 'products', key: '1', label: 'bo.tab.products', permissions: ['catalog.manage'] },
  { tab: 'stock', key: '2', label: 'bo.tab.stock', permissions: ['inventory.receive', 'inventory.adjust'] },
  { tab: 'staff', key: '3', label: 'bo.tab.staff', permissions: ['staff.manage'] },
  { tab: 'roles', key: '4', label: 'bo.tab.roles', permissions: ['roles.manage'] },
  { tab: 'outgoing', key: '5', label: 'bo.tab.outgoing', permissions: ['sync.manage'] },
  { tab: 'invoices', key: '6', label: 'bo.tab.invoices', permissions: ['invoices.manage'] },
  { tab: 'settings', key: '7', label: 'bo.tab.settings', permissions: ['settings.manage'] },
  // The token charges and refunds cards in the owner's name: installing it is a setting of the business's.
  { tab: 'cardTerminal', key: '8', label: 'bo.tab.cardTerminal', permissions: ['settings.manage'] },
  // Seen by whoever watches sync; keeping a side is a catalog edit (catalog.manage, step-up).
  { tab: 'conflicts', key: '9', label: 'bo.tab.conflicts', permissions: ['sync.manage'] },
];

export const tabsFor = (permissions: readonly string[]) => TABS.filter((t) => t.permissions.some((p) => permissions.includes(p)));

/** Owners and managers: whoever may use at least one tab. */
export const mayOpenBackOffice = (permissions: readonly string[]) => tabsFor(permissions).length > 0;

/** A recovery code as printed (abcde-23456), or null for an authenticator code (6 digits). */
const RECOVERY_CODE = /^[a-z2-9]{5}-[a-z2-9]{5}$/;
/** Whether what was typed in the code field can be sent: 6 digits, or a recovery code. */
export const stepUpCodeReady = (code: string) => /^\d{6}$/.test(code.trim()) || RECOVERY_CODE.test(code.trim().toLowerCase());

export type ProductForm = {
  name: string;
  brand: string;
  categoryId: string;
  taxCode: Product['taxCode'];
  soldBy: 'UNIT' | 'WEIGHT';
  unit: string;
  isActive: boolean;
  /** A new product's first variant. */
  sku: string;
  variantName: string;
  price: string;
  cost: string;
  barcode: string;
};

export type EmployeeForm = {
  id?: string;
  code: string;
  displayName: string;
  roleId: string;
  branchIds: string[];
  email: string;
  phone: string;
  status: Employee['status'];
};
export type RoleForm = { id?: string; name: string; description: string; maxDiscountRate: string; permissions: string[] };

type Paging = { query: string; cursors: (string | undefined)[]; next: string | null };

export type Substituting = {
  invoice: InvoiceRow;
  /** The receiver as the invoice has it, then as corrected. */
  form: CustomerForm;
  /** The régimenes and usos the SAT's catalogs allow, by person type; null until they come. */
  options: FiscalOptions | null;
  /** The engine's refusals of fields of the form, each said beside its field. */
  refusals: Refusals | null;
  /** How many answers were refusals: each new one takes the keyboard to the first field it names. */
  refused: number;
  /** A refusal no field owns (the invoice's state, a request already waiting), in the manager's words. */
  problem: string | null;
};

export type BackOfficeState = {
  tab: Tab;
  /** What the signed-in employee may do: which tabs show, which lists can be asked for. */
  permissions: string[];
  busy: boolean;
  /** The last error, in the manager's words, shown where it happened. */
  message: string | null;
  /** A short confirmation (saved, received). */
  notice: string | null;
  categories: Category[];
  products: ProductRow[];
  productPaging: Paging;
  /** The product in the editor: 'new' for one being created. */
  product: Product | 'new' | null;
  levels: Level[];
  levelPaging: Paging;
  level: Level | null;
  movements: Movement[];
  staff: Employee[];
  roles: Role[];
  branches: Branch[];
  employee: Employee | 'new' | null;
  role: Role | 'new' | null;
  /** What central could not send, as of the last pull; null until the first answer. */
  outgoing: Outgoing[] | null;
  /** Only the ones that did not go out (FAILED). */
  outgoingFailedOnly: boolean;
  /** When this register last pulled from central (what the list is as of); null if never. */
  outgoingAsOf: string | null;
  /** False on a register without central: there is nothing central could have failed to send. */
  outgoingCentral: boolean;
  /** A page of the register's invoices, newest first; null until the first answer. */
  invoices: InvoiceRow[] | null;
  /** Its pages; `query` is the state the list is narrowed to ('' for all). */
  invoicePaging: Paging;
  /** The day whose period the factura global is asked for (YYYY-MM-DD): yesterday at the branch until changed. */
  globalDay: string;
  /** The factura global just issued, as the engine answered it. */
  globalIssued: GlobalInvoice | null;
  /** Why the engine would not issue it, in the manager's words, said beside the button. */
  globalProblem: string | null;
  /** The invoice whose cancellation is being asked for (the dialog is open), and why the engine refused, if it did. */
  cancelling: { invoice: InvoiceRow; problem: string | null } | null;
  /** The invoice being replaced by a corrected one (the dialog is open): its receiver's form, as corrected so far. */
  substituting: Substituting | null;
  /** The paper an invoice's PDF is laid out on: letter, Mexico's, unless A4 is chosen. */
  invoicePaper: InvoicePaper;
  /** The receipts' settings as the engine has them; null until the first answer. */
  receiptSettings: ReceiptSettings | null;
  /** Why the typed self-invoicing address was not taken, in the manager's words, said beside its field. */
  selfInvoicingProblem: string | null;
  /** What this register has installed for each provider and the terminal it is paired with; null until the first answer. */
  cardTerminalStatus: CardTerminalStatus | null;
  /** The account's terminals as last listed, and where they were asked (the base URL typed, or the provider's own). */
  providerTerminals: { provider: CardProvider; baseUrl: string | undefined; terminals: ProviderTerminal[] } | null;
  /** The token form's fields that cannot be sent as typed. */
  tokenProblems: TokenField[];
  /** Why the token was not installed or the terminals not listed or paired, in the owner's words, said in the tab. */
  cardTerminalProblem: string | null;
  /** The catalog conflicts central recorded, or why it could not be asked; null until the first answer. */
  conflicts: ConflictsAnswer | null;
  /** Why a side could not be kept, in the manager's words, said above the list. */
  conflictProblem: string | null;
  /**
   * The password and code being asked for (null: not asking). 'enter': on the way in, where
   * cancelling leaves the back office; 'change': a change waits for it, and cancelling drops the change.
   */
  stepUp: { reason: 'enter' | 'change'; message: string | null; busy: boolean; retype?: 'password' | 'code' } | null;
  /** Until when changes go through without asking again (the engine's answer), or null. */
  stepUpUntil: string | null;
  /**
   * This register holds no back-office password for the person (central sends none to a register
   * that syncs): the back office stays open to look and to do what needs no step-up.
   */
  lookOnly: boolean;
};

export type BackOfficeActions = {
  /** Opens the back office for this employee on the first tab they may use. */
  enter(permissions: string[]): void;
  show(tab: Tab): void;
  dismiss(): void;
  searchProducts(query: string): Promise<void>;
  pageProducts(direction: 1 | -1): Promise<void>;
  openProduct(productId: string | 'new' | null): Promise<void>;
  saveProduct(form: ProductForm): Promise<boolean>;
  addVariant(form: { name: string; sku: string; price: string; barcode: string }): Promise<boolean>;
  setPrice(variant: Variant, price: string): Promise<boolean>;
  addBarcode(variant: Variant, barcode: string): Promise<boolean>;
  removeBarcode(variant: Variant): Promise<boolean>;
  searchStock(query: string): Promise<void>;
  pageStock(direction: 1 | -1): Promise<void>;
  openLevel(level: Level | null): Promise<void>;
  receive(quantity: string, unitCost: string, supplierReference: string): Promise<boolean>;
  adjust(change: { counted: string } | { delta: string }, reason: string): Promise<boolean>;
  loadStaff(): Promise<void>;
  openEmployee(employee: Employee | 'new' | null): void;
  saveEmployee(form: EmployeeForm): Promise<boolean>;
  setPin(employeeId: string, pin: string): Promise<boolean>;
  openRole(role: Role | 'new' | null): void;
  saveRole(form: RoleForm): Promise<boolean>;
  /** Asks central for news (a pull) and reads this register's copy again. */
  refreshOutgoing(): Promise<void>;
  setOutgoingFailedOnly(failedOnly: boolean): Promise<void>;
  /** Asks central to send a failed one again; true once the request is journalled. */
  retryOutgoing(row: Outgoing): Promise<boolean>;
  /** Asks central to e-mail the signed-in person the link that subscribes their phone to alerts; true once journalled. */
  requestPhoneLink(): Promise<boolean>;
  /** While the list is open: read it again after each pull from central. Returns the way to stop. */
  followPulls(): () => void;
  filterInvoices(status: InvoiceFilter): Promise<void>;
  pageInvoices(direction: 1 | -1): Promise<void>;
  setGlobalDay(day: string): void;
  /** Asks for the factura global of the period holding globalDay; true once the engine wrote it. */
  issueGlobal(): Promise<boolean>;
  /** Opens the cancellation dialog for a stamped invoice (null closes it). */
  openCancel(invoice: InvoiceRow | null): void;
  /** Asks the authority, through the engine, to cancel the invoice in the dialog; true once the request is written. */
  cancelInvoice(motive: CancelMotive, reason: string): Promise<boolean>;
  /** Opens the substitution dialog for a stamped invoice, its receiver's form filled with it (null closes it). */
  openSubstitute(invoice: InvoiceRow | null): Promise<void>;
  /** Corrects fields of the receiver; the words beside a field changed go. */
  editSubstitute(change: Partial<CustomerForm>): void;
  /**
   * Replaces the invoice in the dialog by one to the receiver as corrected (motive 01), the reason
   * kept with the cancellation asked for; true once the engine wrote both.
   */
  substituteInvoice(reason: string): Promise<boolean>;
  /** Has another credit note written for the return of a credit note the SAT refused on its own. */
  creditReturnAgain(row: InvoiceRow): Promise<boolean>;
  setInvoicePaper(paper: InvoicePaper): void;
  /**
   * Sets the business's self-invoicing page to what was typed, or takes it away when nothing was;
   * an address the receipts cannot use is refused here first, in the same words as the engine's.
   */
  saveSelfInvoicing(typed: string): Promise<boolean>;
  /** Installs the typed token on this register (the engine tries it first) and lists the account's terminals; true once installed. */
  saveProviderToken(form: TokenForm): Promise<boolean>;
  /** Lists the account's terminals with the token installed here, at the typed base URL (the provider's own when empty). */
  findTerminals(provider: CardProvider, baseUrl: string): Promise<boolean>;
  /** Pairs this register with one of the terminals listed (devices.configure, the other devices kept); true once saved. */
  pairTerminal(terminalId: string): Promise<boolean>;
  /** Asks central for the business's open catalog conflicts again. */
  refreshConflicts(): Promise<void>;
  /** Keeps one side of a conflict (OURS: the refused edit, saved again here); true once central wrote the choice. */
  keepConflict(conflict: Conflict, keep: KeepSide): Promise<boolean>;
  /** Saves a stamped invoice's PDF (on invoicePaper) or XML through the browser's download; true once handed to it. */
  downloadInvoice(invoice: InvoiceRow, file: 'pdf' | 'xml'): Promise<boolean>;
  /** Sends the password and the code (or a recovery code); true once the engine took them. */
  confirmStepUp(password: string, code: string): Promise<boolean>;
  cancelStepUp(): void;
  /** Leaving the back office: the step-up ends with the visit, so the next person at the register is asked again. */
  leave(): void;
};

export type BackOffice = BackOfficeState & BackOfficeActions;

/** What a conflict is about, as a manager names it: the product, or the variant's SKU and its product. */
export const conflictSubject = (c: Conflict) =>
  c.kind === 'product' ? (c.productName ?? c.rowId) : `${c.sku ?? c.rowId}${c.productName ? ` (${c.productName})` : ''}`;

const PAGE = 25;
/** The providers by the names their owners know them by. */
export const PROVIDER_NAMES: Record<CardProvider, string> = { mercadopago: 'Mercado Pago', clip: 'Clip' };
/** The back office's list of what central could not send: the newest, enough to act on. */
const OUTGOING_LIMIT = 100;
const freshKey = (what: string) => `bo-${what}:${crypto.randomUUID()}`;
const blankPaging = (): Paging => ({ query: '', cursors: [undefined], next: null });

/**
 * `place.timezone`: the branch's (terminal.info), whose calendar the factura global's days are on;
 * `now`: the screen's clock.
 */
export function createBackOffice(client: ContractClient, i18n: I18n, place: { timezone: string; now?: () => Date }) {
  const now = place.now ?? (() => new Date());
  return create<BackOffice>()((set, get) => {
    /** `refused`: where a refusal is said instead of the message above the tab. */
    async function run<K extends CallName>(
      call: K,
      input: CallArgs<K>,
      refused?: (error: ClientError) => void,
    ): Promise<CallOutput<K> | null> {
      for (;;) {
        set({ busy: true, notice: null });
        const result = (await client.send(call, input)) as Result<CallOutput<K>>;
        set({ busy: false });
        if (result.ok) {
          set({ message: null });
          return result.value;
        }
        if (result.error.code === 'STEP_UP_REQUIRED') {
          if (await askStepUp('change', i18n.error(result.error))) continue;
          set({ message: i18n.t('bo.stepUp.cancelled') });
          return null;
        }
        if (refused) refused(result.error);
        else set({ message: i18n.error(result.error) });
        return null;
      }
    }

    /** Calls waiting for the step-up dialog: true once confirmed, false when cancelled. */
    let waiting: ((confirmed: boolean) => void)[] = [];
    function askStepUp(reason: 'enter' | 'change', message: string | null): Promise<boolean> {
      return new Promise((resolve) => {
        waiting.push(resolve);
        const open = get().stepUp;
        // Calls made together (staff and roles) wait on one dialog; a change outranks the way in.
        set({ stepUp: { reason: open?.reason === 'change' ? 'change' : reason, message: open?.message ?? message, busy: false } });
      });
    }
    function answerStepUp(confirmed: boolean) {
      const answered = waiting;
      waiting = [];
      answered.forEach((resolve) => resolve(confirmed));
    }

    /** The step-up's refusal in the person's words: a wrong password is not a wrong PIN. */
    function stepUpProblem(error: ClientError): string {
      const lockedUntil = error.params?.lockedUntil;
      if (error.code === 'LOCKED' && typeof lockedUntil === 'string' && error.params?.scope !== 'register') {
        return i18n.t('bo.stepUp.locked', { until: i18n.dateTime(lockedUntil) });
      }
      if (error.code === 'FORBIDDEN' && error.params?.reason === 'no_password') return i18n.t('bo.stepUp.noPassword');
      const own: Partial<Record<ClientError['code'], MessageKey>> = {
        BAD_CREDENTIALS: 'bo.stepUp.wrongPassword',
        MFA_INVALID: 'bo.stepUp.wrongCode',
        MFA_REQUIRED: 'bo.stepUp.codeNeeded',
        MFA_ENROLLMENT_REQUIRED: 'bo.stepUp.noAuthenticator',
      };
      const key = own[error.code];
      return key ? i18n.t(key) : i18n.error(error);
    }

    // One key per stock change the person means, kept until it goes through.
    let stockKey = freshKey('stock');
    // One key per factura global asked for: kept only for a retry of the same day after no
    // answer came (the engine may have written it), so that retry answers the same global.
    let globalKey = { day: '', key: freshKey('global') };

    /** The engine's refusal of the global, its days written as the manager reads them. */
    function globalRefusal(error: ClientError): string {
      const params = { ...error.params };
      for (const edge of ['from', 'to'] as const) {
        const day = params[edge];
        if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) params[edge] = calendarDay(i18n, day);
      }
      return i18n.error({ ...error, params });
    }

    // One key per cancellation asked for: kept only to retry the same invoice and motive after no
    // answer came (the engine may have written it), so that the retry answers the same request.
    let cancelKey = { invoiceId: '', motive: '', key: freshKey('cancel') };

    // One key per substitution meant: kept only to retry the same invoice, receiver and reason
    // after no answer came, so that the retry answers the substitute the engine may have written.
    let substituteKey = { meant: '', key: freshKey('substitute') };
    // One key per return asked about, kept until the engine answers: a retry after no answer is the same request.
    let creditKey = { returnId: '', key: freshKey('credit') };
    // One key per side kept of a conflict, kept until the engine answers: a retry after no answer is the same choice.
    let conflictKey = { meant: '', key: freshKey('conflict') };

    // Loads answered out of order (a refresh racing a choice's reload) keep only the last one asked for.
    let conflictsAsked = 0;
    async function loadConflicts() {
      const asked = ++conflictsAsked;
      const answer = await run('sync.conflicts', {});
      if (answer && asked === conflictsAsked) set({ conflicts: answer });
    }

    /** The engine's refusal of a substitution: its own words where they are not a cancellation's. */
    function substituteRefusal(error: ClientError): string {
      if (error.params?.reason === 'NOT_STAMPED') return i18n.t('bo.invoices.substitute.notStamped');
      return cancelRefusal(error);
    }

    /** The substitution dialog as it is now, if it is still the one for `invoiceId`. */
    const substitutingFor = (invoiceId: string) => {
      const open = get().substituting;
      return open && open.invoice.id === invoiceId ? open : null;
    };
    const updateSubstituting = (invoiceId: string, change: Partial<Substituting>) => {
      const open = substitutingFor(invoiceId);
      if (open) set({ substituting: { ...open, ...change } });
    };

    /** The engine's refusal of a cancellation, the state of the one still waiting said in words. */
    function cancelRefusal(error: ClientError): string {
      const state = error.params?.state;
      const states: Record<string, MessageKey> = {
        REQUESTED: 'bo.invoices.cancel.waiting.REQUESTED',
        IN_PROCESS: 'bo.invoices.cancel.waiting.IN_PROCESS',
      };
      const params = typeof state === 'string' && states[state] ? { ...error.params, state: i18n.t(states[state]) } : error.params;
      return i18n.error({ ...error, params });
    }

    // ↓ ↓ ↓ through the filter asks several times at once: only the last one asked for is shown.
    let invoicesAsked = 0;
    async function loadInvoices(paging: Paging) {
      const asked = ++invoicesAsked;
      const cursor = paging.cursors[paging.cursors.length - 1];
      const page = await run('invoices.list', {
        ...(paging.query ? { status: paging.query as Exclude<InvoiceFilter, ''> } : {}),
        ...(cursor ? { after: cursor } : {}),
        limit: PAGE,
      });
      if (page && asked === invoicesAsked) set({ invoices: page.items, invoicePaging: { ...paging, next: page.next } });
    }

    async function loadProducts(paging: Paging) {
      const cursor = paging.cursors[paging.cursors.length - 1];
      const page = await run('catalog.products', {
        ...(paging.query ? { text: paging.query } : {}),
        ...(cursor ? { after: cursor } : {}),
        limit: PAGE,
      });
      if (page) set({ products: page.items, productPaging: { ...paging, next: page.next } });
    }

    async function loadLevels(paging: Paging) {
      const cursor = paging.cursors[paging.cursors.length - 1];
      const page = await run('inventory.levels', {
        ...(paging.query ? { text: paging.query } : {}),
        ...(cursor ? { after: cursor } : {}),
        limit: PAGE,
      });
      if (page) set({ levels: page.items, levelPaging: { ...paging, next: page.next } });
    }

    async function reloadProduct(productId: string) {
      const product = await run('catalog.product', { productId });
      if (product) set({ product });
    }

    // Loads answered out of order (a pull's reload racing the filter) keep only the last one asked for.
    let outgoingAsked = 0;
    /** Reads the list again without touching busy, notice or message: a pull's reload is not the person's action. */
    async function loadOutgoing(): Promise<boolean> {
      const asked = ++outgoingAsked;
      const [list, status] = await Promise.all([
        client.send('notifications.outgoing', { failedOnly: get().outgoingFailedOnly, limit: OUTGOING_LIMIT }),
        client.send('sync.status', {}),
      ]);
      if (asked !== outgoingAsked) return list.ok;
      if (status.ok) {
        set({
          outgoingCentral: status.value.configured,
          outgoingAsOf: status.value.configured ? status.value.lastPullAt : null,
        });
      }
      if (!list.ok) {
        set({ message: i18n.error(list.error) });
        return false;
      }
      set({ outgoing: list.value });
      return true;
    }

    const turn = (paging: Paging, direction: 1 | -1): Paging | null => {
      if (direction === 1) return paging.next ? { ...paging, cursors: [...paging.cursors, paging.next] } : null;
      return paging.cursors.length > 1 ? { ...paging, cursors: paging.cursors.slice(0, -1) } : null;
    };

    return {
      tab: 'products',
      permissions: [],
      busy: false,
      message: null,
      notice: null,
      categories: [],
      products: [],
      productPaging: blankPaging(),
      product: null,
      levels: [],
      levelPaging: blankPaging(),
      level: null,
      movements: [],
      staff: [],
      roles: [],
      branches: [],
      employee: null,
      role: null,
      outgoing: null,
      outgoingFailedOnly: false,
      outgoingAsOf: null,
      outgoingCentral: true,
      invoices: null,
      invoicePaging: blankPaging(),
      globalDay: '',
      globalIssued: null,
      globalProblem: null,
      cancelling: null,
      substituting: null,
      invoicePaper: 'LETTER',
      receiptSettings: null,
      selfInvoicingProblem: null,
      cardTerminalStatus: null,
      providerTerminals: null,
      tokenProblems: [],
      cardTerminalProblem: null,
      conflicts: null,
      conflictProblem: null,
      stepUp: null,
      stepUpUntil: null,
      lookOnly: false,

      enter(permissions) {
        set({
          permissions,
          productPaging: blankPaging(),
          levelPaging: blankPaging(),
          staff: [],
          roles: [],
          products: [],
          levels: [],
          outgoing: null,
          outgoingFailedOnly: false,
          invoices: null,
          invoicePaging: blankPaging(),
          globalDay: yesterdayIn(place.timezone, now()),
          globalIssued: null,
          globalProblem: null,
          cancelling: null,
          substituting: null,
          receiptSettings: null,
          selfInvoicingProblem: null,
          cardTerminalStatus: null,
          providerTerminals: null,
          tokenProblems: [],
          cardTerminalProblem: null,
          conflicts: null,
          conflictProblem: null,
        });
        const first = tabsFor(permissions)[0];
        if (first) get().show(first.tab);
        // The way in asks at once, unless this session's step-up still holds; the lists load behind the dialog.
        void client.send('auth.whoAmI', {}).then((me) => {
          if (!me.ok) return;
          set({ stepUpUntil: me.value.stepUpUntil });
          if (me.value.stepUpUntil === null && !get().stepUp) void askStepUp('enter', null);
        });
      },

      async confirmStepUp(password, code) {
        const asking = get().stepUp;
        if (!asking || asking.busy) return false;
        const typed = code.trim().toLowerCase();
        set({ stepUp: { ...asking, busy: true } });
        const result = await client.send('auth.stepUp', {
          password,
          ...(RECOVERY_CODE.test(typed) ? { recoveryCode: typed } : { totp: typed }),
        });
        if (!result.ok) {
          // Nobody can step up here: on the way in that is not a reason to leave (README: a syncing
          // register's back office looks but does not change); a change still asks, and says why not.
          if (asking.reason === 'enter' && result.error.code === 'FORBIDDEN' && result.error.params?.reason === 'no_password') {
            set({ stepUp: null, lookOnly: true });
            answerStepUp(false);
            return false;
          }
          // The field to type again: the password after a wrong one, the code after any other refusal.
          const retype = result.error.code === 'BAD_CREDENTIALS' ? ('password' as const) : ('code' as const);
          set({ stepUp: { ...asking, busy: false, message: stepUpProblem(result.error), retype } });
          return false;
        }
        set({ stepUp: null, stepUpUntil: result.value.stepUpUntil, message: null, lookOnly: false });
        answerStepUp(true);
        return true;
      },

      cancelStepUp() {
        set({ stepUp: null });
        answerStepUp(false);
      },

      leave() {
        set({ stepUp: null, stepUpUntil: null, lookOnly: false });
        answerStepUp(false);
        void client.send('auth.endStepUp', {});
      },

      show(tab) {
        set({ tab, message: null, notice: null, product: null, level: null, employee: null, role: null });
        if (tab === 'products') {
          if (get().categories.length === 0) void run('catalog.categories', {}).then((categories) => set({ categories: categories ?? [] }));
          void loadProducts(get().productPaging);
        } else if (tab === 'stock') {
          void loadLevels(get().levelPaging);
        } else if (tab === 'outgoing') {
          void get().refreshOutgoing();
        } else if (tab === 'invoices') {
          void loadInvoices(get().invoicePaging);
        } else if (tab === 'settings') {
          set({ selfInvoicingProblem: null });
          void run('settings.receipts', {}).then((receiptSettings) => receiptSettings && set({ receiptSettings }));
        } else if (tab === 'cardTerminal') {
          set({ providerTerminals: null, tokenProblems: [], cardTerminalProblem: null });
          void loadCardTerminalStatus();
        } else if (tab === 'conflicts') {
          set({ conflictProblem: null });
          void loadConflicts();
        } else {
          void get().loadStaff();
        }
      },

      dismiss() {
        set({ message: null, notice: null });
      },

      async searchProducts(query) {
        await loadProducts({ ...blankPaging(), query: query.trim() });
      },

      async pageProducts(direction) {
        const next = turn(get().productPaging, direction);
        if (next && !get().busy) await loadProducts(next);
      },

      async openProduct(productId) {
        set({ message: null, notice: null });
        if (productId === null || productId === 'new') {
          set({ product: productId });
          if (productId === null) await loadProducts(get().productPaging);
          return;
        }
        await reloadProduct(productId);
      },

      async saveProduct(form) {
        const current = get().product;
        if (get().busy || current === null) return false;
        const fields = {
          name: form.name,
          ...(form.brand.trim() ? { brand: form.brand } : {}),
          categoryId: form.categoryId || null,
          taxCode: form.taxCode,
          soldBy: form.soldBy,
          unit: form.unit || (form.soldBy === 'WEIGHT' ? 'kg' : 'pza'),
          isActive: form.isActive,
        };
        const saved =
          current === 'new'
            ? await run('catalog.saveProduct', {
                ...fields,
                variant: {
                  sku: form.sku,
                  price: form.price,
                  ...(form.variantName.trim() ? { name: form.variantName } : {}),
                  ...(form.cost ? { cost: form.cost } : {}),
                  ...(form.barcode ? { barcode: form.barcode } : {}),
                },
              })
            : await run('catalog.saveProduct', { ...fields, id: current.id, version: current.version });
        if (!saved) return false;
        await reloadProduct(saved.productId);
        set({ notice: i18n.t('bo.saved') });
        return true;
      },

      async addVariant(form) {
        const product = get().product;
        if (!product || product === 'new' || get().busy) return false;
        const saved = await run('catalog.saveVariant', {
          productId: product.id,
          sku: form.sku,
          price: form.price,
          ...(form.name.trim() ? { name: form.name } : {}),
          ...(form.barcode ? { barcode: form.barcode } : {}),
        });
        if (!saved) return false;
        await reloadProduct(product.id);
        set({ notice: i18n.t('bo.saved') });
        return true;
      },

      async setPrice(variant, price) {
        const product = get().product;
        if (!product || product === 'new' || get().busy) return false;
        const saved = await run('catalog.setPrice', { variantId: variant.id, version: variant.version, price });
        if (!saved) return false;
        await reloadProduct(product.id);
        set({ notice: i18n.t('bo.priceSet', { sku: variant.sku, price: i18n.money(price) }) });
        return true;
      },

      async addBarcode(variant, barcode) {
        const product = get().product;
        if (!product || product === 'new' || get().busy) return false;
        const saved = await run('catalog.addBarcode', { variantId: variant.id, version: variant.version, barcode: barcode.trim() });
        if (!saved) return false;
        await reloadProduct(product.id);
        set({ notice: i18n.t('bo.saved') });
        return true;
      },

      async removeBarcode(variant) {
        const product = get().product;
        if (!product || product === 'new' || get().busy) return false;
        const saved = await run('catalog.removeBarcode', { variantId: variant.id, version: variant.version });
        if (!saved) return false;
        await reloadProduct(product.id);
        set({ notice: i18n.t('bo.saved') });
        return true;
      },

      async searchStock(query) {
        await loadLevels({ ...blankPaging(), query: query.trim() });
      },

      async pageStock(direction) {
        const next = turn(get().levelPaging, direction);
        if (next && !get().busy) await loadLevels(next);
      },

      async openLevel(level) {
        set({ level, movements: [], message: null, notice: null });
        stockKey = freshKey('stock');
        if (!level) return loadLevels(get().levelPaging);
        const movements = await run('inventory.movements', { variantId: level.variantId, limit: 10 });
        set({ movements: movements ?? [] });
      },

      async receive(quantity, unitCost, supplierReference) {
        const level = get().level;
        if (!level || get().busy) return false;
        const done = await run('inventory.receive', {
          variantId: level.variantId,
          quantity,
          idempotencyKey: stockKey,
          ...(unitCost ? { unitCost } : {}),
          ...(supplierReference.trim() ? { supplierReference } : {}),
        });
        if (!done) return false;
        stockKey = freshKey('stock');
        await afterStockChange(level, i18n.t('bo.stock.received', { quantity: done.change, total: done.quantity.replace(/\.?0+$/, '') }));
        return true;
      },

      async adjust(change, reason) {
        const level = get().level;
        if (!level || get().busy) return false;
        const done = await run('inventory.adjust', {
          variantId: level.variantId,
          reason,
          idempotencyKey: stockKey,
          ...('counted' in change ? { countedQuantity: change.counted, expectedVersion: level.version } : { delta: change.delta }),
        });
        if (!done) return false;
        stockKey = freshKey('stock');
        await afterStockChange(level, i18n.t('bo.stock.adjusted', { change: done.change, total: done.quantity.replace(/\.?0+$/, '') }));
        return true;
      },

      async loadStaff() {
        const may = (p: string) => get().permissions.includes(p);
        const [staff, roles, branches] = await Promise.all([
          may('staff.manage') ? (run('staff.list', {}) as Promise<Employee[] | null>) : Promise.resolve([]),
          may('roles.manage') ? run('roles.list', {}) : Promise.resolve(null),
          run('inventory.branches', {}),
        ]);
        // Without roles.manage the roles to choose from are the ones employees already have.
        const known = roles ?? [
          ...new Map(
            (staff ?? []).map((e) => [e.roleId, { id: e.roleId, name: e.role, description: null, maxDiscountRate: '', permissions: [] }]),
          ).values(),
        ];
        set({ staff: staff ?? [], roles: known, branches: branches ?? [] });
      },

      openEmployee(employee) {
        set({ employee, message: null, notice: null });
      },

      async saveEmployee(form) {
        if (get().busy) return false;
        const saved = await run('staff.save', {
          ...(form.id ? { id: form.id } : {}),
          code: form.code,
          displayName: form.displayName,
          roleId: form.roleId,
          branchIds: form.branchIds,
          status: form.status,
          ...(form.email.trim() ? { email: form.email.trim() } : {}),
          ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
        });
        if (!saved) return false;
        const staff = (await run('staff.list', {})) as Employee[] | null;
        set({
          staff: staff ?? get().staff,
          employee: (staff ?? []).find((e) => e.id === saved.employeeId) ?? null,
          notice: i18n.t('bo.saved'),
        });
        return true;
      },

      async setPin(employeeId, pin) {
        if (get().busy) return false;
        const done = await run('staff.setPin', { employeeId, pin });
        if (!done) return false;
        const staff = (await run('staff.list', {})) as Employee[] | null;
        set({
          staff: staff ?? get().staff,
          employee: (staff ?? []).find((e) => e.id === employeeId) ?? null,
          notice: i18n.t('bo.staff.pinSet'),
        });
        return true;
      },

      openRole(role) {
        set({ role, message: null, notice: null });
      },

      async saveRole(form) {
        if (get().busy) return false;
        const saved = await run('roles.save', {
          ...(form.id ? { id: form.id } : {}),
          name: form.name,
          maxDiscountRate: form.maxDiscountRate,
          permissions: form.permissions,
          ...(form.description.trim() ? { description: form.description } : {}),
        });
        if (!saved) return false;
        const roles = await run('roles.list', {});
        set({ roles: roles ?? get().roles, role: (roles ?? []).find((r) => r.id === saved.roleId) ?? null, notice: i18n.t('bo.saved') });
        return true;
      },

      async refreshOutgoing() {
        set({ message: null, notice: null });
        // Not waited for: sync.now only starts a pull, and followPulls reads the list again when it lands.
        void client.send('sync.now', {});
        await loadOutgoing();
      },

      async setOutgoingFailedOnly(failedOnly) {
        set({ outgoingFailedOnly: failedOnly, message: null, notice: null });
        await loadOutgoing();
      },

      async retryOutgoing(row) {
        if (get().busy) return false;
        const done = await run('notifications.retry', { id: row.id });
        // Refused (no longer failed, gone): the list shows what the register knows now, under the reason.
        await loadOutgoing();
        if (!done) return false;
        set({ notice: i18n.t(done.queued ? 'bo.outgoing.retryQueued' : 'bo.outgoing.retryAlready', { recipient: row.recipient }) });
        return true;
      },

      async requestPhoneLink() {
        if (get().busy) return false;
        const done = await run('notifications.phoneLink', {});
        if (!done) return false;
        set({ notice: i18n.t(done.requested ? 'bo.outgoing.phoneLinkSent' : 'bo.outgoing.phoneLinkAlready') });
        return true;
      },

      async filterInvoices(status) {
        // The filter shows the choice at once (↓ again steps on from it); the list follows its answer.
        const paging = { ...blankPaging(), query: status };
        set({ invoicePaging: paging });
        await loadInvoices(paging);
      },

      async pageInvoices(direction) {
        const next = turn(get().invoicePaging, direction);
        if (next && !get().busy) await loadInvoices(next);
      },

      setGlobalDay(day) {
        set({ globalDay: day, globalProblem: null });
      },

      async issueGlobal() {
        const day = get().globalDay;
        if (get().busy || !day) return false;
        if (globalKey.day !== day) globalKey = { day, key: freshKey('global') };
        set({ globalIssued: null, globalProblem: null, notice: null });
        let unanswered = false;
        const issued = await run('invoices.issueGlobal', { day, idempotencyKey: globalKey.key }, (error) => {
          unanswered = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT';
          set({ globalProblem: globalRefusal(error) });
        });
        if (!unanswered) globalKey = { day: '', key: freshKey('global') };
        if (!issued) return false;
        set({ globalIssued: issued });
        // It heads the list, whatever page or state was being looked at.
        await loadInvoices(blankPaging());
        return true;
      },

      openCancel(invoice) {
        set({ cancelling: invoice ? { invoice, problem: null } : null, notice: null });
      },

      async cancelInvoice(motive, reason) {
        const asked = get().cancelling;
        if (!asked || get().busy) return false;
        const { invoice } = asked;
        if (cancelKey.invoiceId !== invoice.id || cancelKey.motive !== motive) {
          cancelKey = { invoiceId: invoice.id, motive, key: freshKey('cancel') };
        }
        set({ cancelling: { invoice, problem: null } });
        let unanswered = false;
        const requested = await run(
          'invoices.cancel',
          { invoiceId: invoice.id, motive, reason, idempotencyKey: cancelKey.key },
          (error) => {
            unanswered = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT';
            set({ cancelling: { invoice, problem: cancelRefusal(error) } });
          },
        );
        if (!unanswered) cancelKey = { invoiceId: '', motive: '', key: freshKey('cancel') };
        // Answered or refused, the list shows the invoice as the engine has it now (a refusal may
        // be for a request someone else made meanwhile).
        if (!unanswered) await loadInvoices(get().invoicePaging);
        if (!requested) return false;
        set({
          cancelling: null,
          notice: i18n.t('bo.invoices.cancel.requested', { series: invoice.series, folio: invoice.folio }),
        });
        return true;
      },

      async openSubstitute(invoice) {
        if (!invoice) {
          set({ substituting: null });
          return;
        }
        set({
          substituting: { invoice, form: formOfReceiver(invoice), options: null, refusals: null, refused: 0, problem: null },
          notice: null,
        });
        // The catalogs the counter's form offers; without them the engine still checks every clave.
        const options = await client.send('customers.fiscalOptions', {});
        if (options.ok) updateSubstituting(invoice.id, { options: options.value });
        else updateSubstituting(invoice.id, { problem: i18n.error(options.error) });
      },

      editSubstitute(change) {
        const open = get().substituting;
        if (!open) return;
        // The words beside a field go once it is changed; the others stay until the next try.
        const fields = { ...open.refusals?.fields };
        for (const name of Object.keys(change) as (keyof CustomerForm)[]) delete fields[name];
        set({
          substituting: { ...open, form: { ...open.form, ...change }, refusals: open.refusals ? { ...open.refusals, fields } : null },
        });
      },

      async substituteInvoice(reason) {
        const asked = get().substituting;
        if (!asked || get().busy) return false;
        const { invoice } = asked;
        const receiver = receiverOfForm(asked.form);
        const meant = JSON.stringify([invoice.id, receiver, reason]);
        if (substituteKey.meant !== meant) substituteKey = { meant, key: freshKey('substitute') };
        updateSubstituting(invoice.id, { problem: null });
        let unanswered = false;
        let aboutTheInvoice = false;
        const done = await run(
          'invoices.substitute',
          { invoiceId: invoice.id, receiver, reason, idempotencyKey: substituteKey.key },
          (error) => {
            unanswered = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT';
            const refusals = refusalsOf(error);
            aboutTheInvoice = refusals.rest !== null && !unanswered;
            updateSubstituting(invoice.id, {
              refusals,
              refused: (substitutingFor(invoice.id)?.refused ?? 0) + 1,
              problem: refusals.rest ? substituteRefusal(refusals.rest) : null,
            });
          },
        );
        if (!unanswered) substituteKey = { meant: '', key: freshKey('substitute') };
        if (!done) {
          // Refused for the invoice's state (a request someone else made meanwhile, say): the list shows it as it is now.
          if (aboutTheInvoice) await loadInvoices(get().invoicePaging);
          return false;
        }
        set({ substituting: null });
        // The substitute heads the list, whatever page or state was being looked at, above the invoice it replaces.
        await loadInvoices(blankPaging());
        set({
          notice: i18n.t('bo.invoices.substitute.done', {
            series: invoice.series,
            folio: invoice.folio,
            newSeries: done.invoice.series,
            newFolio: done.invoice.folio,
          }),
        });
        return true;
      },

      async creditReturnAgain(row) {
        if (!mayCreditAgain(row) || get().busy) return false;
        const { returnId } = row.creditNote!;
        if (creditKey.returnId !== returnId) creditKey = { returnId, key: freshKey('credit') };
        let unanswered = false;
        const written = await run('invoices.creditReturn', { returnId, idempotencyKey: creditKey.key }, (error) => {
          unanswered = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT';
          set({ message: i18n.error(error) });
        });
        if (!unanswered) creditKey = { returnId: '', key: freshKey('credit') };
        if (!written) {
          await loadInvoices(get().invoicePaging);
          return false;
        }
        await loadInvoices(blankPaging());
        set({
          notice: i18n.t('bo.invoices.creditAgain.done', {
            series: written.series,
            folio: written.folio,
            returnNumber: row.creditNote!.returnNumber,
          }),
        });
        return true;
      },

      async saveSelfInvoicing(typed) {
        if (get().busy) return false;
        const url = typed.trim() === '' ? null : typed;
        const checked = url === null ? null : parseSelfInvoicingBase(url);
        if (checked && 'problem' in checked) {
          set({ selfInvoicingProblem: i18n.t(`error.INVALID_INPUT.${checked.problem}`), notice: null });
          return false;
        }
        set({ selfInvoicingProblem: null });
        const saved = await run('settings.setSelfInvoicing', { url }, (error) => set({ selfInvoicingProblem: i18n.error(error) }));
        if (!saved) return false;
        await loadCardTerminalStatus();
        set({
          receiptSettings: saved,
          notice: saved.selfInvoicingPage
            ? i18n.t('bo.settings.selfInvoicing.saved', { page: saved.selfInvoicingPage })
            : i18n.t('bo.settings.selfInvoicing.removed'),
        });
        return true;
      },

      async saveProviderToken(form) {
        if (get().busy) return false;
        const problems = tokenFormProblems(form);
        set({ tokenProblems: problems, cardTerminalProblem: null, notice: null });
        if (problems.length > 0) return false;
        const baseUrl = baseUrlOf(form.baseUrl) ?? undefined;
        const webhookSecret = form.webhookSecret.trim();
        const installed = await run(
          'payments.setProviderToken',
          {
            provider: form.provider,
            token: form.token.trim(),
            ...(webhookSecret ? { webhookSecret } : {}),
            ...(baseUrl ? { baseUrl } : {}),
          },
          (error) => set({ cardTerminalProblem: i18n.error(error) }),
        );
        if (!installed) return false;
        // Read before the notice is set: every call clears the one shown.
        await loadCardTerminalStatus();
        set({
          providerTerminals: { provider: form.provider, baseUrl, terminals: installed.terminals },
          notice: i18n.t('bo.cardTerminal.tokenSaved', { provider: PROVIDER_NAMES[form.provider], ends: installed.tokenEnds ?? '' }),
        });
        return true;
      },

      async findTerminals(provider, typedBaseUrl) {
        if (get().busy) return false;
        const baseUrl = baseUrlOf(typedBaseUrl);
        set({ tokenProblems: baseUrl === null ? ['baseUrl'] : [], cardTerminalProblem: null, notice: null, providerTerminals: null });
        if (baseUrl === null) return false;
        const found = await run('payments.providerTerminals', { provider, ...(baseUrl ? { baseUrl } : {}) }, (error) =>
          set({ cardTerminalProblem: i18n.error(error) }),
        );
        if (!found) return false;
        set({ providerTerminals: { provider, baseUrl, terminals: found.terminals } });
        return true;
      },

      async pairTerminal(terminalId) {
        const listed = get().providerTerminals;
        const terminal = listed?.terminals.find((t) => t.id === terminalId);
        if (get().busy || !listed || !terminal?.integrated) return false;
        const refused = (error: ClientError) => set({ cardTerminalProblem: i18n.error(error) });
        // The register's devices as they are now: devices.configure replaces them whole.
        const devices = await run('devices.status', {}, refused);
        if (!devices) return false;
        const saved = await run(
          'devices.configure',
          {
            registerCode: devices.registerCode,
            devices: withCardTerminal(devices.config, { provider: listed.provider, terminalId, baseUrl: listed.baseUrl }),
          },
          refused,
        );
        if (!saved) return false;
        await loadCardTerminalStatus();
        set({
          providerTerminals: { ...listed, terminals: listed.terminals.map((t) => ({ ...t, paired: t.id === terminalId })) },
          notice: i18n.t('bo.cardTerminal.paired', {
            terminal: terminal.label ?? terminal.id,
            provider: PROVIDER_NAMES[listed.provider],
            register: saved.registerCode,
          }),
        });
        return true;
      },

      async refreshConflicts() {
        set({ conflictProblem: null });
        await loadConflicts();
      },

      async keepConflict(conflict, keep) {
        if (get().busy) return false;
        const meant = `${conflict.id}:${keep}`;
        if (conflictKey.meant !== meant) conflictKey = { meant, key: freshKey('conflict') };
        set({ conflictProblem: null });
        let unanswered = false;
        const done = await run('sync.resolveConflict', { conflictId: conflict.id, keep, idempotencyKey: conflictKey.key }, (error) => {
          unanswered = error.code === 'UNREACHABLE' || error.code === 'TIMEOUT';
          set({ conflictProblem: i18n.error(error) });
        });
        if (!unanswered) conflictKey = { meant: '', key: freshKey('conflict') };
        // Kept or refused (settled meanwhile by someone else), the list shows what central has now.
        if (!unanswered) await loadConflicts();
        if (!done) return false;
        const what = conflictSubject(conflict);
        set({
          notice:
            keep === 'OURS'
              ? i18n.t('bo.conflicts.keptOurs', { what, register: conflict.register?.code ?? '' })
              : i18n.t('bo.conflicts.keptTheirs', { what }),
        });
        return true;
      },

      setInvoicePaper(paper) {
        set({ invoicePaper: paper });
      },

      async downloadInvoice(invoice, file) {
        if (get().busy) return false;
        let filename: string;
        let content: Blob;
        if (file === 'pdf') {
          const pdf = await run('invoices.pdf', { invoiceId: invoice.id, paper: get().invoicePaper });
          if (!pdf) return false;
          filename = pdf.filename;
          content = new Blob([base64Bytes(pdf.base64)], { type: 'application/pdf' });
        } else {
          const xml = await run('invoices.xml', { invoiceId: invoice.id });
          if (!xml) return false;
          filename = xml.filename;
          content = new Blob([xml.xml], { type: 'application/xml' });
        }
        saveFile(filename, content);
        set({ notice: i18n.t('bo.invoices.downloaded', { filename }) });
        return true;
      },

      followPulls() {
        // Status events come often (every push, every count); one reload per pull.
        let reloadedFor: string | null = null;
        return client.on('sync.status', (status) => {
          const { tab, outgoing, outgoingAsOf } = get();
          const at = status.lastPullAt;
          // The list is as of an earlier pull than the one that just landed.
          if (tab === 'outgoing' && outgoing !== null && at !== null && at !== outgoingAsOf && at !== reloadedFor) {
            reloadedFor = at;
            void loadOutgoing();
          }
        });
      },
    };

    async function loadCardTerminalStatus() {
      const status = await run('payments.providerStatus', {}, (error) => set({ cardTerminalProblem: i18n.error(error) }));
      if (status) set({ cardTerminalStatus: status });
    }

    async function afterStockChange(level: Level, notice: string) {
      const page = await run('inventory.levels', { text: level.sku, limit: 5 });
      const fresh = page?.items.find((l) => l.variantId === level.variantId) ?? level;
      const movements = await run('inventory.movements', { variantId: level.variantId, limit: 10 });
      set({ level: fresh, movements: movements ?? [], notice });
    }
  });
}

export type BackOfficeStore = ReturnType<typeof createBackOffice>;
